"""Reading a file the user named, bounded, with a message that names the file and the reason.

Every file a command reads because the user named it goes through here: only regular files
(a FIFO would hang, /dev/zero would never end), at most a size limit per kind, and for zip
containers (.docx, .dotx) a member count, a total inflated size and a compression ratio that
are checked against the central directory and again while inflating.
"""

from __future__ import annotations

import io
import os
import stat
import zipfile
from collections.abc import Iterator
from pathlib import Path

from drafter.errors import InputFileError

MB = 1024 * 1024
DRAFT_LIMIT = 50 * MB  # a project file (.drafter.json)
TEXT_LIMIT = 20 * MB  # a regulation text, a batch file, a gold file
DOCX_LIMIT = 20 * MB  # a .docx/.dotx, compressed
INFLATED_LIMIT = 100 * MB  # all members of one zip container, inflated
MEMBER_LIMIT = 2000  # members in one zip container (a real .docx has a few dozen)
RATIO_LIMIT = 200  # inflated / compressed for one member; XML rarely passes 20
RATIO_FLOOR = 1 * MB  # members smaller than this inflated are never judged by ratio
LINE_LIMIT = 1 * MB  # one line of a batch file
_CHUNK = 64 * 1024


def _size_text(size: int) -> str:
    return f"{size // MB} MB" if size % MB == 0 else f"{size / MB:.1f} MB"


def _open_regular(path: Path, noun: str) -> int:
    """A read-only descriptor on `path`, which must be a regular file."""
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise InputFileError(path, f"{noun}不存在") from None
    except OSError as error:
        raise InputFileError(path, f"无法读取{noun}：{error.strerror or error}") from None
    _require_regular(path, info.st_mode, noun)
    # O_NONBLOCK: if a FIFO replaced the file after the stat, opening it must not hang.
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as error:
        raise InputFileError(path, f"无法读取{noun}：{error.strerror or error}") from None
    try:
        _require_regular(path, os.fstat(fd).st_mode, noun)
    except BaseException:
        os.close(fd)
        raise
    return fd


def _require_regular(path: Path, mode: int, noun: str) -> None:
    if stat.S_ISREG(mode):
        return
    if stat.S_ISDIR(mode):
        raise InputFileError(path, f"这是一个文件夹，不是{noun}")
    if stat.S_ISFIFO(mode):
        kind = "管道（FIFO）"
    elif stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        kind = "设备文件"
    elif stat.S_ISSOCK(mode):
        kind = "套接字"
    else:
        kind = "特殊文件"
    raise InputFileError(path, f"这是{kind}，不是普通文件；请指定{noun}本身")


def _too_large(path: Path, noun: str, limit: int) -> InputFileError:
    return InputFileError(path, f"{noun}过大（超过 {_size_text(limit)} 上限），未读取")


def read_user_file(path: Path | str, noun: str = "文件", limit: int = DRAFT_LIMIT) -> bytes:
    """The bytes of `path`, a regular file of at most `limit` bytes; else InputFileError."""
    path = Path(path)
    fd = _open_regular(path, noun)
    with os.fdopen(fd, "rb", buffering=0) as handle:
        if os.fstat(handle.fileno()).st_size > limit:  # refuse without reading when it says so
            raise _too_large(path, noun, limit)
        try:
            # Read one byte past the limit rather than trust st_size: files can grow.
            data = _read_at_most(handle, limit + 1)
        except OSError as error:
            raise InputFileError(path, f"无法读取{noun}：{error.strerror or error}") from None
    if len(data) > limit:
        raise _too_large(path, noun, limit)
    return data


def _read_at_most(handle: io.RawIOBase, count: int) -> bytes:
    parts: list[bytes] = []
    left = count
    while left > 0:
        chunk = handle.read(min(left, _CHUNK * 16))
        if not chunk:
            break
        parts.append(chunk)
        left -= len(chunk)
    return b"".join(parts)


def read_user_text(path: Path | str, noun: str = "文件", limit: int = TEXT_LIMIT) -> str:
    """A UTF-8 (optionally BOM-prefixed) text file, bounded like read_user_file."""
    path = Path(path)
    data = read_user_file(path, noun, limit)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise InputFileError(path, f"{noun}不是 UTF-8 文本（第 {error.start} 字节）") from None


def iter_user_lines(
    path: Path | str,
    noun: str = "文件",
    limit: int = TEXT_LIMIT,
    line_limit: int = LINE_LIMIT,
) -> Iterator[tuple[int, str | None]]:
    """(number, line) for each line of a UTF-8 text file; line is None when it is too long or
    not UTF-8, so the caller can answer for that line and go on. The file as a whole is
    refused (InputFileError) when it is not a regular file or exceeds `limit`."""
    path = Path(path)
    # Opened now, not at the first next(): a FIFO or a device is refused before any work.
    fd = _open_regular(path, noun)
    return _lines(path, fd, noun, limit, line_limit)


def _lines(
    path: Path, fd: int, noun: str, limit: int, line_limit: int
) -> Iterator[tuple[int, str | None]]:
    total = 0
    with os.fdopen(fd, "rb") as handle:
        number = 0
        while True:
            try:
                raw = handle.readline(line_limit + 1)
            except OSError as error:
                raise InputFileError(path, f"无法读取{noun}：{error.strerror or error}") from None
            if not raw:
                return
            number += 1
            total += len(raw)
            if total > limit:
                raise _too_large(path, noun, limit)
            if len(raw) > line_limit and not raw.endswith(b"\n"):
                # Skip the rest of the over-long line without keeping it.
                while raw and not raw.endswith(b"\n"):
                    raw = handle.readline(_CHUNK)
                    total += len(raw)
                    if total > limit:
                        raise _too_large(path, noun, limit)
                yield number, None
                continue
            try:
                line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError:
                yield number, None
                continue
            yield number, line.rstrip("\r\n")


def read_user_zip(path: Path | str, noun: str = "Word 文档") -> bytes:
    """The bytes of a zip container (.docx/.dotx) whose members are safe to inflate.

    Checked against the central directory (member count, declared sizes, ratio) and then
    by inflating every member in chunks while counting, so a header that lies about a
    member's size cannot make a later reader (python-docx) inflate more than the limits.
    """
    path = Path(path)
    raw = read_user_file(path, noun, DOCX_LIMIT)
    check_zip_bytes(path, raw, noun)
    return raw


def check_zip_bytes(path: Path | str, raw: bytes, noun: str = "Word 文档") -> None:
    """Raise InputFileError unless `raw` is a zip whose members inflate within the limits."""
    path = Path(path)
    if not zipfile.is_zipfile(io.BytesIO(raw)):
        raise InputFileError(
            path, f"不是有效的{noun}（文件不是 zip 格式，可能是旧版 .doc 或已损坏）"
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError) as error:
        raise InputFileError(path, f"{noun}已损坏，无法打开（{error}）") from None
    with archive:
        members = archive.infolist()
        if len(members) > MEMBER_LIMIT:
            raise InputFileError(
                path, f"{noun}包含 {len(members)} 个部件，超过 {MEMBER_LIMIT} 个上限，未读取"
            )
        declared = 0
        for member in members:
            declared += member.file_size
            _check_member_size(path, noun, member, member.file_size, declared)
        inflated = 0
        for member in members:
            if member.is_dir():
                continue
            inflated = _inflate_counting(path, noun, archive, member, inflated)


def _check_member_size(
    path: Path, noun: str, member: zipfile.ZipInfo, size: int, total: int
) -> None:
    if total > INFLATED_LIMIT:
        raise InputFileError(
            path,
            f"{noun}解压后超过 {_size_text(INFLATED_LIMIT)} 上限（“{member.filename}”），"
            "可能是压缩炸弹，未读取",
        )
    if size > RATIO_FLOOR and size > RATIO_LIMIT * max(member.compress_size, 1):
        raise InputFileError(
            path,
            f"{noun}中的“{member.filename}”压缩比异常"
            f"（{size // max(member.compress_size, 1)} 倍），"
            "可能是压缩炸弹，未读取",
        )


def _inflate_counting(
    path: Path, noun: str, archive: zipfile.ZipFile, member: zipfile.ZipInfo, total: int
) -> int:
    """Inflate one member in chunks, never keeping more than a chunk; the running total."""
    size = 0
    try:
        with archive.open(member) as stream:
            while True:
                chunk = stream.read(_CHUNK)
                if not chunk:
                    break
                size += len(chunk)
                total += len(chunk)
                _check_member_size(path, noun, member, size, total)
    except InputFileError:
        raise
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, EOFError) as error:
        # RuntimeError: an encrypted member; NotImplementedError: an unknown compression.
        raise InputFileError(
            path, f"{noun}已损坏，无法读取其中的“{member.filename}”（{error}）"
        ) from None
    except Exception as error:  # zlib.error and others from a damaged stream
        raise InputFileError(
            path, f"{noun}已损坏，无法读取其中的“{member.filename}”（{type(error).__name__}）"
        ) from None
    if size != member.file_size:
        raise InputFileError(path, f"{noun}已损坏：“{member.filename}”的实际大小与记录不符")
    return total
