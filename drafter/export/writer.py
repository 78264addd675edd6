"""Writing the exported files: checked first, then all-or-nothing.

Every target is checked before anything is built (a .docx name, an existing writable
folder). The documents are then written to ``<name>.tmp`` files beside their targets and
only renamed over them once every one of them is complete, so a failed export never leaves
a truncated .docx and never destroys an existing one.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

from docx.document import Document

from drafter.errors import DrafterError, InputFileError

_NOTHING = "；未写入任何文件"


def check_targets(targets: list[Path], source: Path | None = None) -> None:
    """Refuse targets that cannot or must not be written, before any work is done."""
    seen: set[Path] = set()
    for target in targets:
        resolved = target.resolve()
        if target.suffix.lower() != ".docx":
            raise InputFileError(target, "导出文件的扩展名应为 .docx" + _NOTHING)
        if resolved in seen:
            raise InputFileError(target, "多个导出文件指定了同一路径" + _NOTHING)
        seen.add(resolved)
        if source is not None and resolved == source.resolve():
            raise InputFileError(target, "导出文件不能覆盖草案文件本身" + _NOTHING)
        if target.is_dir():
            raise InputFileError(target, "这是一个文件夹，不是文件" + _NOTHING)
        parent = target.parent
        if not parent.is_dir():
            raise InputFileError(target, "所在的文件夹不存在" + _NOTHING)
        if not os.access(parent, os.W_OK | os.X_OK):
            raise InputFileError(target, "所在的文件夹不可写入" + _NOTHING)


def document_bytes(document: Document) -> bytes:
    """The complete .docx package in memory."""
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _tmp_path(target: Path) -> Path:
    return target.with_name(target.name + ".tmp")


def write_all(files: dict[Path, bytes]) -> None:
    """Write every file or none: temporary files first, renamed only when all are complete."""
    written: list[Path] = []
    try:
        for target, content in files.items():
            tmp = _tmp_path(target)
            with open(tmp, "wb") as handle:
                written.append(tmp)  # only what this export created is removed on failure
                handle.write(content)
                handle.flush()
                os.fsync(handle.fileno())
        for target in files:
            os.replace(_tmp_path(target), target)
    except OSError as error:
        for tmp in written:
            tmp.unlink(missing_ok=True)
        where = error.filename or next(iter(files), "")
        raise DrafterError(
            f"{where}: 写入失败（{error.strerror or error}）；已有的文件保持不变"
        ) from None
    except BaseException:
        for tmp in written:
            tmp.unlink(missing_ok=True)
        raise
