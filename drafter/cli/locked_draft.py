"""The draft file a changing command works on: checked, locked, loaded, released.

`drafter edit`, `drafter version` and `drafter review` all change a project file the same
way; this is that way, once.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from drafter.draft.document import Draft
from drafter.draft.lock import DraftLockedError, ProjectLock
from drafter.draft.project_file import load_project
from drafter.errors import DrafterError, InputFileError


@contextmanager
def locked_draft(file: str | Path, force: bool = False) -> Iterator[tuple[Path, Draft]]:
    """(path, draft) with the draft's lock held until the block ends; the caller saves."""
    path = Path(file)
    if not path.is_file():
        raise InputFileError(path, "文件不存在" if not path.exists() else "不是文件")
    try:
        lock = ProjectLock(path, force=force)
        lock.acquire()
    except DraftLockedError as error:
        # The message offers forcing; on the command line that is --force.
        raise DrafterError(f"{error}（命令行：在命令后加 --force）") from None
    try:
        yield path, load_project(path)
    finally:
        lock.release()
