"""Typing captures only the article typed in (`apply_change(scope=…)`), and the change it
describes is the one a whole-draft capture gives: same parts, same undo and redo."""

from __future__ import annotations

import copy

import pytest

from drafter.draft import changes, operations
from drafter.draft.changes import apply_change
from drafter.draft.document import Draft
from drafter.draft.source_links import SourceLink

CITING = "违反本条例第一条规定的，责令改正。"


def _draft() -> Draft:
    draft = Draft.with_chapters("某市智慧城市促进条例", "某市", ["总则", "附则"])
    first, second = draft.chapters[0].uid, draft.chapters[1].uid
    operations.insert_article(draft, first, "为了促进智慧城市建设，制定本条例。", caption="目的")
    operations.insert_article(draft, first, CITING)
    operations.insert_article(draft, second, "本条例自公布之日起施行。")
    article = next(draft.articles())
    draft.provenance[article.uid] = [
        SourceLink("haikou", 1, 0, "为了促进智慧城市建设，制定本条例。", similarity=100.0)
    ]
    return draft


def _edit(draft: Draft, scope: set[str] | None) -> changes.Change:
    uid = next(draft.articles()).uid

    def body() -> str:
        draft.article(uid).paragraphs[0].text = "为了促进数字城市建设，制定本条例。"
        return "修改"

    return apply_change(draft, "edit_paragraph", body, scope=scope)


def test_a_scoped_change_is_the_whole_drafts_change():
    whole = _draft()
    scoped = copy.deepcopy(whole)
    start = copy.deepcopy(whole).to_json()
    uid = next(scoped.articles()).uid
    full = _edit(whole, None)
    narrow = _edit(scoped, {uid})
    assert narrow.before == full.before and narrow.after == full.after
    assert narrow.modified == full.modified == [uid]
    # The source was measured again within the scope as without it.
    assert scoped.provenance[uid][0].similarity == whole.provenance[uid][0].similarity < 100
    changes.undo(scoped, narrow)
    assert scoped.to_json()["chapters"] == start["chapters"]
    changes.redo(scoped, narrow)
    assert scoped.to_json()["chapters"] == whole.to_json()["chapters"]


def test_typing_in_operations_uses_a_scope_and_keeps_citations_bound():
    draft = _draft()
    second = draft.article_by_number(2)
    change = operations.edit_paragraph(draft, second.uid, 0, "有关单位" + CITING)
    assert change.modified == [second.uid] and list(change.before.articles) == [second.uid]
    operations.insert_article(draft, draft.chapters[0].uid, "新的一条。", index=0)
    assert second.paragraphs[0].text == "有关单位违反本条例第二条规定的，责令改正。"


def test_a_scope_refuses_a_change_of_numbering_and_puts_the_draft_back():
    draft = _draft()
    before = draft.to_json()["chapters"]
    first = draft.chapters[0]

    def body() -> str:
        first.articles.reverse()  # not what a text edit can do
        return "移动"

    with pytest.raises(AssertionError, match="renumbered"):
        apply_change(draft, "edit_paragraph", body, scope={first.articles[0].uid})
    assert draft.to_json()["chapters"] == before
