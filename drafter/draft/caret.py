"""Where the caret belongs after a change: the answer a Word user expects, computed in core.

The window asks this after every change it did not type itself — an inserted 条 or 章, a
split or merged 款, an adopted clause, a fix, and undo or redo of any of these — so that
what the drafter types next lands where they are looking. The rule is Word's: the caret
goes to the end of what the change put in (an inserted 款 break, adopted text, a retyped
word), or to where something was taken out; a new article gets the caret in its text,
a new chapter gets its title selected.

Offsets count in the editor's text of a 款 (`render_paragraph`: the 款 text, then each 项
on its own line with its （一） label), so the GUI can place a cursor without translating.
"""

from __future__ import annotations

from dataclasses import dataclass

from drafter.draft.changes import Change, _Parts
from drafter.draft.document import Draft
from drafter.statute.model import Paragraph
from drafter.statute.numerals import item_label

# Joins the rendered 款 of an article into one string, so that a change anywhere in the
# article (a split, a merge, typed text) is found by one common prefix/suffix comparison.
_PARAGRAPH_BREAK = "\u2029"


@dataclass(frozen=True)
class CaretPlace:
    """A place to put the caret: a 款 of an article, its 条旨, or a chapter's title."""

    uid: str
    kind: str  # "article" | "chapter"
    field: str  # "paragraph" | "caption" | "title"
    paragraph: int = 0
    offset: int = 0  # in the rendered text of the field
    select_all: bool = False


def render_paragraph(paragraph: Paragraph) -> str:
    """The editor text of a 款: its text, then its 项 labelled （一）… one per line."""
    lines = [paragraph.text]
    lines += [item_label(i) + item for i, item in enumerate(paragraph.items, 1)]
    return "\n".join(lines)


def _flat(state: dict | None) -> str:
    if state is None:
        return ""
    paragraphs = [Paragraph.from_json(p) for p in state["article"]["paragraphs"]]
    return _PARAGRAPH_BREAK.join(render_paragraph(p) for p in paragraphs)


def _changed_end(old: str, new: str) -> int | None:
    """The end, in `new`, of what differs from `old` (None when they are equal)."""
    if old == new:
        return None
    prefix = 0
    limit = min(len(old), len(new))
    while prefix < limit and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and old[-1 - suffix] == new[-1 - suffix]:
        suffix += 1
    return len(new) - suffix


def _in_paragraphs(flat: str, offset: int) -> tuple[int, int]:
    """(款 index, offset in its rendered text) of an offset into the joined text."""
    before = flat[:offset]
    paragraph = before.count(_PARAGRAPH_BREAK)
    return paragraph, len(before) - (before.rfind(_PARAGRAPH_BREAK) + 1)


def _article_end(draft: Draft, uid: str) -> CaretPlace:
    article = draft.article(uid)
    if not article.paragraphs:
        return CaretPlace(uid, "article", "paragraph")
    last = len(article.paragraphs) - 1
    return CaretPlace(
        uid, "article", "paragraph", last, len(render_paragraph(article.paragraphs[last]))
    )


def _order(layout: list[dict]) -> list[str]:
    return [uid for chapter in layout for uid in chapter["articles"]]


def caret_after(
    draft: Draft, change: Change, undone: bool = False, prefer: str = ""
) -> CaretPlace | None:
    """Where the caret goes once `change` is applied to `draft` (or undone, with `undone`).

    `prefer` is the article in the editor: when a change touches several articles (a
    renumbered citation elsewhere), the caret stays in that one if it changed. None means
    the change leaves nothing to type at (metadata, a confirmed source, a pure move).
    """
    if change.before is None or change.after is None:
        return None
    old: _Parts = change.after if undone else change.before
    new: _Parts = change.before if undone else change.after
    order = [a.uid for a in draft.articles()]
    present = set(order)

    appeared = [u for u in order if u in new.articles and old.articles.get(u) is None]
    if appeared:
        return _article_end(draft, appeared[0])

    chapters_now = [c.uid for c in draft.chapters]
    if old.layout is not None and new.layout is not None:
        old_chapters = {c["uid"]: c for c in old.layout}
        for chapter in draft.chapters:
            if chapter.uid not in old_chapters:
                return CaretPlace(chapter.uid, "chapter", "title", select_all=True)
        old_order = _order(old.layout)
        vanished = [u for u in old_order if u not in present]
        if vanished:
            return _neighbour(draft, old_order, vanished[0])
        removed_chapters = [c["uid"] for c in old.layout if c["uid"] not in chapters_now]
        if removed_chapters:
            return _neighbour_chapter(draft, [c["uid"] for c in old.layout], removed_chapters[0])
        if old_order != order or list(old_chapters) != chapters_now:
            return None  # a move: the selection follows the moved node, the caret stays
        for chapter in draft.chapters:
            end = _changed_end(old_chapters[chapter.uid]["title"], chapter.title)
            if end is not None:
                return CaretPlace(chapter.uid, "chapter", "title", offset=end)

    touched = [u for u in order if u in new.articles]
    if prefer in touched:
        touched.remove(prefer)
        touched.insert(0, prefer)
    for uid in touched:
        before, after = old.articles.get(uid), new.articles.get(uid)
        end = _changed_end(_flat(before), _flat(after))
        if end is not None:
            paragraph, offset = _in_paragraphs(_flat(after), end)
            return CaretPlace(uid, "article", "paragraph", paragraph, offset)
        old_caption = before["article"]["caption"] if before else ""
        new_caption = after["article"]["caption"] if after else ""
        end = _changed_end(old_caption, new_caption)
        if end is not None:
            return CaretPlace(uid, "article", "caption", offset=end)
    return None


def _neighbour(draft: Draft, old_order: list[str], gone: str) -> CaretPlace | None:
    """After an article is removed: the start of the next one, else the end of the previous."""
    present = {a.uid for a in draft.articles()}
    position = old_order.index(gone)
    following = [u for u in old_order[position + 1 :] if u in present]
    if following:
        return CaretPlace(following[0], "article", "paragraph")
    preceding = [u for u in old_order[:position] if u in present]
    if preceding:
        return _article_end(draft, preceding[-1])
    if draft.chapters:
        return CaretPlace(draft.chapters[0].uid, "chapter", "title", select_all=True)
    return None


def _neighbour_chapter(draft: Draft, old_chapters: list[str], gone: str) -> CaretPlace | None:
    present = [c.uid for c in draft.chapters]
    position = old_chapters.index(gone)
    candidates = [u for u in old_chapters[position + 1 :] if u in present] or [
        u for u in old_chapters[:position] if u in present
    ]
    if not candidates:
        return None
    chapter = draft.chapter(candidates[0])
    return CaretPlace(chapter.uid, "chapter", "title", offset=len(chapter.title))
