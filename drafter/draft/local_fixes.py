"""One-click fixes for what the checks find, offered only where the fix is certain.

Certain localisation fixes (each turns another city's wording into the draft's own):
- another city's full name → 本市, or 市 before 人民政府 and the like, as adoption does;
- another city's short name (鹰潭, 蓉城) → 本市, unless it starts the name of one
  particular place or body (海口港, 济宁国家高新技术产业开发区, 海口江东新区);
- a city label → its generic term when the draft is about that term (智慧蓉城 → 智慧城市 in
  a 智慧城市 regulation), else the same label for the draft's city (智慧蓉城 → 智慧深圳);
- another city's own county-tier wording (区（市）县) → the draft's form (the one it already
  uses, else 县（市、区）).
Nothing inside a document title (《成都市…》) is changed. Local bodies, regional strategies and
documents need the drafter's judgement. Half-width punctuation next to Chinese text becomes
full width (with its bracket partner).

A fix is applied with `apply_text_fix`, one core operation (one undo step).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from drafter.draft.changes import Change, apply_change
from drafter.draft.document import Draft
from drafter.draft.localisation import _ORGAN_PREFIXES, Finding, find_local_terms
from drafter.draft.operations import DraftOperationError, _article
from drafter.statute.local_terms import (
    CITY_COUNTY_TIER_FORMS,
    CITY_LABELS,
    CITY_NAMES,
    GENERIC_COUNTY_TIER_FORMS,
    LOCAL_BODIES,
    PLACE_NAME_CONTINUATIONS,
    REGIONAL_NAMES,
)

DEFAULT_COUNTY_TIER = GENERIC_COUNTY_TIER_FORMS[0]
# A half-width mark next to a Chinese character (字,字 / 字(注) / 字:), not inside numbers.
HALF_WIDTH_RE = re.compile(r"(?<=[\u4e00-\u9fff])[,;:?!()]|[,;:?!()](?=[\u4e00-\u9fff])")
FULL_WIDTH = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
# 某市, ××市, XX市: a draft whose city is not named yet has no short name of its own.
_PLACEHOLDER_CITY = re.compile(r"[某×XxＸｘ*＊○]")


@dataclass(frozen=True)
class LocalContext:
    """What a localisation fix needs to know about the draft."""

    title: str
    city: str = ""
    county_form: str = DEFAULT_COUNTY_TIER


@dataclass(frozen=True)
class TextFix:
    """Replace the whole text of one slot (款 `paragraph`, 项 `item`, -1: the 款 text)."""

    label: str  # user-facing, e.g. 改为“本市”
    paragraph: int  # 0-based
    item: int
    old: str
    new: str


def own_short_name(city: str) -> str:
    """成都市 → 成都, 深圳市 → 深圳; "" for a placeholder (某市) or a form we cannot shorten."""
    if city in CITY_NAMES:
        return CITY_NAMES[city][0]
    if city.endswith("市") and len(city) > 2 and not _PLACEHOLDER_CITY.search(city):
        return city[:-1]
    return ""


def own_county_form(texts: Iterable[str], city: str) -> str:
    """The county-tier wording the draft uses most, else its city's own, else 县（市、区）."""
    full = next((f for f, shorts in CITY_NAMES.items() if city == f or city in shorts), city)
    own_specific = CITY_COUNTY_TIER_FORMS.get(full, [])
    # Longest first, so that 区（市）县 is not also counted as the 区（市） inside it.
    forms = sorted([*GENERIC_COUNTY_TIER_FORMS, *own_specific], key=len, reverse=True)
    used: Counter[str] = Counter()
    for text in texts:
        for form in forms:
            used[form] += text.count(form)
            text = text.replace(form, "")
    if used and used.most_common(1)[0][1]:
        return used.most_common(1)[0][0]
    return own_specific[0] if own_specific else DEFAULT_COUNTY_TIER


def draft_texts(draft: Draft) -> Iterable[str]:
    for article in draft.articles():
        for location in draft.locations(article):
            yield draft.get_text(article, location)


def local_context(draft: Draft) -> LocalContext:
    return LocalContext(draft.title, draft.city, own_county_form(draft_texts(draft), draft.city))


def _inside_title(text: str, start: int) -> bool:
    """Inside 《…》: the name of another city's document, which must stay as it is."""
    opened = text.rfind("《", 0, start)
    return opened >= 0 and text.find("》", opened, start) < 0


def _starts_a_place_name(text: str, end: int) -> bool:
    after = text[end : end + 12]
    return after.startswith(PLACE_NAME_CONTINUATIONS) or any(
        after.startswith(name) for name in (*REGIONAL_NAMES, *LOCAL_BODIES)
    )


def certain_replacement(
    text: str,
    finding: Finding,
    draft_title: str,
    draft_city: str = "",
    county_form: str = DEFAULT_COUNTY_TIER,
) -> str | None:
    """What the finding's term should become, or None when only the drafter can tell."""
    if _inside_title(text, finding.start):
        return None
    if finding.kind == "other_city":
        if finding.term in CITY_NAMES:
            organ = text[finding.end : finding.end + 5].startswith(_ORGAN_PREFIXES)
            return "市" if organ else "本市"
        return None if _starts_a_place_name(text, finding.end) else "本市"
    if finding.kind == "city_label":
        generic = CITY_LABELS.get(finding.term)
        if generic and generic in draft_title:
            return generic
        own = own_short_name(draft_city)
        for shorts in CITY_NAMES.values():
            for short in shorts:
                if own and short in finding.term and own not in shorts:
                    return finding.term.replace(short, own)
        return None
    if finding.kind == "county_tier":
        return county_form or None
    return None


def apply_fix(text: str, finding: Finding, replacement: str) -> str:
    """The text with the finding's span replaced."""
    return text[: finding.start] + replacement + text[finding.end :]


def fix_term(text: str, term: str, context: LocalContext) -> tuple[str, list[str]] | None:
    """The text with every certain fix of `term` applied, and the replacements used."""
    findings = [f for f in find_local_terms(text, context.city) if f.term == term]
    used: list[str] = []
    # Right to left, so earlier spans stay valid; each replacement is decided on the
    # original text (市 before 人民政府 looks at what follows the name there).
    for finding in reversed(findings):
        replacement = certain_replacement(
            text, finding, context.title, context.city, context.county_form
        )
        if replacement is not None:
            text = apply_fix(text, finding, replacement)
            used.append(replacement)
    return (text, sorted(set(used))) if used else None


def local_term_fix(
    text: str, term: str, context: LocalContext, paragraph: int, item: int
) -> TextFix | None:
    """A TextFix for every certain occurrence of `term` in one text slot, or None."""
    fixed = fix_term(text, term, context)
    if fixed is None:
        return None
    new, used = fixed
    label = f"将“{term}”改为“{used[0]}”" if len(used) == 1 else f"将“{term}”改为本市的表述"
    return TextFix(label, paragraph, item, text, new)


def fix_half_width(text: str) -> str:
    """Half-width punctuation next to Chinese text made full width; brackets keep their pair."""
    wanted = {m.start() for m in HALF_WIDTH_RE.finditer(text)}
    stack: list[int] = []
    partner: dict[int, int] = {}
    for index, char in enumerate(text):
        if char == "(":
            stack.append(index)
        elif char == ")" and stack:
            opened = stack.pop()
            partner[opened], partner[index] = index, opened
    wanted |= {partner[i] for i in wanted if i in partner}
    return "".join(FULL_WIDTH[c] if i in wanted else c for i, c in enumerate(text))


def half_width_fix(text: str, paragraph: int, item: int) -> TextFix | None:
    new = fix_half_width(text)
    return TextFix("改为全角标点", paragraph, item, text, new) if new != text else None


def apply_text_fix(draft: Draft, uid: str, fix: TextFix) -> Change:
    """Apply a fix as one operation; refused if the text changed since the fix was computed."""
    article = _article(draft, uid)
    location = (fix.paragraph, fix.item)
    try:
        current = draft.get_text(article, location)
    except IndexError:
        raise DraftOperationError(f"{article.label}中已没有要修正的位置") from None
    if current != fix.old:
        raise DraftOperationError(f"{article.label}的这段文字已经改动，请等检查刷新后再修正")

    def body() -> str:
        draft.set_text(article, location, fix.new)
        draft.rebind_location(article, location, fix.old)
        return f"{article.label}：{fix.label}"

    return apply_change(draft, "text_fix", body)
