"""The session's QUndoStack drives the core's exact undo and redo."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from drafter.draft import operations
from drafter.draft.document import Draft
from drafter.draft.project_file import load_project
from drafter.gui.session import DraftSession


@pytest.fixture
def session(qtbot):
    draft = Draft(title="某市智慧城市促进条例", city="某市")
    session = DraftSession(draft)
    yield session
    session.close()


def test_structural_edits_are_one_step_each_and_undo_exactly(session):
    seen = []
    session.changed.connect(seen.append)
    chapter = session.apply(operations.add_chapter, "总则").inserted[0]
    first = session.apply(operations.insert_article, chapter, "为了促进智慧城市建设。").inserted[0]
    session.apply(operations.insert_article, chapter, "本市行政区域内适用本条例。", index=0)
    assert [a.number for a in session.draft.articles()] == [1, 2]
    assert session.draft.articles().__next__().paragraphs[0].text == "本市行政区域内适用本条例。"
    assert len(seen) == 3  # one notification per operation, not two
    session.undo_stack.undo()
    assert [a.uid for a in session.draft.articles()] == [first]
    session.undo_stack.redo()
    assert session.draft.article_by_number(2).uid == first
    assert session.undo_stack.count() == 3


def test_typing_in_one_paragraph_merges_into_one_step(session):
    chapter = session.apply(operations.add_chapter, "总则").inserted[0]
    uid = session.apply(operations.insert_article, chapter, "为了").inserted[0]
    for text in ("为了促", "为了促进", "为了促进智慧城市建设。"):
        session.apply(operations.edit_paragraph, uid, 0, text, merge_key=("text", uid, 0))
    assert session.undo_stack.count() == 3
    session.undo_stack.undo()
    assert session.draft.article_by_number(1).paragraphs[0].text == "为了"
    session.undo_stack.redo()
    assert session.draft.article_by_number(1).paragraphs[0].text == "为了促进智慧城市建设。"


def test_bad_operation_pushes_nothing(session):
    from drafter.errors import DrafterError

    with pytest.raises(DrafterError):
        session.apply(operations.delete_article, "no-such-uid")
    assert session.undo_stack.count() == 0


def test_save_marks_clean_and_locks(session, tmp_path):
    chapter = session.apply(operations.add_chapter, "总则").inserted[0]
    session.apply(operations.insert_article, chapter, "为了促进智慧城市建设。")
    assert session.is_modified
    path = tmp_path / "草案.drafter.json"
    session.save(path)
    assert not session.is_modified and session.path == path
    assert session.lock is not None and path.with_name(path.name + ".lock").exists()
    assert load_project(path).article_by_number(1).paragraphs[0].text == "为了促进智慧城市建设。"
