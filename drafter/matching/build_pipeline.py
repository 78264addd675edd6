"""The per-paragraph half of a main index build, in worker processes for a large library.

Normalising a paragraph is Python regular expressions, so threads cannot share it: it held
one core for 28 of the 61 s a million paragraphs took to build, with the other core idle.
Every chunk of paragraphs is independent up to its sorted run (postings_build.py), so
chunks are normalised, stripped and tokenised in other processes, and come back in order:
the normalised texts for the text store, the run for the postings, and the chunk's
document frequencies of the full normalised text for the term weights.

A small library is done in this process: starting a worker costs about half a second
(a fresh interpreter importing numpy), more than normalising 30,000 paragraphs. Workers
are started with "spawn" on every system: forking a process that runs threads can leave
a lock held in the child. If a worker cannot start or dies, its chunks are done here.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from drafter.matching.normalize import Normalizer, strip_boilerplate
from drafter.matching.postings_build import (
    SortedRun,
    chunk_document_frequencies,
    chunks,
    tokenise_run,
)

# A library reaching this many chunks (of postings_build.CHUNK paragraphs) is prepared in
# worker processes from there on.
PROCESSES_FROM_CHUNK = 3
MAX_PROCESSES = 4
# Set to a number to choose how many worker processes (0 or 1: none), whatever the size.
PROCESSES_VARIABLE = "DRAFTER_BUILD_PROCESSES"
_AHEAD_PER_PROCESS = 2  # chunks in flight per worker: bounds memory, keeps workers busy


@dataclass
class PreparedChunk:
    """One chunk of paragraphs made ready for the index."""

    full: list[str]  # normalised (cities, numbers folded), boilerplate kept
    run: SortedRun  # the boilerplate-stripped texts' postings, sorted by term
    full_counts: tuple[np.ndarray, np.ndarray]  # (keys, document frequency) of `full`


def prepare_chunk(cities: tuple[str, ...], texts: list[str], stem: str) -> PreparedChunk:
    """Normalise, strip and tokenise one chunk (runs in a worker or in this process)."""
    normalizer = _normalizer(cities)
    full = [normalizer.normalize(text) for text in texts]
    run = tokenise_run([strip_boilerplate(text) for text in full], Path(stem))
    return PreparedChunk(full, run, chunk_document_frequencies(full))


@lru_cache(maxsize=2)
def _normalizer(cities: tuple[str, ...]) -> Normalizer:
    return Normalizer(cities)


def process_count() -> int:
    """Worker processes for a large build: the environment's choice, else one a core up
    to MAX_PROCESSES (0 on a single core: nothing would run beside this process)."""
    chosen = os.environ.get(PROCESSES_VARIABLE, "").strip()
    if chosen.isdigit():
        return int(chosen)
    cores = os.cpu_count() or 1
    return min(cores, MAX_PROCESSES) if cores > 1 else 0


def prepared_chunks(
    texts: Iterable[str], cities: Iterable[str], tmp: Path
) -> Iterator[PreparedChunk]:
    """Every chunk of `texts` prepared, in order; the runs' files go under `tmp`."""
    city_key = tuple(cities)
    forced = os.environ.get(PROCESSES_VARIABLE, "").strip().isdigit()
    processes = process_count()
    use_pool = processes > 1
    start_at = 0 if forced else PROCESSES_FROM_CHUNK
    pool: ProcessPoolExecutor | None = None
    pending: deque[tuple[list[str], str, Future[PreparedChunk]]] = deque()

    def collect() -> PreparedChunk:
        nonlocal pool, use_pool
        chunk, stem, future = pending.popleft()
        try:
            return future.result()
        except (BrokenProcessPool, OSError):
            # A worker that could not start or was killed: this process does the rest.
            if pool is not None:
                pool.shutdown(wait=False, cancel_futures=True)
            pool, use_pool = None, False
            return prepare_chunk(city_key, chunk, stem)

    try:
        for number, chunk in enumerate(chunks(texts)):
            stem = str(tmp / f"run{number}")
            if pool is None and use_pool and number >= start_at and not pending:
                spawn = multiprocessing.get_context("spawn")
                pool = ProcessPoolExecutor(
                    processes, mp_context=spawn, initializer=_exit_with_parent
                )
            if pool is None:
                while pending:
                    yield collect()
                yield prepare_chunk(city_key, chunk, stem)
                continue
            try:
                pending.append((chunk, stem, pool.submit(prepare_chunk, city_key, chunk, stem)))
            except (BrokenProcessPool, RuntimeError):
                pool, use_pool = None, False
                pending.append((chunk, stem, _failed()))
            while len(pending) >= max(processes, 1) * _AHEAD_PER_PROCESS:
                yield collect()
        while pending:
            yield collect()
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


def _exit_with_parent() -> None:
    """In a worker: end when the building process ends, however it ends. A killed
    parent leaves its workers waiting on a queue no one will write to again."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        multiprocessing.connection.wait([parent.sentinel])
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _failed() -> Future[PreparedChunk]:
    future: Future[PreparedChunk] = Future()
    future.set_exception(BrokenProcessPool("the worker processes stopped"))
    return future
