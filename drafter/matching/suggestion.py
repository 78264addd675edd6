"""What a search answers: a suggested paragraph, where it comes from, what it shares.

Apart from the engine (and numpy) so that the window's process, which only receives
suggestions from its search process (service.py), can read them without importing it.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Spans:
    """Shared character ranges [start, end) in the query and in the suggestion text."""

    query_spans: list[tuple[int, int]] = field(default_factory=list)
    text_spans: list[tuple[int, int]] = field(default_factory=list)


@dataclass(frozen=True)
class Suggestion:
    """One suggested paragraph with where it comes from and what it shares with the query."""

    ref: str
    city: str
    article: int
    paragraph: int
    chapter_title: str
    score: float
    text: str
    spans: Spans

    def to_json(self) -> dict:
        """The CLI's JSON form."""
        return {
            "ref": self.ref,
            "city": self.city,
            "article": self.article,
            "paragraph": self.paragraph,
            "score": self.score,
            "text": self.text,
            "spans": {
                "query": [list(s) for s in self.spans.query_spans],
                "text": [list(s) for s in self.spans.text_spans],
            },
        }
