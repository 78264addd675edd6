"""The cleaning report: everything removed, replaced or flagged, so a drafter can audit it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class CleaningReport:
    """What cleaning did to one text.

    removed: whole lines dropped (junk, notices) with the reason;
    replaced: counted substitutions per rule ("t2s", "pinyin", "taiwan_term", …);
    flagged: damaged spans kept verbatim for a human to check.
    """

    removed: list[dict] = field(default_factory=list)
    replaced: Counter = field(default_factory=Counter)
    replacement_examples: dict[str, list[str]] = field(default_factory=dict)
    flagged: list[dict] = field(default_factory=list)

    def remove(self, line: str, reason: str) -> None:
        """Record a dropped line."""
        if line.strip():
            self.removed.append({"text": line.strip(), "reason": reason})

    def replace(self, rule: str, before: str, after: str, count: int = 1) -> None:
        """Record `count` substitutions of one rule, keeping a few examples."""
        key = f"{rule}: {before} → {after}" if before else rule
        self.replaced[key] += count
        examples = self.replacement_examples.setdefault(rule, [])
        if len(examples) < 20 and before and f"{before}→{after}" not in examples:
            examples.append(f"{before}→{after}")

    def count(self, rule: str) -> int:
        """How many substitutions one rule made."""
        return sum(n for key, n in self.replaced.items() if key.split(":")[0] == rule)

    def flag(self, text: str, reason: str, where: str = "", suggestion: str = "") -> None:
        """Record a damaged span."""
        entry = {"text": text, "reason": reason, "where": where}
        if suggestion:
            entry["suggestion"] = suggestion
        self.flagged.append(entry)

    def _rules(self) -> set[str]:
        return {key.split(":")[0] for key in self.replaced}

    def to_json(self) -> dict:
        return {
            "removed": list(self.removed),
            "replaced": [
                {"rule": rule, "count": count} for rule, count in sorted(self.replaced.items())
            ],
            "flagged": list(self.flagged),
        }

    @classmethod
    def from_json(cls, data: dict) -> CleaningReport:
        report = cls(removed=list(data.get("removed", [])), flagged=list(data.get("flagged", [])))
        for entry in data.get("replaced", []):
            report.replaced[entry["rule"]] = entry["count"]
        return report

    def summary_lines(self) -> list[str]:
        """Short Chinese lines for the CLI."""
        lines = [f"删除 {len(self.removed)} 行（公告、联系方式、页面杂项等）"]
        rule_totals = Counter({rule: self.count(rule) for rule in self._rules()})
        names = {
            "t2s": "繁体转简体",
            "pinyin": "删除拼音注音",
            "taiwan_term": "台湾用语还原",
            "punctuation": "半角标点改全角",
            "whitespace": "空白与标记整理",
            "control": "删除控制字符与终端转义序列",
        }
        for rule, count in sorted(rule_totals.items()):
            lines.append(f"{names.get(rule, rule)}：{count} 处")
        if self.flagged:
            lines.append(f"标记损坏文字 {len(self.flagged)} 处")
        return lines
