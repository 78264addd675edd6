"""What a query and each of its results share, as ranges of their original texts: the
highlights of a suggestion list, found for all its results at once.

A run is a stretch of normalised characters covered by n-grams the other side also has
(bigrams for an intent, trigrams for a clause, whose shorter shared pieces are noise).
Runs are mapped to the original characters they stand for, and merged where those touch.
Ten results' highlights found one by one in Python were a fifth of an intent's suggest;
here they are a few array passes over all ten.
"""

from __future__ import annotations

import numpy as np

from drafter.matching.normalize import NormalizedCodes

Spans = list[tuple[int, int]]
# Bits of one character in a key: normalised text is in the BMP (normalize._KEPT).
_BITS = 16


def shared_spans(
    query: NormalizedCodes, texts: list[NormalizedCodes], size: int
) -> list[tuple[Spans, Spans]]:
    """Per text, (the query's original ranges it shares, its own original ranges it shares)."""
    if not texts:
        return []
    # The texts end to end, each followed by a 0, which no normalised text has: an n-gram
    # across two texts never matches a query's.
    lengths = np.array([len(t.codes) + 1 for t in texts])
    zero = np.zeros(1, dtype=np.intp)
    codes = np.concatenate([part for t in texts for part in (t.codes, zero)])
    starts = np.concatenate([part for t in texts for part in (t.starts, zero)])
    ends = np.concatenate([part for t in texts for part in (t.ends, zero)])
    text_keys = _gram_keys(codes, size)
    query_keys = _gram_keys(query.codes, size)
    owner = np.repeat(np.arange(len(texts)), lengths)[: len(text_keys)]

    # The texts' side: positions whose n-gram the query has.
    found = np.flatnonzero(_member(text_keys, np.unique(query_keys)))
    text_spans = _spans(found, owner[found], size, starts, ends, len(texts))

    # The query's side, for every text at once: (text, n-gram) pairs as one key each.
    shift = _BITS * size
    pairs = (owner.astype(np.int64) << shift) | text_keys
    wanted = (np.arange(len(texts), dtype=np.int64)[:, None] << shift) | query_keys[None, :]
    pairs.sort()
    hit = np.flatnonzero(_member(wanted.ravel(), pairs))
    text_of, position = np.divmod(hit, max(len(query_keys), 1))
    query_spans = _spans(position, text_of, size, query.starts, query.ends, len(texts))
    return list(zip(query_spans, text_spans, strict=True))


def _member(values: np.ndarray, sorted_set: np.ndarray) -> np.ndarray:
    """Whether each value is in `sorted_set` (np.isin sorts both sides on every call)."""
    if not len(sorted_set):
        return np.zeros(len(values), dtype=bool)
    at = np.minimum(np.searchsorted(sorted_set, values), len(sorted_set) - 1)
    return sorted_set[at] == values


def _gram_keys(codes: np.ndarray, size: int) -> np.ndarray:
    """The key of the n-gram starting at each position."""
    count = len(codes) - size + 1
    if count <= 0:
        return np.zeros(0, dtype=np.int64)
    codes = codes.astype(np.int64)
    keys = codes[:count].copy()
    for offset in range(1, size):
        keys = (keys << _BITS) | codes[offset : offset + count]
    return keys


def _spans(
    positions: np.ndarray,
    owners: np.ndarray,
    size: int,
    starts: np.ndarray,
    ends: np.ndarray,
    count: int,
) -> list[Spans]:
    """Per owner, the original ranges of the runs of n-grams at `positions` (sorted by
    owner, then position): n-grams that overlap or touch make one run, and runs whose
    original ranges touch make one span (offsets never decrease within an owner)."""
    result: list[Spans] = [[] for _ in range(count)]
    if not len(positions):
        return result
    same_owner = owners[1:] == owners[:-1]
    new_run = np.flatnonzero(~same_owner | (positions[1:] - positions[:-1] > size)) + 1
    first = np.concatenate([[0], new_run])
    last = np.concatenate([new_run - 1, [len(positions) - 1]])
    lo, hi, run_owner = starts[positions[first]], ends[positions[last] + size - 1], owners[first]
    new_span = np.flatnonzero((run_owner[1:] != run_owner[:-1]) | (lo[1:] > hi[:-1])) + 1
    span_first = np.concatenate([[0], new_span])
    span_last = np.concatenate([new_span - 1, [len(lo) - 1]])
    for owner, a, b in zip(
        run_owner[span_first].tolist(),
        lo[span_first].tolist(),
        hi[span_last].tolist(),
        strict=True,
    ):
        result[owner].append((a, b))
    return result
