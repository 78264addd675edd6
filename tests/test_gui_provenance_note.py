"""The 说明 box of the provenance panel: typing sets the article's note as one undo step,
undo and redo show in the box, and each article shows its own note (offscreen)."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt

from drafter.draft import operations
from drafter.draft.document import Draft
from drafter.gui.provenance_panel import ProvenancePanel
from drafter.gui.session import DraftSession


@pytest.fixture
def session(qtbot):
    session = DraftSession(Draft(title="某市智慧城市促进条例", city="某市"))
    chapter = session.apply(operations.add_chapter, "总则").inserted[0]
    for text in ("为了促进智慧城市建设，制定本条例。", "本条例适用于本市行政区域。"):
        session.apply(operations.insert_article, chapter, text)
    yield session
    session.close()


@pytest.fixture
def panel(qtbot, session):
    panel = ProvenancePanel(lambda: None)
    qtbot.addWidget(panel)
    panel.set_session(session)
    panel.show()
    return panel


def test_typing_a_note_is_one_undo_step_and_undo_redo_show_in_the_box(qtbot, session, panel):
    first, second = (a.uid for a in session.draft.articles())
    panel.show_article(first)
    assert panel.note_edit.isEnabled() and panel.note_edit.toPlainText() == ""
    steps = session.undo_stack.count()
    panel.note_edit.setFocus()
    qtbot.keyClicks(panel.note_edit, "ab")
    panel.note_edit.insertPlainText("借鉴海口市做法")
    qtbot.keyClick(panel.note_edit, Qt.Key.Key_Return)
    panel.note_edit.insertPlainText("第二行")
    assert session.draft.notes == {first: "ab借鉴海口市做法\n第二行"}
    assert session.undo_stack.count() == steps + 1  # merged into one step
    assert panel.note_edit.textCursor().position() == len("ab借鉴海口市做法\n第二行")
    session.undo_stack.undo()
    assert session.draft.notes == {} and panel.note_edit.toPlainText() == ""
    session.undo_stack.redo()
    assert panel.note_edit.toPlainText() == "ab借鉴海口市做法\n第二行"
    panel.show_article(second)
    assert panel.note_edit.toPlainText() == ""
    assert session.undo_stack.count() == steps + 1  # showing a note is not an edit
    panel.note_edit.insertPlainText("新增条文")
    assert session.draft.notes[second] == "新增条文"
    panel.show_article(first)
    assert panel.note_edit.toPlainText() == "ab借鉴海口市做法\n第二行"


def test_an_edit_of_the_text_keeps_the_note_and_a_deleted_article_disables_the_box(
    qtbot, session, panel
):
    uid = next(session.draft.articles()).uid
    panel.show_article(uid)
    panel.note_edit.insertPlainText("理由")
    session.apply(operations.edit_paragraph, uid, 0, "为了促进数字城市建设，制定本条例。")
    assert panel.note_edit.toPlainText() == "理由" and session.draft.notes[uid] == "理由"
    session.apply(operations.delete_article, uid)
    assert not panel.note_edit.isEnabled() and panel.note_edit.toPlainText() == ""
    session.undo_stack.undo()
    panel.show_article(uid)
    assert panel.note_edit.isEnabled() and panel.note_edit.toPlainText() == "理由"
