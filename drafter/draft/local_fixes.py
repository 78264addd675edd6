"""One-click fixes for localisation findings, offered only where the fix is certain.

Certain: another city's full name (海口市 → 本市, or 市 before 人民政府 and the like, as
adoption does) unless it is inside a document title (《海口市…》); a city label whose
generic term the draft is about (智慧蓉城 → 智慧城市 in a 智慧城市 regulation). Local
bodies, regional strategies, documents and short city names need the drafter's judgement.
"""

from __future__ import annotations

from drafter.draft.localisation import _ORGAN_PREFIXES, Finding
from drafter.statute.local_terms import CITY_LABELS, CITY_NAMES


def certain_replacement(text: str, finding: Finding, draft_title: str) -> str | None:
    """What the finding's term should become, or None when only the drafter can tell."""
    if finding.kind == "other_city":
        if finding.term not in CITY_NAMES or not finding.term.endswith("市"):
            return None  # a short name (海口) may be part of another word (海口港)
        if text[max(0, finding.start - 1) : finding.start] == "《":
            return None
        return "市" if text[finding.end : finding.end + 5].startswith(_ORGAN_PREFIXES) else "本市"
    if finding.kind == "city_label":
        generic = CITY_LABELS.get(finding.term)
        return generic if generic and generic in draft_title else None
    return None


def apply_fix(text: str, finding: Finding, replacement: str) -> str:
    """The text with the finding's span replaced."""
    return text[: finding.start] + replacement + text[finding.end :]
