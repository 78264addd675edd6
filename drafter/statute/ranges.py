"""Article numbers as a reader of a 起草说明 expects them: runs joined with 至, not every number.

"第一条至第二十一条", "第三条、第五条至第七条", a pair "第三条、第四条" (two consecutive
articles are listed, as legislative writing does, rather than joined with 至).
"""

from __future__ import annotations

from collections.abc import Iterable

from drafter.statute.numerals import to_chinese_numeral as cn


def number_runs(numbers: Iterable[int]) -> list[tuple[int, int]]:
    """Sorted, de-duplicated numbers as (first, last) runs of consecutive numbers."""
    runs: list[tuple[int, int]] = []
    for number in sorted(set(numbers)):
        if runs and number == runs[-1][1] + 1:
            runs[-1] = (runs[-1][0], number)
        else:
            runs.append((number, number))
    return runs


def article_span(first: int, last: int) -> str:
    """第五条至第七条, or 第五条 when the span is one article."""
    if first == last:
        return f"第{cn(first)}条"
    return f"第{cn(first)}条至第{cn(last)}条"


def article_ranges(numbers: Iterable[int]) -> str:
    """第三条、第五条至第七条; empty for no numbers."""
    parts: list[str] = []
    for first, last in number_runs(numbers):
        if last == first + 1:
            parts += [article_span(first, first), article_span(last, last)]
        else:
            parts.append(article_span(first, last))
    return "、".join(parts)
