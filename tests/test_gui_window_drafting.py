"""The drafting window on real widgets: wizard, outline, editor, undo, drag-and-drop, find."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialogButtonBox, QMessageBox

from drafter.draft import operations
from drafter.gui.outline_view import KIND_ROLE, UID_ROLE
from tests import gui_window_support as support
from tests.gui_window_support import click_link, on_modal, open_draft, sample_draft, type_text

window = support.window  # the fixture


def texts(draft) -> list[str]:
    return [a.text() for a in draft.articles()]


def test_wizard_creates_a_draft_with_the_chosen_skeleton(window, qtbot):
    def fill(wizard):
        wizard.title_edit.setText("某市数据条例")
        assert wizard.city_edit.text() == "某市"
        index = next(
            i
            for i in range(wizard.skeleton_box.count())
            if "海口" in wizard.skeleton_box.itemText(i)
        )
        wizard.skeleton_box.setCurrentIndex(index)
        wizard.status_box.setCurrentText("征求意见稿")
        wizard.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    on_modal(fill, "newDraftWizard")
    window.actions.new.trigger()
    draft = window.session.draft
    haikou = window.library.get("haikou")
    assert (draft.title, draft.city, draft.status) == ("某市数据条例", "某市", "征求意见稿")
    assert [c.title for c in draft.chapters] == [c.title for c in haikou.statute.chapters]
    assert window.structure_label.text() == f"{len(draft.chapters)}章0条"
    assert window.save_label.text() == "未保存"
    assert window.outline.model().rowCount() == len(draft.chapters)
    assert window.outline.model().index(0, 0).data().startswith("第一章")


def test_insert_type_undo_redo_through_the_editor(window, qtbot):
    from drafter.draft.document import Draft

    session = open_draft(window, Draft.with_chapters("某市智慧城市促进条例", "某市", ["总则"]))
    window.outline.select_uid(session.draft.chapters[0].uid)
    window.actions.insert_article_after.trigger()
    editor = window.editor
    assert window.structure_label.text() == "1章1条"
    type_text(editor.paragraph_edits[0], "为了促进智慧城市建设")
    QTest.keyClick(editor.paragraph_edits[0], Qt.Key.Key_Return)  # at the end: a new 款
    assert len(editor.paragraph_edits) == 2
    type_text(editor.paragraph_edits[1], "本条例自公布之日起施行。")
    type_text(editor.caption_edit, "立法目的")
    article = next(session.draft.articles())
    assert [p.text for p in article.paragraphs] == [
        "为了促进智慧城市建设",
        "本条例自公布之日起施行。",
    ]
    assert article.caption == "立法目的"
    assert window.chars_label.text() == f"{10 + 12 + 4}字"
    # insert, typing (merged), new 款, typing (merged), caption (merged): five steps
    assert session.undo_stack.count() == 5
    assert window.outline.model().index(0, 0, window.outline.model().index(0, 0)).data() == (
        "第一条　立法目的"
    )

    window.actions.undo.trigger()  # caption
    window.actions.undo.trigger()  # second 款's text
    assert editor.caption_edit.text() == ""
    assert editor.paragraph_edits[1].toPlainText() == ""
    window.actions.undo.trigger()  # the new 款
    assert len(editor.paragraph_edits) == 1
    assert editor.paragraph_edits[0].toPlainText() == "为了促进智慧城市建设"
    window.actions.undo.trigger()
    assert editor.paragraph_edits[0].toPlainText() == ""
    for _ in range(4):
        window.actions.redo.trigger()
    assert [e.toPlainText() for e in editor.paragraph_edits] == [
        "为了促进智慧城市建设",
        "本条例自公布之日起施行。",
    ]
    assert window.save_label.text() == "未保存"


def test_split_merge_and_items_in_a_paragraph(window):
    session = open_draft(window, sample_draft())
    first = next(session.draft.articles())
    window.outline.select_uid(first.uid)
    edit = window.editor.paragraph_edits[0]
    cursor = edit.textCursor()
    cursor.setPosition(len("为了促进智慧城市建设，"))
    edit.setTextCursor(cursor)
    QTest.keyClick(edit, Qt.Key.Key_Return)
    assert [p.text for p in first.paragraphs] == ["为了促进智慧城市建设，", "制定本条例。"]
    second = window.editor.paragraph_edits[1]
    assert second.hasFocus() or second.textCursor().position() == 0
    QTest.keyClick(second, Qt.Key.Key_Backspace)  # at the start: merge with the 款 above
    assert [p.text for p in first.paragraphs] == ["为了促进智慧城市建设，制定本条例。"]
    edit = window.editor.paragraph_edits[0]
    cursor = edit.textCursor()
    cursor.movePosition(cursor.MoveOperation.End)
    edit.setTextCursor(cursor)
    QTest.keyClick(edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)  # a 项
    type_text(edit, "建设数字政府")
    QTest.keyClick(edit, Qt.Key.Key_Return)  # the next 项
    type_text(edit, "发展数字经济")
    assert first.paragraphs[0].items == ["建设数字政府", "发展数字经济"]
    assert edit.toPlainText().endswith("（一）建设数字政府\n（二）发展数字经济")


def test_drag_and_drop_renumbers_and_citations_follow(window):
    session = open_draft(window, sample_draft())
    model = window.outline.model()
    draft = session.draft
    third = draft.article_by_number(3)
    citing = draft.article_by_number(4)
    chapter_two = model.index(1, 0)
    # Drag 第三条 to the end of 第二章 (after the article that cites it).
    data = model.mimeData([window.outline.outline.index_of(third.uid)])
    assert model.dropMimeData(data, Qt.DropAction.MoveAction, -1, 0, chapter_two)
    assert third.number == 4 and citing.number == 3
    assert citing.paragraphs[0].text == "违反本条例第四条规定的，由有关部门责令改正。"
    assert [model.index(r, 0, chapter_two).data(UID_ROLE) for r in range(2)] == [
        citing.uid,
        third.uid,
    ]
    assert model.index(0, 0, chapter_two).data().startswith("第三条　违反本条例第四条")
    assert session.undo_stack.count() == 1
    window.actions.undo.trigger()
    assert draft.article_by_number(4).paragraphs[0].text.startswith("违反本条例第三条")

    # Drag 第二章 before 第一章: one step, its article becomes 第一条.
    chapter_uid = model.index(1, 0).data(UID_ROLE)
    data = model.mimeData([model.index(1, 0)])
    assert model.index(1, 0).data(KIND_ROLE) == "chapter"
    assert model.dropMimeData(data, Qt.DropAction.MoveAction, 0, 0, model.index(-1, -1))
    assert draft.chapters[0].uid == chapter_uid
    assert model.index(0, 0).data() == "第一章　法律责任"
    cited = draft.article_by_number(4)
    assert (
        draft.article_by_number(1).paragraphs[0].text
        == "违反本条例第四条规定的，由有关部门责令改正。"
    )
    assert cited.paragraphs[0].text.startswith("市人民政府")


def test_outline_actions_insert_move_delete(window, monkeypatch):
    session = open_draft(window, sample_draft())
    draft = session.draft
    window.outline.select_uid(draft.article_by_number(3).uid)
    window.actions.move_down.trigger()  # across into 第二章, at its start
    moved = draft.article_by_number(3)
    assert draft.chapter_of(moved.uid).title == "法律责任"
    assert window.outline.current_node() == ("article", moved.uid)
    window.actions.insert_article_before.trigger()
    assert draft.article_by_number(3).text() == "" and draft.chapters[1].articles[0].number == 3
    window.actions.delete.trigger()
    assert sum(1 for _ in draft.articles()) == 4
    # The article that took the deleted one's place is now current, in the editor too.
    assert window.outline.current_node() == ("article", moved.uid)
    assert window.editor.article_uid == moved.uid
    window.outline.select_uid(draft.chapters[0].uid)
    window.actions.insert_chapter_before.trigger()
    assert [c.title for c in draft.chapters] == ["新的一章", "总则", "法律责任"]
    window.editor.chapter_title_edit.setText("")
    type_text(window.editor.chapter_title_edit, "一般规定")
    assert draft.chapters[0].title == "一般规定"
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    window.outline.select_uid(draft.chapters[2].uid)
    window.actions.delete.trigger()
    assert [c.title for c in draft.chapters] == ["一般规定", "总则"]
    assert window.structure_label.text() == "2章2条"
    actions = window.outline.context_actions
    # The text before the tab: after it comes the shortcut label the menu shows.
    assert [a.text().split("\t")[0] for a in actions if a is not None][:4] == [
        "在前面插入章",
        "在后面插入章(&C)",
        "在前面插入条",
        "在后面插入条(&A)",
    ]


def test_find_steps_through_every_paragraph(window):
    session = open_draft(window, sample_draft())
    window.actions.find.trigger()
    assert window.find_bar.isVisible()
    window.find_bar.field.setText("智慧城市")
    hit = window.find_bar.find_next()
    assert hit.uid == session.draft.article_by_number(1).uid
    assert window.editor.article_uid == hit.uid
    edit = window.editor.paragraph_edits[0]
    assert edit.textCursor().selectedText() == "智慧城市"
    assert window.find_bar.result_label.text() == "第 1/3 处"
    window.find_bar.find_next()
    window.find_bar.find_next()
    assert window.editor.article_uid == session.draft.article_by_number(3).uid
    draft = session.draft
    assert window.find_bar.find_next().uid == draft.article_by_number(1).uid  # wraps around
    assert window.find_bar.find_previous().uid == draft.article_by_number(3).uid
    window.find_bar.field.setText("没有这几个字")
    assert window.find_bar.find_next() is None
    assert window.find_bar.result_label.text() == "未找到"


def test_accepting_a_suggestion_is_one_undoable_step(window, qtbot):
    panel = window.panels.suggestions
    if panel is None:
        pytest.skip("the suggestion panel is not installed")
    session = open_draft(window, sample_draft())
    third = session.draft.article_by_number(3)
    window.outline.select_uid(third.uid)
    window.editor.focus_paragraph(0)
    qtbot.waitUntil(lambda: panel.engine_ready and bool(panel.suggestions), timeout=20000)
    suggestion = panel.suggestions[0]
    panel.adopt_requested.emit(suggestion, "append")
    assert len(third.paragraphs) == 2
    assert len(window.editor.paragraph_edits) == 2  # the editor reloaded the article
    assert any(link.ref == suggestion.ref for link in session.draft.provenance[third.uid])
    panel.adopt_requested.emit(suggestion, "new_article")
    assert session.draft.article_by_number(4).paragraphs
    assert window.editor.article_uid == session.draft.article_by_number(4).uid
    window.actions.undo.trigger()
    window.actions.undo.trigger()
    # (undo restores articles as new objects: look them up again)
    assert len(session.draft.article(third.uid).paragraphs) == 1
    assert sum(1 for _ in session.draft.articles()) == 4


def test_typing_does_not_reload_the_editor_under_the_cursor(window):
    session = open_draft(window, sample_draft())
    second = session.draft.article_by_number(2)
    window.outline.select_uid(second.uid)
    edit = window.editor.paragraph_edits[0]
    cursor = edit.textCursor()
    cursor.setPosition(3)  # 本条例|适用于…
    edit.setTextCursor(cursor)
    type_text(edit, "所称的规定")
    assert edit.textCursor().position() == 3 + 5
    assert session.draft.article(second.uid).paragraphs[0].text.startswith("本条例所称的规定适用于")
    assert session.undo_stack.count() == 1


def test_a_check_jumps_to_its_article_and_a_source_opens_the_reference(window, qtbot):
    panel = window.panels.checks
    if panel is None:
        pytest.skip("the checks panel is not installed")
    session = open_draft(window, sample_draft())
    empty = session.apply(
        operations.insert_article, session.draft.chapters[0].uid, "", index=0
    ).inserted[0]
    window.outline.select_uid(session.draft.article_by_number(4).uid)
    qtbot.waitUntil(lambda: any(uid == empty for _r, uid in panel.results), timeout=10000)
    row = next(i for i, (_r, uid) in enumerate(panel.results) if uid == empty)
    item = panel.tree.topLevelItem(row)
    rect = panel.tree.visualItemRect(item)
    window.checks_dock.show()
    window.checks_dock.raise_()
    QTest.mouseClick(panel.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.editor.article_uid == empty
    assert window.outline.current_node() == ("article", empty)

    window.view_source("haikou", 37)
    assert window.tabs.currentWidget() is window.reference_browser
    assert "第三十七条" in window.reference_browser.text_view.toPlainText()


def test_self_test_opens_loads_and_closes(qtbot, capsys, tmp_path):
    from PySide6.QtCore import QSettings

    from drafter.draft.project_file import save_project
    from drafter.gui.app import run_self_test

    QSettings.setPath(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, str(tmp_path))
    assert run_self_test() == 0
    assert "自检通过" in capsys.readouterr().out
    draft = sample_draft()
    save_project(draft, tmp_path / "样例.drafter.json")
    assert run_self_test(tmp_path / "样例.drafter.json") == 0
    out = capsys.readouterr().out
    assert "已打开草案《某市智慧城市促进条例》（4条，光标在第一条第一款）" in out, out
    assert not (tmp_path / "样例.drafter.json.lock").exists()
    assert run_self_test(tmp_path / "缺失.drafter.json") == 1


def test_a_draft_without_chapters_gets_its_first_chapter_from_the_outline(window):
    from drafter.draft.document import Draft
    from drafter.statute.model import Article, Chapter, Paragraph, Statute

    statute = Statute(
        title="某市数据条例",
        chapters=[Chapter(0, "", [Article(1, [Paragraph("为了规范数据管理，制定本条例。")])])],
    )
    session = open_draft(window, Draft.from_statute(statute, "某市数据条例", "某市"))
    model = window.outline.model()
    assert model.index(0, 0).data() == "（不分章）"
    assert window.structure_label.text() == "不分章，1条"
    window.outline.select_uid(session.draft.chapters[0].uid)
    window.actions.insert_chapter_before.trigger()
    assert [c.title for c in session.draft.chapters] == ["新的一章", ""]
    assert window.structure_label.text() == "2章1条"


def test_the_skeleton_is_found_by_typing_a_city_or_title(qtbot):
    """A large library offers thousands of 沿用《…》的章节; typing part of a city or a title
    lists those that contain it, Enter on one picks it, and typing that names none puts
    the choice back."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QInputMethodEvent
    from PySide6.QtWidgets import QApplication

    from drafter.gui.new_draft_wizard import NewDraftWizard
    from drafter.library import ReferenceLibrary

    def type_chinese(widget, text: str) -> None:
        """As an input method commits Chinese (QTest types ASCII keys only)."""
        event = QInputMethodEvent()
        event.setCommitString(text)
        QApplication.sendEvent(widget, event)

    library = ReferenceLibrary()
    wizard = NewDraftWizard(library.summaries(), library=library)
    qtbot.addWidget(wizard)
    wizard.show()
    edit = wizard.skeleton_box.lineEdit()
    edit.setFocus()
    edit.selectAll()
    type_chinese(edit, "海口")
    popup = wizard.skeleton_box.completer().popup()
    qtbot.waitUntil(popup.isVisible, timeout=3000)
    assert popup.model().rowCount() == 1
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert "海口" in wizard.skeleton_box.currentText()
    haikou = [c.title for c in library.get("haikou").statute.chapters]
    assert wizard.skeleton() == haikou
    edit.selectAll()
    type_chinese(edit, "不存在的法规")
    edit.editingFinished.emit()
    assert "海口" in wizard.skeleton_box.currentText() and wizard.skeleton() == haikou


def test_from_one_article_with_sources_to_decide_to_the_next(window, qtbot):
    # An imported draft has proposals on most articles; the drafter went back to the
    # 检查 list between each two.
    from drafter.draft.source_links import SUGGESTED, SourceLink

    draft = sample_draft()
    first, third = draft.article_by_number(1), draft.article_by_number(3)
    for article in (first, third):
        draft.provenance[article.uid] = [
            SourceLink("haikou", 1, 0, article.text(), state=SUGGESTED),
            SourceLink("jining", 1, 0, article.text(), state=SUGGESTED),
        ]
    open_draft(window, draft)
    window.provenance_dock.raise_()
    panel = window.panels.provenance
    button = panel.next_pending_button
    assert window.editor.article_uid == first.uid and button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert window.editor.article_uid == third.uid
    assert panel.title_label.text() == "<b>第三条</b>"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # round to the start
    assert window.editor.article_uid == first.uid
    panel.activate_link("reject-all:")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert window.editor.article_uid == third.uid
    panel.activate_link("reject-all:")
    assert not button.isEnabled()  # nothing left to decide


def test_an_article_read_on_the_references_page_is_inserted_into_the_draft(window, qtbot):
    # The 参考法规 page had no way to take the article being read; the drafter went back
    # and typed until 条文建议 offered it.
    browser = window.reference_browser
    browser.show_article("haikou", 8)
    assert not browser.adopt_button.isEnabled()  # no draft open to take it
    session = open_draft(window, sample_draft())
    second = session.draft.article_by_number(2)
    window.outline.select_uid(second.uid)
    window.tabs.setCurrentWidget(browser)
    browser.show_article("haikou", 8)
    assert browser.adopt_button.isEnabled()
    source = window.library.get("haikou").statute.article(8)
    qtbot.mouseClick(browser.adopt_button, Qt.MouseButton.LeftButton)
    inserted = session.draft.article_by_number(3)  # after the article being drafted
    assert inserted.text() == source.text()
    links = session.draft.provenance[inserted.uid]
    assert [(x.ref, x.article, x.state, x.label) for x in links] == [
        ("haikou", 8, "adopted", "照搬")
    ]
    # The window shows it, in the 起草 page, ready to adapt.
    assert window.tabs.currentWidget() is window.draft_stack
    assert window.editor.article_uid == inserted.uid
    assert window.editor.paragraph_edits[0].toPlainText() == source.paragraphs[0].text
    session.undo_stack.undo()
    assert session.draft.article_by_number(3).uid != inserted.uid  # one undo step


def test_the_status_bar_says_a_note_once(window):
    # 成都 第三十条 has 区（市）县 in two 款: the same localisation note was shown twice.
    from drafter.draft.adoption import Clause

    session = open_draft(window, sample_draft())
    window.outline.select_uid(session.draft.article_by_number(1).uid)
    source = window.library.get("chengdu").statute.article(30)
    clause = Clause("chengdu", "成都市", 30, 0, source.text())
    window.panels.adopt_suggestion(clause, "new_article")
    shown = window.statusBar().currentMessage()
    notes = shown.split("；")
    assert notes and len(notes) == len(set(notes)), shown
    assert "区（市）县" in shown


def test_a_counterpart_in_the_comparison_window_is_inserted_into_the_draft(window, qtbot):
    session = open_draft(window, sample_draft())
    window.outline.select_uid(session.draft.article_by_number(1).uid)
    browser = window.reference_browser
    browser.show_article("jining", 19)
    view = browser.comparison_view
    with qtbot.waitSignal(view.shown, timeout=30000):
        browser.open_comparison()
    try:
        html = view.counterparts_browser.toHtml()
        assert "插入到草案" in view.counterparts_browser.toPlainText()
        haikou = next(i for i, c in enumerate(view.columns) if c.ref == "haikou")
        assert f"adopt:{haikou}" in html
        click_link(qtbot, view.counterparts_browser, f"adopt:{haikou}")
        inserted = session.draft.article_by_number(2)
        column = view.columns[haikou]
        assert inserted.text() == column.text
        assert [(x.ref, x.article) for x in session.draft.provenance[inserted.uid]] == [
            ("haikou", column.article)
        ]
        assert view.status_label.text().startswith("已把海口市第")
        raised: list[bool] = []
        window.raise_ = lambda: raised.append(True)  # what 转到草案 asks of the main window
        view.status_label.linkActivated.emit("show-draft")
        assert raised == [True]
        # With no draft open the links are not offered.
        window.set_session(None)
        assert "插入到草案" not in view.counterparts_browser.toPlainText()
    finally:
        view.close()
