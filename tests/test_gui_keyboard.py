"""The drafting window driven as a person drives it: keys go to whatever has keyboard focus.

No test here picks a widget by name to type into. Each key is sent to
`QApplication.focusWidget()` of the real, shown and active main window, and each check is
of what the drafter sees: the text of the focused box, the caret, the height of every 款
box against its laid-out text. Offscreen tests used to type into a named widget and check
the model, and passed while text typed after 在后面插入条 went nowhere in a real window.
"""

from __future__ import annotations

import gc

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit, QWidget

from drafter.draft import operations
from drafter.draft.document import Draft
from drafter.gui.paragraph_edit import ParagraphEdit
from drafter.gui.prompts import DISCARD
from tests import gui_window_support as support
from tests.gui_window_support import click, open_draft, sample_draft

window = support.window  # the fixture

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
LONG_PARAGRAPH = "县级以上人民政府应当统筹推进数字基础设施建设，" * 14


@pytest.fixture
def active(window, qtbot):
    """The window shown, raised and active, as after a click on its title bar."""
    window.raise_()
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)
    return window


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has keyboard focus: what the drafter types is lost"
    return widget


def key(code: Qt.Key, modifiers: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    QTest.keyClick(focused(), code, modifiers)
    QApplication.processEvents()


def type_keys(text: str) -> None:
    """Chinese as an input method commits it, one character at a time, to the focus."""
    for character in text:
        event = QInputMethodEvent()
        event.setCommitString(character)
        QApplication.sendEvent(focused(), event)
    QApplication.processEvents()


def focused_box(window) -> ParagraphEdit:
    widget = focused()
    assert isinstance(widget, ParagraphEdit), f"focus is on {widget!r}, not a 款 box"
    assert widget in window.editor.paragraph_edits
    return widget


def caret(widget: QWidget) -> int:
    if isinstance(widget, QPlainTextEdit):
        return widget.textCursor().position()
    assert isinstance(widget, QLineEdit)
    return widget.cursorPosition()


def assert_nothing_clipped(window) -> None:
    """Every 款 box is as tall as its laid-out text: no line hidden, no inner scrolling."""
    for box in window.editor.paragraph_edits:
        needed = box.content_height()
        assert box.height() >= needed, (box.index, box.height(), needed)
        assert box.verticalScrollBar().maximum() == 0, box.index
        last = box.document().lastBlock()
        bottom = box.blockBoundingGeometry(last).translated(box.contentOffset()).bottom()
        assert bottom <= box.viewport().height() + 0.5, (bottom, box.viewport().height())


def article_texts(window, number: int) -> list[str]:
    article = window.session.draft.article_by_number(number)
    return [p.text for p in article.paragraphs]


def empty_draft(window) -> Draft:
    draft = Draft.with_chapters("某市智慧城市促进条例", "某市", ["总则"])
    operations.insert_article(draft, draft.chapters[0].uid, "为了促进智慧城市建设，制定本条例。")
    draft.modified = False
    open_draft(window, draft)
    return draft


# -- opening and inserting -----------------------------------------------------------


def test_an_opened_draft_has_the_caret_in_its_first_paragraph(active):
    open_draft(active, sample_draft())
    box = focused_box(active)
    assert (active.editor.heading.text(), box.index, caret(box)) == ("第一条", 0, 0)
    type_keys("为")
    assert article_texts(active, 1)[0].startswith("为为了")


def test_a_new_skeleton_draft_fills_its_first_chapter_first(active):
    draft = Draft.with_chapters("某市智慧城市促进条例", "某市", ["总则", "附则"])
    open_draft(active, draft)
    assert focused() is active.outline
    key(Qt.Key.Key_Return, CTRL)
    type_keys("为了促进智慧城市建设，制定本条例。")
    assert [len(c.articles) for c in draft.chapters] == [1, 0]
    assert draft.chapters[0].articles[0].paragraphs[0].text == "为了促进智慧城市建设，制定本条例。"


def test_insert_article_then_type(active):
    empty_draft(active)
    key(Qt.Key.Key_Return, CTRL)  # 在后面插入条
    box = focused_box(active)
    assert active.editor.heading.text() == "第二条"
    type_keys("本条例适用于本市。")
    assert article_texts(active, 2) == ["本条例适用于本市。"]
    assert box.toPlainText() == "本条例适用于本市。" and caret(box) == 9


def test_insert_chapter_then_type_its_title(active):
    draft = empty_draft(active)
    key(Qt.Key.Key_Return, CTRL | SHIFT)  # 在后面插入章
    title = focused()
    assert title is active.editor.chapter_title_edit and title.selectedText() == "新的一章"
    type_keys("数据资源")
    assert [c.title for c in draft.chapters] == ["总则", "数据资源"]
    key(Qt.Key.Key_Return, CTRL)  # and an article into the new chapter
    type_keys("市人民政府应当加强数据资源管理。")
    assert draft.chapters[1].articles[0].paragraphs[0].text == "市人民政府应当加强数据资源管理。"


# -- 款 and 项 -------------------------------------------------------------------------


def test_enter_at_the_end_starts_a_new_paragraph_to_type_into(active):
    empty_draft(active)
    key(Qt.Key.Key_End)
    key(Qt.Key.Key_Return)
    box = focused_box(active)
    assert (box.index, caret(box)) == (1, 0)
    type_keys("本条例自公布之日起施行。")
    assert article_texts(active, 1) == [
        "为了促进智慧城市建设，制定本条例。",
        "本条例自公布之日起施行。",
    ]


def test_enter_in_the_middle_splits_and_the_caret_starts_the_second_part(active):
    empty_draft(active)
    for _ in range(11):
        key(Qt.Key.Key_Right)  # after 为了促进智慧城市建设，
    key(Qt.Key.Key_Return)
    box = focused_box(active)
    assert (box.index, caret(box)) == (1, 0)
    type_keys("并")
    assert article_texts(active, 1) == ["为了促进智慧城市建设，", "并制定本条例。"]


def test_backspace_at_the_start_merges_and_typing_continues_at_the_join(active):
    draft = empty_draft(active)
    uid = draft.article_by_number(1).uid
    active.session.apply(operations.insert_paragraph, uid, 1, "本条例自公布之日起施行。")
    active.editor.focus_paragraph(1, 0)
    key(Qt.Key.Key_Backspace)
    box = focused_box(active)
    assert (box.index, caret(box)) == (0, len("为了促进智慧城市建设，制定本条例。"))
    type_keys("另")
    assert article_texts(active, 1) == [
        "为了促进智慧城市建设，制定本条例。另本条例自公布之日起施行。"
    ]


def test_shift_enter_adds_an_item_and_the_box_grows(active):
    empty_draft(active)
    box = focused_box(active)
    one_line = box.height()
    key(Qt.Key.Key_End)
    key(Qt.Key.Key_Return, SHIFT)
    type_keys("建设数字政府")
    key(Qt.Key.Key_Return)  # Enter on a 项 line: the next 项
    type_keys("发展数字经济")
    article = active.session.draft.article_by_number(1)
    assert article.paragraphs[0].items == ["建设数字政府", "发展数字经济"]
    assert focused() is box and box.height() > 2 * one_line
    assert_nothing_clipped(active)


def test_a_long_paragraph_is_never_cut_off(active):
    draft = empty_draft(active)
    uid = draft.article_by_number(1).uid
    active.session.apply(operations.insert_paragraph, uid, 1, LONG_PARAGRAPH)
    assert_nothing_clipped(active)
    active.editor.focus_paragraph(1, len(LONG_PARAGRAPH))
    before = focused_box(active).height()
    type_keys("依法保障数据安全。" * 6)  # typing alone must grow the box
    assert focused_box(active).height() > before
    assert_nothing_clipped(active)
    active.resize(900, 700)  # narrower: more lines
    QApplication.processEvents()
    assert_nothing_clipped(active)


# -- undo and redo -------------------------------------------------------------------


def test_ctrl_z_in_a_box_undoes_through_the_draft_stack(active):
    empty_draft(active)
    stack = active.session.undo_stack
    key(Qt.Key.Key_End)
    type_keys("本条例")
    steps = stack.count()
    key(Qt.Key.Key_Z, CTRL)
    assert stack.count() == steps and stack.index() == steps - 1  # undone, nothing pushed
    box = focused_box(active)
    assert box.toPlainText() == "为了促进智慧城市建设，制定本条例。"
    assert caret(box) == len(box.toPlainText())
    key(Qt.Key.Key_Y, CTRL)  # Word's redo
    assert focused_box(active).toPlainText().endswith("本条例。本条例")
    key(Qt.Key.Key_Z, CTRL)
    key(Qt.Key.Key_Z, CTRL | SHIFT)  # the platform's redo
    assert article_texts(active, 1) == ["为了促进智慧城市建设，制定本条例。本条例"]
    type_keys("。")
    assert article_texts(active, 1)[0].endswith("本条例。")


def test_undo_and_redo_of_a_split_keep_the_caret_at_the_split(active):
    empty_draft(active)
    for _ in range(11):
        key(Qt.Key.Key_Right)
    key(Qt.Key.Key_Return)
    key(Qt.Key.Key_Z, CTRL)
    box = focused_box(active)
    assert (box.index, caret(box), len(active.editor.paragraph_edits)) == (0, 11, 1)
    key(Qt.Key.Key_Y, CTRL)
    box = focused_box(active)
    assert (box.index, caret(box), len(active.editor.paragraph_edits)) == (1, 0, 2)
    type_keys("并")
    assert article_texts(active, 1) == ["为了促进智慧城市建设，", "并制定本条例。"]


def test_undo_of_an_inserted_article_returns_to_the_neighbour_and_redo_to_it(active):
    empty_draft(active)
    key(Qt.Key.Key_Return, CTRL)
    type_keys("新")
    key(Qt.Key.Key_Z, CTRL)  # the typing
    key(Qt.Key.Key_Z, CTRL)  # the insertion
    assert len(list(active.session.draft.articles())) == 1
    box = focused_box(active)
    assert active.editor.heading.text() == "第一条"
    key(Qt.Key.Key_Y, CTRL)
    box = focused_box(active)
    assert active.editor.heading.text() == "第二条" and box.toPlainText() == ""
    type_keys("又")
    assert article_texts(active, 2) == ["又"]


def test_undo_from_the_outline_goes_to_the_stack_and_into_the_text(active):
    draft = empty_draft(active)
    key(Qt.Key.Key_End)
    type_keys("好")
    active.outline.setFocus()
    key(Qt.Key.Key_Z, CTRL)
    assert draft.article_by_number(1).paragraphs[0].text == "为了促进智慧城市建设，制定本条例。"
    box = focused_box(active)
    assert caret(box) == len(box.toPlainText())


def test_the_edit_menu_names_what_the_keys_undo(active):
    empty_draft(active)
    undo, redo = active.actions.undo, active.actions.redo
    assert not undo.isEnabled()
    key(Qt.Key.Key_Return, CTRL)
    assert undo.isEnabled() and "插入" in undo.text()
    key(Qt.Key.Key_Z, CTRL)
    assert not undo.isEnabled() and redo.isEnabled() and "插入" in redo.text()


# -- adopting a suggestion -----------------------------------------------------------


def _suggestions_for(active, qtbot, text: str):
    panel = active.panels.suggestions
    qtbot.waitUntil(lambda: panel.engine_ready, timeout=30000)
    type_keys(text)
    qtbot.waitUntil(lambda: bool(panel.suggestions), timeout=15000)
    return panel


@pytest.mark.parametrize("mode", ["new_article", "replace", "append"])
def test_adopting_a_suggestion_then_typing_lands_in_the_adopted_text(active, qtbot, mode):
    draft = Draft.with_chapters("某市智慧城市促进条例", "某市", ["总则"])
    operations.insert_article(draft, draft.chapters[0].uid, "")
    draft.modified = False
    open_draft(active, draft)
    panel = _suggestions_for(
        active, qtbot, "公共机构、公共场所、公共设施应当开放用于信息基础设施建设"
    )
    first = panel.suggestions[0]
    panel.results_view.setFocus()  # a click on the link moves the focus to the panel
    panel.results_view.anchorClicked.emit(QUrl(f"adopt:{mode}:0"))
    QApplication.processEvents()
    box = focused_box(active)
    assert caret(box) == len(box.toPlainText())  # after the adopted text, as after a paste
    assert first.text.replace("\n", "")[:10] in box.toPlainText().replace("\n", "")
    assert_nothing_clipped(active)  # the adopted clause shows whole, as typed text does
    type_keys("（试行）")
    assert box.toPlainText().endswith("（试行）")
    where = active.session.draft.article(active.editor.article_uid)
    assert where.paragraphs[box.index].full_text().endswith("（试行）") or where.paragraphs[
        box.index
    ].text.endswith("（试行）")


# -- moving and quitting -------------------------------------------------------------


def test_moving_an_article_updates_the_heading(active):
    open_draft(active, sample_draft())
    active.outline.select_uid(active.session.draft.article_by_number(2).uid)
    active.editor.focus_paragraph(0)
    key(Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier | SHIFT)
    assert active.editor.heading.text() == "第一条"
    assert focused_box(active).toPlainText().startswith("本条例适用于")
    key(Qt.Key.Key_Z, CTRL)  # the moved article stays current, back at its number
    assert active.editor.heading.text() == "第二条"
    assert focused_box(active).toPlainText().startswith("本条例适用于")
    type_keys("第")
    assert article_texts(active, 2)[0].startswith("第本条例适用于")


def test_quitting_without_saving_prints_no_traceback(qtbot, tmp_path, capfd):
    from drafter.gui.app import create_application
    from drafter.gui.main_window import MainWindow
    from drafter.library import ReferenceLibrary

    create_application()
    main = MainWindow(ReferenceLibrary())
    main.show()
    qtbot.waitUntil(lambda: len(main.references) == 5, timeout=15000)
    open_draft(main, sample_draft())
    main.editor.focus_paragraph(0)
    type_keys("改")
    click(DISCARD, "unsavedDialog")
    assert main.close()
    main.deleteLater()
    QApplication.processEvents()
    gc.collect()
    QApplication.processEvents()
    err = capfd.readouterr().err
    assert "Traceback" not in err and "RuntimeError" not in err, err
