"""A reference regulation in the library: its statute, explanation and provenance of the text."""

from __future__ import annotations

from dataclasses import dataclass, field

from drafter.cleaning import CleaningReport
from drafter.library.store import Correction
from drafter.statute.model import DamagedSpan, Statute


@dataclass
class Reference:
    """A cleaned, parsed reference regulation."""

    id: str
    city: str
    title: str
    status: str
    statute: Statute
    origin: str  # "bundled" or "imported"
    province: str = ""
    dates: dict[str, str] = field(default_factory=dict)
    explanation: str = ""
    explanation_title: str = ""
    explanation_damaged: list[DamagedSpan] = field(default_factory=list)
    report: CleaningReport = field(default_factory=CleaningReport)
    source_name: str = ""
    corrections: list[Correction] = field(default_factory=list)

    @property
    def chapter_count(self) -> int:
        return sum(1 for c in self.statute.chapters if c.number > 0)

    @property
    def article_count(self) -> int:
        return self.statute.article_count

    def damaged_count(self) -> int:
        """Damaged spans still uncorrected, in the articles and the explanation."""
        return sum(len(a.damaged) for a in self.statute.articles()) + len(self.explanation_damaged)

    def summary_json(self) -> dict:
        """The short form used by `refs list --json`."""
        return {
            "id": self.id,
            "city": self.city,
            "title": self.title,
            "status": self.status,
            "origin": self.origin,
            "chapters": self.chapter_count,
            "articles": self.article_count,
            "has_explanation": bool(self.explanation),
            "damaged": self.damaged_count(),
            "corrections": len(self.corrections),
        }

    def to_json(self, article: int | None = None) -> dict:
        """The full form used by `refs show --json`; `article` limits it to one article."""
        chapters = []
        for chapter in self.statute.chapters:
            articles = [
                a.to_json() for a in chapter.articles if article is None or a.number == article
            ]
            if article is not None and not articles:
                continue
            chapters.append(
                {
                    "number": chapter.number,
                    "title": chapter.title,
                    "inferred": chapter.inferred,
                    "articles": articles,
                }
            )
        return {
            "id": self.id,
            "city": self.city,
            "province": self.province,
            "title": self.title,
            "status": self.status,
            "origin": self.origin,
            "dates": dict(self.dates),
            "note": self.statute.note,
            "chapters": chapters,
            "explanation": self.explanation,
            "explanation_title": self.explanation_title,
            "explanation_damaged": [d.to_json() for d in self.explanation_damaged],
            "corrections": [c.to_json() for c in self.corrections],
            "cleaning_report": self.report.to_json(),
        }
