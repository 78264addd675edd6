"""Named versions of a draft (征求意见稿, 送审稿, 草案, 草案修改稿…): snapshots kept in the file.

A version is the draft's text frozen at one moment, stored in the project file under
``"versions"`` as the draft's own JSON (without its versions and review). Articles keep
their uids in the snapshot, so an article moved or renumbered since is still known as
the same article when two versions are compared (`drafter.draft.revision_diff`).

Marking a version is not an edit of the text (it is saved, but not undone with the
text); restoring one is — `restore_version` returns a `Change` the window can undo.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING

from drafter.errors import DrafterError

if TYPE_CHECKING:
    from drafter.draft.changes import Change
    from drafter.draft.document import Draft

USUAL_NAMES = ("征求意见稿", "送审稿", "草案", "草案修改稿")
# The keys a snapshot leaves out: a version does not hold versions or review work.
_NOT_SNAPSHOT = ("versions", "review")


class VersionError(DrafterError):
    """A version that cannot be marked, found or restored."""


@dataclass
class Version:
    """One named version: its name, date (YYYY-MM-DD), note and the draft's text then."""

    name: str
    date: str
    draft: dict
    note: str = ""
    saved_at: str = ""

    def to_json(self) -> dict:
        return {
            "name": self.name,
            "date": self.date,
            "note": self.note,
            "saved_at": self.saved_at,
            "draft": self.draft,
        }

    @classmethod
    def from_json(cls, data: dict) -> Version:
        return cls(
            name=data["name"],
            date=data["date"],
            note=data.get("note", ""),
            saved_at=data.get("saved_at", ""),
            draft=snapshot_of(data["draft"]),
        )

    def __deepcopy__(self, memo: dict) -> Version:
        # A snapshot is never changed in place (it is copied before a draft is built from
        # it), so copies of the draft — autosave, export, background checks — share it
        # instead of copying every version's whole text again.
        return Version(self.name, self.date, self.draft, self.note, self.saved_at)

    @property
    def label(self) -> str:
        """How the version is named to the drafter: "征求意见稿（2026-11-02）"."""
        return f"{self.name}（{self.date}）"


def snapshot_of(draft_json: dict) -> dict:
    """A draft's JSON as a version keeps it: without its own versions and review."""
    return {k: v for k, v in draft_json.items() if k not in _NOT_SNAPSHOT}


def parse_date(text: str) -> str:
    """A date the drafter typed, as YYYY-MM-DD; `VersionError` if it is not one."""
    value = text.strip()
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise VersionError(f"日期格式不对：{text}（应为 2026-12-03 这样的年-月-日）") from None


# -- operations ------------------------------------------------------------------------


def mark_version(draft: Draft, name: str, when: str | None = None, note: str = "") -> Version:
    """Keep the current text as a version named `name` (date defaults to today)."""
    name = name.strip()
    if not name:
        raise VersionError("版本名称不能为空")
    if any(v.name == name for v in draft.versions):
        raise VersionError(f"已有名为“{name}”的版本，请换一个名称")
    version = Version(
        name=name,
        date=parse_date(when) if when else date.today().isoformat(),
        note=note.strip(),
        saved_at=datetime.now().astimezone().isoformat(timespec="seconds"),
        draft=copy.deepcopy(draft.text_json()),
    )
    draft.versions.append(version)
    draft.modified = True
    return version


def unmark_version(draft: Draft, name: str) -> int:
    """Remove a version (undoing its marking); returns where it was in the list."""
    version = find_version(draft, name)
    index = draft.versions.index(version)
    del draft.versions[index]
    draft.modified = True
    return index


def put_back_version(draft: Draft, version: Version, index: int) -> None:
    """Put a removed version back where it was (redoing its marking, same date and time)."""
    if any(v.name == version.name for v in draft.versions):
        raise VersionError(f"已有名为“{version.name}”的版本，请换一个名称")
    draft.versions.insert(min(index, len(draft.versions)), version)
    draft.modified = True


def find_version(draft: Draft, name: str) -> Version:
    """The version named `name`; `VersionError` listing the names there are if none."""
    for version in draft.versions:
        if version.name == name:
            return version
    known = "、".join(v.name for v in draft.versions) or "（尚未标记任何版本）"
    raise VersionError(f"没有名为“{name}”的版本；已有：{known}")


def version_draft(version: Version) -> Draft:
    """The version's text as a draft of its own, to read or compare (never saved back)."""
    from drafter.draft.document import Draft

    try:
        draft = Draft.from_json(copy.deepcopy(version.draft))
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as error:
        # The file's checks passed its shape; what only building finds (a citation out of
        # its text) is reported for this version, not as an internal error.
        raise VersionError(
            f"版本“{version.name}”的内容已损坏（{type(error).__name__}: {error}）"
        ) from None
    draft.modified = False
    return draft


def resolve(draft: Draft, name: str | None) -> Draft:
    """A version's text by name, or the current draft when `name` is None."""
    return draft if name is None else version_draft(find_version(draft, name))


def restore_version(draft: Draft, name: str) -> Change:
    """Make a version's text the current text; the `Change` undoes it.

    The chapters and articles (with their references, sources and 说明) and the title
    come back as they were, with the same uids; the 起草说明, 主要依据, the versions
    themselves and review work are kept.
    """
    from drafter.draft.changes import apply_change

    version = find_version(draft, name)
    old = version_draft(version)

    def body() -> str:
        draft.title = old.title
        draft.statute.title = old.title
        draft.statute.note = old.statute.note
        draft.statute.chapters = old.statute.chapters
        draft.refs = dict(old.refs)
        draft.provenance = dict(old.provenance)
        draft.notes = dict(old.notes)
        return f"恢复为“{version.name}”"

    return apply_change(draft, "restore_version", body)
