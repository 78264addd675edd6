"""Autosave into the user data directory while a draft has unsaved changes, and crash recovery.

The window's timer calls `autosave_due` every few seconds and `write_autosave` when it
says so; a successful save discards the autosave. On start, `find_recoverable_autosaves`
lists what a crash left behind so the window can offer to recover it.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from drafter.draft.document import Draft
from drafter.draft.project_file import dumps, envelope, parse_project, write_atomically
from drafter.paths import user_data_dir

AUTOSAVE_INTERVAL_SECONDS = 60
_SUFFIX = ".autosave.json"


def autosave_dir() -> Path:
    """Where autosaves are written."""
    folder = user_data_dir() / "autosave"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def autosave_key(draft: Draft, project_path: Path | str | None = None) -> str:
    """The name of a draft's autosave: never a string taken from the file itself.

    A saved draft is keyed by its file (sha256 of the resolved path), so copies of one
    file and a draft saved under a new name (另存为) each have their own autosave; a draft
    never saved is keyed by a hash of its uid (a crafted uid such as ``../../x`` must not
    reach a path).
    """
    if project_path is not None:
        source = "file:" + os.path.realpath(project_path)
    else:
        source = "uid:" + str(draft.uid)
    return hashlib.sha256(source.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def autosave_path(draft: Draft, project_path: Path | str | None = None) -> Path:
    """The autosave file of a draft saved at `project_path` (None: never saved)."""
    return autosave_dir() / f"{autosave_key(draft, project_path)}{_SUFFIX}"


def autosave_due(draft: Draft, last_autosave: float | None, now: float) -> bool:
    """True when the draft has unsaved changes and the last autosave is a minute old."""
    if not draft.modified:
        return False
    return last_autosave is None or now - last_autosave >= AUTOSAVE_INTERVAL_SECONDS


def write_autosave(draft: Draft, project_path: Path | str | None) -> Path:
    """Write the draft's autosave atomically; returns its path."""
    data = envelope(draft)
    data["autosave_of"] = str(Path(project_path).resolve()) if project_path else None
    target = autosave_path(draft, project_path)
    write_atomically(target, dumps(data).encode("utf-8"))
    return target


def discard_autosave(draft: Draft, project_path: Path | str | None = None) -> None:
    """Remove a draft's autosave (after a save, or when the drafter declines recovery)."""
    autosave_path(draft, project_path).unlink(missing_ok=True)


@dataclass
class RecoverableAutosave:
    """An autosave left behind by a session that did not save or close cleanly."""

    path: Path
    project_path: Path | None  # None for a draft that was never saved
    title: str
    saved_at: str
    newer_than_project: bool  # False if the project file was saved after the autosave

    def recover(self) -> Draft:
        """The autosaved draft, marked as modified (it still has to be saved)."""
        draft = parse_project(self.path.read_bytes(), self.path)
        draft.modified = True
        return draft

    def discard(self) -> None:
        self.path.unlink(missing_ok=True)

    def rekey(self, draft: Draft, project_path: Path | str | None) -> None:
        """File the recovered autosave under the key the session will save and discard with.

        An autosave named by an older version (the raw uid), or of a file that has gone,
        would otherwise stay behind after the next save and be offered again.
        """
        target = autosave_path(draft, project_path)
        if self.path != target:
            try:
                os.replace(self.path, target)
                self.path = target
            except OSError:
                pass  # still recoverable where it is


def find_recoverable_autosaves() -> list[RecoverableAutosave]:
    """Every autosave present, newest first; damaged ones are skipped, never deleted."""
    found = []
    for path in autosave_dir().glob(f"*{_SUFFIX}"):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            title = data["draft"]["title"]
            saved_at = data.get("saved_at", "")
        except (OSError, ValueError, KeyError, TypeError):
            continue
        project = Path(data["autosave_of"]) if data.get("autosave_of") else None
        newer = True
        if project is not None and project.exists() and saved_at:
            try:
                newer = project.stat().st_mtime < datetime.fromisoformat(saved_at).timestamp() + 1
            except (ValueError, OSError):
                newer = True
        found.append(RecoverableAutosave(path, project, title, saved_at, newer))
    return sorted(found, key=lambda r: r.saved_at, reverse=True)
