"""The 版本 menu on the real window: 标记版本 (one undo step), 版本列表 (查看 read-only,
恢复为当前文本 undoable, 与当前文本比较), and the 修改对照 view with its exports."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest

pytest.importorskip("PySide6")

from PySide6.QtWidgets import QApplication, QFileDialog

from drafter.draft import operations
from drafter.export.revision_export import CURRENT
from tests import gui_window_support as support
from tests.gui_window_support import click, on_modal, open_draft
from tests.revision_samples import NEW_ARTICLE, consultation_draft

window = support.window  # the fixture


def _mark(window, name: str, when: str = "2026-11-02", note: str = "") -> None:
    """标记版本… through the menu, the dialog filled in as a person would."""

    def fill(dialog) -> None:
        dialog.name_box.setCurrentText(name)
        year, month, day = map(int, when.split("-"))
        dialog.date_edit.setDate(dialog.date_edit.date().fromString(when, "yyyy-MM-dd"))
        assert dialog.date_edit.date().year() == year and dialog.date_edit.date().day() == day
        assert month
        dialog.note_edit.setText(note)
        dialog.accept()

    on_modal(fill, "markVersionDialog")
    window.versions.mark_action.trigger()


def test_the_mark_dialog_shows_its_example_note_whole(window):
    open_draft(window, consultation_draft(window.library))
    seen = {}

    def look(dialog) -> None:
        edit = dialog.note_edit
        room = edit.contentsRect().width() - edit.textMargins().left() - edit.textMargins().right()
        seen["room"] = room
        seen["needed"] = edit.fontMetrics().horizontalAdvance(edit.placeholderText())
        dialog.reject()

    on_modal(look, "markVersionDialog")
    window.versions.mark_action.trigger()
    assert seen["room"] >= seen["needed"], seen  # it showed "可不填，如“提…"


def _menu(window):
    return next(a.menu() for a in window.menuBar().actions() if a.text() == "版本(&B)")


def _revise(window) -> None:
    """Edits as the drafter makes them: an article inserted, one deleted, one moved."""
    session = window.session
    draft = session.draft
    session.apply(operations.insert_article, draft.chapters[0].uid, NEW_ARTICLE, index=1)
    window.outline.select_uid(draft.article_by_number(8).uid)  # 原第七条
    window.actions.delete.trigger()
    moved = draft.article_by_number(8).uid  # 原第八条
    session.apply(operations.move_article, moved, draft.chapters[3].uid, 0)


def test_menu_sits_between_insert_and_view_and_needs_a_draft(window):
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles.index("版本(&B)") == titles.index("视图(&V)") - 1
    entries = [a.text() for a in _menu(window).actions()]
    assert entries == ["标记版本(&M)…", "版本列表(&L)…", "修改对照(&C)…"]
    assert not any(a.isEnabled() for a in _menu(window).actions())
    open_draft(window, consultation_draft(window.library))
    assert all(a.isEnabled() for a in _menu(window).actions())


def test_marking_is_one_undo_step_and_makes_the_draft_unsaved(window):
    session = open_draft(window, consultation_draft(window.library))
    _mark(window, "征求意见稿", "2026-11-02", "向社会公开征求意见")
    [version] = session.draft.versions
    assert (version.name, version.date, version.note) == (
        "征求意见稿",
        "2026-11-02",
        "向社会公开征求意见",
    )
    assert window.isWindowModified()
    assert window.actions.undo.text().startswith("撤销(&U)：标记版本“征求意见稿”")
    window.actions.undo.trigger()
    assert session.draft.versions == []
    window.actions.redo.trigger()
    assert session.draft.versions == [version]
    # the same name again is refused, saying why
    seen = []

    def note_error(box) -> None:
        seen.append(box.text())
        box.accept()

    on_modal(note_error, "errorDialog")
    _mark(window, "征求意见稿")
    QApplication.processEvents()
    assert seen == ["已有名为“征求意见稿”的版本，请换一个名称"]


def test_compare_view_shows_the_revision_and_exports_both_documents(
    window, qtbot, tmp_path, monkeypatch
):
    session = open_draft(window, consultation_draft(window.library))
    _mark(window, "征求意见稿")
    _revise(window)
    window.versions.compare_action.trigger()
    view = window.versions.revision_view
    qtbot.waitUntil(view.isVisible)
    assert (view.old_box.currentText(), view.new_box.currentText()) == ("征求意见稿", CURRENT)
    assert view.facts_label.text().startswith(
        "与征求意见稿相比，征求意见修改稿共增加一条、删除一条、调整顺序一条"
    )
    page = view.browser.toHtml()
    assert "line-through" in page and "underline" in page
    plain = view.browser.toPlainText()
    assert "第十一条（原第八条）" in plain and "由原第二章移至第四章" in plain
    assert "删去" in plain and "新增" in plain
    # folding unchanged articles, as the export does
    view.fold_box.setChecked(True)
    lines = view.browser.toPlainText().splitlines()
    assert "第六条至第七条（原第五条至第六条） 未修改" in [" ".join(x.split()) for x in lines]
    # the view follows the current text
    session.apply(operations.delete_article, session.draft.article_by_number(1).uid)
    assert "删除一条" in view.facts_label.text()  # redrawn once the edits pause
    qtbot.waitUntil(lambda: "删除两条" in view.facts_label.text())
    window.actions.undo.trigger()
    qtbot.waitUntil(lambda: "删除一条" in view.facts_label.text())
    # exports, through the save dialog
    table = tmp_path / "修改对照稿.docx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(table), ""))
    on_modal(lambda box: box.reject(), "exportDoneDialog")
    view.export_table_button.click()
    qtbot.waitUntil(lambda: view.last_export is not None, timeout=15000)
    rows = docx.Document(str(table)).tables[0].rows
    moved = next(r for r in rows if r.cells[1].text.startswith("第十一条（原第八条）"))
    assert moved.cells[2].text == "由原第二章移至第四章"
    decision = tmp_path / "修改决定"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(decision), ""))
    view.last_export = None
    on_modal(lambda box: box.reject(), "exportDoneDialog")
    view.export_amendment_button.click()
    qtbot.waitUntil(lambda: view.last_export is not None, timeout=15000)
    texts = [p.text for p in docx.Document(str(decision) + ".docx").paragraphs]
    assert "五、删去第七条。" not in texts  # numbered in order of the text:
    assert "二、删去第七条。" in texts and "三、将第八条移至第四章开头。" in texts
    assert "此外，对条文顺序和部分文字作相应调整。" in texts


def test_version_list_views_restores_undoably_and_compares(window, qtbot):
    session = open_draft(window, consultation_draft(window.library))
    # Before any version: the list says how one is made.
    window.versions.list_action.trigger()
    dialog = window.versions.list_dialog
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.empty_hint.isVisible() and "标记版本" in dialog.empty_hint.text()
    dialog.reject()
    _mark(window, "征求意见稿")
    _revise(window)
    _mark(window, "送审稿", "2026-12-01")
    before = session.draft.to_json()
    window.versions.list_action.trigger()
    dialog = window.versions.list_dialog
    qtbot.waitUntil(dialog.isVisible)
    assert not dialog.empty_hint.isVisible()
    rows = [
        [dialog.table.item(r, c).text() for c in range(4)] for r in range(dialog.table.rowCount())
    ]
    assert rows == [
        ["征求意见稿", "2026-11-02", "13条", ""],
        ["送审稿", "2026-12-01", "13条", ""],
    ]
    dialog.select("征求意见稿")
    # 查看: the version's text, read-only
    dialog.view_button.click()
    [text_view] = window.versions.text_views
    assert (
        text_view.isReadOnly()
        and text_view.windowTitle() == "版本：征求意见稿（2026-11-02）（只读）"
    )
    assert NEW_ARTICLE not in text_view.toPlainText()
    assert "第七条 市和区（市）县智慧蓉城" in text_view.toPlainText()
    # 恢复为当前文本, after a question; undone with the window's 撤销
    shown = click("恢复", "restoreVersionDialog")
    dialog.restore_button.click()
    assert shown == ["把“征求意见稿”的条文恢复为当前文本吗？"]
    assert NEW_ARTICLE not in session.draft.article_by_number(2).text()
    assert [v.name for v in session.draft.versions] == ["征求意见稿", "送审稿"]
    assert window.actions.undo.text().startswith("撤销(&U)：恢复为“征求意见稿”")
    window.actions.undo.trigger()
    assert session.draft.to_json() == before
    window.actions.redo.trigger()
    assert session.draft.statute.article_count == 13
    window.actions.undo.trigger()
    # undoing 标记版本 takes the version off the open list, redoing puts it back
    window.actions.undo.trigger()
    assert dialog.table.rowCount() == 1 and dialog.selected_name() == "征求意见稿"
    window.actions.redo.trigger()
    assert dialog.table.rowCount() == 2
    # 与当前文本比较
    dialog.select("征求意见稿")
    dialog.compare_button.click()
    view = window.versions.revision_view
    qtbot.waitUntil(view.isVisible)
    assert view.old_box.currentText() == "征求意见稿"
    assert "第二条" in view.browser.toPlainText()


def test_views_close_with_the_draft(window, qtbot, tmp_path: Path):
    open_draft(window, consultation_draft(window.library))
    _mark(window, "征求意见稿")
    window.versions.compare_action.trigger()
    view = window.versions.revision_view
    qtbot.waitUntil(view.isVisible)
    window.set_session(None)
    assert not view.isVisible()
    assert not any(a.isEnabled() for a in _menu(window).actions())
