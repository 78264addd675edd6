"""Reading a file the user named, with a message that names the file and the reason."""

from __future__ import annotations

from pathlib import Path

from drafter.errors import InputFileError


def read_user_file(path: Path, noun: str = "文件") -> bytes:
    """The bytes of `path`; a missing or unreadable file raises InputFileError."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise InputFileError(path, f"{noun}不存在") from None
    except IsADirectoryError:
        raise InputFileError(path, f"这是一个文件夹，不是{noun}") from None
    except OSError as error:
        raise InputFileError(path, f"无法读取{noun}：{error.strerror or error}") from None
