"""The per-paragraph half of a main index build, in worker processes for a large library.

Normalising a paragraph is Python regular expressions, so threads cannot share it: it held
one core for 28 of the 61 s a million paragraphs took to build, with the other core idle.
Every chunk of paragraphs is independent up to its sorted run (postings_build.py), so
chunks are normalised, stripped and tokenised in other processes, and come back in order:
the normalised texts for the text store, the run for the postings, and the chunk's
document frequencies of the full normalised text for the term weights.

A small library is done in this process: starting a worker costs about half a second
(a fresh interpreter importing numpy), more than normalising 30,000 paragraphs. How
workers are started, ended and replaced when they fail: drafter/workers.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from drafter.matching.normalize import Normalizer, strip_each
from drafter.matching.packed_text import BLOCK, PackedBlocks, pack_blocks
from drafter.matching.postings_build import (
    CHUNK,
    SortedRun,
    chunk_document_frequencies,
    chunks,
    tokenise_run,
)
from drafter.workers import map_in_order

# Whole blocks of packed text make a chunk (see pack_blocks).
assert CHUNK % BLOCK == 0
# A library reaching this many chunks (of postings_build.CHUNK paragraphs) is prepared in
# worker processes from there on.
PROCESSES_FROM_CHUNK = 3


@dataclass
class PreparedChunk:
    """One chunk of paragraphs made ready for the index."""

    full: list[str]  # normalised (cities, numbers folded), boilerplate kept
    run: SortedRun  # the boilerplate-stripped texts' postings, sorted by term
    full_counts: tuple[np.ndarray, np.ndarray]  # (keys, document frequency) of `full`
    packed: PackedBlocks | None  # the original texts, compressed, when asked for


def prepare_chunk(job: tuple[tuple[str, ...], list[str], str, bool]) -> PreparedChunk:
    """Normalise, strip and tokenise one chunk, given (cities, texts, run file stem, whether
    to pack the texts too)."""
    cities, texts, stem, pack = job
    normalizer = _normalizer(cities)
    full = normalizer.normalize_many(texts)
    run = tokenise_run(strip_each(full), Path(stem))
    # Packing here, not as the texts are read: the reading process is the build's
    # slowest, and compressing a million paragraphs cost it 6 s.
    packed = pack_blocks(texts) if pack else None
    return PreparedChunk(full, run, chunk_document_frequencies(full), packed)


@lru_cache(maxsize=2)
def _normalizer(cities: tuple[str, ...]) -> Normalizer:
    return Normalizer(cities)


def prepared_chunks(
    texts: Iterable[str], cities: Iterable[str], tmp: Path, pack: bool = False
) -> Iterator[PreparedChunk]:
    """Every chunk of `texts` prepared, in order; the runs' files go under `tmp`."""
    city_key = tuple(cities)
    jobs = (
        (city_key, chunk, str(tmp / f"run{number}"), pack)
        for number, chunk in enumerate(chunks(texts))
    )
    return map_in_order(prepare_chunk, jobs, local_first=PROCESSES_FROM_CHUNK)
