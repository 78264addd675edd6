"""Durable storage of user-imported references, text corrections and every reference's parse.

One SQLite file in the user data directory (WAL mode, so readers never wait for a writer).
`imported_reference` and `correction` hold the user's own data; `parsed_reference` holds
each reference cleaned and parsed (statute, explanation, report, damaged spans) plus the
counts a listing needs, so nothing is parsed twice. The parse rows are derived data: an
old schema drops them, a damaged file is moved aside and the library rebuilt from scratch.
"""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from drafter.errors import DrafterError

# 2: parsed_reference and the schema_version table. Bump whenever the stored parse changes
# shape: the parse rows of an older schema are dropped and rebuilt, user tables are kept.
SCHEMA_VERSION = 2
# The anchors kept apart from each duplicate sketch: its 8 smallest uint64 values.
DUPLICATE_ANCHOR_BYTES = 64

_PARSED_SCHEMA = """
CREATE TABLE IF NOT EXISTS parsed_reference (
    ref_id          TEXT PRIMARY KEY,
    origin          TEXT NOT NULL,      -- "bundled" or "imported"
    source_hash     TEXT NOT NULL,      -- sha256 of the source text it was parsed from
    app_version     TEXT NOT NULL,      -- the drafter version that parsed it
    status          TEXT NOT NULL,      -- as the parser read it
    chapters        INTEGER NOT NULL,
    articles        INTEGER NOT NULL,
    has_explanation INTEGER NOT NULL,
    damaged         INTEGER NOT NULL,   -- before corrections
    data            TEXT NOT NULL       -- JSON: statute, explanation, report, damaged spans
);
-- With the table: dropping the table for a new schema drops its index too.
CREATE INDEX IF NOT EXISTS parsed_listing ON parsed_reference (
    ref_id, origin, source_hash, app_version, status, chapters, articles, has_explanation,
    damaged
);
"""

_SCHEMA = (
    """
CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL);
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
    + _PARSED_SCHEMA
    + """
-- Covering indexes for the listings (parsed_listing is with its table, above): a
-- reference's row holds its whole source text or parse, so a table scan reads every row's
-- pages (2.4 s for 20,000 references from a cold disk cache); these answer the listing
-- queries from the index alone.
CREATE INDEX IF NOT EXISTS imported_listing
    ON imported_reference (imported_at, id, city, title, status, source_name);
-- Duplicate sketches (derived data). reference_sketch held samples of another hash
-- (blake2b per shingle, 10 ms a regulation); they cannot be compared with these.
DROP TABLE IF EXISTS reference_sketch;
CREATE TABLE IF NOT EXISTS duplicate_sketch (
    ref_id  TEXT PRIMARY KEY,
    digest  BLOB NOT NULL,      -- sha256 of the text compared for duplicates
    sample  BLOB NOT NULL       -- its shingle sample: sorted little-endian uint64
);
-- The head of each sample (its smallest values, the anchors that find near-duplicate
-- candidates) and the digest, apart: an import reads these for the whole library and the
-- full samples of its few candidates only. Reading every sample was 49 MB at 20,000
-- references, 1.5-3 s of a cold one-file import. A new anchor width needs a new table.
CREATE TABLE IF NOT EXISTS duplicate_anchor (
    ref_id  TEXT PRIMARY KEY,
    digest  BLOB NOT NULL,
    anchors BLOB NOT NULL       -- the sample's first DUPLICATE_ANCHOR_BYTES bytes
);
"""
)


_PUT_ANCHORS = "INSERT OR REPLACE INTO duplicate_anchor VALUES (?, ?, ?)"
# Sketches without anchors (stored before the anchors had their table), from the two
# primary keys' indexes alone.
_UNANCHORED_QUERY = (
    "SELECT ref_id FROM duplicate_sketch WHERE ref_id NOT IN (SELECT ref_id FROM duplicate_anchor)"
)


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
class ParsedRow:
    """One reference's stored parse: the counts for listings and the JSON for the rest."""

    ref_id: str
    origin: str
    source_hash: str
    app_version: str
    status: str
    chapters: int
    articles: int
    has_explanation: bool
    damaged: int
    data: str


_SUMMARIES_QUERY = (
    "SELECT id, city, title, status, source_name, imported_at"
    " FROM imported_reference ORDER BY imported_at, id"
)
# Each import's state for the index (see reference_tokens).
_TOKENS_QUERY = (
    "SELECT i.id, i.imported_at || '|' || i.city || '|'"
    " || substr(coalesce(p.source_hash, ''), 1, 12)"
    " FROM imported_reference i LEFT JOIN parsed_reference p {hint}ON p.ref_id = i.id"
    " ORDER BY i.imported_at, i.id"
)
_BY_LISTING = "INDEXED BY parsed_listing "
_PARSED_COLUMNS = (
    "ref_id, origin, source_hash, app_version, status, chapters, articles, has_explanation,"
    " damaged, data"
)


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
        self._batch_depth = 0  # inside `batch()`
        self._batch_connection: tuple[int, _Kept] | None = None
        # Set when the data directory cannot be written (a read-only mount, a locked-down
        # profile): listing and showing still work; imports and corrections say why not.
        self.read_only_reason = ""
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._set_up()
        except sqlite3.OperationalError as error:
            if not _is_damage(error):
                self.read_only_reason = str(error)
            else:
                self._rebuild(error)
        except sqlite3.DatabaseError as error:  # "file is not a database", "malformed"
            self._rebuild(error)
        except OSError as error:
            self.read_only_reason = str(error.strerror or error)

    def _set_up(self) -> None:
        with closing(sqlite3.connect(self.path, timeout=10)) as connection:
            # WAL: a process listing or suggesting never waits for one that imports.
            connection.execute("PRAGMA journal_mode=WAL")
            with connection:
                connection.executescript(_SCHEMA)
                row = connection.execute("SELECT max(version) FROM schema_version").fetchone()
                if row[0] != SCHEMA_VERSION:
                    # Parses stored by another schema are derived data: drop, reparse lazily.
                    connection.execute("DROP TABLE IF EXISTS parsed_reference")
                    connection.executescript(_PARSED_SCHEMA)
                    connection.execute("DELETE FROM schema_version")
                    connection.execute("INSERT INTO schema_version VALUES (?)", (SCHEMA_VERSION,))
                connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    def _rebuild(self, error: Exception) -> None:
        # A damaged file: keep it aside (the user's imports may be recoverable from it)
        # and start an empty library, rather than failing every command.
        aside = self.path.with_name(f"{self.path.name}.damaged-{int(time.time())}")
        try:
            for suffix in ("-wal", "-shm"):
                self.path.with_name(self.path.name + suffix).unlink(missing_ok=True)
            if self.path.exists():
                self.path.replace(aside)
            self._set_up()
        except (OSError, sqlite3.Error) as again:
            self.read_only_reason = str(getattr(again, "strerror", None) or again or error)

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Many writes in a row (a batch import): one connection stays open, so closing the
        others does not checkpoint the WAL each time, and commits are synced only at the end
        (synchronous=NORMAL: a crash loses at most the batch's last imports, never the
        file's consistency). At 5,000 references each import had spent 10 ms in its commit's
        fsync and 13 ms checkpointing on close."""
        if self.read_only_reason or self._batch_depth:
            self._batch_depth += 1
            try:
                yield
            finally:
                self._batch_depth -= 1
            return
        keeper = sqlite3.connect(self.path, timeout=10)
        keeper.execute("PRAGMA synchronous=NORMAL")
        self._batch_depth = 1
        # The batch's own thread reuses the connection (opening and closing one cost 3 ms a
        # file); another thread (the window listing while a batch imports) opens its own.
        self._batch_connection = (threading.get_ident(), _Kept(keeper))
        try:
            yield
        finally:
            self._batch_depth = 0
            self._batch_connection = None
            try:
                keeper.execute("PRAGMA wal_checkpoint(FULL)")  # durable from here on
            except sqlite3.Error:
                pass  # another process reads: its own close or the next write checkpoints
            keeper.close()

    def _connect(self, write: bool = False) -> sqlite3.Connection:
        if not self.read_only_reason:
            batch = self._batch_connection
            if batch is not None and batch[0] == threading.get_ident():
                return batch[1]  # type: ignore[return-value]
            connection = sqlite3.connect(self.path, timeout=10)
            if self._batch_depth:
                connection.execute("PRAGMA synchronous=NORMAL")
            return connection
        if write:
            raise ReadOnlyStoreError(self.path.parent, self.read_only_reason)
        if self.path.is_file():
            # A WAL database in a directory nobody can write cannot create its -shm file:
            # then open it as immutable (nobody can change it while we read, anyway).
            for query in ("mode=ro", "immutable=1"):
                opened: sqlite3.Connection | None = None
                try:
                    opened = sqlite3.connect(f"{self.path.as_uri()}?{query}", uri=True, timeout=10)
                    opened.execute("SELECT count(*) FROM correction").fetchone()
                    return opened
                except sqlite3.Error:
                    if opened is not None:  # no tables, or unreadable: nothing imported
                        opened.close()
        empty = sqlite3.connect(":memory:")
        empty.executescript(_SCHEMA)
        return empty

    @property
    def writable(self) -> bool:
        return not self.read_only_reason

    def imported(self) -> list[ImportedRecord]:
        """Every imported reference, oldest first."""
        with closing(self._connect()) as connection:
            rows = connection.execute(
                "SELECT id, city, title, status, source_name, source_text, imported_at"
                " FROM imported_reference ORDER BY imported_at, id"
            ).fetchall()
        return [ImportedRecord(*row) for row in rows]

    def imported_ids(self) -> list[str]:
        """The ids of the imported references, oldest first, without reading their texts."""
        # One row, joined inside SQLite: fetching 20,000 rows built each in Python with the
        # interpreter lock held (25 ms), and a window thread asking stalled the window for
        # as long. An aggregate reads an ordered subquery in its order (SQLite does not
        # flatten an ORDER BY into an aggregate); ids hold no line break (library.check_id).
        with closing(self._connect()) as connection:
            (joined,) = connection.execute(
                "SELECT group_concat(id, char(10)) FROM"
                " (SELECT id FROM imported_reference ORDER BY imported_at, id)"
            ).fetchone()
        return joined.split("\n") if joined else []

    def ids_like(self, base: str) -> set[str]:
        """The imported ids that are `base` or start with `base-` (index lookups only)."""
        escaped = base.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        with closing(self._connect()) as connection:
            rows = connection.execute(
                "SELECT id FROM imported_reference WHERE id = ? OR id LIKE ? ESCAPE '\\'",
                (base, escaped + "-%"),
            ).fetchall()
        return {row[0] for row in rows}

    def imported_record(self, ref_id: str) -> ImportedRecord | None:
        """One imported reference, or None."""
        with closing(self._connect()) as connection:
            row = connection.execute(
                "SELECT id, city, title, status, source_name, source_text, imported_at"
                " FROM imported_reference WHERE id = ?",
                (ref_id,),
            ).fetchone()
        return ImportedRecord(*row) if row else None

    def imported_summaries(self) -> list[tuple]:
        """(id, city, title, status, source_name, imported_at) of every import, oldest first."""
        with closing(self._connect()) as connection:
            return connection.execute(_SUMMARIES_QUERY).fetchall()

    def imported_keys(self) -> list[tuple[str, str, str, int | None]]:
        """(id, title, city, article count) of every import, oldest first; the count is None
        without a stored parse. What duplicate detection compares, from the two listing
        indexes (the parse's own rows are a page each)."""
        query = (
            "SELECT i.id, i.title, i.city, p.articles FROM imported_reference i"
            " LEFT JOIN parsed_reference p {hint}ON p.ref_id = i.id"
            " ORDER BY i.imported_at, i.id"
        )
        with closing(self._connect()) as connection:
            try:
                return connection.execute(query.format(hint=_BY_LISTING)).fetchall()
            except sqlite3.OperationalError:  # an older file: no such index, or no table
                pass
            try:
                return connection.execute(query.format(hint="")).fetchall()
            except sqlite3.DatabaseError:  # an old read-only file without the parse table
                rows = connection.execute(_SUMMARIES_QUERY).fetchall()
                return [(ref_id, title, city, None) for ref_id, city, title, *_ in rows]

    def parsed_rows(self, *, with_data: bool = False) -> dict[str, ParsedRow]:
        """Every stored parse by reference id; `data` is "" unless `with_data`."""
        columns = _PARSED_COLUMNS if with_data else _PARSED_COLUMNS.replace("data", "''")
        try:
            with closing(self._connect()) as connection:
                rows = connection.execute(f"SELECT {columns} FROM parsed_reference").fetchall()
        except sqlite3.DatabaseError:
            return {}  # an old read-only file without the table: parse in memory
        return {row[0]: ParsedRow(*row) for row in rows}

    def iter_imported_parsed(
        self, ids: Sequence[str] | None = None
    ) -> Iterator[tuple[tuple, ParsedRow | None]]:
        """Each import's summary (as `imported_summaries`) with its stored parse, oldest
        first, streamed from one query: an index build reads twenty thousand of them, and a
        connection per reference was most of the time it took. With `ids`, only those
        (at most a few hundred: one parameter each)."""
        columns = ", ".join(f"p.{name.strip()}" for name in _PARSED_COLUMNS.split(","))
        wanted = "" if ids is None else f" WHERE i.id IN ({', '.join('?' * len(ids))})"
        query = (
            "SELECT i.id, i.city, i.title, i.status, i.source_name, i.imported_at, "
            f"{columns} FROM imported_reference i LEFT JOIN parsed_reference p"
            f" ON p.ref_id = i.id{wanted} ORDER BY i.imported_at, i.id"
        )
        with closing(self._connect()) as connection:
            try:
                cursor = connection.execute(query, tuple(ids or ()))
            except sqlite3.DatabaseError:  # an old read-only file without the parse table
                if ids is not None:
                    return  # read one by one by the caller
                cursor = connection.execute(_SUMMARIES_QUERY)
            while rows := cursor.fetchmany(64):
                for row in rows:
                    parsed = ParsedRow(*row[6:]) if len(row) > 6 and row[6] is not None else None
                    yield tuple(row[:6]), parsed

    def parsed_row(self, ref_id: str) -> ParsedRow | None:
        """One reference's stored parse, or None."""
        try:
            with closing(self._connect()) as connection:
                row = connection.execute(
                    f"SELECT {_PARSED_COLUMNS} FROM parsed_reference WHERE ref_id = ?", (ref_id,)
                ).fetchone()
        except sqlite3.DatabaseError:
            return None
        return ParsedRow(*row) if row else None

    def put_parsed(self, row: ParsedRow) -> None:
        """Store (or replace) a parse; silently nothing on a read-only data directory, where
        the caller keeps the parse in memory instead."""
        if self.read_only_reason:
            return
        try:
            with closing(self._connect(write=True)) as connection, connection:
                _insert_parsed(connection, row)
        except sqlite3.OperationalError:
            pass  # locked past the timeout or the disk is full: it is parsed again next time

    def parsed_ids(self) -> set[str]:
        """The references with a stored parse (their ids alone, from the primary key)."""
        try:
            with closing(self._connect()) as connection:
                rows = connection.execute("SELECT ref_id FROM parsed_reference").fetchall()
        except sqlite3.DatabaseError:
            return set()  # an old read-only file without the table
        return {row[0] for row in rows}

    def corrected_ids(self) -> set[str]:
        """The references that have at least one correction."""
        with closing(self._connect()) as connection:
            rows = connection.execute("SELECT DISTINCT ref_id FROM correction").fetchall()
        return {row[0] for row in rows}

    def add_imported(self, record: ImportedRecord, parsed: ParsedRow | None = None) -> None:
        """Store a new imported reference (the id must be free) with its parse, in one
        transaction: another process sees both or neither."""
        with closing(self._connect(write=True)) as connection, connection:
            if parsed is not None:
                _insert_parsed(connection, parsed)
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
            connection.execute("DELETE FROM parsed_reference WHERE ref_id = ?", (ref_id,))
            connection.execute("DELETE FROM duplicate_sketch WHERE ref_id = ?", (ref_id,))
            connection.execute("DELETE FROM duplicate_anchor WHERE ref_id = ?", (ref_id,))
            return cursor.rowcount > 0

    def duplicate_anchors(self) -> dict[str, tuple[bytes, bytes]]:
        """Every stored sketch's digest and anchors: one small read for a batch's index.

        Sketches stored before the anchors had their own table get theirs now, read from
        the sample's head once (and kept, when the store can be written)."""
        with closing(self._connect()) as connection:
            try:
                rows = connection.execute("SELECT ref_id, digest, anchors FROM duplicate_anchor")
                found = {ref: (bytes(digest), bytes(anchors)) for ref, digest, anchors in rows}
                unanchored_query = _UNANCHORED_QUERY
            except sqlite3.OperationalError:  # a file from before the table, opened read-only
                found, unanchored_query = {}, "SELECT ref_id FROM duplicate_sketch"
            # The ids first, from the primary keys' indexes: a row of duplicate_sketch
            # fills most of a page, so scanning the table read all 49 MB again.
            try:
                unanchored = [ref for (ref,) in connection.execute(unanchored_query)]
            except sqlite3.OperationalError:  # older still: no sketches either
                unanchored = []
            missing = [
                (ref, digest, sample[:DUPLICATE_ANCHOR_BYTES])
                for ref, (digest, sample) in self._sketches(connection, unanchored).items()
            ]
        if missing:
            found.update((ref, (bytes(digest), bytes(anchors))) for ref, digest, anchors in missing)
            self._write_derived((_PUT_ANCHORS, missing))
        return found

    def duplicate_samples(self, ref_ids: list[str]) -> dict[str, bytes]:
        """The full shingle samples of a few references (a file's near-duplicate candidates)."""
        with closing(self._connect()) as connection:
            return {ref: sample for ref, (_, sample) in self._sketches(connection, ref_ids).items()}

    @staticmethod
    def _sketches(connection: sqlite3.Connection, ref_ids: list[str]) -> dict[str, tuple]:
        """The stored (digest, sample) of the given references."""
        found: dict[str, tuple] = {}
        for start in range(0, len(ref_ids), 500):  # under SQLite's bound-variable limit
            chunk = ref_ids[start : start + 500]
            try:
                rows = connection.execute(
                    "SELECT ref_id, digest, sample FROM duplicate_sketch"
                    f" WHERE ref_id IN ({','.join('?' * len(chunk))})",
                    chunk,
                ).fetchall()
            except sqlite3.OperationalError:  # a read-only file from before sketches
                return found
            found.update((ref, (bytes(digest), bytes(sample))) for ref, digest, sample in rows)
        return found

    def put_sketches(self, rows: list[tuple[str, bytes, bytes]]) -> None:
        """Keep duplicate sketches (derived data: a read-only store just skips them)."""
        heads = [(ref, digest, sample[:DUPLICATE_ANCHOR_BYTES]) for ref, digest, sample in rows]
        self._write_derived(
            ("INSERT OR REPLACE INTO duplicate_sketch VALUES (?, ?, ?)", rows),
            (_PUT_ANCHORS, heads),
        )

    def _write_derived(self, *statements: tuple[str, list]) -> None:
        """Rows of derived data, in one transaction; a store that cannot take them skips."""
        if not any(rows for _, rows in statements) or self.read_only_reason:
            return
        try:
            with closing(self._connect(write=True)) as connection, connection:
                for statement, rows in statements:
                    connection.executemany(statement, rows)
        except sqlite3.Error:
            pass  # a locked or full store: derived data is computed again next time

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
        assert new_id is not None  # set by the INSERT just made
        return Correction(
            new_id, ref_id, article, paragraph, item, original, corrected, note, created
        )

    def remove_correction(self, correction_id: int) -> bool:
        """Withdraw a correction; the original text shows again."""
        with closing(self._connect(write=True)) as connection, connection:
            cursor = connection.execute("DELETE FROM correction WHERE id = ?", (correction_id,))
            return cursor.rowcount > 0

    def ids_containing(self, text: str) -> set[str]:
        """Ids of the stored parses whose data holds `text` as it is (JSON keeps CJK as is;
        a text with quotes or backslashes is matched in its escaped form)."""
        needle = json.dumps(text, ensure_ascii=False)[1:-1]
        with closing(self._connect()) as connection:
            rows = connection.execute(
                "SELECT ref_id FROM parsed_reference WHERE instr(data, ?) > 0", (needle,)
            ).fetchall()
        return {row[0] for row in rows}

    def reference_tokens(self) -> tuple[dict[str, str], dict[str, str]]:
        """(import state of every import, corrections state of every corrected reference),
        read in two queries: the index compares them reference by reference."""
        # The city is indexed with every paragraph; the source hash tells a reference
        # removed and imported again under the same id within one second. SQLite looks a
        # hash up through the primary key and then reads the parse's own row, a page each:
        # every engine start read 20,000 of them, 1.0 s from a cold disk cache. The
        # listing index holds the hash too (0.09 s). A file from before that index, opened
        # read-only, is asked without it.
        with closing(self._connect()) as connection:
            try:
                rows = connection.execute(_TOKENS_QUERY.format(hint=_BY_LISTING)).fetchall()
            except sqlite3.OperationalError:  # no such index
                rows = connection.execute(_TOKENS_QUERY.format(hint="")).fetchall()
            imports = {ref: token for ref, token in rows}
            fixes = connection.execute(
                "SELECT ref_id, count(*), max(id) FROM correction GROUP BY ref_id"
            ).fetchall()
        return imports, {ref: f"{count}:{last}" for ref, count, last in fixes}

    def state_token(self) -> str:
        """Changes whenever imports or corrections change (for index fingerprints)."""
        with closing(self._connect()) as connection:
            refs = connection.execute(
                "SELECT group_concat(id || ':' || imported_at, ',') FROM imported_reference"
            ).fetchone()[0]
            fixes = connection.execute("SELECT count(*), max(id) FROM correction").fetchone()
        return f"{refs or ''}|{fixes[0]}:{fixes[1]}"


def _insert_parsed(connection: sqlite3.Connection, row: ParsedRow) -> None:
    connection.execute(
        f"INSERT OR REPLACE INTO parsed_reference ({_PARSED_COLUMNS})"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            row.ref_id,
            row.origin,
            row.source_hash,
            row.app_version,
            row.status,
            row.chapters,
            row.articles,
            int(row.has_explanation),
            row.damaged,
            row.data,
        ),
    )


def _is_damage(error: sqlite3.Error) -> bool:
    """Whether an error says the file is damaged (as opposed to unwritable or locked)."""
    text = str(error).lower()
    return "malformed" in text or "not a database" in text or "corrupt" in text


class _Kept:
    """A batch's connection handed out as if new: `with` commits or rolls back as usual,
    and `close()` (from `closing(...)`) leaves it open for the next statement."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection

    def __getattr__(self, name: str):
        return getattr(self._connection, name)

    def __enter__(self) -> sqlite3.Connection:
        return self._connection.__enter__()

    def __exit__(self, *exc_info) -> bool | None:
        return self._connection.__exit__(*exc_info)

    def close(self) -> None:
        pass
