"""The project file: one UTF-8 JSON file per draft, saved atomically, read defensively.

Format history (bump `FORMAT_VERSION` and add a migration and a fixture in
tests/data/drafts/ for every change):

- **0** — pre-release layout written by development builds while issue #4 was being built,
  never in a release: ``{"format", "version": 0, "title", "city", "status", "statute":
  <Statute.to_json()>, "explanation": "<one text>"}``. No uids, no cross-reference
  bindings, no provenance. Migrated by giving the articles uids, binding the references
  found in their text, and turning the 起草说明 text into one section.
- **1** — first release. ``{"format": "drafter-draft", "version": 1, "app_version",
  "saved_at", "draft": <Draft.to_json()>}``: chapters and articles carry uids; each
  article carries its ``refs`` (cross-reference bindings) and ``provenance`` (source links);
  the 起草说明 is a list of ``{title, text}`` sections. Optional keys added within v1 (absent
  in older files, which load unchanged): an article's ``note`` (the drafter's 说明 for the
  对照表), written only when not empty; a 起草说明 section's ``kind`` (its place in the
  outline, kept through renaming; read from the title when absent); the draft's ``basis``
  (the 主要依据: 上位法 and policy documents; an empty list when absent).
- **2** — versions and review. The draft gains two keys, always written (empty when
  unused): ``"versions"``, a list of ``{"name", "date": "YYYY-MM-DD", "note", "saved_at",
  "draft": <the draft's JSON then, without its own versions and review>}`` (named versions
  such as 征求意见稿 and 送审稿, oldest first; their articles keep the same uids as the
  current text), and ``"review"``, ``{"files": [...], "items": [...]}``, reviewers'
  comments and their dispositions (owned by `drafter.review`; checked here only for its
  shape). Migrated by adding both, empty.

Saving (`drafter.safe_write`) copies the previous file to ``<name>.bak`` (and a timestamped
copy under the user data directory), writes a unique temporary file beside the draft,
fsyncs it and renames it over the draft; a read-only draft is refused, a symlinked one is
written through, and its permissions are kept. A file that is
damaged or from a newer version is refused with a clear message and never written to.
"""

from __future__ import annotations

import hashlib
import json
import stat
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from drafter import __version__, safe_write
from drafter.draft import validation
from drafter.draft.document import Draft, ExplanationSection
from drafter.errors import InputFileError
from drafter.paths import user_data_dir
from drafter.statute.model import Statute
from drafter.user_files import read_user_file

FORMAT_NAME = "drafter-draft"
FORMAT_VERSION = 2
FILE_SUFFIX = ".drafter.json"
BACKUPS_KEPT = 10
_UNTOUCHED = "；文件未作任何修改"


class ProjectFileError(InputFileError):
    """A project file that cannot be opened (damaged, not a draft, newer format)."""


def _migrate_v0(data: dict) -> dict:
    statute = Statute.from_json(data["statute"])  # gives every chapter and article a fresh uid
    draft = Draft.from_statute(
        statute, title=data["title"], city=data["city"], status=data.get("status", "草案")
    )
    text = data.get("explanation", "")
    draft.explanation = [ExplanationSection("起草说明", text)] if text else []
    return {
        "format": FORMAT_NAME,
        "version": 1,
        "app_version": data.get("app_version", ""),
        "saved_at": data.get("saved_at", ""),
        "draft": draft.to_json(),
    }


def _migrate_v1(data: dict) -> dict:
    draft = dict(data["draft"])
    draft.setdefault("versions", [])
    draft.setdefault("review", {"files": [], "items": []})
    return {**data, "version": 2, "draft": draft}


# version → function turning that version's data into the next version's
MIGRATIONS: dict[int, Callable[[dict], dict]] = {0: _migrate_v0, 1: _migrate_v1}


def envelope(draft: Draft) -> dict:
    """The project file's content for a draft (stable key order)."""
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "app_version": __version__,
        "saved_at": datetime.now().astimezone().isoformat(timespec="seconds"),
        "draft": draft.to_json(),
    }


def dumps(data: dict) -> str:
    """Human-readable JSON: UTF-8 characters as is, two-space indent, trailing newline."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def parse_project(raw: bytes, path: Path | str = "草案文件") -> Draft:
    """Read a project file's bytes into a draft, migrating older versions (in memory only)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ProjectFileError(
            path, f"不是 UTF-8 文本（第 {error.start} 字节），文件可能已损坏；文件未作任何修改"
        ) from None
    # A BOM is what Notepad and some editors put before UTF-8; it says nothing else.
    text = text.removeprefix("\ufeff")
    try:
        data = validation.loads(text)
    except json.JSONDecodeError as error:
        raise ProjectFileError(
            path,
            f"JSON 内容已损坏（第 {error.lineno} 行第 {error.colno} 列：{error.msg}）{_UNTOUCHED}",
        ) from None
    except (validation.ValidationError, ValueError, RecursionError) as error:
        # ValueError: an integer literal Python refuses; RecursionError: belt and braces
        # behind the depth check.
        detail = str(error) if isinstance(error, validation.ValidationError) else "结构无法读取"
        raise ProjectFileError(path, f"{detail}{_UNTOUCHED}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT_NAME:
        raise ProjectFileError(path, "不是立法起草助手的草案文件")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 0:
        raise ProjectFileError(path, f"格式版本无法识别：{version!r}；文件未作任何修改")
    if version > FORMAT_VERSION:
        raise ProjectFileError(
            path,
            f"由较新版本的立法起草助手保存（文件格式 v{version}，"
            f"本程序只支持到 v{FORMAT_VERSION}）；请升级后再打开{_UNTOUCHED}",
        )
    try:
        # Every field is checked before anything is built from it, so a wrong-shaped file
        # is refused here, naming the field, rather than crashing later (after a save).
        validation.validate(data, version)
    except validation.ValidationError as error:
        raise ProjectFileError(path, f"内容不完整或有误：{error}{_UNTOUCHED}") from None
    try:
        while version < FORMAT_VERSION:
            data = MIGRATIONS[version](data)
            version = data["version"]
        draft = Draft.from_json(data["draft"])
        from drafter.draft.provenance import recompute_all

        # Labels are re-measured, so a file saved under an older label rule shows labels
        # that agree with its similarity figures.
        recompute_all(draft)
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as error:
        raise ProjectFileError(
            path, f"内容不完整或已损坏（{type(error).__name__}: {error}）；文件未作任何修改"
        ) from None
    draft.modified = False
    return draft


def load_project(path: Path | str) -> Draft:
    """Open a project file; a damaged or newer one raises `ProjectFileError`, left untouched."""
    path = Path(path)
    return parse_project(read_user_file(path), path)


def write_atomically(path: Path, content: bytes) -> None:
    """Write `path` so that it holds either the old or the new content, never a mix.

    A file the app owns (autosave): a unique temporary file, never following links.
    """
    safe_write.write_atomically(path, content, follow_symlinks=False, refuse_read_only=False)


def backup_path(path: Path) -> Path:
    """Where the previous version of a project file is kept: ``<name>.bak`` beside it."""
    return path.with_name(path.name + ".bak")


def _timestamped_backup(path: Path, previous: bytes, mode: int) -> Path:
    key = hashlib.sha1(str(path.resolve()).encode("utf-8")).hexdigest()[:8]
    folder = user_data_dir() / "backups" / f"{path.name}-{key}"
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    target = folder / f"{stamp}{FILE_SUFFIX}"
    # The copy keeps the draft's permissions: a private (0600) draft stays private.
    safe_write.write_atomically(
        target, previous, follow_symlinks=False, refuse_read_only=False, mode=mode, label=path
    )
    for old in sorted(folder.glob(f"*{FILE_SUFFIX}"))[:-BACKUPS_KEPT]:
        old.unlink(missing_ok=True)
    return target


@dataclass
class SaveResult:
    """Where a save went and where the previous version was kept."""

    path: Path
    backup: Path | None


def save_project(draft: Draft, path: Path | str, clear_autosave: bool = True) -> SaveResult:
    """Save atomically, keeping the previous file as ``<name>.bak`` and a timestamped copy."""
    path = Path(path)
    content = dumps(envelope(draft)).encode("utf-8")
    backup = None
    if not path.parent.is_dir():
        raise InputFileError(path, "所在的文件夹不存在")
    # A read-only draft is refused before anything (the .bak included) is written.
    safe_write.check_writable(path)
    try:
        previous_file = safe_write.real_target(path)  # a symlinked draft: its target
        if previous_file.exists():
            mode = stat.S_IMODE(previous_file.stat().st_mode)
            previous = previous_file.read_bytes()
            backup = backup_path(path)
            # The .bak is the app's own file: a link planted there is replaced, not followed.
            safe_write.write_atomically(
                backup,
                previous,
                follow_symlinks=False,
                refuse_read_only=False,
                mode=mode,
                label=path,
            )
            _timestamped_backup(path, previous, mode)
        safe_write.write_atomically(path, content)
    except OSError as error:
        raise safe_write.SaveError(safe_write.os_error_message(error, path, True)) from None
    draft.modified = False
    if clear_autosave:
        from drafter.draft.autosave import discard_autosave

        discard_autosave(draft, path)
        discard_autosave(draft)  # the autosave it had before its first save
    return SaveResult(path, backup)
