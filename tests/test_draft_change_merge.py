"""Merging two changes (typing) undoes and redoes as one step."""

from __future__ import annotations

from drafter.draft import changes, operations
from drafter.draft.document import Draft


def _draft() -> Draft:
    draft = Draft(title="某市智慧城市促进条例", city="某市")
    chapter = operations.add_chapter(draft, "总则").inserted[0]
    operations.insert_article(draft, chapter, "为了促进智慧城市建设。")
    return draft


def test_merged_typing_undoes_to_the_start_and_redoes_to_the_end():
    draft = _draft()
    uid = next(draft.articles()).uid
    start = draft.statute.to_json()
    first = operations.edit_paragraph(draft, uid, 0, "为了促进智慧城市建设，")
    second = operations.edit_paragraph(draft, uid, 0, "为了促进智慧城市建设，制定本条例。")
    end = draft.statute.to_json()
    merged = changes.merge(first, second)
    changes.undo(draft, merged)
    assert draft.statute.to_json() == start
    changes.redo(draft, merged)
    assert draft.statute.to_json() == end
    assert merged.modified == [uid]
