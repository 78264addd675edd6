"""What an operation changed, and how to undo and redo it exactly.

Every mutating call runs inside `apply_change`: the affected state is captured before
and after (meta, chapter layout, and each article with its bindings and provenance),
and the `Change` keeps only the parts that differ. Undo restores the "before" parts,
redo the "after" parts, so uids, bindings and provenance come back exactly as they were
— which is what the GUI's QUndoStack needs (redo must not mint new uids).
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from drafter.draft.crossrefs import CrossRef
from drafter.draft.document import Draft, ExplanationSection
from drafter.draft.source_links import SourceLink
from drafter.statute.model import Article, Chapter


@dataclass
class _Parts:
    meta: dict | None
    layout: list[dict] | None
    articles: dict[str, dict | None]


@dataclass
class Change:
    """A description of what one operation changed (for the GUI to refresh only that)."""

    kind: str
    summary: str  # user-facing, e.g. "插入第五条"
    inserted: list[str] = field(default_factory=list)  # uids of new articles/chapters
    removed: list[str] = field(default_factory=list)  # uids of deleted articles/chapters
    modified: list[str] = field(default_factory=list)  # articles whose content changed
    renumbered: dict[str, tuple[int, int]] = field(default_factory=dict)
    structure_changed: bool = False
    meta_changed: bool = False
    notes: list[str] = field(default_factory=list)  # e.g. localisation flags to review
    # Citations whose text renumbering rewrote (第五条 → 第六条, 前款 → 本条第一款).
    references_updated: int = 0
    before: _Parts | None = field(default=None, repr=False)
    after: _Parts | None = field(default=None, repr=False)

    @property
    def messages(self) -> list[str]:
        """What to tell the drafter after the change: its notes and the rewritten citations."""
        messages = list(self.notes)
        if self.references_updated:
            messages.append(f"已更新 {self.references_updated} 处引用")
        return messages

    @property
    def empty(self) -> bool:
        return not (
            self.inserted
            or self.removed
            or self.modified
            or self.structure_changed
            or self.meta_changed
        )


def _meta(draft: Draft) -> dict:
    return {
        "title": draft.title,
        "city": draft.city,
        "status": draft.status,
        "note": draft.statute.note,
        "explanation": [s.to_json() for s in draft.explanation],
        "basis": list(draft.basis),
    }


def _layout(draft: Draft) -> list[dict]:
    return [
        {
            "uid": c.uid,
            "number": c.number,
            "title": c.title,
            "inferred": c.inferred,
            "articles": [a.uid for a in c.articles],
        }
        for c in draft.chapters
    ]


def _article_state(draft: Draft, article: Article) -> dict:
    return {
        "article": {"uid": article.uid, **article.to_json()},
        "refs": [b.to_json() for b in draft.refs.get(article.uid, [])],
        "provenance": [s.to_json() for s in draft.provenance.get(article.uid, [])],
        "note": draft.notes.get(article.uid, ""),
    }


def _articles_in(draft: Draft, scope: frozenset[str] | None) -> Iterable[Article]:
    """Every article of the draft, or those of `scope` it still has."""
    if scope is None:
        return draft.articles()
    return (draft.article(uid) for uid in scope if draft.has_article(uid))


def _capture(draft: Draft, scope: frozenset[str] | None = None) -> _Parts:
    """The draft's state; with `scope`, only those articles' (and meta and layout)."""
    return _Parts(
        _meta(draft),
        _layout(draft),
        {a.uid: _article_state(draft, a) for a in _articles_in(draft, scope)},
    )


def _diff(before: _Parts, after: _Parts) -> tuple[_Parts, _Parts]:
    uids = set(before.articles) | set(after.articles)
    changed = {u for u in uids if before.articles.get(u) != after.articles.get(u)}
    meta_changed = before.meta != after.meta
    layout_changed = before.layout != after.layout
    return (
        _Parts(
            before.meta if meta_changed else None,
            before.layout if layout_changed else None,
            {u: before.articles.get(u) for u in changed},
        ),
        _Parts(
            after.meta if meta_changed else None,
            after.layout if layout_changed else None,
            {u: after.articles.get(u) for u in changed},
        ),
    )


def _restore(draft: Draft, parts: _Parts) -> None:
    layout = copy.deepcopy(parts.layout) if parts.layout is not None else _layout(draft)
    pool = {a.uid: a for a in draft.articles()}
    for uid, state in parts.articles.items():
        if state is None:
            pool.pop(uid, None)
            draft.refs.pop(uid, None)
            draft.provenance.pop(uid, None)
            draft.notes.pop(uid, None)
            continue
        article = Article.from_json(state["article"])
        pool[uid] = article
        draft.refs[uid] = [CrossRef.from_json(b) for b in state["refs"]]
        draft.provenance[uid] = [SourceLink.from_json(s) for s in state["provenance"]]
        if state.get("note"):
            draft.notes[uid] = state["note"]
        else:
            draft.notes.pop(uid, None)
    if parts.meta is not None:
        draft.title = parts.meta["title"]
        draft.statute.title = draft.title
        draft.city = parts.meta["city"]
        draft.status = parts.meta["status"]
        draft.statute.note = parts.meta["note"]
        draft.explanation = [ExplanationSection.from_json(s) for s in parts.meta["explanation"]]
        draft.basis = list(parts.meta.get("basis", []))
    draft.statute.chapters = [
        Chapter(
            number=c["number"],
            title=c["title"],
            inferred=c["inferred"],
            uid=c["uid"],
            articles=[pool[u] for u in c["articles"]],
        )
        for c in layout
    ]


def _recompute_provenance(
    draft: Draft, before: _Parts, scope: frozenset[str] | None = None
) -> None:
    """Re-measure the links of every article whose text changed (edits, renumbered citations)."""
    from drafter.draft.provenance import recompute_article

    for article in _articles_in(draft, scope):
        if not draft.provenance.get(article.uid):
            continue
        old = before.articles.get(article.uid)
        if old is None or old["article"]["paragraphs"] != [p.to_json() for p in article.paragraphs]:
            recompute_article(draft, article)


def _number_of(parts: _Parts, uid: str) -> int:
    state = parts.articles.get(uid)
    if state is not None:
        return state["article"]["number"]
    return next(c["number"] for c in parts.layout or [] if c["uid"] == uid)


def apply_change(
    draft: Draft, kind: str, body: Callable[[], str], scope: set[str] | None = None
) -> Change:
    """Run `body` (which mutates the draft and returns a summary), renumber, re-measure provenance
    of changed articles, and describe the change.

    `scope`: the only articles `body` can change, for the edits that change one article's
    text and not the numbering (typing). Only those are captured before and after: the
    whole draft, twice a keystroke, was half of a keystroke's time in a 250-article
    draft. A change of numbering under a scope is a programming error, and is refused.

    If `body` raises, the draft is put back as it was and the error propagates.
    """
    only = frozenset(scope) if scope is not None else None
    numbers = {a.uid: a.number for a in draft.articles()} if only is not None else {}
    before = _capture(draft, only)
    rewritten = draft.references_rewritten
    try:
        summary = body()
        draft.renumber()
        if only is not None and {a.uid: a.number for a in draft.articles()} != numbers:
            raise AssertionError(f"{kind} renumbered the draft under a scope")
        _recompute_provenance(draft, before, only)
    except BaseException:
        _restore(draft, before)
        if only is not None:  # the articles outside the scope take their numbers back
            draft.renumber()
        raise
    after = _capture(draft, only)
    before_parts, after_parts = _diff(before, after)
    old_ids = set(before.articles) | {c["uid"] for c in before.layout or []}
    new_ids = set(after.articles) | {c["uid"] for c in after.layout or []}
    draft.modified = True
    renumbered = {
        uid: (_number_of(before, uid), _number_of(after, uid))
        for uid in (set(before.articles) & set(after.articles))
        | ({c["uid"] for c in before.layout or []} & {c["uid"] for c in after.layout or []})
        if _number_of(before, uid) != _number_of(after, uid)
    }
    return Change(
        kind=kind,
        summary=summary,
        inserted=sorted(new_ids - old_ids),
        removed=sorted(old_ids - new_ids),
        modified=sorted(u for u in after_parts.articles if u in old_ids and u in new_ids),
        renumbered=renumbered,
        structure_changed=after_parts.layout is not None,
        meta_changed=after_parts.meta is not None,
        references_updated=draft.references_rewritten - rewritten,
        before=before_parts,
        after=after_parts,
    )


def undo(draft: Draft, change: Change) -> None:
    """Put the draft back exactly as it was before `change`."""
    assert change.before is not None
    _restore(draft, change.before)
    draft.modified = True


def redo(draft: Draft, change: Change) -> None:
    """Apply `change` again after it was undone (same uids, same text)."""
    assert change.after is not None
    _restore(draft, change.after)
    draft.modified = True


def merge(first: Change, second: Change) -> Change:
    """One change equal to `first` followed by `second` (typing merged into one undo step).

    Undo must restore the state before `first`, redo the state after `second`.
    """
    assert first.before is not None and first.after is not None
    assert second.before is not None and second.after is not None
    before_articles = dict(second.before.articles)
    before_articles.update(first.before.articles)
    after_articles = dict(first.after.articles)
    after_articles.update(second.after.articles)
    before = _Parts(
        first.before.meta if first.before.meta is not None else second.before.meta,
        first.before.layout if first.before.layout is not None else second.before.layout,
        before_articles,
    )
    after = _Parts(
        second.after.meta if second.after.meta is not None else first.after.meta,
        second.after.layout if second.after.layout is not None else first.after.layout,
        after_articles,
    )
    renumbered = dict(first.renumbered)
    for uid, (_, new) in second.renumbered.items():
        old = renumbered.get(uid, second.renumbered[uid])[0]
        renumbered[uid] = (old, new)
    return Change(
        kind=first.kind,
        summary=first.summary,
        inserted=sorted(set(first.inserted) | set(second.inserted)),
        removed=sorted(set(first.removed) | set(second.removed)),
        modified=sorted(set(first.modified) | set(second.modified)),
        renumbered={u: r for u, r in renumbered.items() if r[0] != r[1]},
        structure_changed=first.structure_changed or second.structure_changed,
        meta_changed=first.meta_changed or second.meta_changed,
        notes=first.notes + second.notes,
        references_updated=first.references_updated + second.references_updated,
        before=before,
        after=after,
    )
