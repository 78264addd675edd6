"""The reference library: the five bundled regulations plus the user's imports, with corrections."""

from __future__ import annotations

import copy
import hashlib
import json
import re
import sqlite3
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from drafter import __version__
from drafter.errors import DrafterError, InputFileError, UnknownReferenceError
from drafter.library.corrections import apply_corrections, locate_text
from drafter.library.importers import read_document_text
from drafter.library.reference import (
    ParagraphText,
    Reference,
    ReferenceSummary,
    paragraph_texts_from_json,
    parse_from_json,
    parse_to_json,
)
from drafter.library.store import Correction, ImportedRecord, LibraryStore, ParsedRow
from drafter.parsing import ParseResult, parse_regulation_text
from drafter.parsing.parser import ParseError
from drafter.paths import resources_dir, user_data_dir
from drafter.recent import RecentItems

_DATE_KEYS = ("published", "adopted", "approved", "effective", "comments_until")
_CITY_IN_TITLE = re.compile(r"^(.{2,8}?(?:自治州|市|州|盟|地区))")
# Lower-case ASCII or Chinese (an id derived from the city, 苏州, reads without pinyin).
_ID_ATTEMPTS = 50
_ID_PATTERN = re.compile(r"^[a-z\u4e00-\u9fff][a-z0-9\u4e00-\u9fff_-]{1,39}$")


@dataclass(frozen=True)
class ImportPreview:
    """What an import of a file would store, guessed from its text (nothing is stored)."""

    title: str
    city: str
    status: str
    ref_id: str
    chapter_count: int
    article_count: int


def references_dir() -> Path:
    """Where the bundled reference texts and their manifest live."""
    return resources_dir() / "references"


@lru_cache(maxsize=1)
def load_manifest() -> tuple[dict, ...]:
    """The bundled references' manifest entries, in order."""
    data = json.loads((references_dir() / "manifest.json").read_text(encoding="utf-8"))
    return tuple(data["references"])


@lru_cache(maxsize=64)
def _parse_cached(text: str) -> ParseResult:
    # Parsing is pure; the library hands out deep copies so callers may modify them.
    return parse_regulation_text(text)


CACHED_REFERENCES = 256
# References of a list read from the store in one query (iter_references(ids)).
_READ_TOGETHER = 32


class ReferenceLibrary:
    """Every reference the user can draw on. Bundled ones are read-only; imports can be removed."""

    def __init__(self, data_dir: Path | None = None) -> None:
        self.data_dir = data_dir or user_data_dir()
        self.store = LibraryStore(self.data_dir / "library.sqlite3")
        # A batch import or an index build reads thousands of references, each tens of
        # kilobytes of Python objects: only the last ones read are kept.
        self._cache: RecentItems[str, Reference] = RecentItems(CACHED_REFERENCES)

    # -- reading -------------------------------------------------------------------------

    def bundled_ids(self) -> list[str]:
        return [entry["id"] for entry in load_manifest()]

    def ids(self) -> list[str]:
        """All reference ids: bundled first, then imports in the order they were added."""
        return self.bundled_ids() + self.store.imported_ids()

    def get(self, ref_id: str, *, corrected: bool = True) -> Reference:
        """A reference by id, with the user's corrections applied unless `corrected=False`."""
        if corrected and ref_id in self._cache:
            return self._cache[ref_id]
        reference = self._load_original(ref_id)
        if corrected:
            apply_corrections(reference, self.store.corrections(ref_id))
            self._cache[ref_id] = reference
        return reference

    def iter_references(self, ids: Sequence[str] | None = None) -> Iterator[Reference]:
        """Every reference (or those of `ids` that exist, in that order), corrected, one at
        a time (an index build over a whole province's library holds one reference, not
        twenty thousand); the imports' stored parses are streamed from one query, or, for
        `ids`, one query a batch (a search opening two hundred references asked three
        queries of each, a third of its 0.6 s)."""
        if ids is not None:
            yield from self._references_of(ids)
            return
        for ref_id in self.bundled_ids():
            yield self.get(ref_id)
        corrections = self._corrections_by_reference()
        for summary, row in self.store.iter_imported_parsed():
            yield self._imported_reference(summary, row, corrections.get(summary[0], []))

    def _references_of(self, ids: Sequence[str]) -> Iterator[Reference]:
        corrections = self._corrections_by_reference()
        bundled = set(self.bundled_ids())
        for start in range(0, len(ids), _READ_TOGETHER):
            batch = ids[start : start + _READ_TOGETHER]
            unread = [i for i in batch if i not in bundled and i not in self._cache]
            stored = {s[0]: (s, row) for s, row in self.store.iter_imported_parsed(unread)}
            for ref_id in batch:
                if ref_id in stored:
                    summary, row = stored[ref_id]
                    yield self._imported_reference(summary, row, corrections.get(ref_id, []))
                    continue
                try:
                    yield self.get(ref_id)  # bundled, read already, or an old store
                except UnknownReferenceError:
                    continue  # removed meanwhile

    def _corrections_by_reference(self) -> dict[str, list[Correction]]:
        corrections: dict[str, list[Correction]] = {}
        for correction in self.store.corrections():
            corrections.setdefault(correction.ref_id, []).append(correction)
        return corrections

    def _imported_reference(
        self, summary: tuple, row: ParsedRow | None, corrections: list[Correction]
    ) -> Reference:
        ref_id, city, title, status, source_name, imported_at = summary
        reference = self._cache.get(ref_id)
        if reference is None and row is not None:
            fields = {
                "id": ref_id,
                "city": city,
                "title": title,
                "origin": "imported",
                "dates": {"imported": imported_at},
                "source_name": source_name,
            }
            reference = _from_row(row, status, fields)
            if reference is not None:
                apply_corrections(reference, corrections)
                self._cache[ref_id] = reference
        # No stored parse (a library from before the parse store), or a damaged one.
        return reference if reference is not None else self.get(ref_id)

    def iter_paragraphs(
        self, ids: Iterable[str] | None = None
    ) -> Iterator[tuple[str, str, ParagraphText]]:
        """(reference id, city, paragraph) of every paragraph of every reference (or of
        `ids`), corrected, in the order of iter_references. Read straight from the stored
        parses where no correction applies: an index build reads the 1.4 million
        paragraphs of a province's library, and making their model objects took two
        fifths of its reading process's time."""
        for ref_id in self.bundled_ids() if ids is None else ids:
            reference = self.get(ref_id)
            for text in paragraph_texts(reference):
                yield ref_id, reference.city, text
        if ids is not None:
            return
        corrections = self._corrections_by_reference()
        for summary, row in self.store.iter_imported_parsed():
            ref_id, city = summary[0], summary[1]
            texts = None
            if row is not None and ref_id not in corrections:
                texts = paragraph_texts_from_json(row.data)
            if texts is None:  # corrected, or with no stored parse or a damaged one
                reference = self._imported_reference(summary, row, corrections.get(ref_id, []))
                city, texts = reference.city, paragraph_texts(reference)
            for text in texts:
                yield ref_id, city, text

    def references(self) -> list[Reference]:
        """Every reference, corrected."""
        return list(self.iter_references())

    def summaries(self) -> list[ReferenceSummary]:
        """What a listing needs of every reference, in `ids()` order, read from the stored
        parse rows without building any statute (only a corrected reference is loaded whole,
        as its corrections may have settled damaged spans)."""
        rows = self.store.parsed_rows()
        corrected = self.store.corrected_ids()
        result: list[ReferenceSummary] = []
        for entry in load_manifest():
            ref_id = entry["id"]
            row = rows.get(ref_id)
            if ref_id in corrected or not _bundled_row_is_current(row, entry):
                result.append(ReferenceSummary.of(self.get(ref_id)))
                continue
            assert row is not None
            result.append(
                _summary(row, entry["city"], entry["title"], entry.get("status", row.status))
            )
        for ref_id, city, title, status, _name, _at in self.store.imported_summaries():
            row = rows.get(ref_id)
            if ref_id in corrected or row is None:
                result.append(ReferenceSummary.of(self.get(ref_id)))
                continue
            result.append(_summary(row, city, title, status, origin="imported"))
        return result

    def summaries_of(self, ids: Iterable[str]) -> list[ReferenceSummary]:
        """The listing rows of these references only (those still in the library), for a
        listing that was read before they were added or corrected: one stored parse each,
        where `summaries()` reads twenty thousand (and no list of every id: a reference
        removed meanwhile is found missing when it is read)."""
        found = []
        for ref_id in ids:
            try:
                found.append(ReferenceSummary.of(self.get(ref_id)))
            except UnknownReferenceError:
                continue
        return found

    def identities(self) -> list[tuple[str, str, str, int]]:
        """(id, title, city, article count) of every reference, in `ids()` order: what
        duplicate detection compares, without the listing's other columns (0.4 s at
        20,000 references, against a fraction of that for these)."""
        found = [
            (s.id, s.title, s.city, s.article_count) for s in self.summaries_of(self.bundled_ids())
        ]
        for ref_id, title, city, articles in self.store.imported_keys():
            if articles is None:  # no stored parse: read the reference
                articles = self.get(ref_id).article_count
            found.append((ref_id, title, city, articles))
        return found

    def fingerprint(self) -> str:
        """Changes whenever a reference is added, removed or corrected, or the cleaner changes."""
        digest = hashlib.sha256(__version__.encode())
        for entry in load_manifest():
            digest.update((references_dir() / entry["file"]).read_bytes())
        digest.update(self.store.state_token().encode())
        return digest.hexdigest()[:16]

    def search_ids(self, text: str) -> list[str]:
        """The references (in `ids()` order) whose text may contain `text`: the stored
        parses are searched in SQLite, without loading any reference. A corrected or not
        yet stored reference is always included (its text is checked when it is opened)."""
        found = self.store.ids_containing(text)
        corrected = self.store.corrected_ids()
        # The ids alone: building every parse's row object held the window's search
        # thread (and the GIL the window waits for) 70-140 ms at 20,000 references.
        stored = self.store.parsed_ids()
        return [
            ref_id
            for ref_id in self.ids()
            if ref_id in found or ref_id in corrected or ref_id not in stored
        ]

    def reference_tokens(self) -> dict[str, str]:
        """Every reference's state (in `ids()` order) as a short token that changes whenever
        its indexed text would: the source for a bundled one, the import, the corrections."""
        imports, fixes = self.store.reference_tokens()
        tokens: dict[str, str] = {}
        for entry in load_manifest():
            source = (references_dir() / entry["file"]).read_bytes()
            tokens[entry["id"]] = hashlib.sha256(source).hexdigest()[:12]
        for ref_id, imported_at in imports.items():
            tokens[ref_id] = f"i{imported_at}"
        for ref_id, fix in fixes.items():
            if ref_id in tokens:
                tokens[ref_id] += f"|c{fix}"
        return tokens

    def _load_original(self, ref_id: str) -> Reference:
        for entry in load_manifest():
            if entry["id"] == ref_id:
                return self._load_bundled(entry)
        record = self.store.imported_record(ref_id)
        if record is not None:
            return self._load_imported(record)
        raise UnknownReferenceError(ref_id, self.ids())

    def _load_bundled(self, entry: dict) -> Reference:
        fields = {
            "id": entry["id"],
            "city": entry["city"],
            "title": entry["title"],
            "origin": "bundled",
            "province": entry.get("province", ""),
            "dates": {key: entry[key] for key in _DATE_KEYS if key in entry},
            "source_name": entry["file"],
        }
        row = self.store.parsed_row(entry["id"])
        if _bundled_row_is_current(row, entry):
            assert row is not None
            stored = _from_row(row, entry.get("status", row.status), fields)
            if stored is not None:
                return stored
        # Parsed once per app version and source text, then read from the store.
        text = _bundled_text(entry)
        parsed = _parse_cached(text)
        self.store.put_parsed(_row(parsed, entry["id"], "bundled", _hash(text)))
        return _reference_from_parse(parsed, status=entry.get("status", parsed.status), **fields)

    def _load_imported(self, record: ImportedRecord) -> Reference:
        fields = {
            "id": record.id,
            "city": record.city,
            "title": record.title,
            "origin": "imported",
            "dates": {"imported": record.imported_at},
            "source_name": record.source_name,
        }
        # Parsed at import; only a library from before the parse store (or a damaged row)
        # parses here, once.
        row = self.store.parsed_row(record.id)
        if row is not None:
            stored = _from_row(row, record.status, fields)
            if stored is not None:
                return stored
        parsed = _parse_cached(record.source_text)
        self.store.put_parsed(_row(parsed, record.id, "imported", _hash(record.source_text)))
        return _reference_from_parse(parsed, status=record.status, **fields)

    # -- changing ------------------------------------------------------------------------

    def preview_import(self, path: str | Path) -> ImportPreview:
        """Read and parse a file as `import_file` would, and guess its title, city, status and a
        free, readable id (from the city: 苏州, 苏州-2); nothing is stored."""
        path = Path(path)
        _text, parsed = _read_and_parse(path)
        title = parsed.title or path.stem
        city = _city_from_title(title)
        return ImportPreview(
            title=title,
            city=city,
            status=parsed.status,
            ref_id=self.free_id(city, path),
            chapter_count=sum(1 for c in parsed.statute.chapters if c.number > 0),
            article_count=sum(1 for _ in parsed.statute.articles()),
        )

    def read_parsed(self, path: str | Path) -> ParseResult:
        """A file read, cleaned and parsed as `import_file` would (shared and cached: do
        not modify it; importing the file next does not parse it again)."""
        return _read_and_parse(Path(path))[1]

    def free_id(self, city: str, path: Path | None = None) -> str:
        """An unused id for an import: the city's name (苏州市 → 苏州), else the file name, else
        "ref"; with -2, -3… when taken."""
        short = city[:-1] if city.endswith("市") and len(city) > 2 else city
        base = re.sub(r"\s+", "", short)
        if not _ID_PATTERN.match(base):
            base = _stem_id(path) if path is not None else "ref"
        return self._unused(base)

    def import_file(
        self,
        path: str | Path,
        *,
        city: str | None = None,
        title: str | None = None,
        ref_id: str | None = None,
        status: str | None = None,
    ) -> Reference:
        """Read, clean and parse a regulation file and store it; nothing is stored on failure."""
        path = Path(path)
        text, parsed = _read_and_parse(path)
        final_title = title or parsed.title or path.stem
        final_city = city or _city_from_title(final_title)
        # Parsed once, here: the parse is stored with the text, in one transaction.
        for attempt in range(_ID_ATTEMPTS):
            final_id = self._new_id(ref_id, path, final_city)
            try:
                self.store.add_imported(
                    ImportedRecord(
                        id=final_id,
                        city=final_city,
                        title=final_title,
                        status=parsed.status if status is None else status,
                        source_name=path.name,
                        source_text=text,
                        imported_at="",
                    ),
                    _row(parsed, final_id, "imported", _hash(text)),
                )
                break
            except sqlite3.IntegrityError:
                # Another process took this id between our look and our insert: the next
                # free one, so that concurrent imports are all kept.
                if ref_id or attempt == _ID_ATTEMPTS - 1:
                    raise DrafterError(f"编号“{final_id}”已被占用") from None
        self._cache.pop(final_id, None)
        return self.get(final_id)

    def remove(self, ref_id: str) -> None:
        """Remove an imported reference; bundled ones cannot be removed."""
        if ref_id in self.bundled_ids():
            raise DrafterError(f"“{ref_id}”是内置参考法规，不能删除")
        if not self.store.remove_imported(ref_id):
            raise UnknownReferenceError(ref_id, self.ids())
        self._cache.pop(ref_id, None)

    def correct(
        self,
        ref_id: str,
        *,
        article: int,
        paragraph: int,
        original: str,
        corrected: str,
        item: int = 0,
        note: str = "",
    ) -> Correction:
        """Record a correction of a reference's text (article 0 = the explanation)."""
        reference = self.get(ref_id)
        text = locate_text(reference, article, paragraph, item)
        if not original:
            raise DrafterError("要更正的原文不能为空")
        if original not in text:
            raise DrafterError(f"在指定位置没有找到要更正的原文“{original}”")
        correction = self.store.add_correction(
            ref_id, article, paragraph, item, original, corrected, note
        )
        self._cache.pop(ref_id, None)
        return correction

    def withdraw_correction(self, correction_id: int) -> None:
        """Remove a correction so the original text shows again."""
        if not self.store.remove_correction(correction_id):
            raise DrafterError(f"没有编号为 {correction_id} 的更正")
        self._cache.clear()

    def _new_id(self, requested: str | None, path: Path, city: str = "") -> str:
        if requested:
            check_id(requested, self._ids_like(requested))
            return requested
        # The file's name when it is one (shenzhen.txt), else the city (深圳市智慧城市条例.txt).
        stem = _stem_id(path)
        return self._unused(stem) if stem != "ref" else self.free_id(city, path)

    def _unused(self, base: str) -> str:
        taken = self._ids_like(base)
        candidate, counter = base, 2
        while candidate in taken:
            candidate, counter = f"{base}-{counter}", counter + 1
        return candidate

    def _ids_like(self, base: str) -> set[str]:
        """The ids taken that could clash with `base` (base, base-2, …). Only those are read:
        listing every id cost 30 ms per file at 5,000 references, twice per file of a
        batch, and on the window's import thread it held the interpreter lock, stalling
        the window 30-80 ms at 20,000."""
        taken = {i for i in self.bundled_ids() if i == base or i.startswith(base + "-")}
        return taken | self.store.ids_like(base)


def check_id(ref_id: str, taken: Collection[str]) -> None:
    """Raise DrafterError (with the reason, in Chinese) unless `ref_id` is valid and free."""
    if not _ID_PATTERN.match(ref_id):
        raise DrafterError(
            f"编号“{ref_id}”无效：请用小写字母或汉字开头，只含小写字母、汉字、数字、- 和 _"
            "（2 至 40 个字符）"
        )
    if ref_id in taken:
        raise DrafterError(f"编号“{ref_id}”已被占用")


def _stem_id(path: Path) -> str:
    stem = re.sub(r"[^a-z0-9_-]+", "-", path.stem.lower()).strip("-_")
    return stem if _ID_PATTERN.match(stem or "") else "ref"


# Files a batch import's workers read and parsed ahead (batch_import.py), by path; used
# while the file is unchanged (the same size and modification time).
ParsedAhead = tuple[str, tuple[int, int], str, ParseResult]  # path, stamp, text, parse
_PARSED_AHEAD: RecentItems[str, ParsedAhead] = RecentItems(64)


def parse_ahead(path: str) -> ParsedAhead | None:
    """Read and parse a file as an import would, in a worker process; None when it cannot
    be, for whatever reason: the import then reads it again here and refuses it with the
    usual message."""
    try:
        stamp = _stamp(Path(path))
        text, parsed = _read_and_parse(Path(path))
    except Exception:
        return None
    return path, stamp, text, parsed


def remember_parsed_ahead(result: ParsedAhead | None) -> None:
    """Keep a worker's parse for the import of its file that follows."""
    if result is not None:
        _PARSED_AHEAD[result[0]] = result


def _stamp(path: Path) -> tuple[int, int]:
    status = path.stat()
    return status.st_mtime_ns, status.st_size


def _read_and_parse(path: Path) -> tuple[str, ParseResult]:
    ahead = _PARSED_AHEAD.get(str(path))
    if ahead is not None:
        try:
            if ahead[1] == _stamp(path):
                return ahead[2], ahead[3]
        except OSError:
            pass  # gone since: reading it below reports why
    text = read_document_text(path)
    try:
        return text, _parse_cached(text)
    except ParseError as error:
        raise InputFileError(path, str(error)) from None


def _city_from_title(title: str) -> str:
    match = _CITY_IN_TITLE.match(title)
    return match.group(1) if match else ""


def _reference_from_parse(parsed: ParseResult, **fields) -> Reference:
    # The parse is cached and shared; each Reference gets its own copy to correct or edit.
    parsed = copy.deepcopy(parsed)
    parsed.statute.title = fields["title"]
    return Reference(
        statute=parsed.statute,
        explanation=parsed.explanation,
        explanation_title=parsed.explanation_title,
        explanation_damaged=parsed.explanation_damaged,
        report=parsed.report,
        **fields,
    )


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _bundled_text(entry: dict) -> str:
    return (references_dir() / entry["file"]).read_text(encoding="utf-8")


def _bundled_row_is_current(row: ParsedRow | None, entry: dict) -> bool:
    # A new app version may clean or parse differently; a changed file must be reparsed.
    return (
        row is not None
        and row.app_version == __version__
        and row.source_hash == _hash(_bundled_text(entry))
    )


def _row(parsed: ParseResult, ref_id: str, origin: str, source_hash: str) -> ParsedRow:
    statute = parsed.statute
    damaged = sum(len(a.damaged) for a in statute.articles()) + len(parsed.explanation_damaged)
    return ParsedRow(
        ref_id=ref_id,
        origin=origin,
        source_hash=source_hash,
        app_version=__version__,
        status=parsed.status,
        chapters=sum(1 for c in statute.chapters if c.number > 0),
        articles=statute.article_count,
        has_explanation=bool(parsed.explanation),
        damaged=damaged,
        data=parse_to_json(
            statute,
            parsed.explanation,
            parsed.explanation_title,
            parsed.explanation_damaged,
            parsed.report,
        ),
    )


def paragraph_texts(reference: Reference) -> list[ParagraphText]:
    """Every paragraph of a reference, as `paragraph_texts_from_json` gives them."""
    return [
        (chapter.title, article.number, number, paragraph.full_text())
        for chapter in reference.statute.chapters
        for article in chapter.articles
        for number, paragraph in enumerate(article.paragraphs, 1)
    ]


def _from_row(row: ParsedRow, status: str, fields: dict) -> Reference | None:
    """The reference stored in a parse row, or None when the row is damaged (reparse)."""
    try:
        stored = parse_from_json(row.data)
    except (ValueError, KeyError, TypeError, AttributeError):
        return None
    stored["statute"].title = fields["title"]
    return Reference(status=status, **stored, **fields)


def _summary(
    row: ParsedRow, city: str, title: str, status: str, origin: str = "bundled"
) -> ReferenceSummary:
    return ReferenceSummary(
        id=row.ref_id,
        city=city,
        title=title,
        status=status,
        origin=origin,
        chapter_count=row.chapters,
        article_count=row.articles,
        has_explanation=bool(row.has_explanation),
        damaged=row.damaged,
    )
