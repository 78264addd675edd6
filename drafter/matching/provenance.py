"""Provenance measure: how much of a draft text comes from a source text.

Both texts are normalised first (script, punctuation, city names and labels; see
normalize.py), so shares count meaningful characters only. A draft character is credited
to a source when it lies in a run of at least `MIN_RUN` consecutive characters that also
occurs in the source (in any place, so reordered sentences still count); stray common
characters such as 的 or 应 never do.

Labels (share = credited fraction of the draft, similarity = `fuzz.ratio` of the
normalised texts, 0–100):

- 照搬 (copied): share ≥ 0.90 and similarity ≥ 85 — the source with at most small edits
  such as a changed city name, a word or two;
- 修改 (modified): share ≥ 0.40 — substantial runs of the source, rewritten or extended;
- 参考 (referenced): anything less — the same topic in mostly new words, or unrelated.

With several sources each draft character is credited once: sources are taken in order
of how much of the draft they cover, and a later source only gets characters not yet
credited. What no source covers is new text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from drafter.matching.normalize import default_normalizer, to_spans

MIN_RUN = 4
COPIED_SHARE = 0.90
COPIED_SIMILARITY = 85.0
MODIFIED_SHARE = 0.40

LABEL_COPIED = "照搬"
LABEL_MODIFIED = "修改"
LABEL_REFERENCED = "参考"


@dataclass(frozen=True)
class ProvenanceMeasure:
    """How a draft text relates to one source text."""

    share: float
    similarity: float
    label: str
    # Original character ranges of the draft credited to the source.
    draft_spans: list[tuple[int, int]] = field(default_factory=list)


@dataclass(frozen=True)
class SourceAttribution:
    """How a draft text splits over several sources; each character credited once."""

    shares: list[float]
    new_share: float
    # Per source, original character ranges of the draft credited to it.
    draft_spans: list[list[tuple[int, int]]] = field(default_factory=list)


def coverage_mask(draft_norm: str, source_norm: str, min_run: int = MIN_RUN) -> list[bool]:
    """Which draft characters lie in a run of ≥ min_run characters also found in the source."""
    mask = [False] * len(draft_norm)
    if len(draft_norm) < min_run or len(source_norm) < min_run:
        return mask
    grams = {source_norm[i : i + min_run] for i in range(len(source_norm) - min_run + 1)}
    for i in range(len(draft_norm) - min_run + 1):
        if draft_norm[i : i + min_run] in grams:
            for j in range(i, i + min_run):
                mask[j] = True
    return mask


def label_for(share: float, similarity: float) -> str:
    """The label for a share and a similarity, by the thresholds in the module docstring."""
    if share >= COPIED_SHARE and similarity >= COPIED_SIMILARITY:
        return LABEL_COPIED
    if share >= MODIFIED_SHARE:
        return LABEL_MODIFIED
    return LABEL_REFERENCED


def runs_of(mask: Sequence[bool]) -> list[tuple[int, int]]:
    """The [start, end) runs of True in a mask."""
    runs: list[tuple[int, int]] = []
    start = None
    for i, on in enumerate([*mask, False]):
        if on and start is None:
            start = i
        elif not on and start is not None:
            runs.append((start, i))
            start = None
    return runs


def compare_texts(draft: str, source: str) -> ProvenanceMeasure:
    """Share of the draft taken from the source, their similarity, and a label."""
    normalizer = default_normalizer()
    draft_norm, offsets = normalizer.normalize_with_offsets(draft)
    source_norm = normalizer.normalize(source)
    if not draft_norm:
        return ProvenanceMeasure(0.0, 0.0, LABEL_REFERENCED)
    mask = coverage_mask(draft_norm, source_norm)
    share = sum(mask) / len(draft_norm)
    similarity = round(fuzz.ratio(draft_norm, source_norm), 1)
    spans = to_spans(offsets, runs_of(mask))
    return ProvenanceMeasure(share, similarity, label_for(share, similarity), spans)


def attribute_sources(draft: str, sources: Sequence[str]) -> SourceAttribution:
    """Split the draft's characters over several sources, each credited once; the rest is new."""
    normalizer = default_normalizer()
    draft_norm, offsets = normalizer.normalize_with_offsets(draft)
    if not draft_norm:
        return SourceAttribution([0.0] * len(sources), 0.0, [[] for _ in sources])
    masks = [coverage_mask(draft_norm, normalizer.normalize(s)) for s in sources]
    credited = [False] * len(draft_norm)
    owned: list[list[bool]] = [[False] * len(draft_norm) for _ in sources]
    # Greedy cover: the source adding most uncredited characters claims them first.
    remaining = set(range(len(sources)))
    while remaining:
        gains = {
            i: sum(1 for j, on in enumerate(masks[i]) if on and not credited[j]) for i in remaining
        }
        index = max(sorted(remaining), key=lambda i: gains[i])
        remaining.discard(index)
        for j, on in enumerate(masks[index]):
            if on and not credited[j]:
                credited[j] = True
                owned[index][j] = True
    total = len(draft_norm)
    shares = [sum(m) / total for m in owned]
    new_share = 1.0 - sum(credited) / total
    spans = [to_spans(offsets, runs_of(m)) for m in owned]
    return SourceAttribution(shares, new_share, spans)
