"""Localising a clause adopted from another city's regulation; finding what ties text to a city.

Safe replacements only: the source city's full name becomes 本市 (or 市 before 人民政府,
人民代表大会, 、区…: 海口市人民政府 → 市人民政府), and a city label becomes its generic
term when the draft is about that term (智慧蓉城 → 智慧城市 in a 智慧城市 regulation).
Everything else that names a place — local bodies, regional strategies, other cities'
documents (鹰府发[2017]11号), short city names — is flagged for the drafter, never changed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from drafter.statute.local_terms import (
    CITY_COUNTY_TIER_FORMS,
    CITY_LABELS,
    CITY_NAMES,
    LOCAL_BODIES,
    REGIONAL_NAMES,
)

# 鹰府发[2017]11号, 海府办〔2020〕3号, 成办函(2019)12号
_DOCUMENT_RE = re.compile(
    r"[\u4e00-\u9fff]{1,2}办?[发函字令规办][〔\[［(（]\s*(?:19|20)\d{2}\s*[〕\]］)）]\s*\d+\s*号"
)
# After these, a city's full name means the city's own organ (海口市人民政府 → 市人民政府).
_ORGAN_PREFIXES = ("人民政府", "人民代表大会", "、区", "、县", "和区", "和县", "级", "政府")


@dataclass
class Finding:
    """A place-bound term in a text: what, where, and how to describe it."""

    # other_city | city_label | county_tier | local_body | regional_name | other_document
    kind: str
    term: str
    start: int
    end: int

    @property
    def message(self) -> str:
        return {
            "other_city": f"出现其他城市名称“{self.term}”，请改为本市或删除",
            "city_label": f"出现其他城市的特定称谓“{self.term}”，请改为通用表述",
            "county_tier": f"出现其他城市特有的区县称谓“{self.term}”，请改为本市的表述",
            "local_body": f"出现特定地方机构“{self.term}”，请核对本市是否有对应机构",
            "regional_name": f"出现特定地区或区域战略“{self.term}”，请核对是否适用于本市",
            "other_document": f"出现其他城市的文件“{self.term}”，请删除或换成本市依据",
        }[self.kind]


def _city_forms(city: str) -> set[str]:
    """A city's full name and short forms (成都市 → 成都市, 成都, 蓉城)."""
    forms = {city} if city else set()
    for full, shorts in CITY_NAMES.items():
        if city and (city == full or city in shorts):
            forms |= {full, *shorts}
    if city.endswith("市") and len(city) > 2:
        forms.add(city[:-1])
    return forms


def find_local_terms(text: str, draft_city: str = "") -> list[Finding]:
    """Every term that ties the text to another city or place, in order, without overlaps."""
    own = _city_forms(draft_city)
    candidates: list[Finding] = []
    for label in CITY_LABELS:
        candidates += [
            Finding("city_label", label, m.start(), m.end())
            for m in re.finditer(re.escape(label), text)
        ]
    for city, forms in CITY_COUNTY_TIER_FORMS.items():
        if city in own:
            continue
        for form in forms:
            candidates += [
                Finding("county_tier", form, m.start(), m.end())
                for m in re.finditer(re.escape(form), text)
            ]
    for match in _DOCUMENT_RE.finditer(text):
        candidates.append(Finding("other_document", match.group(), match.start(), match.end()))
    for body in LOCAL_BODIES:
        candidates += [
            Finding("local_body", body, m.start(), m.end())
            for m in re.finditer(re.escape(body), text)
        ]
    for name in REGIONAL_NAMES:
        candidates += [
            Finding("regional_name", name, m.start(), m.end())
            for m in re.finditer(re.escape(name), text)
        ]
    for full, shorts in CITY_NAMES.items():
        for form in (full, *shorts):
            if form in own:
                continue
            candidates += [
                Finding("other_city", form, m.start(), m.end())
                for m in re.finditer(re.escape(form), text)
            ]
    # Longest first, so 智慧蓉城 hides 蓉城 and 海南自由贸易港 hides 自由贸易港.
    candidates.sort(key=lambda f: (-(f.end - f.start), f.start))
    kept: list[Finding] = []
    for finding in candidates:
        if all(finding.end <= k.start or finding.start >= k.end for k in kept):
            kept.append(finding)
    return sorted(kept, key=lambda f: f.start)


@dataclass
class Localised:
    """The adopted text after localisation, what was replaced, and what needs review."""

    text: str
    replacements: list[tuple[str, str]] = field(default_factory=list)
    flags: list[Finding] = field(default_factory=list)


def localise(text: str, source_city: str, draft_title: str, draft_city: str = "") -> Localised:
    """Replace what is safe to replace; flag the rest (see the module docstring)."""
    replacements: list[tuple[str, str]] = []
    # Named local bodies (智慧蓉城运行中心) are flagged as a whole, so labels inside them stay.
    bodies = re.compile("|".join(re.escape(b) for b in sorted(LOCAL_BODIES, key=len, reverse=True)))
    pieces = bodies.split(text)
    kept_bodies = bodies.findall(text)
    for label, generic in CITY_LABELS.items():
        if generic in draft_title and any(label in piece for piece in pieces):
            pieces = [piece.replace(label, generic) for piece in pieces]
            replacements.append((label, generic))
    text = pieces[0] + "".join(b + p for b, p in zip(kept_bodies, pieces[1:], strict=True))
    full_names = {source_city} | {
        full for full, shorts in CITY_NAMES.items() if source_city in shorts
    }
    for full in sorted((n for n in full_names if n.endswith("市")), key=len, reverse=True):
        if full == draft_city:
            continue

        def replace(match: re.Match, full: str = full, text: str = text) -> str:
            after = text[match.end() : match.end() + 5]
            before = text[max(0, match.start() - 1) : match.start()]
            if before == "《":
                return full  # the title of another city's document: flagged, not rewritten
            new = "市" if after.startswith(_ORGAN_PREFIXES) else "本市"
            replacements.append((full, new))
            return new

        text = re.sub(re.escape(full), replace, text)
    text = text.replace("本市市", "本市")
    return Localised(text, replacements, find_local_terms(text, draft_city))
