"""The menus as a Word/WPS user expects them: Chinese shortcut labels, Ctrl+Y, 撤销/重做 naming
the step, 剪切/复制/粘贴/全选 on the focused text box, 快捷键一览 and 使用说明."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QMenu

import drafter
from drafter.draft import operations
from drafter.gui.help_dialogs import EDITOR_KEYS
from drafter.gui.key_labels import key_label, plain_name
from tests import gui_window_support as support
from tests.gui_window_support import open_draft, sample_draft, type_text

window = support.window  # the fixture


def menu_actions(window) -> list[QAction]:
    found = []
    for top in window.menuBar().actions():
        found += [a for a in top.menu().actions() if not a.isSeparator()]
    return found


def focus(qtbot, widget) -> None:
    widget.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget)


@pytest.mark.parametrize(
    ("keys", "label"),
    [
        ("Alt+Shift+Up", "Alt+Shift+↑"),
        ("Alt+Shift+Down", "Alt+Shift+↓"),
        ("Ctrl+Return", "Ctrl+回车"),
        ("Ctrl+Shift+Return", "Ctrl+Shift+回车"),
        ("Shift+F3", "Shift+F3"),
        ("Ctrl+Shift+Del", "Ctrl+Shift+Del"),
        ("Ctrl+K, Ctrl+C", "Ctrl+K，Ctrl+C"),
    ],
)
def test_key_labels_read_as_in_word(keys, label):
    assert key_label(QKeySequence(keys)) == label


def test_every_menu_entry_shows_its_shortcut_in_chinese(window):
    labelled = 0
    for action in menu_actions(window):
        name, _, shown = action.text().partition("\t")
        assert "方向" not in action.text()
        if action.shortcut().isEmpty():
            assert not shown, name
        else:
            # QMenu draws the part after the tab in place of Qt's half-translated label.
            assert shown == key_label(action.shortcut()), name
            labelled += 1
    assert labelled >= 15
    assert window.actions.move_up.text() == "上移(&U)\tAlt+Shift+↑"


def test_redo_answers_ctrl_y_and_ctrl_shift_z(window, qtbot):
    redo = window.actions.redo
    shortcuts = [s.toString() for s in redo.shortcuts()]
    assert shortcuts[0] == "Ctrl+Y" and "Ctrl+Shift+Z" in shortcuts
    assert len(shortcuts) == len(set(shortcuts))
    assert redo.text().endswith("\tCtrl+Y")

    session = open_draft(window, sample_draft())
    window.activateWindow()
    qtbot.waitUntil(lambda: window.isActiveWindow())
    first = session.draft.article_by_number(1).uid
    session.apply(operations.set_caption, first, "目的")
    session.apply(operations.set_caption, first, "宗旨")
    focus(qtbot, window.outline)  # not a text box: the keys reach the window's actions
    QTest.keyClick(window.outline, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClick(window.outline, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert session.draft.article(first).caption == "立法目的"
    QTest.keyClick(window.outline, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert session.draft.article(first).caption == "目的"
    modifiers = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    QTest.keyClick(window.outline, Qt.Key.Key_Z, modifiers)
    assert session.draft.article(first).caption == "宗旨"


def test_undo_and_redo_entries_name_the_step_and_follow_the_stack(window):
    undo, redo = window.actions.undo, window.actions.redo
    assert (undo.isEnabled(), redo.isEnabled()) == (False, False)  # no draft open
    assert (undo.text(), redo.text()) == ("撤销(&U)\tCtrl+Z", "重做(&R)\tCtrl+Y")

    session = open_draft(window, sample_draft())
    assert not undo.isEnabled() and not redo.isEnabled()
    session.apply(operations.insert_article, session.draft.chapters[0].uid, "新的一条。")
    assert undo.isEnabled() and not redo.isEnabled()
    assert undo.text() == "撤销(&U)：插入第四条\tCtrl+Z"
    undo.trigger()
    assert not undo.isEnabled() and redo.isEnabled()
    assert (undo.text(), redo.text()) == ("撤销(&U)\tCtrl+Z", "重做(&R)：插入第四条\tCtrl+Y")
    redo.trigger()
    assert len(list(session.draft.articles())) == 5
    long_title = "关于数字经济和智慧城市建设促进的若干规定与保障措施"
    session.apply(operations.add_chapter, long_title)
    shown = undo.text().split("\t")[0]
    assert shown.startswith("撤销(&U)：添加一章：") and shown.endswith("…")
    window.set_session(None)
    assert not undo.isEnabled() and undo.text() == "撤销(&U)\tCtrl+Z"


def test_clipboard_entries_act_on_the_focused_text_box(window, qtbot):
    actions = window.actions
    session = open_draft(window, sample_draft())
    window.activateWindow()
    window.outline.select_uid(session.draft.article_by_number(2).uid)
    caption = window.editor.caption_edit
    type_text(caption, "适用范围")
    focus(qtbot, caption)
    actions.focus_edit.refresh()  # as the 编辑 menu does when it opens
    assert actions.select_all.isEnabled() and not actions.copy.isEnabled()

    actions.select_all.trigger()
    assert caption.selectedText() == "适用范围"
    actions.focus_edit.refresh()
    assert actions.copy.isEnabled() and actions.cut.isEnabled()
    actions.copy.trigger()
    assert QApplication.clipboard().text() == "适用范围"

    paragraph = window.editor.paragraph_edits[0]
    focus(qtbot, paragraph)
    paragraph.moveCursor(paragraph.textCursor().MoveOperation.End)
    actions.focus_edit.refresh()
    assert actions.paste.isEnabled() and not actions.cut.isEnabled()
    actions.paste.trigger()
    qtbot.waitUntil(
        lambda: session.draft.article_by_number(2).paragraphs[0].text.endswith("适用范围")
    )

    # A widget without text: the entries are off, and triggering them anyway does nothing.
    focus(qtbot, window.outline)
    actions.focus_edit.refresh()
    assert not any(a.isEnabled() for a in (actions.cut, actions.copy, actions.paste))
    actions.paste.trigger()
    assert session.draft.article_by_number(2).paragraphs[0].text.count("适用范围") == 1


def test_clipboard_entries_survive_the_text_box_being_deleted(window, qtbot):
    actions = window.actions
    session = open_draft(window, sample_draft())
    window.activateWindow()
    window.outline.select_uid(session.draft.article_by_number(1).uid)
    focus(qtbot, window.editor.paragraph_edits[0])
    old = window.editor.paragraph_edits[0]
    window.set_session(None)  # the editor's boxes go away
    old.deleteLater()
    QApplication.processEvents()
    for action in (actions.cut, actions.copy, actions.paste, actions.select_all):
        action.trigger()
    actions.focus_edit.refresh()
    assert not actions.select_all.isEnabled()


def test_edit_menu_refreshes_as_it_opens(window, qtbot):
    open_draft(window, sample_draft())
    window.activateWindow()
    caption = window.editor.caption_edit
    type_text(caption, "目的")
    focus(qtbot, caption)
    caption.selectAll()
    edit_menu = next(
        a.menu() for a in window.menuBar().actions() if a.menu().title().startswith("编辑")
    )
    window.actions.copy.setEnabled(False)
    edit_menu.aboutToShow.emit()
    assert window.actions.copy.isEnabled()


def test_shortcuts_dialog_lists_every_shortcut_of_the_menus(window):
    window.actions.shortcuts_help.trigger()
    dialog = window.findChild(QDialog, "shortcutsDialog")
    assert dialog is not None and dialog.isVisible()
    entries = dialog.entries()
    expected = [
        (plain_name(a), " 或 ".join(key_label(s) for s in a.shortcuts()))
        for a in menu_actions(window)
        if a.shortcuts()
    ]
    assert entries[: len(expected)] == expected
    assert entries[len(expected) :] == [(name, keys) for name, keys in EDITOR_KEYS]
    assert ("重做", "Ctrl+Y 或 Ctrl+Shift+Z") in entries
    assert ("上移", "Alt+Shift+↑") in entries and ("另存为", "Ctrl+Shift+S") in entries
    assert not any("方向" in keys or "&" in name for name, keys in entries)
    window.actions.shortcuts_help.trigger()  # a second time: the same window comes up
    assert len(window.findChildren(QDialog, "shortcutsDialog")) == 1
    dialog.close()


def test_manual_walks_through_a_draft_with_the_real_keys(window):
    window.actions.manual.trigger()
    dialog = window.findChild(QDialog, "manualDialog")
    text = dialog.browser.toPlainText()
    steps = ["新建草案", "目录", "条文建议", "替换本款", "追加为新款", "检查", "导出 Word 文档"]
    positions = [text.index(step) for step in steps]
    assert positions == sorted(positions)
    assert key_label(window.actions.insert_article_after.shortcut()) in text
    assert f"（{key_label(window.actions.export.shortcut())}）" in text
    dialog.close()


def test_help_menu_holds_the_help(window):
    help_menu = window.menuBar().actions()[-1].menu()
    assert isinstance(help_menu, QMenu)
    names = [plain_name(a) for a in help_menu.actions() if not a.isSeparator()]
    assert names == ["快捷键一览", "使用说明", "关于"]


def test_the_outline_has_one_name():
    """The dock says 目录; no user-visible string calls it 大纲."""
    package = Path(drafter.__file__).parent
    offenders = [
        f"{path.relative_to(package)}:{number}"
        for path in package.rglob("*.py")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"[\"'].*大纲", line)
    ]
    assert offenders == []
