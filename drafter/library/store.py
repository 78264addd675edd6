"""Durable storage of user-imported references and text corrections (SQLite, user data dir)."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from drafter.errors import DrafterError

SCHEMA_VERSION = 1

_SCHEMA = """
CREATE TABLE IF NOT EXISTS imported_reference (
    id          TEXT PRIMARY KEY,
    city        TEXT NOT NULL,
    title       TEXT NOT NULL,
    status      TEXT NOT NULL,
    source_name TEXT NOT NULL,
    source_text TEXT NOT NULL,
    imported_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS correction (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    ref_id      TEXT NOT NULL,
    article     INTEGER NOT NULL,   -- 0 = the drafting explanation
    paragraph   INTEGER NOT NULL,   -- 1-based 款, or the explanation's paragraph
    item        INTEGER NOT NULL,   -- 1-based 项, 0 = the 款 text itself
    original    TEXT NOT NULL,
    corrected   TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL
);
"""


class ReadOnlyStoreError(DrafterError):
    """The user data directory cannot be written, so imports and corrections cannot be kept."""

    def __init__(self, directory: Path, reason: str) -> None:
        super().__init__(
            f"用户数据目录 {directory} 无法写入（{reason}）：参考法规库可以查看，"
            "但导入、删除和更正无法保存；请检查该目录的权限或设置 DRAFTER_DATA_DIR"
        )


@dataclass(frozen=True)
class ImportedRecord:
    """One imported reference as stored: the decoded source text is kept, not the parse."""

    id: str
    city: str
    title: str
    status: str
    source_name: str
    source_text: str
    imported_at: str


@dataclass(frozen=True)
class Correction:
    """A user's correction of a reference's text; the original text stays available."""

    id: int
    ref_id: str
    article: int
    paragraph: int
    item: int
    original: str
    corrected: str
    note: str
    created_at: str

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "article": self.article,
            "paragraph": self.paragraph,
            "item": self.item,
            "original": self.original,
            "corrected": self.corrected,
            "note": self.note,
            "created_at": self.created_at,
        }


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class LibraryStore:
    """The SQLite file behind the user's part of the reference library."""

    def __init__(self, path: Path) -> None:
        self.path = path
        # Set when the data directory cannot be written (a read-only mount, a locked-down
        # profile): listing and showing still work; imports and corrections say why not.
        self.read_only_reason = ""
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with closing(self._connect()) as connection, connection:
                connection.executescript(_SCHEMA)
                connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        except (OSError, sqlite3.OperationalError) as error:
            self.read_only_reason = str(getattr(error, "strerror", None) or error)

    def _connect(self, write: bool = False) -> sqlite3.Connection:
        if not self.read_only_reason:
            return sqlite3.connect(self.path, timeout=10)
        if write:
            raise ReadOnlyStoreError(self.path.parent, self.read_only_reason)
        if self.path.is_file():
            try:
                connection = sqlite3.connect(f"{self.path.as_uri()}?mode=ro", uri=True, timeout=10)
                connection.execute("SELECT count(*) FROM correction").fetchone()
                return connection
            except sqlite3.Error:
                pass  # no tables (or unreadable): nothing imported as far as we can tell
        connection = sqlite3.connect(":memory:")
        connection.executescript(_SCHEMA)
        return connection

    def imported(self) -> list[ImportedRecord]:
        """Every imported reference, oldest first."""
        with closing(self._connect()) as connection:
            rows = connection.execute(
                "SELECT id, city, title, status, source_name, source_text, imported_at"
                " FROM imported_reference ORDER BY imported_at, id"
            ).fetchall()
        return [ImportedRecord(*row) for row in rows]

    def add_imported(self, record: ImportedRecord) -> None:
        """Store a new imported reference (the id must be free)."""
        with closing(self._connect(write=True)) as connection, connection:
            connection.execute(
                "INSERT INTO imported_reference VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    record.id,
                    record.city,
                    record.title,
                    record.status,
                    record.source_name,
                    record.source_text,
                    record.imported_at or _now(),
                ),
            )

    def remove_imported(self, ref_id: str) -> bool:
        """Delete an imported reference and its corrections; False if it was not there."""
        with closing(self._connect(write=True)) as connection, connection:
            cursor = connection.execute("DELETE FROM imported_reference WHERE id = ?", (ref_id,))
            connection.execute("DELETE FROM correction WHERE ref_id = ?", (ref_id,))
            return cursor.rowcount > 0

    def corrections(self, ref_id: str | None = None) -> list[Correction]:
        """Corrections in the order they were made, for one reference or all."""
        query = "SELECT * FROM correction"
        args: tuple = ()
        if ref_id is not None:
            query += " WHERE ref_id = ?"
            args = (ref_id,)
        with closing(self._connect()) as connection:
            rows = connection.execute(query + " ORDER BY id", args).fetchall()
        return [Correction(*row) for row in rows]

    def add_correction(
        self,
        ref_id: str,
        article: int,
        paragraph: int,
        item: int,
        original: str,
        corrected: str,
        note: str = "",
    ) -> Correction:
        """Store a correction and return it."""
        created = _now()
        with closing(self._connect(write=True)) as connection, connection:
            cursor = connection.execute(
                "INSERT INTO correction (ref_id, article, paragraph, item, original, corrected,"
                " note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (ref_id, article, paragraph, item, original, corrected, note, created),
            )
            new_id = cursor.lastrowid
        return Correction(
            new_id, ref_id, article, paragraph, item, original, corrected, note, created
        )

    def remove_correction(self, correction_id: int) -> bool:
        """Withdraw a correction; the original text shows again."""
        with closing(self._connect(write=True)) as connection, connection:
            cursor = connection.execute("DELETE FROM correction WHERE id = ?", (correction_id,))
            return cursor.rowcount > 0

    def state_token(self) -> str:
        """Changes whenever imports or corrections change (for index fingerprints)."""
        with closing(self._connect()) as connection:
            refs = connection.execute(
                "SELECT group_concat(id || ':' || imported_at, ',') FROM imported_reference"
            ).fetchone()[0]
            fixes = connection.execute("SELECT count(*), max(id) FROM correction").fetchone()
        return f"{refs or ''}|{fixes[0]}:{fixes[1]}"
