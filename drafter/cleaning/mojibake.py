"""Find text damaged by encoding errors (UTF-8 or GBK bytes decoded with the wrong alignment).

Such spans cannot be repaired with certainty, so they are never dropped or rewritten:
they are cut out before any other cleaning, kept verbatim, and put back at the end
as flagged `DamagedSpan`s for the drafter to correct.

The signature of this damage in the collected pages is a "?" (a byte that did not
decode) next to characters that ordinary Chinese prose does not produce: rare
ideographs (稐, 椥, 媱), stray Latin letters between ideographs, pinyin letters (ǘ).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from drafter.cleaning.chinese_script import is_common_hanzi, is_hanzi

_SEEDS = {"?", "\ufffd"}
_MAX_SPAN = 40
_LATIN_EXTENDED = re.compile(r"[\u00c0-\u024f\u1e00-\u1eff]")
# A lost ordinal: "()促进数字经济的发展" where "（四）" used to be.
_EMPTY_ORDINAL = re.compile(r"^(\s*)([(（]\s*[)）])(?=\S)", re.MULTILINE)

REASON_MOJIBAKE = "乱码（编码错误）"
REASON_LOST_ORDINAL = "序号缺失"


@dataclass(frozen=True)
class RawDamage:
    """A damaged span as found in the raw text."""

    start: int
    end: int
    text: str
    reason: str


def _is_strong(ch: str) -> bool:
    """A character that ordinary statute prose does not produce next to a "?"."""
    if ch in _SEEDS:
        return True
    if ch.isascii():
        return ch.isalpha() or ch in "@#$%^&*=|\\~`^"
    if _LATIN_EXTENDED.match(ch) or 0xE000 <= ord(ch) <= 0xF8FF:
        return True
    return is_hanzi(ch) and not is_common_hanzi(ch)


def _is_suspicious(ch: str) -> bool:
    """May belong to a damaged span (anything but a common ideograph or a line break)."""
    return ch not in "\n\r" and not is_common_hanzi(ch)


def find_damage(text: str) -> list[RawDamage]:
    """All damaged spans in `text`, in order, non-overlapping."""
    spans: list[RawDamage] = []
    index = 0
    while index < len(text):
        if text[index] in _SEEDS and not _in_ascii_context(text, index):
            span = _grow_span(text, index)
            if span is not None:
                start, end = span
                spans.append(RawDamage(start, end, text[start:end], REASON_MOJIBAKE))
                index = end
                continue
        index += 1
    for match in _EMPTY_ORDINAL.finditer(text):
        start, end = match.span(2)
        if not any(s.start <= start < s.end for s in spans):
            spans.append(RawDamage(start, end, match.group(2), REASON_LOST_ORDINAL))
    spans.sort(key=lambda s: s.start)
    return spans


def _in_ascii_context(text: str, index: int) -> bool:
    # "?" inside a URL or between Latin words is ordinary punctuation.
    before = text[index - 1] if index > 0 else " "
    after = text[index + 1] if index + 1 < len(text) else " "
    return (before.isascii() and before.isalnum()) and (after.isascii() and after.isalnum())


def _grow_span(text: str, seed: int) -> tuple[int, int] | None:
    end = seed + 1
    while end < len(text) and end - seed < _MAX_SPAN:
        if text[end] in "\n\r":
            break
        # Two common ideographs in a row: back in readable text.
        if is_common_hanzi(text[end]) and end + 1 < len(text) and is_common_hanzi(text[end + 1]):
            break
        end += 1
    while end > seed + 1 and not _is_strong(text[end - 1]) and text[end - 1] not in "/>":
        end -= 1
    # A pinyin annotation "(shù)" left open by the damage belongs to it.
    ends_in_pinyin = text[end - 1].isalpha() and not is_hanzi(text[end - 1])
    if text[end : end + 1] == ")" and (
        ends_in_pinyin or text.count("(", seed, end) > text.count(")", seed, end)
    ):
        end += 1
    start = seed
    while start > 0 and _is_strong(text[start - 1]) and not text[start - 1].isascii():
        start -= 1
    strong = sum(1 for ch in text[start:end] if _is_strong(ch))
    if strong < 2:
        return None
    return start, end
