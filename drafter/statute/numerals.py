"""Chinese numerals as used in statute numbering (第一百零一条), both ways, 0–9999."""

from __future__ import annotations

_DIGITS = "零一二三四五六七八九"
_DIGIT_VALUES = {ch: i for i, ch in enumerate(_DIGITS)} | {"〇": 0, "两": 2}
_UNITS = {"十": 10, "百": 100, "千": 1000}

CHINESE_NUMERAL_CHARS = "零〇一二三四五六七八九十百千两"


def to_chinese_numeral(number: int) -> str:
    """Write 0–9999 the way statutes number 章 and 条: 10 → 十, 110 → 一百一十, 1001 → 一千零一."""
    if not 0 <= number <= 9999:
        raise ValueError(f"statute numbering covers 0–9999, got {number}")
    if number == 0:
        return _DIGITS[0]
    parts: list[str] = []
    need_zero = False
    for unit_value, unit_char in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit = number // unit_value % 10
        if digit == 0:
            need_zero = bool(parts)
            continue
        if need_zero:
            parts.append(_DIGITS[0])
            need_zero = False
        parts.append(_DIGITS[digit] + unit_char)
    text = "".join(parts)
    # 一十 → 十 only when the number starts with the tens (十五, not 一百一十五).
    if 10 <= number <= 19:
        text = text[1:]
    return text


def count_word(count: int) -> str:
    """A count in words: 二 is read 两 before a measure word (两部, 共两条)."""
    return "两" if count == 2 else to_chinese_numeral(count)


def from_chinese_numeral(text: str) -> int:
    """Read a Chinese numeral (十五, 一百零一, 二〇, 一十二); raises ValueError if it is not one."""
    if not text or any(ch not in CHINESE_NUMERAL_CHARS for ch in text):
        raise ValueError(f"not a Chinese numeral: {text!r}")
    if not any(ch in _UNITS for ch in text):
        # Positional digits (二〇二三) are read digit by digit.
        value = 0
        for ch in text:
            value = value * 10 + _DIGIT_VALUES[ch]
        return value
    total = 0
    pending: int | None = None
    last_unit = 10_000
    zero_before_pending = False
    for position, ch in enumerate(text):
        if ch in _DIGIT_VALUES:
            value = _DIGIT_VALUES[ch]
            if pending is not None:
                raise ValueError(f"not a Chinese numeral: {text!r}")
            if value == 0:
                zero_before_pending = True
                continue
            pending = value
        else:
            unit = _UNITS[ch]
            # Only 十 may stand without a digit, and only at the start (十五).
            if unit >= last_unit or (pending is None and (unit != 10 or position != 0)):
                raise ValueError(f"not a Chinese numeral: {text!r}")
            total += (pending if pending is not None else 1) * unit
            pending = None
            zero_before_pending = False
            last_unit = unit
    if pending is not None:
        # 一百一 is colloquial for 110; statutes write 一百一十 or 一百零一.
        if last_unit > 10 and not zero_before_pending:
            raise ValueError(f"not a Chinese numeral: {text!r}")
        total += pending
    return total


def item_label(number: int) -> str:
    """The label of the n-th 项: （一）."""
    return f"（{to_chinese_numeral(number)}）"
