"""Small changes of a 修改决定 written word by word: "将第五条第二款中的“甲”修改为“乙”".

A 款 (or 项) changed in a few short places is amended by naming the words: each change
is widened until the words it names occur once in the old text, an insertion is written
as the replacement of the words before it ("将“注重实效”修改为“注重实效、惠民便民”"), a
deletion as "删去…中的“甲”". Anything larger is quoted whole by `drafter.export.amendment`.
"""

from __future__ import annotations

from drafter.matching.diffing import EQUAL as SAME
from drafter.matching.diffing import readable_diff

# A wording change is written word by word when each change is at most this long and a
# 款 has at most this many of them; otherwise the 款 is quoted whole.
_SMALL_CHANGE = 20
_MAX_CHANGES = 3
# Changes closer than this many shared characters are written as one (大数据发展 →
# 政务服务数据管理, not “大” and “发展” apart).
_JOIN_BELOW = 4
_PUNCTUATION = "、，；。：？！“”（）《》"
_PHRASE = 4  # the words an insertion is written after: about one word of two characters each
_CONTEXT = 6  # at most this many characters added around a change to make it unique


def _unique(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Widen text[start:end] by up to _CONTEXT characters until it occurs once in text."""
    for extra in range(_CONTEXT + 1):
        for left in range(extra + 1):
            a, b = max(0, start - left), min(len(text), end + extra - left)
            if b > a and text.count(text[a:b]) == 1:
                return a, b
    return None


def _phrase_around(text: str, at: int) -> tuple[int, int]:
    """The words before position `at` (back to a punctuation mark, at most _PHRASE
    characters), or after it when a mark stands right before: "注重实效" for
    "注重实效|的原则", "相关管理" for "建设及相关管理|活动"."""
    start = at
    while start > 0 and at - start < _PHRASE and text[start - 1] not in _PUNCTUATION:
        start -= 1
    if start < at:
        return start, at
    end = at
    while end < len(text) and end - at < _PHRASE and text[end] not in _PUNCTUATION:
        end += 1
    return at, max(end, min(at + 1, len(text)))


def _replacements(old: str, new: str) -> list[tuple[str, str]] | None:
    """The (old words, new words) pairs turning `old` into `new`, each unique in `old` and
    short; None when the change is too large to write word by word."""
    pieces = readable_diff(old, new, min_equal=_JOIN_BELOW)
    ops: list[list[int]] = []  # [a0, a1, b0, b1] spans of changes
    a = b = 0
    for piece in pieces:
        size = len(piece.text)
        if piece.kind == SAME:
            a, b = a + size, b + size
            continue
        if not ops or ops[-1][1] != a or ops[-1][3] != b:
            ops.append([a, a, b, b])
        if piece.kind == "deleted":
            a += size
            ops[-1][1] = a
        else:
            b += size
            ops[-1][3] = b
    if not ops or len(ops) > _MAX_CHANGES:
        return None
    pairs: list[tuple[str, str]] = []
    for a0, a1, b0, b1 in ops:
        if (a1 - a0) + (b1 - b0) > _SMALL_CHANGE:
            return None
        if a1 == a0:  # an insertion: name the words before it (or after it) as replaced
            widened = _unique(old, *_phrase_around(old, a0))
        else:
            widened = _unique(old, a0, a1)
        if widened is None:
            return None
        w0, w1 = widened
        before, after = old[w0:a0], old[a1:w1]
        pairs.append((old[w0:w1], before + new[b0:b1] + after))
    return pairs


def wording(place: str, old: str, new: str) -> str | None:
    """ "将第五条第二款中的“甲”修改为“乙”。" or "删去…中的“甲”。", or None."""
    pairs = _replacements(old, new)
    if pairs is None:
        return None
    if len(pairs) == 1 and not pairs[0][1]:
        return f"删去{place}中的“{pairs[0][0]}”。"
    if any(not after for _, after in pairs):
        return None
    changes = "，".join(f"“{before}”修改为“{after}”" for before, after in pairs)
    return f"将{place}中的{changes}。"
