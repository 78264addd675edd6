"""Writing the postings of a main index segment: an external sort by term, in three passes.

The texts are cut into chunks of paragraphs. Each chunk is tokenised once into a *sorted
run*: its distinct (term key, paragraph) pairs in key order, with term frequencies, kept in
temporary files (`tokenise_run`; a chunk's work needs nothing from the others, so it can
run in another process). Then:

1. the runs' small vocabularies are merged into the library's sorted vocabulary and
   document frequencies (`merge_counts`, in groups, so memory follows the vocabulary and
   not the number of chunks);
2. each paragraph's vector norm is summed from the runs;
3. the postings are written in ranges of terms, front to back: for each range, every run's
   slice for those terms (contiguous, as a run is sorted by key) is placed into a buffer
   that is then appended to the file.

The earlier build placed each chunk's postings straight into the memory-mapped output,
which dirtied pages all over a gigabyte file a hundred times over at a million
paragraphs: its page flushes alone took 10 s, and keeping a growing vocabulary merged
chunk by chunk another 10 (docs/benchmarks.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from drafter.matching import index as _index

# A chunk's paragraphs are numbered in DOC_BITS bits inside the run's sort key.
DOC_BITS = 14
CHUNK = 10_000
assert CHUNK <= 1 << DOC_BITS
# Postings placed per range of terms in pass 3 (a few tens of MB of buffers).
_POSTINGS_PER_RANGE = 8_000_000
# Runs' vocabularies merged at once in pass 1.
_MERGE_GROUP = 16


@dataclass
class SortedRun:
    """One chunk's distinct (term, paragraph) pairs, sorted by term key then paragraph.

    `keys` and `counts` are its vocabulary (sorted) and each key's number of pairs (its
    document frequency within the chunk); the pairs' paragraphs and term frequencies are
    in files, read back by range."""

    stem: Path
    paragraphs: int
    keys: np.ndarray
    counts: np.ndarray

    @property
    def pairs(self) -> int:
        return int(self.counts.sum())

    def read(self, kind: str, start: int = 0, stop: int | None = None) -> np.ndarray:
        """The run's `doc` (uint16) or `tf` (uint16) column, pairs [start, stop)."""
        stop = self.pairs if stop is None else stop
        with open(f"{self.stem}.{kind}", "rb") as source:
            return np.fromfile(source, dtype=np.uint16, count=stop - start, offset=2 * start)


def distinct_pairs(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """(key << DOC_BITS | paragraph, tf) of every distinct term of each text, sorted by key
    then paragraph. Keys as in `index.bigram_keys`: characters and bigrams."""
    docs, keys = _index.term_occurrences(texts)
    combined, tf = np.unique((keys << DOC_BITS) | docs, return_counts=True)
    return combined, tf


def key_runs(sorted_keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct values of a sorted array and how many times each occurs."""
    if not len(sorted_keys):
        return sorted_keys, np.zeros(0, dtype=np.int64)
    starts = np.flatnonzero(np.concatenate([[True], sorted_keys[1:] != sorted_keys[:-1]]))
    return sorted_keys[starts], np.diff(starts, append=len(sorted_keys))


def tokenise_run(texts: list[str], stem: Path) -> SortedRun:
    """Write one chunk's sorted run (`<stem>.doc`, `<stem>.tf`)."""
    combined, tf = distinct_pairs(texts)
    keys, counts = key_runs(combined >> DOC_BITS)
    (combined & ((1 << DOC_BITS) - 1)).astype(np.uint16).tofile(f"{stem}.doc")
    np.minimum(tf, 0xFFFF).astype(np.uint16).tofile(f"{stem}.tf")
    return SortedRun(stem, len(texts), keys, counts)


def chunk_document_frequencies(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """(sorted keys, document frequency) over one chunk of texts."""
    combined, _ = distinct_pairs(texts)
    return key_runs(combined >> DOC_BITS)


class CountMerger:
    """The sorted union of many (keys, counts) with the counts summed, merged a group at a
    time as they are added, so memory stays near the size of the result."""

    def __init__(self) -> None:
        self.keys = np.zeros(0, dtype=np.int64)
        self.counts = np.zeros(0, dtype=np.int64)
        self._pending: list[tuple[np.ndarray, np.ndarray]] = []

    def add(self, keys: np.ndarray, counts: np.ndarray) -> None:
        self._pending.append((keys, counts))
        if len(self._pending) == _MERGE_GROUP:
            self._merge()

    def result(self) -> tuple[np.ndarray, np.ndarray]:
        if self._pending:
            self._merge()
        return self.keys, self.counts

    def _merge(self) -> None:
        keys = np.concatenate([self.keys, *(k for k, _ in self._pending)])
        counts = np.concatenate([self.counts, *(c for _, c in self._pending)])
        self.keys, where = np.unique(keys, return_inverse=True)
        self.counts = np.bincount(where, weights=counts, minlength=len(self.keys)).astype(np.int64)
        self._pending.clear()


def merge_counts(parts: Iterable[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """Sorted union of several (keys, counts) with the counts summed (see CountMerger)."""
    merger = CountMerger()
    for keys, counts in parts:
        merger.add(keys, counts)
    return merger.result()


def chunks(items: Iterable[str], size: int | None = None) -> Iterator[list[str]]:
    """Consecutive lists of `size` (default CHUNK) items."""
    size = size or CHUNK
    chunk: list[str] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


@dataclass
class Postings:
    """What pass 3 wrote, for the index's small arrays."""

    vocab: np.ndarray
    idf: np.ndarray
    term_ptr: np.ndarray
    run_pos: np.ndarray
    run_block: np.ndarray
    size: int


def write_postings(runs: list[SortedRun], directory: Path) -> Postings:
    """Passes 1–3 over tokenised runs: `post_lo.npy` and `post_w.npy` in `directory`."""
    size = sum(run.paragraphs for run in runs)
    vocab, df = merge_counts((run.keys, run.counts) for run in runs)
    idf = _index._idf(df, vocab, size)
    # Each run's vocabulary as term ids, and where each term's pairs start in the run.
    term_ids = [np.searchsorted(vocab, run.keys).astype(np.int32) for run in runs]
    starts = [np.concatenate([[0], np.cumsum(run.counts)]).astype(np.int64) for run in runs]

    norms = np.zeros(size, dtype=np.float64)
    base = 0
    for run, ids in zip(runs, term_ids, strict=True):
        terms = np.repeat(ids, run.counts)
        weights = _index.tf_weight(run.read("tf")) * idf[terms]
        norms[base : base + run.paragraphs] += np.bincount(
            run.read("doc"), weights=weights * weights, minlength=run.paragraphs
        )
        base += run.paragraphs
    norms = np.sqrt(np.maximum(norms, 1e-12))

    term_ptr = np.zeros(len(vocab) + 1, dtype=np.int64)
    np.cumsum(df, out=term_ptr[1:])
    placer = _Placer(runs, term_ids, starts, term_ptr, idf, norms)
    outputs = [
        _index.open_npy(directory / "post_lo.npy", np.uint16, int(term_ptr[-1])),
        _index.open_npy(directory / "post_w.npy", np.uint8, int(term_ptr[-1])),
    ]
    try:
        for first, last in _term_ranges(term_ptr):
            lo, w = placer.place(first, last)
            lo.tofile(outputs[0])
            w.tofile(outputs[1])
    finally:
        for output in outputs:
            output.close()
    run_pos, run_block = placer.blocks.finish()
    return Postings(vocab, idf, term_ptr, run_pos, run_block, size)


def _term_ranges(term_ptr: np.ndarray) -> Iterator[tuple[int, int]]:
    """Consecutive ranges of terms holding about _POSTINGS_PER_RANGE postings each."""
    terms = len(term_ptr) - 1
    first = 0
    while first < terms:
        target = int(term_ptr[first]) + _POSTINGS_PER_RANGE
        last = int(np.searchsorted(term_ptr, target, side="right")) - 1
        last = min(max(last, first + 1), terms)
        yield first, last
        first = last


class _Placer:
    """Pass 3: gathers the postings of a range of terms from every run."""

    def __init__(
        self,
        runs: list[SortedRun],
        term_ids: list[np.ndarray],
        starts: list[np.ndarray],
        term_ptr: np.ndarray,
        idf: np.ndarray,
        norms: np.ndarray,
    ) -> None:
        self.runs, self.term_ids, self.starts = runs, term_ids, starts
        self.term_ptr, self.idf, self.norms = term_ptr, idf, norms
        self.blocks = BlockRuns(len(term_ptr) - 1)

    def place(self, first: int, last: int) -> tuple[np.ndarray, np.ndarray]:
        """The postings of terms [first, last), in term then paragraph order."""
        origin = int(self.term_ptr[first])
        length = int(self.term_ptr[last]) - origin
        out_lo = np.empty(length, dtype=np.uint16)
        out_w = np.empty(length, dtype=np.uint8)
        # Where each term's next posting goes; runs come in paragraph order.
        cursor = self.term_ptr[first:last] - origin
        base = 0
        for run, ids, run_starts in zip(self.runs, self.term_ids, self.starts, strict=True):
            i, j = (int(x) for x in np.searchsorted(ids, [first, last]))
            if i < j:
                a, b = int(run_starts[i]), int(run_starts[j])
                counts = run.counts[i:j]
                local = ids[i:j].astype(np.int64) - first
                docs = run.read("doc", a, b).astype(np.int64) + base
                idf = np.repeat(self.idf[ids[i:j]], counts)
                weights = _index.tf_weight(run.read("tf", a, b)) * idf / self.norms[docs]
                # A pair's rank among its term's pairs in this run.
                rank = np.arange(b - a) - np.repeat(run_starts[i:j] - a, counts)
                positions = np.repeat(cursor[local], counts) + rank
                self.blocks.add(
                    np.repeat(local + first, counts), docs >> _index.BLOCK_BITS, positions + origin
                )
                out_lo[positions] = docs & ((1 << _index.BLOCK_BITS) - 1)
                out_w[positions] = _index.quantise_weights(weights)
                cursor[local] += counts
            base += run.paragraphs
        return out_lo, out_w


class BlockRuns:
    """Where each term's postings enter a new block of paragraphs, gathered slice by slice
    (a term's slices come in paragraph order, so its blocks only grow)."""

    def __init__(self, terms: int) -> None:
        self.last_block = np.full(terms, -1, dtype=np.int64)
        self.positions: list[np.ndarray] = []
        self.blocks: list[np.ndarray] = []

    def add(self, terms: np.ndarray, blocks: np.ndarray, positions: np.ndarray) -> None:
        """Postings sorted by term and then paragraph."""
        if not len(terms):
            return
        term_first = np.ones(len(terms), dtype=bool)
        term_first[1:] = terms[1:] != terms[:-1]
        new_block = np.ones(len(terms), dtype=bool)
        new_block[1:] = blocks[1:] != blocks[:-1]
        # A term's first posting here continues its run when an earlier slice left it
        # in the same block.
        starts = np.where(term_first, self.last_block[terms] != blocks, new_block)
        self.positions.append(positions[starts])
        self.blocks.append(blocks[starts])
        term_last = np.ones(len(terms), dtype=bool)
        term_last[:-1] = term_first[1:]
        self.last_block[terms[term_last]] = blocks[term_last]

    def finish(self) -> tuple[np.ndarray, np.ndarray]:
        """(run start positions, their blocks), sorted by position."""
        positions = np.concatenate(self.positions or [np.zeros(0, dtype=np.int64)])
        blocks = np.concatenate(self.blocks or [np.zeros(0, dtype=np.int64)])
        order = np.argsort(positions, kind="stable")
        return positions[order].astype(np.int64), blocks[order].astype(np.uint16)
