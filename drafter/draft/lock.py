"""A lock file that stops the same draft being opened twice for editing.

``<name>.lock`` beside the project file holds the owner's pid, host and time. A lock
left behind by a process that no longer runs on this machine is stale and is taken over;
a lock from another machine, or one that cannot be read, cannot be checked, so the drafter
must choose to break it (强制打开 in the window, ``drafter edit … --force``).
"""

from __future__ import annotations

import json
import os
import socket
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from drafter.errors import DrafterError
from drafter.local_time import format_local_time
from drafter.safe_write import os_error_reason


class DraftLockedError(DrafterError):
    """The draft is open elsewhere."""

    def __init__(self, path: Path, owner: dict) -> None:
        if owner:
            who = (
                f"（计算机 {owner.get('host', '?')}，"
                f"进程 {owner.get('pid', '?')}，{_since(owner)}起）"
            )
        else:  # an unreadable lock is taken as held: never guess that it is stale
            who = f"（锁文件 {lock_path(Path(path))} 无法读取）"
        super().__init__(
            f"{path}: 该草案已在别处打开{who}。请先在那里关闭；确认对方已不再使用时可强制打开。"
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
    # sys.platform (not os.name) so that mypy knows ctypes.windll exists in this branch.
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
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


def _owner_key(owner: dict) -> tuple[object, object]:
    return owner.get("pid"), owner.get("host")


@contextmanager
def _takeover_guard(directory: Path) -> Iterator[None]:
    """Serialise the take-over of stale locks in one folder (a kernel lock, freed on death).

    Without it two processes could both judge the same lock stale and both replace it.
    Where flock is unavailable (Windows, some network shares), take-overs are not
    serialised; creating a lock stays atomic everywhere.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        yield
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
        except OSError:
            pass
        yield
    finally:
        os.close(fd)  # closing releases the flock


class ProjectLock:
    """Hold the lock on a project file while a draft is open (usable as a context manager).

    The lock file appears complete or not at all: the owner is written to a unique
    temporary file first, which is then hard-linked to the lock's name (link fails if the
    name exists). A lock is stale only if it is complete, from this host, and its process
    is gone; it is then replaced atomically under a folder-wide kernel lock, never deleted
    and re-created. A lock that cannot be read is treated as held.
    """

    def __init__(self, path: Path | str, force: bool = False) -> None:
        self.path = Path(path)
        self.lock_file = lock_path(self.path)
        self.held = False
        self.force = force

    def _read(self) -> dict | None:
        try:
            data = json.loads(self.lock_file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError):
            return {}  # unreadable or incomplete: treated as held, never as stale
        return data if isinstance(data, dict) else {}

    def _owner(self) -> dict | None:
        # An empty lock may be one being written by the O_EXCL fallback: look again briefly.
        for _ in range(5):
            owner = self._read()
            if owner != {}:
                return owner
            time.sleep(0.02)
        return {}

    def is_stale(self, owner: dict) -> bool:
        """True only if the owner is a process of this machine that no longer runs."""
        if not owner or not isinstance(owner.get("pid"), int) or isinstance(owner["pid"], bool):
            return False
        return owner.get("host") == socket.gethostname() and not _pid_alive(owner["pid"])

    def _content(self) -> bytes:
        me = {
            "pid": os.getpid(),
            "host": socket.gethostname(),
            "since": datetime.now().astimezone().isoformat(timespec="seconds"),
        }
        return json.dumps(me, ensure_ascii=False).encode("utf-8")

    def _temporary(self, content: bytes) -> Path:
        fd, name = tempfile.mkstemp(
            prefix=f".{self.lock_file.name[:80]}.", suffix=".new", dir=self.lock_file.parent
        )
        try:
            os.write(fd, content)
            if hasattr(os, "fchmod"):
                os.fchmod(fd, 0o644)
        finally:
            os.close(fd)
        return Path(name)

    def _create(self, content: bytes) -> bool:
        """Create the lock with its owner inside; False if it exists."""
        try:
            return self._create_or_fail(content)
        except OSError as error:
            raise DrafterError(f"{self.path}: 无法创建锁文件（{os_error_reason(error)}）") from None

    def _create_or_fail(self, content: bytes) -> bool:
        tmp = self._temporary(content)
        try:
            os.link(tmp, self.lock_file)
            return True
        except FileExistsError:
            return False
        except OSError:
            pass  # no hard links here (FAT, some shares): O_EXCL with one write below
        finally:
            tmp.unlink(missing_ok=True)
        try:
            fd = os.open(self.lock_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            return False
        try:
            os.write(fd, content)  # one write: readers retry briefly on an empty lock
        except OSError:
            os.close(fd)
            self.lock_file.unlink(missing_ok=True)
            raise
        os.close(fd)
        return True

    def _take_over(self, judged: dict, content: bytes) -> bool:
        """Replace a lock judged stale (or forced) if it is still that lock; True if taken."""
        with _takeover_guard(self.lock_file.parent):
            current = self._read()
            if current is None:
                return False  # released meanwhile: try to create it
            if current != judged:
                return False  # someone else took it: judge again
            tmp = self._temporary(content)
            try:
                os.replace(tmp, self.lock_file)
            except OSError:
                tmp.unlink(missing_ok=True)
                raise
            return True

    def acquire(self, force: bool = False) -> None:
        """Take the lock; raises `DraftLockedError` if another live process holds it."""
        force = force or self.force
        content = self._content()
        mine = (os.getpid(), socket.gethostname())
        for _attempt in range(20):
            if self._create(content):
                self.held = True
                return
            owner = self._owner()
            if owner is None:
                continue  # released meanwhile
            if owner and _owner_key(owner) == mine:
                raise DraftLockedError(self.path, owner)
            if not (force or self.is_stale(owner)):
                raise DraftLockedError(self.path, owner)
            try:
                if self._take_over(owner, content):
                    self.held = True
                    return
            except OSError as error:
                raise DrafterError(
                    f"{self.path}: 无法接管锁文件（{os_error_reason(error)}）"
                ) from None
        raise DraftLockedError(self.path, self._owner() or {})

    def release(self) -> None:
        """Give the lock up (only if this object holds it)."""
        if self.held:
            with _takeover_guard(self.lock_file.parent):
                owner = self._read()
                if owner and _owner_key(owner) == (os.getpid(), socket.gethostname()):
                    self.lock_file.unlink(missing_ok=True)
            self.held = False

    def __enter__(self) -> ProjectLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
