"""Import many regulation files at once: bad files skipped with their reason, duplicates
detected and decided by the caller, progress reported and cancellable between files.

Used by `drafter refs import` and the window; Qt-free. Every file goes through
`ReferenceLibrary.import_file`, so however the library stores references, a batch stores
them the same way.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from contextlib import closing, nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from drafter.errors import DrafterError, InputFileError
from drafter.library.importers import HTML_SUFFIXES
from drafter.library.library import ReferenceLibrary, parse_ahead, remember_parsed_ahead
from drafter.statute.model import Statute
from drafter.workers import map_in_order

# What a folder contributes; files named one by one are tried whatever their suffix, so
# the importer can say why an odd one is refused.
FOLDER_SUFFIXES = frozenset({".txt", ".docx"} | HTML_SUFFIXES)
# A batch reaching this many files has the rest read and parsed ahead by worker processes
# (starting them costs about half a second, some 25 files' parsing).
PARSE_AHEAD_FROM = 25

# Decisions a caller returns for a duplicate.
SKIP, IMPORT, SKIP_ALL, IMPORT_ALL = "skip", "import", "skip_all", "import_all"


@dataclass(frozen=True)
class Duplicate:
    """A file that looks like a regulation already in the library or earlier in the batch."""

    path: Path
    name: str
    title: str
    city: str
    existing_id: str
    existing_title: str
    existing_city: str
    why: str  # "同名" (same title and city) or "内容几乎相同" (near-identical text)

    def describe(self) -> str:
        existing = f"{self.existing_city}《{self.existing_title}》（{self.existing_id}）"
        return f"{self.name}：与已有的 {existing} {self.why}"


@dataclass(frozen=True)
class SkippedFile:
    name: str
    reason: str
    duplicate: bool = False

    def to_json(self) -> dict:
        return {"file": self.name, "reason": self.reason, "duplicate": self.duplicate}


@dataclass
class BatchResult:
    total: int
    imported: list[dict] = field(default_factory=list)  # Reference.summary_json() each
    skipped: list[SkippedFile] = field(default_factory=list)
    cancelled: bool = False
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line: 已导入 197 部，跳过 3 个文件：a.txt：未找到第一条；…"""
        text = f"已导入 {len(self.imported)} 部"
        if self.skipped:
            reasons = "；".join(f"{s.name}：{s.reason}" for s in self.skipped)
            text += f"，跳过 {len(self.skipped)} 个文件：{reasons}"
        if self.cancelled:
            rest = self.total - len(self.imported) - len(self.skipped)
            text += f"；已取消，其余 {rest} 个文件未导入"
        return text

    def to_json(self) -> dict:
        return {
            "total": self.total,
            "imported": self.imported,
            "skipped": [s.to_json() for s in self.skipped],
            "cancelled": self.cancelled,
            "notes": self.notes,
        }


def collect_files(paths: Iterable[str | Path]) -> list[tuple[Path, str]]:
    """The files to import and the name each is reported by: a folder gives its .txt, .docx
    and .html files (recursively, sorted, named relative to it); a file is taken as given."""
    found: list[tuple[Path, str]] = []
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.suffix.lower() in FOLDER_SUFFIXES and child.is_file():
                    found.append((child, child.relative_to(path).as_posix()))
        else:
            found.append((path, path.name))
    return found


def import_many(
    library: ReferenceLibrary,
    paths: Iterable[str | Path],
    *,
    on_duplicate: Callable[[Duplicate], str] = lambda _d: SKIP,
    progress: Callable[[int, int, str], None] | None = None,
    cancelled: Callable[[], bool] = lambda: False,
    city: str | None = None,
    title: str | None = None,
    ref_id: str | None = None,
    status: str | None = None,
) -> BatchResult:
    """Import every file under `paths`; a refused file is skipped with its reason and the
    others are kept. `on_duplicate` answers skip / import / skip_all / import_all;
    `progress(done, total, name)` is called before each file and once at the end;
    `cancelled()` is checked between files. city/title/ref_id/status apply to a single file
    only."""
    files = collect_files(paths)
    if len(files) > 1 and (city or title or ref_id or status):
        raise DrafterError(
            "一次导入多个文件时不能指定城市、标题或编号；请逐个导入，或让程序从文本识别"
        )
    result = BatchResult(total=len(files))
    store = getattr(library, "store", None)
    with store.batch() if store is not None else nullcontext():
        _import_files(
            library, files, result, on_duplicate, progress, cancelled, city, title, ref_id, status
        )
    if progress is not None:
        progress(len(result.imported) + len(result.skipped), len(files), "")
    return result


def _import_files(
    library: ReferenceLibrary,
    files: list[tuple[Path, str]],
    result: BatchResult,
    on_duplicate: Callable[[Duplicate], str],
    progress: Callable[[int, int, str], None] | None,
    cancelled: Callable[[], bool],
    city: str | None,
    title: str | None,
    ref_id: str | None,
    status: str | None,
) -> None:
    # Here: the finder's numpy would otherwise load with the window (which imports this).
    from drafter.library.duplicates import DuplicateFinder

    finder = DuplicateFinder(library)
    standing: str | None = None  # a "for all" answer
    # Reading, cleaning and parsing is half of a file's import and needs nothing from the
    # others: worker processes do it for the files ahead while this one checks duplicates
    # and stores (drafter/workers.py). A small batch is all done here.
    ahead = map_in_order(
        parse_ahead, (str(path) for path, _name in files), local_first=PARSE_AHEAD_FROM
    )
    with closing(ahead):
        for index, (path, name) in enumerate(files):
            if cancelled():
                result.cancelled = True
                break
            remember_parsed_ahead(next(ahead))
            if progress is not None:
                progress(index, len(files), name)
            try:
                preview = library.preview_import(path)
                final_title = title or preview.title
                final_city = city or preview.city
                match = finder.find(
                    final_title,
                    final_city,
                    preview.article_count,
                    functools.partial(_parsed_statute, library, path),
                )
                if match is not None:
                    known, why = match
                    duplicate = Duplicate(
                        path,
                        name,
                        final_title,
                        final_city,
                        known.ref_id,
                        known.title,
                        known.city,
                        why,
                    )
                    answer = standing or on_duplicate(duplicate)
                    if answer in (SKIP_ALL, IMPORT_ALL):
                        standing = answer
                    if answer in (SKIP, SKIP_ALL):
                        reason = f"与已有的 {known.city}《{known.title}》（{known.ref_id}）{why}"
                        result.skipped.append(SkippedFile(name, reason, duplicate=True))
                        continue
                reference = library.import_file(
                    path, city=city, title=title, ref_id=ref_id, status=status
                )
            except InputFileError as error:
                result.skipped.append(SkippedFile(name, error.reason))
                continue
            except DrafterError as error:
                if len(files) == 1 and ref_id:
                    raise  # a bad --id is the user's slip, not the file's
                result.skipped.append(SkippedFile(name, str(error)))
                continue
            except OSError as error:
                result.skipped.append(SkippedFile(name, f"无法读取：{error.strerror or error}"))
                continue
            result.imported.append(reference.summary_json())
            finder.add(
                reference.id, reference.title, reference.city, reference.statute, finder.last_sketch
            )


def _parsed_statute(library: ReferenceLibrary, path: Path) -> Statute:
    return library.read_parsed(path).statute
