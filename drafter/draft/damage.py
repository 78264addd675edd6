"""Damaged text inside a draft: spans carried over from a reference, kept aligned with edits.

A draft article's `damaged` spans say where text copied from a reference is mojibake or
lost bytes. Edits move text around, so a span is found again by its text: where it stood,
elsewhere in the same 款 or 项, or elsewhere in the article; once the drafter has replaced
the damaged characters the span is gone.
"""

from __future__ import annotations

from drafter.statute.model import Article, DamagedSpan

# How an adopted span records where it came from, inside its `reason`.
ORIGIN_SEPARATOR = "；来自"


def _slot_text(article: Article, paragraph: int, item: int) -> str | None:
    """The text a span points at (paragraph 1-based, 0 = caption; item 1-based, 0 = 款 text)."""
    if paragraph == 0:
        return article.caption
    if not 1 <= paragraph <= len(article.paragraphs):
        return None
    para = article.paragraphs[paragraph - 1]
    if item == 0:
        return para.text
    return para.items[item - 1] if 1 <= item <= len(para.items) else None


def _slots(article: Article):
    yield 0, 0, article.caption
    for p, para in enumerate(article.paragraphs, 1):
        yield p, 0, para.text
        for i, item in enumerate(para.items, 1):
            yield p, i, item


def _nearest(text: str, needle: str, start: int) -> int:
    """The occurrence of needle in text closest to `start`, or -1."""
    best, position = -1, text.find(needle)
    while position >= 0:
        if best < 0 or abs(position - start) < abs(best - start):
            best = position
        position = text.find(needle, position + 1)
    return best


def locate(article: Article, span: DamagedSpan) -> DamagedSpan | None:
    """The span where its text stands now, or None when the damaged text is gone."""
    if not span.text:
        return None
    text = _slot_text(article, span.paragraph, span.item)
    if text is not None:
        if text[span.start : span.end] == span.text:
            return span
        found = _nearest(text, span.text, span.start)
        if found >= 0:
            return _moved(span, span.paragraph, span.item, found)
    for paragraph, item, other in _slots(article):
        found = other.find(span.text)
        if found >= 0:
            return _moved(span, paragraph, item, found)
    return None


def _moved(span: DamagedSpan, paragraph: int, item: int, start: int) -> DamagedSpan:
    return DamagedSpan(
        paragraph, item, start, start + len(span.text), span.text, span.reason, span.suggestion
    )


def current_damage(article: Article) -> list[DamagedSpan]:
    """The article's damaged spans re-located in its current text; spans whose text the
    drafter replaced are left out. Does not change the article."""
    located = (locate(article, span) for span in article.damaged)
    return [span for span in located if span is not None]


def realign(article: Article) -> None:
    """Store the re-located spans (after an edit), dropping those that are gone."""
    if article.damaged:
        article.damaged = current_damage(article)


def origin(span: DamagedSpan) -> str:
    """ "成都市第六条" for a span adopted from a reference; empty otherwise."""
    _, separator, where = span.reason.partition(ORIGIN_SEPARATOR)
    return where if separator else ""


def span_place(article: Article, span: DamagedSpan) -> str:
    """ "第三条第一款", "第三条第一款第二项" or "第三条条旨"."""
    from drafter.statute.numerals import to_chinese_numeral as cn

    if span.paragraph == 0:
        return f"{article.label}条旨"
    place = f"{article.label}第{cn(span.paragraph)}款"
    return place + (f"第{cn(span.item)}项" if span.item else "")
