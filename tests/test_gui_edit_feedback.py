"""Feedback after edits in the real window: the suggestion header follows a move, the status
bar counts rewritten citations, checks select their words and offer their certain fixes."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from drafter.draft import operations
from drafter.draft.checks import SEVERITY_ORDER
from drafter.draft.document import Draft
from tests import gui_window_support as support
from tests.gui_window_support import open_draft, sample_draft

window = support.window  # the fixture


def test_moving_an_article_renames_the_suggestion_header_and_counts_citations(window, qtbot):
    panel = window.panels.suggestions
    session = open_draft(window, sample_draft())  # 第四条 cites 第三条
    third = session.draft.article_by_number(3)
    window.outline.select_uid(third.uid)
    window.editor.focus_paragraph(0)
    qtbot.waitUntil(
        lambda: panel.engine_ready and panel.status_label.text().startswith("与第三条第一款"),
        timeout=20000,
    )
    shown = list(panel.suggestions)
    window.actions.move_up.trigger()  # Alt+Shift+Up: 第三条 becomes 第二条
    assert session.draft.article(third.uid).number == 2
    qtbot.waitUntil(lambda: panel.status_label.text().startswith("与第二条第一款"), timeout=5000)
    assert panel.suggestions == shown  # same words: the header changed, not the results
    assert "已更新 1 处引用" in window.statusBar().currentMessage()
    assert "违反本条例第二条规定" in session.draft.article_by_number(4).text()
    window.actions.undo.trigger()  # back to 第三条, and the header with it once it is current
    assert session.draft.article(third.uid).number == 3
    window.outline.select_uid(third.uid)
    window.editor.focus_paragraph(0)
    qtbot.waitUntil(lambda: panel.status_label.text().startswith("与第三条第一款"), timeout=5000)


def _checks(window, qtbot, text: str):
    panel = window.panels.checks
    draft = Draft.with_chapters("某市智慧城市促进条例", "某市", ["总则"])
    operations.insert_article(draft, draft.chapters[0].uid, "为了促进智慧城市建设，制定本条例。")
    operations.insert_article(draft, draft.chapters[0].uid, text)
    draft.modified = False
    session = open_draft(window, draft)
    qtbot.waitUntil(lambda: bool(panel.results), timeout=10000)
    window.checks_dock.show()
    window.checks_dock.raise_()
    return panel, session


def _row(panel, code: str):
    index = next(i for i, (r, _uid) in enumerate(panel.results) if r.code == code)
    return panel.tree.topLevelItem(index), panel.results[index][0]


def test_checks_are_sorted_and_a_click_selects_the_words(window, qtbot):
    panel, session = _checks(window, qtbot, "依照鹰潭实际,推进海南自由贸易港建设。")
    ranks = [SEVERITY_ORDER[r.severity] for r, _uid in panel.results]
    assert ranks == sorted(ranks) and len(set(ranks)) == 3  # 错误, 警告, 提示
    names = [panel.tree.topLevelItem(i).text(0) for i in range(panel.tree.topLevelItemCount())]
    assert names.index("错误") < names.index("警告") < names.index("提示")
    item, _result = _row(panel, "local_other_city")
    rect = panel.tree.visualItemRect(item)
    QTest.mouseClick(panel.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    target = session.draft.article_by_number(2)
    assert window.editor.article_uid == target.uid
    assert window.editor.paragraph_edits[0].textCursor().selectedText() == "鹰潭"
    item, _result = _row(panel, "local_regional_name")
    panel.tree.itemClicked.emit(item, 2)
    assert window.editor.paragraph_edits[0].textCursor().selectedText() == "海南自由贸易港"


def test_right_click_fixes_what_is_certain_as_one_undo_step(window, qtbot):
    panel, session = _checks(window, qtbot, "依照鹰潭实际,推进海南自由贸易港建设。")
    uid = session.draft.article_by_number(2).uid
    steps = session.undo_stack.index()
    item, _result = _row(panel, "local_regional_name")
    labels = [a.text() for a in panel.menu_for(item).actions()]
    assert not any(label.startswith("修正") for label in labels)  # only the drafter can tell
    item, _result = _row(panel, "local_other_city")
    fix = next(a for a in panel.menu_for(item).actions() if a.text().startswith("修正"))
    assert fix.text() == "修正：将“鹰潭”改为“本市”"
    with qtbot.waitSignal(panel.refreshed, timeout=10000):
        fix.trigger()
    assert session.draft.article(uid).text() == "依照本市实际,推进海南自由贸易港建设。"
    assert session.undo_stack.index() == steps + 1
    assert window.editor.paragraph_edits[0].toPlainText().startswith("依照本市实际")
    assert not any(r.code == "local_other_city" for r, _uid in panel.results)
    item, _result = _row(panel, "half_width_punctuation")
    with qtbot.waitSignal(panel.refreshed, timeout=10000):
        next(a for a in panel.menu_for(item).actions() if a.text().startswith("修正")).trigger()
    assert session.draft.article(uid).text() == "依照本市实际，推进海南自由贸易港建设。"
    window.actions.undo.trigger()
    window.actions.undo.trigger()
    assert session.draft.article(uid).text() == "依照鹰潭实际,推进海南自由贸易港建设。"
    assert session.undo_stack.index() == steps
