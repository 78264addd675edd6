"""The editor's 条旨 field suggests a caption where the article has none, marked until accepted.

Driven by keys sent to `QApplication.focusWidget()` of the real window, as in
test_gui_keyboard: Shift+Tab from the 款 box reaches the caption field, Tab there takes the
suggestion, and what is checked is what the drafter sees (the field's text and placeholder,
the 采用 button) and the one undo step.
"""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit

from drafter.draft import operations
from drafter.draft.adoption import Clause, adopt
from drafter.draft.document import Draft
from tests import gui_window_support as support
from tests import test_gui_keyboard as keyboard
from tests.gui_window_support import open_draft

window = support.window  # the fixtures
active = keyboard.active
key, type_keys = keyboard.key, keyboard.type_keys

SHIFT = Qt.KeyboardModifier.ShiftModifier
DUTY = "市人民政府应当建立公共数据共享协调机制，统筹解决公共数据共享中的重大问题。"


def draft_with(window, text: str, caption: str = "") -> Draft:
    draft = Draft.with_chapters("某市公共数据条例", "某市", ["总则"])
    operations.insert_article(draft, draft.chapters[0].uid, text, caption=caption)
    draft.modified = False
    open_draft(window, draft)
    return draft


def caption_field() -> QLineEdit:
    """Shift+Tab from the 款 box the opened draft has the caret in."""
    key(Qt.Key.Key_Backtab, SHIFT)
    field = QApplication.focusWidget()
    assert isinstance(field, QLineEdit) and field.objectName() == "captionEdit"
    return field


def test_an_empty_caption_shows_the_suggestion_and_tab_accepts_it_as_one_undo_step(active):
    draft = draft_with(active, DUTY)
    field = caption_field()
    button = active.editor.adopt_caption_button
    assert field.text() == ""
    assert field.placeholderText() == "建议：公共数据共享协调机制（按 Tab 或点“采用”）"
    assert button.isVisible()
    stack = active.session.undo_stack
    steps = stack.count()
    key(Qt.Key.Key_Tab)
    article = next(draft.articles())
    assert article.caption == "公共数据共享协调机制"
    assert field.text() == "公共数据共享协调机制" and QApplication.focusWidget() is field
    assert not button.isVisible()
    assert stack.count() == steps + 1
    # Once accepted it is an ordinary caption: Tab moves on to the 款 box.
    key(Qt.Key.Key_Tab)
    assert QApplication.focusWidget() in active.editor.paragraph_edits
    stack.undo()
    assert next(active.session.draft.articles()).caption == ""
    assert field.text() == "" and button.isVisible()


def test_the_button_accepts_and_typing_replaces_the_suggestion(active, qtbot):
    draft = draft_with(active, DUTY)
    field = caption_field()
    type_keys("数据共享")
    assert next(draft.articles()).caption == "数据共享"
    assert not active.editor.adopt_caption_button.isVisible()
    assert field.placeholderText().startswith("条旨")
    # Clearing the field brings the suggestion back; the button then takes it.
    field.selectAll()
    key(Qt.Key.Key_Delete)
    assert next(draft.articles()).caption == ""
    assert active.editor.adopt_caption_button.isVisible()
    qtbot.mouseClick(active.editor.adopt_caption_button, Qt.MouseButton.LeftButton)
    assert next(draft.articles()).caption == "公共数据共享协调机制"
    assert field.text() == "公共数据共享协调机制"


def test_an_article_with_a_caption_shows_no_suggestion(active):
    draft_with(active, DUTY, caption="共享协调")
    field = caption_field()
    assert field.text() == "共享协调"
    assert not active.editor.adopt_caption_button.isVisible()


def test_an_adopted_article_suggests_its_sources_caption_and_follows_the_text(active):
    draft = Draft.with_chapters("某市智慧城市促进条例", "某市", ["总则"])
    chengdu = active.library.get("chengdu")
    source = chengdu.statute.article(9)
    clause = Clause("chengdu", chengdu.city, 9, 0, source.text())
    adopt(draft, clause, "article", chapter_uid=draft.chapters[0].uid)
    operations.insert_article(draft, draft.chapters[0].uid, "本条例自2026年1月1日起施行。")
    draft.modified = False
    open_draft(active, draft)
    assert active.editor.caption_suggestion == "城市物联感知体系"
    active.outline.select_uid(draft.article_by_number(2).uid)
    QApplication.processEvents()
    assert active.editor.caption_suggestion == "施行日期"
    # The suggestion follows what is typed in the 款.
    key(Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)  # the caret is in the 款 box
    type_keys("违反本条例规定的，依法处理。")
    assert active.editor.caption_suggestion == "法律责任"
