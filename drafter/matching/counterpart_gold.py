"""Measure the 对照 counterpart cut on the gold correspondences (tests/data/*gold*.json).

For every whole-article gold query (q = [ref, article, null]) and every other reference,
the view searches that reference alone with the article's text and takes the best
article. A (query, reference) case is labelled from the gold:

- positive: some gold pair links the query article and an article of that reference (in
  either direction, in any file given) — the right answer is one of those articles;
- negative: no gold pair links them, and the query's file lists every reference that has a
  counterpart (gold_review, gold_holdout and gold_fresh say so in their "about"); in the
  other files an unlisted reference is unknown and the case is left out.

At a cut c a case is shown when its best score >= c. Precision = shown cases whose best
article is a gold counterpart / shown; recall = the same / positive cases.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from drafter.matching.counterparts import best_articles
from drafter.matching.evaluation import load_gold

# Files whose pairs list every reference that has a counterpart.
EXHAUSTIVE = {"gold_review.json", "gold_holdout.json", "gold_fresh.json"}


@dataclass(frozen=True)
class Case:
    """One gold query article searched in one other reference."""

    file: str
    query: tuple[str, int]
    ref: str
    best: int
    score: float
    targets: frozenset[int]  # gold counterparts in `ref`; empty for a negative

    @property
    def correct(self) -> bool:
        return self.best in self.targets


def gold_links(paths: Sequence[Path]) -> dict[tuple[str, int], set[tuple[str, int]]]:
    """Every gold correspondence in both directions (a paragraph query counts for its
    article: the article contains what corresponds)."""
    links: dict[tuple[str, int], set[tuple[str, int]]] = {}
    for pair in load_gold(paths).pairs:
        ref, article, _paragraph = pair["q"]
        for other, articles in pair["targets"].items():
            for target in articles:
                links.setdefault((ref, article), set()).add((other, target))
                links.setdefault((other, target), set()).add((ref, article))
    return links


def collect_cases(library: object, engine: object, paths: Sequence[Path]) -> list[Case]:
    """The labelled cases of the whole-article queries of `paths` (each query once)."""
    links = gold_links(paths)
    cases: list[Case] = []
    seen: set[tuple[str, int]] = set()
    for path in paths:
        for pair in load_gold([path]).pairs:
            ref, number, paragraph = pair["q"]
            if paragraph is not None or (ref, number) in seen:
                continue  # the view compares whole articles
            seen.add((ref, number))
            text = library.get(ref).statute.article(number).text()  # type: ignore[attr-defined]
            others = [r for r in library.ids() if r != ref]  # type: ignore[attr-defined]
            for other, (best, score) in best_articles(engine, text, others).items():
                targets = frozenset(a for r, a in links.get((ref, number), ()) if r == other)
                if not targets and Path(path).name not in EXHAUSTIVE:
                    continue
                cases.append(Case(Path(path).name, (ref, number), other, best, score, targets))
    return cases


def figures(cases: Sequence[Case], cut: float) -> dict[str, float]:
    """Counts, precision, recall and F0.5 of showing the cases scoring at least `cut`."""
    positives = sum(1 for c in cases if c.targets)
    shown = [c for c in cases if c.score >= cut]
    right = sum(1 for c in shown if c.correct)
    precision = right / len(shown) if shown else 1.0
    recall = right / positives if positives else 0.0
    beta2 = 0.25  # F0.5: showing an unrelated article costs more than hiding a weak one
    f05 = (1 + beta2) * precision * recall / (beta2 * precision + recall) if right else 0.0
    return {
        "cases": len(cases),
        "positives": positives,
        "shown": len(shown),
        "right": right,
        "precision": precision,
        "recall": recall,
        "F0.5": f05,
    }
