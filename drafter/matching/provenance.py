"""Provenance measure: how much of a draft text comes from a source text, and its label.

Both texts are normalised first (script, punctuation, city names and labels; see
normalize.py). Two figures come out of a comparison:

- **similarity** (相似度, 0–100): `fuzz.ratio` of the normalised texts — the share of the
  two texts, taken together, that matches. This is the one figure shown to the drafter
  (`drafter show --sources`, the 来源 panel, the 对照表, comments), so it alone decides the
  label;
- **share**: the fraction of the draft credited to the source. A draft character is
  credited when it lies in a run of at least `MIN_RUN` consecutive characters that also
  occurs in the source (in any place, so reordered sentences still count); stray common
  characters such as 的 or 应 never are. Shares split an article over several sources
  (`attribute_sources`), highlight the copied words and decide which discovered sources
  are worth proposing; they never decide a label.

The label rule (`label_for`), monotonic in the similarity shown:

- 照搬 (copied): similarity ≥ 85 — the source with at most small edits such as a word or
  two, and no substantive edit;
- 修改 (modified): similarity ≥ 40, or ≥ 85 with a substantive edit — the source
  rewritten, cut down or extended;
- 参考 (referenced): similarity < 40 — the same topic in mostly other words.

A **substantive edit** (`substantive_edits`) makes a clause 修改 at most, however high
its similarity: a changed enforcing body or other organ (市大数据管理局 → 市政务服务数据
管理局, 市人民政府 → 县级以上人民政府, any …部门/机构/局/委员会 name), a changed
cross-reference (第十六条 → 第六条) or a changed number (十五日 → 三十日, 五万元 → 十万元,
dates, percentages). City names, city labels and county-tier forms are folded first, so
localising an adopted clause (海口市人民政府 → 市人民政府, 智慧蓉城 → 智慧城市) is not one.

With several sources each draft character is credited once: sources are taken in order
of how much of the draft they cover, and a later source only gets characters not yet
credited. What no source covers is new text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

from drafter.matching.normalize import default_normalizer, fold_chars, to_spans
from drafter.statute.local_terms import (
    CITY_LABELS,
    CITY_NAMES,
    COUNTY_TIER_FORMS,
    REGIONAL_NAMES,
)

MIN_RUN = 4
COPIED_SIMILARITY = 85.0
MODIFIED_SIMILARITY = 40.0

LABEL_COPIED = "照搬"
LABEL_MODIFIED = "修改"
LABEL_REFERENCED = "参考"


@dataclass(frozen=True)
class ProvenanceMeasure:
    """How a draft text relates to one source text."""

    share: float
    similarity: float
    label: str
    # Original character ranges of the draft credited to the source.
    draft_spans: list[tuple[int, int]] = field(default_factory=list)
    # Kinds of substantive edit found (see `substantive_edits`), e.g. ("机构",).
    substantive: tuple[str, ...] = ()


@dataclass(frozen=True)
class SourceAttribution:
    """How a draft text splits over several sources; each character credited once."""

    shares: list[float]
    new_share: float
    # Per source, original character ranges of the draft credited to it.
    draft_spans: list[list[tuple[int, int]]] = field(default_factory=list)


def coverage_mask(draft_norm: str, source_norm: str, min_run: int = MIN_RUN) -> list[bool]:
    """Which draft characters lie in a run of ≥ min_run characters also found in the source."""
    mask = [False] * len(draft_norm)
    if len(draft_norm) < min_run or len(source_norm) < min_run:
        return mask
    grams = {source_norm[i : i + min_run] for i in range(len(source_norm) - min_run + 1)}
    for i in range(len(draft_norm) - min_run + 1):
        if draft_norm[i : i + min_run] in grams:
            for j in range(i, i + min_run):
                mask[j] = True
    return mask


def label_for(similarity: float, substantive: bool = False) -> str:
    """The label for the similarity shown, by the rule in the module docstring.

    A function of the shown figure alone (and of whether the edit is substantive), so a
    higher similarity never gets a weaker label.
    """
    if similarity >= COPIED_SIMILARITY and not substantive:
        return LABEL_COPIED
    if similarity >= MODIFIED_SIMILARITY:
        return LABEL_MODIFIED
    return LABEL_REFERENCED


# -- substantive edits -------------------------------------------------------------------

EDIT_BODY = "机构"
EDIT_CROSS_REFERENCE = "引用条文"
EDIT_NUMBER = "数字"

_NUMERAL = "零〇一二两三四五六七八九十百千万亿"
# 第十六条, 第二款, 第3项: a cross-reference (in the draft's own numbering or the source's).
_CROSS_REFERENCE = re.compile(f"第[{_NUMERAL}0-9]+[编章节条款项目]")
# A quantity: Arabic digits anywhere (dates, amounts, document numbers), or Chinese
# numerals before a unit (十五日, 五万元, 三个月, 百分之五); a bare numeral inside a word
# (统一, 一体化, 进一步) is not a quantity.
_UNITS = (
    "个工作日|工作日|个月|日|天|小时|周|月|年|元|万元|亿元|倍|人|次|项|家|名|公里|米|"
    "平方米|周岁|岁|分之|%|％"
)
_QUANTITY = re.compile(f"[0-9][0-9.．]*[%％]?|百分之[{_NUMERAL}]+|[{_NUMERAL}]+(?:{_UNITS})")
# The head words of organ names. 局 is not the 局 of 布局/格局/大局/结局.
_BODY_HEADS = re.compile(
    "人民政府|政府|管委会|委员会|部门|机构|办公室|管理局|(?<![布格全大结开终当])局|厅"
)
# Words that end a name when met to its right: the change before them is not in it.
_NAME_BREAKS = re.compile(
    "^(?:应当|负责|会同|报请|提请|报送|报|请|经|交|按照|根据|依法|可以|有关|相关|其他|以及|或者|和|及|与|或|并|等|的|对|向|将|在|由|为|"
    "[^\u3400-\u9fff])"
)
# How far right of a change an organ's head word may stand and the change still be in
# its name (市大数据管理局: 大 → 政务服务 is 5 characters before 局).
_NAME_REACH = 8
# What a city name folds to; adding or dropping it alone is no substantive edit.
_CITY_ONLY = ("", "市")


@lru_cache(maxsize=8)
def _local_fold_pattern(extra: tuple[str, ...]) -> tuple[re.Pattern[str], dict[str, str]]:
    replacements: dict[str, str] = {}
    for city, shorts in CITY_NAMES.items():
        for name in (city, *shorts):
            replacements[name] = "市"
    for city in extra:
        if city:
            replacements[city] = "市"
            if city.endswith("市") and len(city) >= 3:
                replacements.setdefault(city[:-1], "市")
    replacements["本市"] = "市"
    for label, generic in CITY_LABELS.items():
        replacements[label] = generic
    for form in COUNTY_TIER_FORMS:
        replacements[form] = "区县"
    for name in REGIONAL_NAMES:
        replacements.setdefault(name, "区域")
    phrases = sorted(replacements, key=len, reverse=True)
    return re.compile("|".join(re.escape(p) for p in phrases)), replacements


def _fold_local(text: str, cities: tuple[str, ...]) -> str:
    """Text with place-bound names folded (so localisation is no edit) and no spaces."""
    pattern, replacements = _local_fold_pattern(cities)
    folded = pattern.sub(lambda m: replacements[m.group()], fold_chars(text))
    folded = re.sub(r"\s+", "", folded)
    return re.sub("市+", "市", folded)


def _touches(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """True if the changed range [start, end) overlaps a span (an insertion at `start`
    when end == start counts only strictly inside the span)."""
    if end == start:
        return any(s < start < e for s, e in spans)
    return any(s < end and start < e for s, e in spans)


def _in_body_name(text: str, start: int, end: int) -> bool:
    """True if the changed range [start, end) is part of an organ's name in `text`: it holds
    an organ's head word, or one stands a few characters to its right with nothing that
    ends a name in between."""
    if _BODY_HEADS.search(text, start, end):
        return True
    # A head word the change cuts into (管理局 → 管理委员会 changes inside the word).
    for match in _BODY_HEADS.finditer(text, max(0, start - 4), min(len(text), end + 4)):
        if match.start() < end and start < match.end() and end > start:
            return True
    # The change must sit inside a word: not after a break (an insertion) nor end with one.
    edge = end - 1 if end > start else start - 1
    if edge < 0 or _NAME_BREAKS.match(text[edge]):
        return False
    pos = end
    while pos < len(text) and pos - end <= _NAME_REACH:
        head = _BODY_HEADS.match(text, pos)
        if head is not None:
            return True
        if _NAME_BREAKS.match(text[pos:]):
            return False
        pos += 1
    return False


def substantive_edits(draft: str, source: str, cities: Sequence[str] = ()) -> tuple[str, ...]:
    """The kinds of substantive edit between a source and the draft made from it (see the
    module docstring): EDIT_BODY, EDIT_CROSS_REFERENCE, EDIT_NUMBER, in that order.

    `cities` are extra city names to fold, such as the draft's own city.
    """
    key = tuple(sorted(c for c in cities if c))
    a = _fold_local(source, key)
    b = _fold_local(draft, key)
    if a == b:
        return ()
    spans = {
        EDIT_CROSS_REFERENCE: (
            [m.span() for m in _CROSS_REFERENCE.finditer(a)],
            [m.span() for m in _CROSS_REFERENCE.finditer(b)],
        ),
        EDIT_NUMBER: (
            [m.span() for m in _QUANTITY.finditer(a)],
            [m.span() for m in _QUANTITY.finditer(b)],
        ),
    }
    found: set[str] = set()
    for opcode in Indel.opcodes(a, b):
        tag, i1, i2 = opcode.tag, opcode.src_start, opcode.src_end
        j1, j2 = opcode.dest_start, opcode.dest_end
        if tag == "equal":
            continue
        if a[i1:i2] in _CITY_ONLY and b[j1:j2] in _CITY_ONLY:
            continue  # the city named or not (公共机构 → 成都市公共机构): localisation
        if _in_body_name(a, i1, i2) or _in_body_name(b, j1, j2):
            found.add(EDIT_BODY)
        for kind, (in_a, in_b) in spans.items():
            if _touches(in_a, i1, i2) or _touches(in_b, j1, j2):
                found.add(kind)
    return tuple(k for k in (EDIT_BODY, EDIT_CROSS_REFERENCE, EDIT_NUMBER) if k in found)


def runs_of(mask: Sequence[bool]) -> list[tuple[int, int]]:
    """The [start, end) runs of True in a mask."""
    runs: list[tuple[int, int]] = []
    start = None
    for i, on in enumerate([*mask, False]):
        if on and start is None:
            start = i
        elif not on and start is not None:
            runs.append((start, i))
            start = None
    return runs


def compare_texts(
    draft: str, source: str, *, baseline: str | None = None, cities: Sequence[str] = ()
) -> ProvenanceMeasure:
    """Share of the draft taken from the source, their similarity, and a label.

    Substantive edits are looked for between `baseline` (the text as it entered the
    draft, when known: the source after localisation) and the draft; `cities` are extra
    city names, such as the draft's own, that localisation may have written.
    """
    normalizer = default_normalizer()
    draft_norm, offsets = normalizer.normalize_with_offsets(draft)
    source_norm = normalizer.normalize(source)
    if not draft_norm:
        return ProvenanceMeasure(0.0, 0.0, LABEL_REFERENCED)
    mask = coverage_mask(draft_norm, source_norm)
    share = sum(mask) / len(draft_norm)
    similarity = round(fuzz.ratio(draft_norm, source_norm), 1)
    spans = to_spans(offsets, runs_of(mask))
    # Only a label that would be 照搬 can be lowered by a substantive edit.
    edits = (
        substantive_edits(draft, baseline or source, cities)
        if similarity >= COPIED_SIMILARITY
        else ()
    )
    return ProvenanceMeasure(share, similarity, label_for(similarity, bool(edits)), spans, edits)


def attribute_sources(draft: str, sources: Sequence[str]) -> SourceAttribution:
    """Split the draft's characters over several sources, each credited once; the rest is new."""
    normalizer = default_normalizer()
    draft_norm, offsets = normalizer.normalize_with_offsets(draft)
    if not draft_norm:
        return SourceAttribution([0.0] * len(sources), 0.0, [[] for _ in sources])
    masks = [coverage_mask(draft_norm, normalizer.normalize(s)) for s in sources]
    credited = [False] * len(draft_norm)
    owned: list[list[bool]] = [[False] * len(draft_norm) for _ in sources]
    # Greedy cover: the source adding most uncredited characters claims them first.
    remaining = set(range(len(sources)))
    while remaining:
        gains = {
            i: sum(1 for j, on in enumerate(masks[i]) if on and not credited[j]) for i in remaining
        }
        index = max(sorted(remaining), key=lambda i: gains[i])
        remaining.discard(index)
        for j, on in enumerate(masks[index]):
            if on and not credited[j]:
                credited[j] = True
                owned[index][j] = True
    total = len(draft_norm)
    shares = [sum(m) / total for m in owned]
    new_share = 1.0 - sum(credited) / total
    spans = [to_spans(offsets, runs_of(m)) for m in owned]
    return SourceAttribution(shares, new_share, spans)
