"""查找 and 替换 in a draft's 款 and 项: every occurrence in reading order, and replacing
one of them or all of them as one change (one undo step in the window).

A replacement is an edit like any other: `apply_change` re-binds the citations of the
text it touched and re-measures the sources of the articles it changed.
"""

from __future__ import annotations

from dataclasses import dataclass

from drafter.draft.changes import Change, apply_change
from drafter.draft.document import Draft
from drafter.draft.operations import DraftOperationError


@dataclass(frozen=True, order=True)
class Hit:
    """One occurrence: article order, then 款, 项 (-1: the 款 text), offset."""

    order: int
    paragraph: int
    item: int
    start: int
    uid: str


def find_all(draft: Draft, needle: str) -> list[Hit]:
    """Every occurrence of `needle` in the draft's 款 and 项, in reading order."""
    hits: list[Hit] = []
    if not needle:
        return hits
    for order, article in enumerate(draft.articles()):
        for p, item in draft.locations(article):
            text = draft.get_text(article, (p, item))
            start = text.find(needle)
            while start >= 0:
                hits.append(Hit(order, p, item, start, article.uid))
                start = text.find(needle, start + len(needle))
    return hits


class NothingToReplaceError(DraftOperationError):
    """The words are not (or no longer) where the replacement was asked."""


def replace_text(draft: Draft, needle: str, replacement: str, at: Hit | None = None) -> Change:
    """Replace `needle` by `replacement`: the occurrence `at`, or every one in the draft."""
    if not needle:
        raise NothingToReplaceError("请输入要查找的文字")
    if at is not None:
        article = draft.article(at.uid) if draft.has_article(at.uid) else None
        location = (at.paragraph, at.item)
        if article is None or location not in set(draft.locations(article)):
            raise NothingToReplaceError(f"“{needle}”已不在原处")
        text = draft.get_text(article, location)
        if text[at.start : at.start + len(needle)] != needle:
            raise NothingToReplaceError(f"“{needle}”已不在原处")

        def replace_one() -> str:
            new = text[: at.start] + replacement + text[at.start + len(needle) :]
            draft.set_text(article, location, new)
            draft.rebind_location(article, location, text)
            return f"把{article.label}的“{needle}”替换为“{replacement}”"

        return apply_change(draft, "replace_text", replace_one)
    if not find_all(draft, needle):
        raise NothingToReplaceError(f"草案中没有“{needle}”")

    def replace_every() -> str:
        count = 0
        for article in draft.articles():
            for location in list(draft.locations(article)):
                text = draft.get_text(article, location)
                found = text.count(needle)
                if found:
                    draft.set_text(article, location, text.replace(needle, replacement))
                    draft.rebind_location(article, location, text)
                    count += found
        return f"把{count}处“{needle}”替换为“{replacement}”"

    return apply_change(draft, "replace_text", replace_every)
