"""Background work: run a core function on the thread pool and get its result on the UI thread.

Callers pass snapshots (copies, ids, plain strings), never live objects the UI keeps
editing, so the worker cannot see a half-made change.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, Signal

# Jobs stay referenced here until their result is delivered, whatever happens to the
# widget that started them, so a worker never emits through a deleted object.
_RUNNING: set[BackgroundJob] = set()


class BackgroundJob(QObject):
    """One background call; connect to `finished` / `failed`, then `start()`."""

    finished = Signal(object)
    failed = Signal(object)
    _result_ready = Signal(object, bool)

    def __init__(self, function: Callable[[], Any]) -> None:
        super().__init__()
        self._function = function
        self.done = False
        # Emitted from the worker thread; Qt queues it to this object's (the UI) thread.
        self._result_ready.connect(self._deliver)

    def start(self, pool: QThreadPool | None = None) -> BackgroundJob:
        _RUNNING.add(self)
        (pool or QThreadPool.globalInstance()).start(self._run)
        return self

    def _run(self) -> None:
        try:
            result, ok = self._function(), True
        except Exception as error:  # handed to the UI thread, which shows a dialog
            error.formatted_traceback = traceback.format_exc()  # type: ignore[attr-defined]
            result, ok = error, False
        self._result_ready.emit(result, ok)

    def _deliver(self, result: object, ok: bool) -> None:
        _RUNNING.discard(self)
        self.done = True
        (self.finished if ok else self.failed).emit(result)


def wait_for_background_jobs(timeout_ms: int = 30000) -> None:
    """Block until the pool is idle (tests and shutdown)."""
    QThreadPool.globalInstance().waitForDone(timeout_ms)
