"""Two plain rankers the engine is measured against, over the same paragraphs.

- `RatioBaseline`: rapidfuzz `fuzz.ratio` between the raw query and each paragraph text;
- `TfidfBaseline`: cosine of character-bigram tf-idf vectors of the raw texts.

Both rank paragraphs and return them as (ref, article, paragraph, score) hits; no
normalisation, no article context.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from drafter.matching.corpus import ParagraphRecord


@dataclass(frozen=True)
class Hit:
    """A ranked paragraph."""

    ref: str
    article: int
    paragraph: int
    score: float


def _bigrams(text: str) -> Counter[str]:
    return Counter(text[i : i + 2] for i in range(len(text) - 1))


class RatioBaseline:
    """fuzz.ratio over paragraphs."""

    name = "fuzz.ratio"

    def __init__(self, records: Sequence[ParagraphRecord]) -> None:
        self.records = list(records)

    def rank(self, query: str, refs: Sequence[str] | None = None, top: int = 50) -> list[Hit]:
        """Paragraphs by fuzz.ratio with the query, best first."""
        chosen = [r for r in self.records if refs is None or r.ref in refs]
        matches = process.extract(query, [r.text for r in chosen], scorer=fuzz.ratio, limit=top)
        return [
            Hit(chosen[i].ref, chosen[i].article, chosen[i].paragraph, score)
            for _, score, i in matches
        ]


class TfidfBaseline:
    """Character-bigram tf-idf cosine over paragraphs."""

    name = "bigram tf-idf"

    def __init__(self, records: Sequence[ParagraphRecord]) -> None:
        self.records = list(records)
        counts = [_bigrams(r.text) for r in self.records]
        df: Counter[str] = Counter()
        for c in counts:
            df.update(c.keys())
        n = len(self.records)
        self.idf = {g: math.log((1 + n) / (1 + d)) + 1.0 for g, d in df.items()}
        self.default_idf = math.log(1 + n) + 1.0
        self.vectors = [self._vector(c) for c in counts]

    def _vector(self, counts: Counter[str]) -> dict[str, float]:
        vector = {g: tf * self.idf.get(g, self.default_idf) for g, tf in counts.items()}
        length = math.sqrt(sum(w * w for w in vector.values())) or 1.0
        return {g: w / length for g, w in vector.items()}

    def rank(self, query: str, refs: Sequence[str] | None = None, top: int = 50) -> list[Hit]:
        """Paragraphs by cosine with the query, best first."""
        q = self._vector(_bigrams(query))
        scored = []
        for record, vector in zip(self.records, self.vectors, strict=False):
            if refs is not None and record.ref not in refs:
                continue
            score = sum(w * vector.get(g, 0.0) for g, w in q.items())
            scored.append((score, record))
        scored.sort(key=lambda sr: -sr[0])
        return [Hit(r.ref, r.article, r.paragraph, 100 * s) for s, r in scored[:top]]
