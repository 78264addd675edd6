"""Autosave while there are unsaved changes, and the recovery offer after a crash.

A timer asks the core (`autosave_due`) every few seconds; the write runs in the background
on a snapshot of the draft. A save discards the autosave (the core does that), and so
does 不保存 on close; anything else left behind is offered back at the next start.
"""

from __future__ import annotations

import time
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer

from drafter.draft.autosave import (
    RecoverableAutosave,
    autosave_due,
    discard_autosave,
    find_recoverable_autosaves,
    write_autosave,
)
from drafter.draft.lock import ProjectLock
from drafter.errors import DrafterError
from drafter.gui.dialogs import show_error
from drafter.gui.prompts import ask
from drafter.gui.session import DraftSession
from drafter.gui.workers import BackgroundJob
from drafter.local_time import format_local_time

if TYPE_CHECKING:
    from drafter.gui.main_window import MainWindow

CHECK_INTERVAL_MS = 5000
RECOVER, DISCARD, LATER = "恢复", "丢弃", "以后再说"


class AutosaveKeeper:
    """Writes the window's draft to the autosave folder when the core says it is due."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.last: float | None = None
        self.job: BackgroundJob | None = None
        self.timer = QTimer(window)
        self.timer.setInterval(CHECK_INTERVAL_MS)
        self.timer.timeout.connect(self.tick)
        self.timer.start()

    def reset(self) -> None:
        """A different draft is open: its first change is autosaved at the next check."""
        self.last = None

    def tick(self, now: float | None = None) -> BackgroundJob | None:
        """Autosave if due; returns the background job writing it."""
        session = self.window.session
        now = time.monotonic() if now is None else now
        if session is None or (self.job is not None and not self.job.done):
            return None
        if not autosave_due(session.draft, self.last, now):
            return None
        self.last = now
        snapshot, path = session.snapshot(), session.path
        job = BackgroundJob(lambda: write_autosave(snapshot, path))
        job.finished.connect(lambda _path: self._written(session))
        job.failed.connect(
            lambda error: self.window.statusBar().showMessage(f"自动保存失败：{error}", 10000)
        )
        self.job = job.start()
        return job

    def _written(self, session: DraftSession) -> None:
        if self.window.session is session and session.is_modified:
            self.window.show_save_state(f"自动保存于 {datetime.now():%H:%M}")

    def discard(self, session: DraftSession) -> None:
        """Drop the session's autosave (the drafter chose 不保存)."""
        if self.job is not None and not self.job.done:
            from drafter.gui.workers import wait_for_background_jobs

            wait_for_background_jobs()  # a write still running would recreate the file
        discard_autosave(session.draft, session.path)

    # -- recovery ---------------------------------------------------------------------

    def offer_recovery(self) -> bool:
        """After a crash: offer each autosave left behind; True if one was recovered."""
        for found in find_recoverable_autosaves():
            lock = None
            if found.project_path is not None and found.project_path.exists():
                lock = ProjectLock(found.project_path)
                try:
                    lock.acquire()
                except DrafterError:
                    continue  # that draft is open in another window: not a crash
            answer = ask(
                self.window,
                "恢复草案",
                f"上次未正常关闭，发现自动保存的草案《{found.title}》"
                f"（自动保存于 {format_local_time(found.saved_at)}）。是否恢复？",
                [RECOVER, DISCARD, LATER],
                object_name="recoveryDialog",
                informative=_recovery_note(found),
            )
            if answer == RECOVER and self._recover(found, lock):
                return True
            if lock is not None:
                lock.release()
            if answer == DISCARD:
                found.discard()
        return False

    def _recover(self, found: RecoverableAutosave, lock: ProjectLock | None) -> bool:
        if not self.window.files.confirm_discard():
            return False
        try:
            draft = found.recover()
        except DrafterError as error:
            show_error(self.window, "无法恢复草案", f"{error}\n\n自动保存文件保留在 {found.path}")
            return False
        path = found.project_path if lock is not None else None
        found.rekey(draft, path)
        self.window.set_session(DraftSession(draft, path, lock))
        self.window.show_save_state("已恢复，未保存")
        return True


def _recovery_note(found: RecoverableAutosave) -> str:
    if found.project_path is None:
        return "这份草案还没有保存过。恢复后请及时保存。"
    if not found.newer_than_project:
        return f"注意：草案文件 {found.project_path} 在自动保存之后又保存过，恢复前请核对。"
    return f"草案文件：{found.project_path}。恢复后请及时保存。"
