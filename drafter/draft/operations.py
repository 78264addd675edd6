"""Operations on a draft. Each returns a `Change` (what changed) that `undo`/`redo` reverse exactly.

Everything is addressed by uid, never by number, because numbers change with every
structural edit. Invalid arguments raise `DraftOperationError` and leave the draft untouched.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable

from drafter.draft.changes import Change, apply_change, redo, undo
from drafter.draft.crossrefs import BOUND, DANGLING, UNRESOLVED
from drafter.draft.document import Draft, ExplanationSection, paragraphs_from_text
from drafter.errors import DrafterError
from drafter.statute.model import Article, Chapter, Paragraph
from drafter.statute.numerals import to_chinese_numeral as cn

__all__ = [
    "Change",
    "DraftOperationError",
    "add_chapter",
    "delete_article",
    "delete_chapter",
    "delete_paragraph",
    "edit_meta",
    "edit_paragraph",
    "insert_article",
    "insert_paragraph",
    "link_reference",
    "merge_paragraphs",
    "move_article",
    "move_chapter",
    "redo",
    "rename_chapter",
    "set_basis",
    "set_caption",
    "set_explanation",
    "set_note",
    "split_paragraph",
    "undo",
]


class DraftOperationError(DrafterError):
    """An operation that cannot be carried out (no such article, index out of range…)."""


def _article(draft: Draft, uid: str) -> Article:
    try:
        return draft.article(uid)
    except KeyError:
        raise DraftOperationError(f"草案中没有这一条（{uid}）") from None


def _chapter(draft: Draft, uid: str) -> Chapter:
    try:
        return draft.chapter(uid)
    except KeyError:
        raise DraftOperationError(f"草案中没有这一章（{uid}）") from None


def _check_index(index: int, upper: int, what: str) -> None:
    if not 0 <= index <= upper:
        raise DraftOperationError(f"{what}位置超出范围：{index}（可用 0–{upper}）")


def _para(article: Article, p: int) -> Paragraph:
    if not 0 <= p < len(article.paragraphs):
        raise DraftOperationError(f"{article.label}没有第{cn(p + 1)}款")
    return article.paragraphs[p]


def _as_paragraphs(content: str | list[Paragraph] | None) -> list[Paragraph]:
    if content is None:
        return []
    if isinstance(content, str):
        return paragraphs_from_text(content)
    return [Paragraph(p.text, list(p.items)) for p in content]


# -- chapters -----------------------------------------------------------------------------


def add_chapter(draft: Draft, title: str, index: int | None = None) -> Change:
    """Add a chapter (at the end, or before position `index`)."""
    index = len(draft.chapters) if index is None else index
    _check_index(index, len(draft.chapters), "章的")

    def body() -> str:
        if draft.chapterless and not draft.chapters[0].articles:
            draft.chapters.clear()
            index_here = 0
        else:
            index_here = index
            if draft.chapterless:
                draft.chapters[0].number = 1  # leaving the chapterless layout
        draft.chapters.insert(index_here, Chapter(number=0, title=title))
        return f"添加一章：{title}"

    return apply_change(draft, "add_chapter", body)


def rename_chapter(draft: Draft, chapter_uid: str, title: str) -> Change:
    """Change a chapter's title."""
    chapter = _chapter(draft, chapter_uid)

    def body() -> str:
        chapter.title = title
        return f"{chapter.label}改为：{title}"

    return apply_change(draft, "rename_chapter", body)


def delete_chapter(draft: Draft, chapter_uid: str) -> Change:
    """Delete a chapter with its articles; references to them are flagged as dangling."""
    chapter = _chapter(draft, chapter_uid)

    def body() -> str:
        draft.chapters.remove(chapter)
        for article in chapter.articles:
            _forget_article(draft, article.uid)
        return f"删除{chapter.label}{chapter.title}（含{len(chapter.articles)}条）"

    return apply_change(draft, "delete_chapter", body)


def move_chapter(draft: Draft, chapter_uid: str, index: int) -> Change:
    """Move a chapter to position `index` (0-based, counted after removing it)."""
    chapter = _chapter(draft, chapter_uid)
    _check_index(index, len(draft.chapters) - 1, "章的")

    def body() -> str:
        draft.chapters.remove(chapter)
        draft.chapters.insert(index, chapter)
        return f"移动{chapter.title}"

    return apply_change(draft, "move_chapter", body)


# -- articles -----------------------------------------------------------------------------


def insert_article(
    draft: Draft,
    chapter_uid: str,
    content: str | list[Paragraph] | None = None,
    index: int | None = None,
    caption: str = "",
) -> Change:
    """Insert an article into a chapter (at the end, or at position `index`).

    Its references are bound against the numbering before the insertion (what the drafter
    saw when writing it) and rewritten to the new numbers.
    """
    chapter = _chapter(draft, chapter_uid)
    index = len(chapter.articles) if index is None else index
    _check_index(index, len(chapter.articles), "条的")
    paragraphs = _as_paragraphs(content)

    def body() -> str:
        article = Article(number=0, paragraphs=paragraphs, caption=caption)
        # The text was written against the numbers the drafter sees now, before the insertion.
        draft.bind_article(article)
        chapter.articles.insert(index, article)
        draft.renumber()
        draft.provenance[article.uid] = []
        return f"插入{article.label}"

    return apply_change(draft, "insert_article", body)


def _forget_article(draft: Draft, uid: str) -> None:
    draft.refs.pop(uid, None)
    draft.provenance.pop(uid, None)
    draft.notes.pop(uid, None)
    draft.mark_dangling(uid)


def delete_article(draft: Draft, uid: str) -> Change:
    """Delete an article; references to it are flagged as dangling (their text is kept)."""
    article = _article(draft, uid)

    def body() -> str:
        draft.chapter_of(uid).articles.remove(article)
        _forget_article(draft, uid)
        return f"删除{article.label}"

    return apply_change(draft, "delete_article", body)


def move_article(draft: Draft, uid: str, chapter_uid: str, index: int) -> Change:
    """Move an article to position `index` of a chapter (counted after removing it)."""
    article = _article(draft, uid)
    target = _chapter(draft, chapter_uid)
    source = draft.chapter_of(uid)
    upper = len(target.articles) - (1 if target is source else 0)
    _check_index(index, upper, "条的")

    def body() -> str:
        old_label = article.label
        source.articles.remove(article)
        target.articles.insert(index, article)
        return f"移动{old_label}"

    return apply_change(draft, "move_article", body)


def set_caption(draft: Draft, uid: str, caption: str) -> Change:
    """Set or clear an article's caption (条旨)."""
    article = _article(draft, uid)

    def body() -> str:
        article.caption = caption
        return f"修改{article.label}条旨"

    return apply_change(draft, "set_caption", body, scope={uid})


def set_note(draft: Draft, uid: str, text: str) -> Change:
    """Set or clear the drafter's 说明 of an article (the 对照表's 说明 column)."""
    article = _article(draft, uid)

    def body() -> str:
        if text.strip():
            draft.notes[uid] = text
        else:
            draft.notes.pop(uid, None)
        return f"修改{article.label}说明"

    return apply_change(draft, "set_note", body, scope={uid})


# -- 款 and text ---------------------------------------------------------------------------


def _remap_paragraphs(
    draft: Draft, uid: str, mapping: Callable[[int], int | None], own: bool = True
) -> None:
    """Follow a change in an article's 款 order: bindings to it, its own bindings, provenance.

    `mapping` takes a 0-based 款 index and returns the new one (None: the 款 is gone).
    """
    for bindings in draft.refs.values():
        for binding in bindings:
            if binding.form == "relative" and binding.target == uid and binding.count:
                _remap_relative(binding, mapping)
            elif binding.target == uid and binding.target_paragraph:
                new = mapping(binding.target_paragraph - 1)
                if new is None:
                    if binding.status == BOUND:
                        binding.status = DANGLING
                else:
                    binding.target_paragraph = new + 1
    if own:
        kept = []
        for binding in draft.refs.get(uid, []):
            new = mapping(binding.paragraph)
            if new is not None:
                binding.paragraph = new
                kept.append(binding)
        draft.refs[uid] = kept
    links = []
    for link in draft.provenance.get(uid, []):
        if link.draft_paragraph is not None:
            new = mapping(link.draft_paragraph)
            if new is None:
                continue
            link.draft_paragraph = new
        links.append(link)
    draft.provenance[uid] = links


def _remap_relative(binding, mapping: Callable[[int], int | None]) -> None:
    """前两款 covers a run of 款: it follows the run's surviving ends (a split widens it)."""
    first = binding.target_paragraph - 1
    alive = [
        new for new in (mapping(i) for i in range(first, first + binding.count)) if new is not None
    ]
    if not alive:
        if binding.status == BOUND:
            binding.status = DANGLING
        return
    binding.target_paragraph = min(alive) + 1
    binding.count = max(alive) - min(alive) + 1


def _remap_items(draft: Draft, uid: str, p: int, old: list[str], new: list[str]) -> None:
    """References to the 项 of 款 `p` follow them when 项 are inserted, deleted or reordered."""
    if old == new:
        return
    mapping: dict[int, int] = {}
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(
        None, old, new, autojunk=False
    ).get_opcodes():
        # Unchanged 项 map across; a 项 edited in place (same count) keeps its identity.
        if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):
            mapping.update(zip(range(i1, i2), range(j1, j2), strict=True))
    for bindings in draft.refs.values():
        for binding in bindings:
            if binding.target != uid or not binding.target_item or binding.form == "relative":
                continue
            if (binding.target_paragraph or 1) != p + 1:
                continue
            moved = mapping.get(binding.target_item - 1)
            if moved is None:
                if binding.status == BOUND:
                    binding.status = DANGLING
            else:
                binding.target_item = moved + 1


def edit_paragraph(
    draft: Draft, uid: str, p: int, text: str, items: list[str] | None = None
) -> Change:
    """Replace the text of 款 `p` (0-based) and, if given, its 项; references are bound again."""
    article = _article(draft, uid)
    para = _para(article, p)

    def body() -> str:
        old_text, old_items = para.text, list(para.items)
        para.text = text
        draft.rebind_location(article, (p, -1), old_text)
        if items is not None:
            # 项 are re-bound as a block: old bindings on 项 are matched by position.
            draft.refs[uid] = [
                b for b in draft.refs.get(uid, []) if not (b.paragraph == p and b.item >= 0)
            ]
            para.items = list(items)
            for i in range(len(items)):
                draft.rebind_location(article, (p, i), old_items[i] if i < len(old_items) else "")
            _remap_items(draft, uid, p, old_items, list(items))
        return f"修改{article.label}第{cn(p + 1)}款"

    return apply_change(draft, "edit_paragraph", body, scope={uid})


def insert_paragraph(
    draft: Draft, uid: str, p: int, text: str, items: list[str] | None = None
) -> Change:
    """Insert a new 款 before position `p` (0-based; len = append)."""
    article = _article(draft, uid)
    _check_index(p, len(article.paragraphs), "款的")

    def body() -> str:
        _remap_paragraphs(draft, uid, lambda i: i + 1 if i >= p else i)
        article.paragraphs.insert(p, Paragraph(text=text, items=list(items or [])))
        for location in draft.locations(article):
            if location[0] == p:
                draft.rebind_location(article, location, "")
        return f"{article.label}增加第{cn(p + 1)}款"

    return apply_change(draft, "insert_paragraph", body)


def delete_paragraph(draft: Draft, uid: str, p: int) -> Change:
    """Delete 款 `p`; references to it are flagged, later 款 are renumbered in references."""
    article = _article(draft, uid)
    _para(article, p)

    def body() -> str:
        article.paragraphs.pop(p)
        _remap_paragraphs(draft, uid, lambda i: None if i == p else (i - 1 if i > p else i))
        return f"删除{article.label}第{cn(p + 1)}款"

    return apply_change(draft, "delete_paragraph", body)


def split_paragraph(draft: Draft, uid: str, p: int, offset: int) -> Change:
    """Split 款 `p` at a character offset; the second part (with the 项) becomes 款 p+1."""
    article = _article(draft, uid)
    para = _para(article, p)
    if not 0 < offset < len(para.text):
        raise DraftOperationError(f"拆分位置超出第{cn(p + 1)}款的文字范围：{offset}")
    if any(
        b.paragraph == p and b.item < 0 and b.start < offset < b.end
        for b in draft.refs.get(uid, [])
    ):
        raise DraftOperationError("不能在引用的中间拆分")

    def body() -> str:
        first, second = para.text[:offset], para.text[offset:]
        moving = [
            b
            for b in draft.refs.get(uid, [])
            if b.paragraph == p and (b.item >= 0 or b.start >= offset)
        ]
        _remap_paragraphs(draft, uid, lambda i: i + 1 if i > p else i)
        for binding in moving:
            binding.paragraph = p + 1
            if binding.item < 0:
                binding.start -= offset
                binding.end -= offset
        article.paragraphs[p : p + 1] = [
            Paragraph(first.rstrip(), []),
            Paragraph(second.lstrip(), list(para.items)),
        ]
        _fix_stripped_spans(draft, uid, p + 1, len(second) - len(second.lstrip()))
        return f"拆分{article.label}第{cn(p + 1)}款"

    return apply_change(draft, "split_paragraph", body)


def _fix_stripped_spans(draft: Draft, uid: str, p: int, removed: int) -> None:
    if removed:
        for binding in draft.refs.get(uid, []):
            if binding.paragraph == p and binding.item < 0:
                binding.start -= removed
                binding.end -= removed


def merge_paragraphs(draft: Draft, uid: str, p: int) -> Change:
    """Merge 款 `p+1` into 款 `p` (text appended, 项 concatenated)."""
    article = _article(draft, uid)
    first = _para(article, p)
    second = _para(article, p + 1)

    def body() -> str:
        shift_text, shift_items = len(first.text), len(first.items)
        for binding in draft.refs.get(uid, []):
            if binding.paragraph == p + 1:
                if binding.item < 0:
                    binding.start += shift_text
                    binding.end += shift_text
                else:
                    binding.item += shift_items
        _remap_paragraphs(draft, uid, lambda i: i - 1 if i > p else i)
        article.paragraphs[p : p + 2] = [
            Paragraph(first.text + second.text, first.items + second.items)
        ]
        return f"合并{article.label}第{cn(p + 1)}款和第{cn(p + 2)}款"

    return apply_change(draft, "merge_paragraphs", body)


def link_reference(draft: Draft, uid: str, index: int, target_uid: str) -> Change:
    """Bind an unresolved or dangling reference (an article's `index`-th binding) to a target."""
    article = _article(draft, uid)
    _article(draft, target_uid)
    bindings = draft.refs.get(uid, [])
    if not 0 <= index < len(bindings):
        raise DraftOperationError(f"{article.label}没有第{index + 1}处引用")
    binding = bindings[index]

    def body() -> str:
        binding.target = target_uid
        binding.status = BOUND
        binding.source_ref, binding.source_article = "", None
        if binding.form == "self" and target_uid != uid:
            # A 款 citation ("第二款") linked to another article must name that article.
            binding.form = "article"
        return f"{article.label}的引用已关联"

    return apply_change(draft, "link_reference", body)


def edit_meta(
    draft: Draft, title: str | None = None, city: str | None = None, status: str | None = None
) -> Change:
    """Change the draft's title, city or status line."""

    def body() -> str:
        if title is not None:
            draft.title = draft.statute.title = title
        if city is not None:
            draft.city = city
        if status is not None:
            draft.status = status
        return "修改草案信息"

    return apply_change(draft, "edit_meta", body)


def set_explanation(
    draft: Draft, sections: list[tuple[str, str]] | list[tuple[str, str, str]]
) -> Change:
    """Replace the 起草说明 with these (title, text) or (title, text, kind) sections."""

    def body() -> str:
        draft.explanation = [ExplanationSection(*section) for section in sections]
        return "修改起草说明"

    return apply_change(draft, "set_explanation", body)


def set_basis(draft: Draft, basis: list[str]) -> Change:
    """Replace the 主要依据 (上位法 and policy documents, one per entry; blanks dropped)."""

    def body() -> str:
        draft.basis = [entry.strip() for entry in basis if entry.strip()]
        return "修改主要依据"

    return apply_change(draft, "set_basis", body)


def unresolved_count(draft: Draft) -> int:
    """How many references still need the drafter's attention."""
    return sum(
        1
        for bindings in draft.refs.values()
        for b in bindings
        if b.status in (UNRESOLVED, DANGLING)
    )
