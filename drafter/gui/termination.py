"""Ending the window when the system asks it to: SIGTERM (shutdown, logout, `kill`),
SIGHUP (the terminal it was started from closed) and SIGINT (Ctrl+C in that terminal,
which raised KeyboardInterrupt inside whatever Qt slot ran next).

Their default action ended the process at once. What the drafter had typed since the
last autosave (up to a minute) was lost, and the draft's lock stayed behind, so the next
start said the draft was open elsewhere. Now the unsaved draft is written to the autosave
folder (offered back at the next start, as after a crash), the lock is released, and the
event loop ends. The drafter's own file is not overwritten: they did not choose to save.
Windows' shutdown and logout reach Qt as a request to commit data instead; the unsaved
draft is kept the same way there.

Python runs a signal handler only between bytecodes, and Qt's event loop is C++: on POSIX
the signal also writes a byte to a socket Qt watches (`signal.set_wakeup_fd`), which wakes
the loop at once. Windows has no such signals from the system; nothing is installed there.
"""

from __future__ import annotations

import signal
import socket
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSocketNotifier, QTimer
from PySide6.QtWidgets import QApplication

from drafter.draft.autosave import write_autosave

if TYPE_CHECKING:
    from drafter.gui.main_window import MainWindow

SIGNALS = ("SIGTERM", "SIGHUP", "SIGINT")


def keep_unsaved(window: MainWindow) -> Path | None:
    """Write the open draft's unsaved changes to the autosave folder now; its path."""
    session = window.session
    if session is None or not session.is_modified:
        return None
    try:
        return write_autosave(session.snapshot(), session.path)
    except OSError as error:  # a full disk: say so where it can still be read
        print(f"drafter: 错误: 未能保存未保存的修改：{error}", file=sys.stderr)
        return None


def end_the_window(window: MainWindow, signum: int) -> None:
    """Keep what is unsaved, release the lock, leave every event loop (a dialog's too)."""
    window.files.autosave.timer.stop()
    keep_unsaved(window)
    if window.session is not None:
        # Through the window, not session.close(): its signals are disconnected first, so
        # the undo stack's end does not reach a window being taken down.
        window.set_session(None)
    window.save_layout()
    QApplication.exit(128 + signum)


class TerminationWatch(QObject):
    """Installed for the life of the window (`install`)."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        self._previous: dict[int, object] = {}
        self._wakeup: tuple[socket.socket, socket.socket] | None = None
        self._notifier: QSocketNotifier | None = None
        self.ending = False

    def install(self) -> None:
        # Windows' shutdown and logout (WM_QUERYENDSESSION), and X11 session managers, ask
        # the application to commit its data; Qt 6 no longer closes the windows for it, and
        # the process is ended soon after. The unsaved draft is kept as after a crash.
        app = QApplication.instance()
        if isinstance(app, QApplication):
            # A slot of this object: Qt disconnects it when the window (its parent) goes.
            app.commitDataRequest.connect(self._commit_data)
        numbers = [getattr(signal, name) for name in SIGNALS if hasattr(signal, name)]
        if sys.platform == "win32" or not numbers:
            return
        reader, writer = socket.socketpair()
        reader.setblocking(False)
        writer.setblocking(False)
        self._wakeup = (reader, writer)
        signal.set_wakeup_fd(writer.fileno())
        self._notifier = QSocketNotifier(reader.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._drain)
        for number in numbers:
            self._previous[number] = signal.signal(number, self._handle)

    def uninstall(self) -> None:
        for number, previous in self._previous.items():
            signal.signal(number, previous)  # type: ignore[arg-type]
        self._previous.clear()
        if self._wakeup is not None:
            signal.set_wakeup_fd(-1)
            for end in self._wakeup:
                end.close()
            self._wakeup = None

    def _commit_data(self, _manager: object) -> None:
        keep_unsaved(self.window)

    def _drain(self) -> None:
        if self._wakeup is None:
            return
        try:
            while self._wakeup[0].recv(64):
                pass
        except OSError:
            pass  # nothing more to read

    def _handle(self, signum: int, _frame) -> None:
        # Between two bytecodes of whatever was running: end from the event loop, not here.
        if not self.ending:
            self.ending = True
            QTimer.singleShot(0, lambda: end_the_window(self.window, signum))


def install(window: MainWindow) -> TerminationWatch:
    """End `window` cleanly on SIGTERM, SIGHUP or SIGINT (POSIX)."""
    watch = TerminationWatch(window)
    watch.install()
    return watch
