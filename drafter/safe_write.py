"""Safe atomic writes: every save of a draft, its backup, an autosave or an export goes here.

A file is written to a fresh, uniquely named temporary file in the target's own folder
(created with O_CREAT|O_EXCL, so a planted symlink or a user's own ``X.tmp`` is never
opened, followed or removed), fsynced, given the original's permissions, then renamed over
the target. Until that rename the original is untouched, so "原文件保持不变" is only said
while it is true. A read-only target is refused instead of replaced. A symlinked draft is
written through to the link's target, so the link stays a link.

Temporary names carry this host and pid (``.<name>.<host>-<pid>-<random>.drafter-tmp``):
one left behind by a killed process is removed at the next save of the same file, and only
if its process no longer runs here.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import socket
import stat
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from drafter.errors import DrafterError

_TMP_SUFFIX = ".drafter-tmp"
_NAME_KEPT = 80  # characters of the target's name in a temporary name (NAME_MAX is 255 bytes)


def _read_umask() -> int:
    # os.umask can only be read by setting it; done once at import, before any threads.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_UMASK = _read_umask()
_HOST = hashlib.sha256(socket.gethostname().encode("utf-8", "replace")).hexdigest()[:6]


class SaveError(DrafterError):
    """A file could not be saved; `unchanged` tells whether the original is intact."""

    def __init__(self, message: str, reason: str = "", unchanged: bool = True) -> None:
        super().__init__(message)
        self.reason = reason or message
        self.unchanged = unchanged


def real_target(path: Path | str) -> Path:
    """Where a write to `path` lands: through symlinks, so that a linked draft stays linked."""
    return Path(os.path.realpath(path))


def is_read_only(path: Path) -> bool:
    """True if an existing file must not be replaced: no write permission for anyone, or for us.

    root passes os.access on everything, so a file without any write bit counts as read-only
    too (what the drafter meant by 只读).
    """
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return False
    return not (mode & 0o222) or not os.access(path, os.W_OK)


def check_writable(path: Path | str, label: object | None = None) -> None:
    """Refuse, before anything is written, a target that is read-only or not a regular file."""
    target = real_target(path)
    shown = label if label is not None else path
    if target.exists() and not target.is_file():
        raise SaveError(f"无法保存 {shown}：不是普通文件；原文件保持不变", "不是普通文件")
    if is_read_only(target):
        raise SaveError(f"无法保存 {shown}：文件是只读的；原文件保持不变", "文件是只读的")


def os_error_reason(error: OSError) -> str:
    """What went wrong, in the drafter's words."""
    if error.errno == errno.ENOSPC or error.errno == getattr(errno, "EDQUOT", -1):
        return "磁盘空间不足"
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "没有写入权限"
    return str(error.strerror or error)


def os_error_message(error: OSError, shown: object, unchanged: bool) -> str:
    tail = "；原文件保持不变" if unchanged else ""
    return f"无法保存 {shown}：{os_error_reason(error)}{tail}"


def _save_error(error: OSError, shown: object) -> SaveError:
    # Raised only before the rename, so the original is intact.
    return SaveError(os_error_message(error, shown, True), os_error_reason(error))


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


def _tmp_prefix(name: str) -> str:
    return f".{name[:_NAME_KEPT]}.{_HOST}-"


def remove_leftovers(target: Path) -> list[Path]:
    """Remove temporary files of `target` left by processes of this host that no longer run."""
    if os.name != "posix":
        return []
    prefix = _tmp_prefix(target.name)
    pattern = re.compile(re.escape(prefix) + r"(\d+)-[A-Za-z0-9_]+" + re.escape(_TMP_SUFFIX) + "$")
    removed = []
    try:
        names = os.listdir(target.parent)
    except OSError:
        return []
    for name in names:
        match = pattern.match(name)
        if not match or _pid_alive(int(match.group(1))):
            continue
        leftover = target.parent / name
        try:
            if stat.S_ISREG(os.lstat(leftover).st_mode):  # never a link or anything else
                leftover.unlink()
                removed.append(leftover)
        except OSError:
            pass
    return removed


def _fsync_dir(directory: Path) -> None:
    # Make the rename itself durable; not possible (nor needed) on Windows.
    if os.name != "posix":
        return
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # the rename has happened; durability is best effort from here
    finally:
        os.close(fd)


@dataclass
class PreparedWrite:
    """A complete temporary file waiting to be renamed over its target."""

    target: Path  # the real file that will be replaced (symlinks resolved)
    tmp: Path
    shown: object  # the name used in messages (what the drafter typed)
    done: bool = field(default=False)

    def commit(self) -> None:
        """Rename the temporary file over the target (atomic)."""
        try:
            os.replace(self.tmp, self.target)
        except OSError as error:
            self.discard()
            raise _save_error(error, self.shown) from None
        self.done = True
        _fsync_dir(self.target.parent)

    def discard(self) -> None:
        """Remove the temporary file (a write that will not happen)."""
        if not self.done:
            try:
                os.unlink(self.tmp)
            except OSError:
                pass
            self.done = True


def prepare(
    path: Path | str,
    content: bytes,
    *,
    follow_symlinks: bool = True,
    refuse_read_only: bool = True,
    mode: int | None = None,
    label: object | None = None,
) -> PreparedWrite:
    """Write `content` to a unique temporary file beside the target; nothing is replaced yet.

    `follow_symlinks`: write through a symlinked target (the user's files); False replaces
    the link itself (files the app owns, such as the .bak). `mode` defaults to the existing
    file's permissions, or the umask's for a new file.
    """
    path = Path(path)
    shown = label if label is not None else path
    target = real_target(path) if follow_symlinks else Path(os.path.abspath(path))
    if refuse_read_only:
        check_writable(target, shown)
    if mode is None:
        try:
            mode = stat.S_IMODE(os.stat(target).st_mode)
        except OSError:
            mode = 0o666 & ~_UMASK
    remove_leftovers(target)
    try:
        # mkstemp opens with O_CREAT|O_EXCL (and O_NOFOLLOW where known): a name that exists,
        # a planted symlink included, is never opened.
        fd, name = tempfile.mkstemp(
            prefix=f"{_tmp_prefix(target.name)}{os.getpid()}-",
            suffix=_TMP_SUFFIX,
            dir=target.parent,
        )
    except OSError as error:
        raise _save_error(error, shown) from None
    prepared = PreparedWrite(target, Path(name), shown)
    try:
        with os.fdopen(fd, "wb") as handle:
            view = memoryview(content)
            while view:
                written = handle.write(view)
                view = view[written or len(view) :]
            handle.flush()
            if hasattr(os, "fchmod"):
                os.fchmod(handle.fileno(), mode)
            os.fsync(handle.fileno())
    except OSError as error:
        prepared.discard()
        raise _save_error(error, shown) from None
    except BaseException:
        prepared.discard()
        raise
    return prepared


def write_atomically(
    path: Path | str,
    content: bytes,
    *,
    follow_symlinks: bool = True,
    refuse_read_only: bool = True,
    mode: int | None = None,
    label: object | None = None,
) -> Path:
    """Replace `path` with `content` atomically (old or new, never a mix); the real path."""
    prepared = prepare(
        path,
        content,
        follow_symlinks=follow_symlinks,
        refuse_read_only=refuse_read_only,
        mode=mode,
        label=label,
    )
    prepared.commit()
    return prepared.target
