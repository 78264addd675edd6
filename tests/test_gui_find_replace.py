"""替换 in the window, as a drafter does it: Ctrl+H from the 款 being typed in, the words
typed into the bar, Enter to show and replace one, 全部替换 for the rest, Ctrl+Z back."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from tests import gui_window_support as support
from tests.gui_window_support import open_draft, sample_draft, type_text

window = support.window  # the fixture


def _key(key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    QTest.keyClick(QApplication.focusWidget(), key, modifier)
    QApplication.processEvents()


def test_replace_one_then_all_then_undo_with_the_keyboard(window, qtbot):
    session = open_draft(window, sample_draft())
    draft = session.draft
    before = [a.text() for a in draft.articles()]
    assert sum(t.count("智慧城市") for t in before) == 3
    window.editor.paragraph_edits[0].setFocus()
    QApplication.processEvents()
    _key(Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    bar = window.find_bar
    assert bar.isVisible() and bar.replace_field.isVisible()
    assert QApplication.focusWidget() is bar.field
    type_text(QApplication.focusWidget(), "智慧城市")
    _key(Qt.Key.Key_Tab)  # on to 替换为, as the drafter reads the bar
    assert QApplication.focusWidget() is bar.replace_field
    type_text(QApplication.focusWidget(), "数字城市")
    _key(Qt.Key.Key_Return)  # shows the first before replacing anything
    assert [a.text() for a in draft.articles()] == before
    assert bar.result_label.text() == "第 1/3 处"
    first = draft.article_by_number(1)
    assert window.editor.article_uid == first.uid
    assert window.editor.paragraph_edits[0].textCursor().selectedText() == "智慧城市"
    _key(Qt.Key.Key_Return)  # replaces it and shows the next
    assert first.text() == before[0].replace("智慧城市", "数字城市")
    assert bar.result_label.text() == "第 1/2 处"
    assert QApplication.focusWidget() is bar.replace_field  # Enter again goes on
    assert window.editor.article_uid == draft.article_by_number(2).uid
    qtbot.mouseClick(bar.replace_all_button, Qt.MouseButton.LeftButton)
    assert bar.result_label.text() == "已替换 2 处"
    after = [a.text() for a in draft.articles()]
    assert after == [t.replace("智慧城市", "数字城市") for t in before]
    # What the drafter sees in the editor is the new text.
    shown = [e.toPlainText() for e in window.editor.paragraph_edits]
    assert shown == [p.text for p in draft.article(window.editor.article_uid).paragraphs]
    assert not any("智慧城市" in text for text in shown)
    window.editor.paragraph_edits[0].setFocus()
    _key(Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # 全部替换 is one step
    assert sum(a.text().count("智慧城市") for a in draft.articles()) == 2
    _key(Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [a.text() for a in draft.articles()] == before


def test_replace_from_the_menu_with_an_empty_replacement_deletes(window):
    session = open_draft(window, sample_draft())
    window.actions.replace.trigger()
    bar = window.find_bar
    bar.field.setText("智慧城市")
    assert bar.replace_all() == 3
    assert not any("智慧城市" in a.text() for a in session.draft.articles())
    assert bar.replace_all() == 0 and bar.result_label.text() == "未找到"
    # 查找 alone hides the 替换为 row again.
    window.actions.find.trigger()
    assert not bar.replace_field.isVisible() and bar.field.isVisible()


def test_a_chapter_title_and_a_caption_are_shown_and_replaced(window):
    from drafter.draft import operations
    from drafter.draft.document import Draft

    draft = Draft.with_chapters("某市数据条例", "某市", ["智慧城市建设"])
    operations.insert_article(draft, draft.chapters[0].uid, "本条例所称数据。", caption="智慧城市")
    session = open_draft(window, draft)
    window.actions.replace.trigger()
    bar = window.find_bar
    bar.field.setText("智慧城市")
    bar.replace_field.setText("数字城市")
    bar.replace_field.setFocus()
    bar.replace_current()  # shows the chapter's title
    editor = window.editor
    assert editor.chapter_uid == draft.chapters[0].uid and not editor.article_uid
    assert editor.chapter_title_edit.selectedText() == "智慧城市"
    bar.replace_current()  # replaces it, shows the 条旨
    assert draft.chapters[0].title == "数字城市建设"
    outline_text = window.outline.model().index(0, 0).data()
    assert outline_text.endswith("数字城市建设"), outline_text
    assert editor.article_uid == draft.article_by_number(1).uid
    assert editor.caption_edit.selectedText() == "智慧城市"
    bar.replace_current()
    assert editor.caption_edit.text() == "数字城市" == session.draft.article_by_number(1).caption
    assert bar.result_label.text() == "已全部替换"
    assert QApplication.focusWidget() is bar.replace_field
