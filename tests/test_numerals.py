"""Chinese numerals both ways, 1–9999."""

from __future__ import annotations

import pytest

from drafter.statute.numerals import from_chinese_numeral, item_label, to_chinese_numeral


@pytest.mark.parametrize(
    ("number", "text"),
    [
        (1, "一"),
        (10, "十"),
        (11, "十一"),
        (20, "二十"),
        (48, "四十八"),
        (74, "七十四"),
        (100, "一百"),
        (101, "一百零一"),
        (110, "一百一十"),
        (1001, "一千零一"),
        (1010, "一千零一十"),
        (2300, "二千三百"),
        (9999, "九千九百九十九"),
    ],
)
def test_known_numerals(number, text):
    assert to_chinese_numeral(number) == text
    assert from_chinese_numeral(text) == number


def test_round_trip_every_number_up_to_9999():
    for number in range(1, 10000):
        assert from_chinese_numeral(to_chinese_numeral(number)) == number


def test_variant_spellings_are_read():
    assert from_chinese_numeral("一十二") == 12
    assert from_chinese_numeral("二〇二三") == 2023


@pytest.mark.parametrize("bad", ["", "第一", "十十", "百一", "abc", "一二十"])
def test_non_numerals_are_refused(bad):
    with pytest.raises(ValueError):
        from_chinese_numeral(bad)


def test_out_of_range_is_refused():
    with pytest.raises(ValueError):
        to_chinese_numeral(10000)


def test_item_label():
    assert item_label(3) == "（三）"
