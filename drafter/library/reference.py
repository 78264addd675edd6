"""A reference regulation in the library: its statute, explanation and provenance of the text."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from drafter.cleaning import CleaningReport
from drafter.library.store import Correction
from drafter.statute.model import Chapter, DamagedSpan, Statute, paragraph_full_text


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
        """The short form used by `refs list --json` (one form with the stored summaries)."""
        return ReferenceSummary.of(self).summary_json()

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


@dataclass(frozen=True)
class ReferenceSummary:
    """What a listing shows of a reference, read from the store without building its statute."""

    id: str
    city: str
    title: str
    status: str
    origin: str
    chapter_count: int
    article_count: int
    has_explanation: bool
    damaged: int
    corrections: int = 0

    def damaged_count(self) -> int:
        return self.damaged

    def summary_json(self) -> dict:
        """The same form as Reference.summary_json."""
        return {
            "id": self.id,
            "city": self.city,
            "title": self.title,
            "status": self.status,
            "origin": self.origin,
            "chapters": self.chapter_count,
            "articles": self.article_count,
            "has_explanation": self.has_explanation,
            "damaged": self.damaged,
            "corrections": self.corrections,
        }

    @classmethod
    def of(cls, reference: Reference) -> ReferenceSummary:
        return cls(
            id=reference.id,
            city=reference.city,
            title=reference.title,
            status=reference.status,
            origin=reference.origin,
            chapter_count=reference.chapter_count,
            article_count=reference.article_count,
            has_explanation=bool(reference.explanation),
            damaged=reference.damaged_count(),
            corrections=len(reference.corrections),
        )


# -- the stored form of a parse --------------------------------------------------------------
# Statute.to_json leaves out uids (drafts renumber and re-key); a stored reference keeps them
# so that its articles have the same identity in every process.


def parse_to_json(
    statute: Statute,
    explanation: str,
    explanation_title: str,
    explanation_damaged: list[DamagedSpan],
    report: CleaningReport,
) -> str:
    """The JSON text stored for one parsed reference."""
    chapters = []
    for chapter in statute.chapters:
        data = chapter.to_json()
        data["uid"] = chapter.uid
        for article_data, article in zip(data["articles"], chapter.articles, strict=True):
            article_data["uid"] = article.uid
        chapters.append(data)
    report_data = report.to_json()
    report_data["examples"] = report.replacement_examples
    return json.dumps(
        {
            "statute": {"title": statute.title, "note": statute.note, "chapters": chapters},
            "explanation": explanation,
            "explanation_title": explanation_title,
            "explanation_damaged": [d.to_json() for d in explanation_damaged],
            "report": report_data,
        },
        ensure_ascii=False,
        separators=(",", ":"),
    )


def parse_from_json(text: str) -> dict:
    """The Reference fields stored by `parse_to_json` (raises ValueError/KeyError if damaged)."""
    data = json.loads(text)
    statute_data = data["statute"]
    statute = Statute(
        title=statute_data["title"],
        note=statute_data.get("note", ""),
        chapters=[Chapter.from_json(c) for c in statute_data["chapters"]],
    )
    report = CleaningReport.from_json(data["report"])
    report.replacement_examples = {
        rule: list(examples) for rule, examples in data["report"].get("examples", {}).items()
    }
    return {
        "statute": statute,
        "explanation": data["explanation"],
        "explanation_title": data["explanation_title"],
        "explanation_damaged": [DamagedSpan.from_json(d) for d in data["explanation_damaged"]],
        "report": report,
    }


# (chapter title, article number, paragraph number from 1, the paragraph's full text)
ParagraphText = tuple[str, int, int, str]


def paragraph_texts_from_json(text: str) -> list[ParagraphText] | None:
    """Every paragraph a stored parse holds, as its model objects would give them, read
    without making the objects; None when the stored parse is damaged."""
    try:
        data = json.loads(text)
        if not all(key in data for key in _STORED_KEYS):
            return None
        found: list[ParagraphText] = []
        for chapter in data["statute"]["chapters"]:
            title = chapter["title"]
            for article in chapter.get("articles", []):
                number = article["number"]
                for index, paragraph in enumerate(article.get("paragraphs", []), 1):
                    full = paragraph_full_text(paragraph["text"], paragraph.get("items", []))
                    found.append((title, number, index, full))
        return found
    except (ValueError, KeyError, TypeError, AttributeError):
        return None


_STORED_KEYS = ("statute", "explanation", "explanation_title", "explanation_damaged", "report")
