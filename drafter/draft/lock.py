"""A lock file that stops the same draft being opened twice for editing.

``<name>.lock`` beside the project file holds the owner's pid, host and time. A lock
left behind by a process that no longer runs on this machine is stale and is taken over;
a lock from another machine cannot be checked, so the drafter must choose to break it.
"""

from __future__ import annotations

import json
import os
import socket
from datetime import datetime
from pathlib import Path

from drafter.errors import DrafterError
from drafter.local_time import format_local_time


class DraftLockedError(DrafterError):
    """The draft is open elsewhere."""

    def __init__(self, path: Path, owner: dict) -> None:
        super().__init__(
            f"{path}: 该草案已在别处打开（计算机 {owner.get('host', '?')}，"
            f"进程 {owner.get('pid', '?')}，{_since(owner)}起）。"
            "请先在那里关闭；确认对方已不再使用时可强制打开。"
        )
        self.owner = owner


def _since(owner: dict) -> str:
    since = owner.get("since")
    return format_local_time(since) if isinstance(since, str) and since else "?"


def lock_path(path: Path) -> Path:
    """The lock file of a project file."""
    return path.with_name(path.name + ".lock")


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if os.name == "nt":  # pragma: no cover - exercised on Windows only
        import ctypes

        handle = ctypes.windll.kernel32.OpenProcess(0x1000, False, pid)
        if not handle:
            return False
        ctypes.windll.kernel32.CloseHandle(handle)
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by someone else
    return True


class ProjectLock:
    """Hold the lock on a project file while a draft is open (usable as a context manager)."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.lock_file = lock_path(self.path)
        self.held = False

    def _owner(self) -> dict | None:
        try:
            data = json.loads(self.lock_file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError):
            return {}  # unreadable: a crash while writing it; treated as stale
        return data if isinstance(data, dict) else {}

    def is_stale(self, owner: dict) -> bool:
        """True if the owner is gone: unreadable lock, or a dead process on this machine."""
        if not owner or not isinstance(owner.get("pid"), int):
            return True
        return owner.get("host") == socket.gethostname() and not _pid_alive(owner["pid"])

    def acquire(self, force: bool = False) -> None:
        """Take the lock; raises `DraftLockedError` if another live process holds it."""
        me = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "since": datetime.now().astimezone().isoformat(timespec="seconds"),
        }
        for _attempt in range(3):
            try:
                fd = os.open(self.lock_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            except FileExistsError:
                owner = self._owner()
                if owner is None:
                    continue  # released meanwhile
                if owner.get("pid") == me["pid"] and owner.get("host") == me["host"]:
                    raise DraftLockedError(self.path, owner) from None
                if not (force or self.is_stale(owner)):
                    raise DraftLockedError(self.path, owner) from None
                self.lock_file.unlink(missing_ok=True)
                continue
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(me, handle, ensure_ascii=False)
            self.held = True
            return
        raise DraftLockedError(self.path, self._owner() or {})

    def release(self) -> None:
        """Give the lock up (only if this object holds it)."""
        if self.held:
            owner = self._owner()
            if owner and owner.get("pid") == os.getpid():
                self.lock_file.unlink(missing_ok=True)
            self.held = False

    def __enter__(self) -> ProjectLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
