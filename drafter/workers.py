"""Work spread over worker processes, results in order: for the CPU-bound Python that
threads cannot share (regular expressions, parsing), on the app's large batch jobs.

Workers are started with "spawn" on every system: forking a process that runs threads can
leave a lock held in the child. Spawned workers import the entry module again, so every
entry point keeps its work under `if __name__ == "__main__"` (drafter/__main__.py also
calls `multiprocessing.freeze_support()` for the frozen app). A worker ends with the
process that started it, however that ends. If a worker cannot start or dies, its items
are done in this process, so a result never depends on where it was computed.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import threading
from collections import deque
from collections.abc import Callable, Generator, Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TypeVar

from drafter.memory import keep_freed_arrays_in_heap

Item = TypeVar("Item")
Result = TypeVar("Result")

MAX_PROCESSES = 4
# Set to a number to choose how many worker processes (0 or 1: none), whatever the size.
PROCESSES_VARIABLE = "DRAFTER_WORKER_PROCESSES"
_AHEAD_PER_PROCESS = 2  # items in flight per worker: bounds memory, keeps workers busy


def process_count() -> int:
    """Worker processes for a large job: the environment's choice, else one a core up to
    MAX_PROCESSES (0 on a single core: nothing would run beside this process)."""
    chosen = os.environ.get(PROCESSES_VARIABLE, "").strip()
    if chosen.isdigit():
        return int(chosen)
    cores = os.cpu_count() or 1
    return min(cores, MAX_PROCESSES) if cores > 1 else 0


def map_in_order(
    function: Callable[[Item], Result], items: Iterable[Item], *, local_first: int = 0
) -> Generator[Result, None, None]:
    """`function(item)` for every item, in order; the first `local_first` items in this
    process (a small job is not worth starting interpreters), the rest in workers.
    `function` must be a module-level function, and items and results picklable."""
    forced = os.environ.get(PROCESSES_VARIABLE, "").strip().isdigit()
    processes = process_count()
    use_pool = processes > 1
    start_at = 0 if forced else local_first
    pool: ProcessPoolExecutor | None = None
    pending: deque[tuple[Item, Future[Result]]] = deque()

    def collect() -> Result:
        nonlocal pool, use_pool
        item, future = pending.popleft()
        try:
            return future.result()
        except (BrokenProcessPool, OSError):
            # A worker that could not start or was killed: this process does the rest.
            if pool is not None:
                pool.shutdown(wait=False, cancel_futures=True)
            pool, use_pool = None, False
            return function(item)

    try:
        for number, item in enumerate(items):
            if pool is None and use_pool and number >= start_at and not pending:
                spawn = multiprocessing.get_context("spawn")
                pool = ProcessPoolExecutor(processes, mp_context=spawn, initializer=_start_worker)
            if pool is None:
                while pending:
                    yield collect()
                yield function(item)
                continue
            try:
                pending.append((item, pool.submit(function, item)))
            except (BrokenProcessPool, RuntimeError):
                pool, use_pool = None, False
                pending.append((item, _failed()))
            while len(pending) >= max(processes, 1) * _AHEAD_PER_PROCESS:
                yield collect()
        while pending:
            yield collect()
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


def _start_worker() -> None:
    _exit_with_parent()
    keep_freed_arrays_in_heap(batch=True)


def _exit_with_parent() -> None:
    """In a worker: end when the starting process ends, however it ends. A killed parent
    leaves its workers waiting on a queue no one will write to again."""
    parent = multiprocessing.parent_process()
    if parent is None:
        return

    def watch() -> None:
        multiprocessing.connection.wait([parent.sentinel])
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def _failed() -> Future:
    future: Future = Future()
    future.set_exception(BrokenProcessPool("the worker processes stopped"))
    return future
