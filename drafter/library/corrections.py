"""Apply a user's corrections on top of a reference's text, keeping the original intact."""

from __future__ import annotations

from drafter.errors import DrafterError
from drafter.library.reference import Reference
from drafter.library.store import Correction
from drafter.statute.model import DamagedSpan

EXPLANATION = 0


def locate_text(reference: Reference, article: int, paragraph: int, item: int) -> str:
    """The text a correction addresses; raises DrafterError if the place does not exist."""
    if article == EXPLANATION:
        paragraphs = reference.explanation.split("\n") if reference.explanation else []
        if not 1 <= paragraph <= len(paragraphs):
            raise DrafterError(f"{reference.id} 的起草说明没有第 {paragraph} 段")
        return paragraphs[paragraph - 1]
    target = reference.statute.article(article)
    if target is None:
        raise DrafterError(f"{reference.id} 没有第 {article} 条")
    if not 1 <= paragraph <= len(target.paragraphs):
        raise DrafterError(f"{reference.id} 第 {article} 条没有第 {paragraph} 款")
    holder = target.paragraphs[paragraph - 1]
    if item == 0:
        return holder.text
    if not 1 <= item <= len(holder.items):
        raise DrafterError(f"{reference.id} 第 {article} 条第 {paragraph} 款没有第 {item} 项")
    return holder.items[item - 1]


def apply_corrections(reference: Reference, corrections: list[Correction]) -> list[Correction]:
    """Apply each correction in order; returns those whose original text was no longer found."""
    stale: list[Correction] = []
    for correction in corrections:
        try:
            text = locate_text(reference, correction.article, correction.paragraph, correction.item)
        except DrafterError:
            stale.append(correction)
            continue
        if correction.original not in text:
            stale.append(correction)
            continue
        new_text = text.replace(correction.original, correction.corrected, 1)
        _store_text(reference, correction, new_text)
        reference.corrections.append(correction)
    return stale


def _store_text(reference: Reference, correction: Correction, new_text: str) -> None:
    if correction.article == EXPLANATION:
        paragraphs = reference.explanation.split("\n")
        paragraphs[correction.paragraph - 1] = new_text
        reference.explanation = "\n".join(paragraphs)
        reference.explanation_damaged = _realign(
            reference.explanation_damaged, correction.paragraph, 0, new_text
        )
        return
    article = reference.statute.article(correction.article)
    assert article is not None
    holder = article.paragraphs[correction.paragraph - 1]
    if correction.item == 0:
        holder.text = new_text
    else:
        holder.items[correction.item - 1] = new_text
    article.damaged = _realign(article.damaged, correction.paragraph, correction.item, new_text)


def _realign(
    spans: list[DamagedSpan], paragraph: int, item: int, new_text: str
) -> list[DamagedSpan]:
    """Damaged spans of the corrected text move with it; a span the correction replaced is gone."""
    kept: list[DamagedSpan] = []
    for span in spans:
        if span.paragraph != paragraph or span.item != item:
            kept.append(span)
            continue
        start = new_text.find(span.text)
        if start >= 0:
            kept.append(
                DamagedSpan(
                    span.paragraph,
                    span.item,
                    start,
                    start + len(span.text),
                    span.text,
                    span.reason,
                    span.suggestion,
                )
            )
    return kept
