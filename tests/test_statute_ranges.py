"""Article numbers written as ranges for the 起草说明."""

from __future__ import annotations

import pytest

from drafter.statute.ranges import article_ranges, article_span, number_runs


@pytest.mark.parametrize(
    ("numbers", "text"),
    [
        (range(1, 22), "第一条至第二十一条"),
        ([3, 5, 6, 7], "第三条、第五条至第七条"),
        ([21], "第二十一条"),
        ([3, 4], "第三条、第四条"),
        ([7, 1, 2, 3, 3, 9, 10, 11, 12], "第一条至第三条、第七条、第九条至第十二条"),
        ([], ""),
    ],
)
def test_article_ranges(numbers, text):
    assert article_ranges(numbers) == text


def test_runs_and_spans():
    assert number_runs([5, 1, 2, 4]) == [(1, 2), (4, 5)]
    assert article_span(21, 21) == "第二十一条"
    assert article_span(1, 5) == "第一条至第五条"
