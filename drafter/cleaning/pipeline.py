"""The cleaning pipeline: collected text → clean Simplified lines, damaged spans set aside."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from drafter.cleaning.chinese_script import to_simplified
from drafter.cleaning.controls import remove_controls
from drafter.cleaning.mojibake import RawDamage, find_damage
from drafter.cleaning.report import CleaningReport
from drafter.cleaning.taiwan_terms import has_taiwan_signature, restore_mainland_terms
from drafter.cleaning.text_rules import (
    normalise_whitespace_and_markup,
    remove_pinyin_annotations,
    to_full_width_punctuation,
)

# Damaged spans travel through the other rules as ⟦n⟧ so that no rule can alter them.
_PLACEHOLDER = re.compile(r"⟦(\d+)⟧")


@dataclass
class CleanedText:
    """Clean lines (damaged spans still as ⟦n⟧ placeholders) and what cleaning did."""

    lines: list[str]
    damages: list[RawDamage]
    report: CleaningReport = field(default_factory=CleaningReport)
    taiwan_vocabulary: bool = False

    def restore(self, text: str) -> tuple[str, list[tuple[int, int, RawDamage]]]:
        """Put damaged spans back verbatim; returns the text and (start, end, damage) triples."""
        pieces: list[str] = []
        spans: list[tuple[int, int, RawDamage]] = []
        position = 0
        length = 0
        for match in _PLACEHOLDER.finditer(text):
            before = text[position : match.start()]
            pieces.append(before)
            length += len(before)
            damage = self.damages[int(match.group(1))]
            spans.append((length, length + len(damage.text), damage))
            pieces.append(damage.text)
            length += len(damage.text)
            position = match.end()
        pieces.append(text[position:])
        return "".join(pieces), spans

    def restore_plain(self, text: str) -> str:
        """The text with damaged spans put back."""
        return self.restore(text)[0]


def clean_text(raw: str) -> CleanedText:
    """Run every cleaning rule over a regulation as collected; line structure is kept."""
    report = CleaningReport()
    text = raw.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    text = remove_controls(text, report)  # first: no later rule should see an escape
    damages = find_damage(text)
    text = _protect(text, damages)
    text = normalise_whitespace_and_markup(text, report)
    text = remove_pinyin_annotations(text, report)
    simplified = to_simplified(text)
    changed = _count_changed_characters(text, simplified)
    if changed:
        report.replace("t2s", "", "", changed)
    text = simplified
    taiwan = has_taiwan_signature(text)
    if taiwan:
        text = restore_mainland_terms(text, report)
    lines = [to_full_width_punctuation(line, report) for line in text.split("\n")]
    return CleanedText(lines=lines, damages=damages, report=report, taiwan_vocabulary=taiwan)


def _protect(text: str, damages: list[RawDamage]) -> str:
    for index in range(len(damages) - 1, -1, -1):
        damage = damages[index]
        text = text[: damage.start] + f"⟦{index}⟧" + text[damage.end :]
    return text


def _count_changed_characters(before: str, after: str) -> int:
    if len(before) == len(after):
        return sum(1 for a, b in zip(before, after, strict=True) if a != b)
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    return sum(
        max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"
    )
