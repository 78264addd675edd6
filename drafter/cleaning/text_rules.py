"""Line-level rules: whitespace and markup, pinyin annotations, half-width punctuation."""

from __future__ import annotations

import re

from drafter.cleaning.chinese_script import is_hanzi
from drafter.cleaning.report import CleaningReport

# Spaces a web page leaves behind: NBSP, thin, zero-width, BOM. The ideographic space
# U+3000 is not odd: a draft's placeholders ("自　　年　　月　　日起施行") are written with
# it, and a line's ends are stripped of it anyway.
_ODD_SPACES = re.compile("[\u00a0\u2000-\u200a\u202f\u205f]")
_INVISIBLE = re.compile("[\u200b-\u200d\u2060\ufeff]")
# Characters str.splitlines takes for line breaks but a .txt or .docx line never ends with
# (vertical tab, form feed, separators): removed, so that they never start a 款.
_STRAY_BREAKS = re.compile("[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_HTML_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>")
_MARKDOWN_HEADING = re.compile(r"^\s*#{1,6}\s+")

# "法規(guī)": a pinyin syllable with a tone mark (or ü) in ASCII parentheses right after an
# ideograph. Real parentheses hold Chinese (区(市)), capitals (BT, PPP) or numerals.
_PINYIN_SYLLABLE = r"[a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü][a-zü]*"
_PINYIN_ANNOTATION = re.compile(rf"(?<=[\u4e00-\u9fff\u3400-\u4dbf])\((?:{_PINYIN_SYLLABLE})\)")

_FULL_WIDTH = {",": "，", ";": "；", ":": "：", "(": "（", ")": "）", "!": "！", "?": "？"}


def normalise_whitespace_and_markup(text: str, report: CleaningReport) -> str:
    """Odd spaces to plain ones, markup removed, each line stripped."""
    count = 0
    text, n = _HTML_COMMENT.subn("", text)
    count += n
    text, n = _HTML_TAG.subn("", text)
    count += n
    text, n = _INVISIBLE.subn("", text)
    count += n
    text, n = _STRAY_BREAKS.subn("", text)
    count += n
    text, n = _ODD_SPACES.subn(" ", text)
    count += n
    lines = []
    for line in text.split("\n"):
        line, n = _MARKDOWN_HEADING.subn("", line)
        count += n
        lines.append(line.strip())
    if count:
        report.replace("whitespace", "", "", count)
    return "\n".join(lines)


def remove_pinyin_annotations(text: str, report: CleaningReport) -> str:
    """Drop "(guī)"-style annotations inserted by a broken converter."""

    def _drop(match: re.Match) -> str:
        report.replace("pinyin", match.group(0), "")
        return ""

    return _PINYIN_ANNOTATION.sub(_drop, text)


def _is_cjk_context(ch: str) -> bool:
    return (
        is_hanzi(ch)
        or ("\u3000" <= ch <= "\u303f")
        or ("\uff00" <= ch <= "\uffef")
        or ch in "“”‘’《》、…—"
    )


def _is_latin_or_digit(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch in "-./%+")


def to_full_width_punctuation(line: str, report: CleaningReport) -> str:
    """Half-width , ; : ( ) ! ? in Chinese text → full width; Latin and numbers keep ASCII."""
    chars = list(line)
    pairs = _match_parentheses(line)
    for index, ch in enumerate(chars):
        if ch not in _FULL_WIDTH:
            continue
        if ch in "()":
            if index not in pairs:
                convert = _neighbour_is_cjk(line, index)
            else:
                convert = _parenthesis_is_chinese(line, *sorted((index, pairs[index])))
        else:
            before = line[index - 1] if index > 0 else ""
            after = line[index + 1] if index + 1 < len(line) else ""
            # 13:44, 1,000 and IPv6 stay ASCII; anything touching Chinese becomes full width.
            convert = not (_is_latin_or_digit(before) and _is_latin_or_digit(after)) and (
                _is_cjk_context(before) or _is_cjk_context(after) or not after or after == " "
            )
        if convert:
            chars[index] = _FULL_WIDTH[ch]
            report.replace("punctuation", ch, _FULL_WIDTH[ch])
    return "".join(chars)


def _match_parentheses(line: str) -> dict[int, int]:
    pairs: dict[int, int] = {}
    stack: list[int] = []
    for index, ch in enumerate(line):
        if ch == "(":
            stack.append(index)
        elif ch == ")" and stack:
            open_index = stack.pop()
            pairs[open_index] = index
            pairs[index] = open_index
    return pairs


def _neighbour_is_cjk(line: str, index: int) -> bool:
    before = line[index - 1] if index > 0 else ""
    after = line[index + 1] if index + 1 < len(line) else ""
    return _is_cjk_context(before) or _is_cjk_context(after)


def _parenthesis_is_chinese(line: str, open_index: int, close_index: int) -> bool:
    # (BT) after 建设-移交 is Chinese text; f(x) in a formula is not.
    inside = line[open_index + 1 : close_index]
    before = line[open_index - 1] if open_index > 0 else ""
    after = line[close_index + 1] if close_index + 1 < len(line) else ""
    return (
        any(_is_cjk_context(ch) for ch in inside)
        or _is_cjk_context(before)
        or _is_cjk_context(after)
        or not before
    )
