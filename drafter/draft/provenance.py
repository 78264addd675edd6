"""Provenance of the draft's articles and 款: recompute after edits, discover, confirm or reject.

The measure is the suggestion engine's (`drafter.matching.provenance.compare_texts`):
the draft's current text is compared with the source text the link recorded, so after
the drafter rewrites a clause its label moves from 照搬 to 修改 or 参考. The label follows
the similarity shown beside it (照搬 ≥ 85, 修改 ≥ 40, else 参考), and a substantive edit —
a changed organ, cross-reference or number against the text as adopted — makes it 修改
at most; the rule is documented in `drafter.matching.provenance` and docs/provenance.md.
An article's label is its strongest active link's.
"""

from __future__ import annotations

from dataclasses import dataclass

from drafter.draft.changes import Change, apply_change
from drafter.draft.document import Draft
from drafter.draft.source_links import (
    CONFIRMED,
    NEW_LABEL,
    PENDING_LABEL,
    REJECTED,
    SUGGESTED,
    SourceLink,
)
from drafter.statute.model import Article

# A discovered source is proposed when the provenance measure credits at least this
# share of the draft article to it (below that, the overlap is topic words only).
DISCOVERY_MIN_SHARE = 0.30
DISCOVERY_TOP = 3


def draft_text_of(article: Article, link: SourceLink) -> str:
    """The part of the draft a link describes: one 款, or the whole article."""
    if link.draft_paragraph is None:
        return article.text()
    if 0 <= link.draft_paragraph < len(article.paragraphs):
        return article.paragraphs[link.draft_paragraph].full_text()
    return ""


def measure(link: SourceLink, draft_text: str, city: str = "") -> None:
    """Set a link's similarity and label for the draft's current text.

    Substantive edits are judged against the text as it was adopted (after localisation),
    so only the drafter's own edits count; `city` is the draft's city, which localisation
    may have written into the text.
    """
    from drafter.matching.provenance import compare_texts

    result = compare_texts(
        draft_text,
        link.source_text,
        baseline=link.adopted_text or None,
        cities=(city,) if city else (),
    )
    link.similarity = float(result.similarity)
    link.label = result.label


def recompute_article(draft: Draft, article: Article) -> None:
    """Recompute the similarity and label of every link of an article."""
    for link in draft.provenance.get(article.uid, []):
        measure(link, draft_text_of(article, link), draft.city)


def recompute_all(draft: Draft) -> None:
    """Re-measure every link of the draft (a file saved under an older label rule)."""
    for article in draft.articles():
        if draft.provenance.get(article.uid):
            recompute_article(draft, article)


def article_label(draft: Draft, article: Article) -> str:
    """照搬 / 修改 / 参考 from the article's strongest active link; without one, 待确认
    while discovery proposes sources, else 新增."""
    links = draft.provenance.get(article.uid, [])
    active = [link for link in links if link.active]
    if not active:
        # An imported draft's article copied word for word, its source not yet confirmed,
        # was badged 新增 in the 来源 panel beside "找到可能的来源".
        return PENDING_LABEL if any(link.state == SUGGESTED for link in links) else NEW_LABEL
    order = {"照搬": 0, "修改": 1, "参考": 2}
    return min((link.label for link in active), key=lambda label: order.get(label, 3))


@dataclass
class Candidate:
    """A likely source of a draft article found by discovery."""

    ref: str
    article: int
    share: float
    similarity: float
    label: str
    text: str


def likely_sources(
    text: str, library, engine, city: str, exclude: frozenset[str] = frozenset()
) -> list[Candidate]:
    """The likely sources of an article's text, best first (references in `exclude` left
    out, as the gold's measure leaves out the query's own).

    Candidates come from the suggestion engine and are kept when the provenance measure
    credits enough of the text to them, in the engine's order: on the gold files' pairs
    its first is a hand-read counterpart for 0.93 of them, against 0.89 when they were
    sorted by the share credited (a long article holding the draft's words came before the
    short one it was adapted from) and 0.81 by similarity (discovery_gold.py).
    """
    from drafter.matching.provenance import compare_texts

    candidates: dict[tuple[str, int], Candidate] = {}
    for suggestion in engine.rank_articles(text, top=10):
        key = (suggestion.ref, suggestion.article)
        if suggestion.ref in exclude or key in candidates:
            continue
        source = library.get(suggestion.ref).statute.article(suggestion.article)
        if source is None:
            continue
        source_text = source.text()
        result = compare_texts(text, source_text, cities=(city,))
        if result.share >= DISCOVERY_MIN_SHARE:
            candidates[key] = Candidate(
                suggestion.ref,
                suggestion.article,
                result.share,
                result.similarity,
                result.label,
                source_text,
            )
    return list(candidates.values())


def discover_sources(draft: Draft, library, top: int = DISCOVERY_TOP) -> dict[str, list[Candidate]]:
    """For each article of the draft, its likely sources in the library, best first."""
    from drafter.matching.engine import SuggestionEngine

    engine = SuggestionEngine(library)
    found: dict[str, list[Candidate]] = {}
    for article in draft.articles():
        text = article.text()
        if not text.strip():
            continue
        ranked = likely_sources(text, library, engine, draft.city)
        if ranked:
            found[article.uid] = ranked[:top]
    return found


def propose_sources(draft: Draft, found: dict[str, list[Candidate]]) -> Change:
    """Record discovered candidates as suggested links (rejected ones are not proposed again)."""

    def body() -> str:
        count = 0
        for uid, candidates in found.items():
            links = draft.provenance.setdefault(uid, [])
            known = {(link.ref, link.article) for link in links}
            for candidate in candidates:
                if (candidate.ref, candidate.article) in known:
                    continue
                links.append(
                    SourceLink(
                        ref=candidate.ref,
                        article=candidate.article,
                        paragraph=0,
                        source_text=candidate.text,
                        similarity=float(candidate.similarity),
                        label=candidate.label,
                        state=SUGGESTED,
                    )
                )
                count += 1
        return f"找到{count}处可能的来源"

    return apply_change(draft, "propose_sources", body)


def pending_links(draft: Draft, uid: str) -> list[SourceLink]:
    """The article's sources proposed by discovery and not yet confirmed or rejected."""
    return [link for link in draft.provenance.get(uid, []) if link.state == SUGGESTED]


def _decide(draft: Draft, uid: str, links: list[SourceLink], state: str, summary: str) -> Change:
    """Confirm or reject `links` (pending ones of the article `uid`) as one change."""

    def body() -> str:
        for link in links:
            link.state = state
        return summary

    # A decision changes one article's sources: only that article is captured for undo.
    return apply_change(draft, "decide_source", body, scope={uid})


def _pending_one(draft: Draft, uid: str, ref: str, article: int) -> list[SourceLink]:
    links = [x for x in pending_links(draft, uid) if x.ref == ref and x.article == article]
    if not links:
        from drafter.draft.operations import DraftOperationError

        raise DraftOperationError(f"这一条没有待确认的来源 {ref} 第{article}条")
    return links


def confirm_source(draft: Draft, uid: str, ref: str, article: int) -> Change:
    """Accept a discovered source as the article's provenance."""
    return _decide(draft, uid, _pending_one(draft, uid, ref, article), CONFIRMED, "确认来源")


def reject_source(draft: Draft, uid: str, ref: str, article: int) -> Change:
    """Reject a discovered source; it stays recorded so discovery does not propose it again."""
    return _decide(draft, uid, _pending_one(draft, uid, ref, article), REJECTED, "否定来源")


def reject_pending_sources(draft: Draft, uid: str) -> Change:
    """Reject every source of the article still awaiting a decision, in one step: once the
    drafter has confirmed the one it came from, the other proposals are usually
    look-alikes, and an imported draft has two or three of them on most articles."""
    links = pending_links(draft, uid)
    if not links:
        from drafter.draft.operations import DraftOperationError

        raise DraftOperationError("这一条没有待确认的来源")
    return _decide(draft, uid, links, REJECTED, f"否定{len(links)}个待确认的来源")
