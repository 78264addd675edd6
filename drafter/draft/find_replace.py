"""查找 and 替换 in a draft's 章名, 条旨, 款 and 项: every occurrence in reading order, and
replacing one of them or all of them as one change (one undo step in the window).

A replacement is an edit like any other: `apply_change` re-binds the citations of the
text it touched and re-measures the sources of the articles it changed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from drafter.draft.changes import Change, apply_change
from drafter.draft.document import Draft
from drafter.draft.operations import DraftOperationError


@dataclass(frozen=True, order=True)
class Hit:
    """One occurrence: chapter or article order, then 款 (TITLE, CAPTION: those fields),
    项 (-1: the 款 text), offset."""

    order: int
    paragraph: int
    item: int
    start: int
    uid: str

    @property
    def place(self) -> tuple[str, int, int]:
        return self.uid, self.paragraph, self.item


# Hit.paragraph of the two fields that are not a 款 (they sort before an article's 款).
TITLE = -2  # a chapter's title (Hit.uid is the chapter's)
CAPTION = -1  # an article's 条旨


def _slots(draft: Draft) -> Iterator[tuple[int, str, int, int, str]]:
    """(order, uid, paragraph, item, text) of every text a drafter reads, in reading order:
    a chapter's title, then each of its articles' 条旨, 款 and 项."""
    order = 0
    for chapter in draft.chapters:
        if not draft.chapterless:
            yield order, chapter.uid, TITLE, -1, chapter.title
        order += 1
        for article in chapter.articles:
            if article.caption:
                yield order, article.uid, CAPTION, -1, article.caption
            for p, item in draft.locations(article):
                yield order, article.uid, p, item, draft.get_text(article, (p, item))
            order += 1


def find_all(draft: Draft, needle: str) -> list[Hit]:
    """Every occurrence of `needle` in the draft's 章名, 条旨, 款 and 项, in reading order."""
    hits: list[Hit] = []
    if not needle:
        return hits
    for order, uid, p, item, text in _slots(draft):
        start = text.find(needle)
        while start >= 0:
            hits.append(Hit(order, p, item, start, uid))
            start = text.find(needle, start + len(needle))
    return hits


def _set(draft: Draft, uid: str, paragraph: int, item: int, old: str, new: str) -> None:
    """Put `new` where `old` was: a chapter's title, a 条旨, or a 款 or 项 (its citations
    bound again)."""
    if paragraph == TITLE:
        next(c for c in draft.chapters if c.uid == uid).title = new
        return
    article = draft.article(uid)
    if paragraph == CAPTION:
        article.caption = new
        return
    draft.set_text(article, (paragraph, item), new)
    draft.rebind_location(article, (paragraph, item), old)


class NothingToReplaceError(DraftOperationError):
    """The words are not (or no longer) where the replacement was asked."""


def replace_text(draft: Draft, needle: str, replacement: str, at: Hit | None = None) -> Change:
    """Replace `needle` by `replacement`: the occurrence `at`, or every one in the draft."""
    if not needle:
        raise NothingToReplaceError("请输入要查找的文字")
    if at is not None:
        if at not in find_all(draft, needle):
            raise NothingToReplaceError(f"“{needle}”已不在原处")
        text = next(t for _, u, p, i, t in _slots(draft) if (u, p, i) == at.place)

        def replace_one() -> str:
            new = text[: at.start] + replacement + text[at.start + len(needle) :]
            _set(draft, at.uid, at.paragraph, at.item, text, new)
            return f"把“{needle}”替换为“{replacement}”"

        return apply_change(draft, "replace_text", replace_one)
    if not find_all(draft, needle):
        raise NothingToReplaceError(f"草案中没有“{needle}”")

    def replace_every() -> str:
        count = 0
        for _order, uid, p, item, text in list(_slots(draft)):
            found = text.count(needle)
            if found:
                _set(draft, uid, p, item, text, text.replace(needle, replacement))
                count += found
        return f"把{count}处“{needle}”替换为“{replacement}”"

    return apply_change(draft, "replace_text", replace_every)
