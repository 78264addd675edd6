"""Script conversion and character classes: OpenCC t2s, and what counts as a common character."""

from __future__ import annotations

from functools import cache

import opencc

# Only the character-level t2s conversion: the phrase converters (tw2sp, tw2s with
# phrases) rewrite vocabulary (智慧城市→智能城市, 建立→创建) and would corrupt the law.
_T2S = opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional → Simplified with OpenCC `t2s`."""
    changing = _changing_characters()
    # Most regulations are simplified already, and the pure-Python converter walks every
    # character through its phrase tree (18 ms for a 50-article regulation); a text with
    # no character t2s maps elsewhere comes back unchanged, so it is returned as it is.
    if not changing:
        return _T2S.convert(text)
    if changing.isdisjoint(text):
        return text
    # Only the lines that hold such a character are converted (phrases do not run across a
    # line break): a regulation with a handful of traditional characters costs a few lines.
    lines = text.split("\n")
    return "\n".join(line if changing.isdisjoint(line) else _T2S.convert(line) for line in lines)


@cache
def _changing_characters() -> frozenset[str]:
    """Every character t2s may change: the keys of its character table that map to
    something else. A phrase rule only changes characters that are such keys (the phrase
    table settles which of several simplified forms a traditional character takes).
    Empty when the table cannot be read: then every text is converted."""
    from pathlib import Path

    changing: set[str] = set()
    try:
        table = Path(opencc.__file__).parent / "dictionary" / "TSCharacters.txt"
        for line in table.read_text(encoding="utf-8").splitlines():
            parts = line.split()
            if len(parts) >= 2 and any(value != parts[0] for value in parts[1:]):
                changing.add(parts[0])
        phrases = Path(opencc.__file__).parent / "dictionary" / "TSPhrases.txt"
        for line in phrases.read_text(encoding="utf-8").splitlines():
            parts = line.split()
            if len(parts) >= 2:
                # The characters a phrase rule changes (where key and value differ).
                key, value = parts[0], parts[1]
                changing.update(k for k, v in zip(key, value, strict=False) if k != v)
    except OSError:
        return frozenset()
    return frozenset(changing)


def is_hanzi(ch: str) -> bool:
    """A CJK unified ideograph (basic block or extensions)."""
    code = ord(ch)
    return (
        0x4E00 <= code <= 0x9FFF
        or 0x3400 <= code <= 0x4DBF
        or 0x20000 <= code <= 0x3134F
        or 0xF900 <= code <= 0xFAFF
    )


@cache
def _gb2312_level1() -> frozenset[str]:
    # GB2312 level 1 (rows 16–55) holds the 3,755 most frequent characters.
    chars = set()
    for high in range(0xB0, 0xD8):
        for low in range(0xA1, 0xFF):
            try:
                chars.add(bytes((high, low)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return frozenset(chars)


@cache
def is_common_hanzi(ch: str) -> bool:
    """A frequent character (GB2312 level 1), in either script."""
    if not is_hanzi(ch):
        return False
    common = _gb2312_level1()
    return ch in common or to_simplified(ch) in common


def has_traditional(text: str) -> bool:
    """Whether t2s would change anything in the text."""
    return to_simplified(text) != text
