"""Import many regulation files at once: bad files skipped with their reason, duplicates
detected and decided by the caller, progress reported and cancellable between files.

Used by `drafter refs import` and the window; Qt-free. Every file goes through
`ReferenceLibrary.import_file`, so however the library stores references, a batch stores
them the same way.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Callable, Iterable
from contextlib import closing, nullcontext
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz

from drafter.errors import DrafterError, InputFileError
from drafter.library.importers import HTML_SUFFIXES
from drafter.library.library import ReferenceLibrary, parse_ahead, remember_parsed_ahead
from drafter.statute.model import Statute
from drafter.workers import map_in_order

# What a folder contributes; files named one by one are tried whatever their suffix, so
# the importer can say why an odd one is refused.
FOLDER_SUFFIXES = frozenset({".txt", ".docx"} | HTML_SUFFIXES)
NEAR_DUPLICATE_RATIO = 95.0  # rapidfuzz ratio on the normalised full text
# The shingle sample must share at least this much before the full ratio is computed: a
# ratio of 95 leaves at most ~5 % of characters changed, which keeps most 8-grams intact.
_SAMPLE_OVERLAP = 0.5
_SHINGLE = 8
_SAMPLE_MOD = 16  # keep shingles whose hash ≡ 0 (mod 16): the same ones in every text
_ANCHORS = 8  # the smallest sample values, indexed to find near-duplicate candidates
# A batch reaching this many files has the rest read and parsed ahead by worker processes
# (starting them costs about half a second, some 25 files' parsing).
PARSE_AHEAD_FROM = 25
_NOT_TEXT = re.compile(r"[\s\W_]+")

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


def normalised_text(statute: Statute) -> str:
    """Every article's words without spaces or punctuation: what near-identical compares."""
    parts: list[str] = []
    for article in statute.articles():
        parts.append(article.caption)
        for paragraph in article.paragraphs:
            parts.append(paragraph.text)
            parts.extend(paragraph.items)
    return _NOT_TEXT.sub("", "".join(parts))


_PRIME = np.uint64(0x100000001B3)  # FNV's 64-bit prime: odd, with well-spread bits


def _sample(text: str) -> np.ndarray:
    # Content-defined sample: the same shingles are kept in every text, so two texts'
    # samples overlap as much as their shingle sets do, at 1/16 of the cost to compare.
    # Sorted uint64: 8 bytes a shingle in memory and in the store. Each shingle's hash is
    # a polynomial over its characters, mixed by splitmix64's finaliser so that "≡ 0 mod
    # 16" and "smallest" pick shingles at random; numpy computes all of them at once (a
    # blake2b call per shingle took 10 ms a regulation, a fifth of importing it).
    codes = np.frombuffer(text.encode("utf-32-le"), dtype="<u4").astype(np.uint64)
    count = len(codes) - _SHINGLE + 1
    if count <= 0:
        return np.zeros(0, dtype="<u8")
    hashes = np.zeros(count, dtype=np.uint64)
    for offset in range(_SHINGLE):
        hashes = hashes * _PRIME + codes[offset : offset + count]  # modulo 2 ** 64
    hashes ^= hashes >> np.uint64(30)
    hashes *= np.uint64(0xBF58476D1CE4E5B9)
    hashes ^= hashes >> np.uint64(27)
    hashes *= np.uint64(0x94D049BB133111EB)
    hashes ^= hashes >> np.uint64(31)
    return np.unique(hashes[hashes % np.uint64(_SAMPLE_MOD) == 0]).astype("<u8")


def _sketch(text: str) -> tuple[bytes, np.ndarray]:
    """What duplicates are told by: the text's sha256 and its shingle sample."""
    return hashlib.sha256(text.encode()).digest(), _sample(text)


@dataclass
class _Known:
    ref_id: str
    title: str
    city: str
    article_count: int
    digest: bytes | None = None
    sample: np.ndarray | None = None  # read from the store when it becomes a candidate
    serial: int = 0  # order of indexing: candidates are compared in this order

    def text(self, library: ReferenceLibrary) -> str:
        """The normalised text (read again when needed: only near-duplicates need it)."""
        return normalised_text(library.get(self.ref_id).statute)


class _DuplicateFinder:
    """Same title and city first; else the same text (hash), else near-identical text.

    Near-identical candidates come from an index of each reference's anchors, the
    `_ANCHORS` smallest values of its shingle sample, so a file is compared with the few
    references that share an anchor, not with the whole library. Two texts whose samples
    overlap by J miss every shared anchor with probability about (1 - J) ** _ANCHORS: under
    0.4 % at the 0.5 overlap the full ratio needs, and texts at ratio ≥ 95 overlap far
    more. Sketches are kept in the store, so a new batch reads them instead of loading
    statutes: every reference's digest and anchors, and the full samples of a file's
    candidates only. References imported before sketches existed are sketched on first
    need, among those with about the same number of articles, as before.
    """

    def __init__(self, library: ReferenceLibrary) -> None:
        self.library = library
        self.store = getattr(library, "store", None)
        listing = library.summaries()  # the short listing: no statute is loaded
        self.by_name: dict[tuple[str, str], _Known] = {}
        self.by_digest: dict[bytes, _Known] = {}
        # anchor -> article count -> references: near-duplicates have about the same
        # count, so a file reads only the few counts near its own. Keyed by anchor alone,
        # a batch of thousands of regulations from one field walked every reference
        # sharing a common shingle for each file: quadratic (20,000 files, about half
        # of the import's 14 minutes).
        self.anchored: dict[int, dict[int, list[_Known]]] = {}
        self.unsketched: list[_Known] = []
        self._indexed = 0
        self.last_sketch: tuple[bytes, np.ndarray] | None = None
        stored = self.store.duplicate_anchors() if self.store is not None else {}
        for summary in listing:
            known = _Known(summary.id, summary.title, summary.city, summary.article_count)
            self.by_name.setdefault((known.title, known.city), known)
            if known.ref_id in stored:
                digest, anchors = stored[known.ref_id]
                self._index(known, digest, None, np.frombuffer(anchors, dtype="<u8"))
            else:
                self.unsketched.append(known)

    def _index(
        self,
        known: _Known,
        digest: bytes,
        sample: np.ndarray | None,
        anchors: np.ndarray | None = None,
    ) -> None:
        """Index a sketch; a stored one comes with its anchors and without its sample."""
        known.digest, known.sample = digest, sample
        known.serial = self._indexed
        self._indexed += 1
        self.by_digest.setdefault(digest, known)
        if anchors is None:
            assert sample is not None
            anchors = sample[:_ANCHORS]  # the sample is sorted
        for anchor in anchors.tolist():
            by_count = self.anchored.setdefault(anchor, {})
            by_count.setdefault(known.article_count, []).append(known)

    def add(
        self,
        ref_id: str,
        title: str,
        city: str,
        statute: Statute,
        sketch: tuple[bytes, np.ndarray] | None = None,
    ) -> None:
        """Index an imported reference; `sketch` is its (digest, sample) when known."""
        if sketch is None:
            text = normalised_text(statute)
            sketch = _sketch(text)
        known = _Known(ref_id, title, city, _count(statute))
        self._index(known, *sketch)
        self.by_name.setdefault((title, city), known)
        self._keep([known])

    def _keep(self, sketched: list[_Known]) -> None:
        if self.store is not None and sketched:
            rows = [(k.ref_id, k.digest, k.sample.tobytes()) for k in sketched]  # type: ignore[union-attr]
            self.store.put_sketches(rows)

    def _sketch_unsketched(self, count: int) -> None:
        """Sketch (and keep) the references without a sketch that could match `count`
        articles; once sketched they are found through the index like the others."""
        near: list[_Known] = []
        rest: list[_Known] = []
        for known in self.unsketched:
            (near if _similar_count(known.article_count, count) else rest).append(known)
        if not near:
            return
        self.unsketched = rest
        for known in near:
            text = known.text(self.library)
            self._index(known, *_sketch(text))
        self._keep(near)

    def find(
        self, title: str, city: str, count: int, statute: Callable[[], Statute]
    ) -> tuple[_Known, str] | None:
        self.last_sketch = None
        same_name = self.by_name.get((title, city))
        if same_name is not None:
            return same_name, "同名（标题和城市相同）"
        self._sketch_unsketched(count)
        text = normalised_text(statute())
        digest, sample = _sketch(text)
        self.last_sketch = (digest, sample)  # the file's, for add() if it is imported
        same_text = self.by_digest.get(digest)
        if same_text is not None:
            return same_text, "内容相同"
        # Near-identical texts have about the same number of articles; others never count.
        near = _similar_counts(count)
        candidates: dict[int, _Known] = {}
        for anchor in sample[:_ANCHORS].tolist():
            by_count = self.anchored.get(anchor)
            if not by_count:
                continue
            found = [known for c in near for known in by_count.get(c, ())]
            for known in sorted(found, key=lambda k: k.serial):
                candidates.setdefault(id(known), known)
        ranked: list[tuple[float, int, _Known]] = []
        if candidates and len(sample):
            knowns = self._with_samples(list(candidates.values()))
            others = [known.sample for known in knowns]
            lengths = np.array([len(o) for o in others], dtype=np.int64)  # type: ignore[arg-type]
            joined: np.ndarray = np.concatenate(others)  # type: ignore[arg-type]
            # Each candidate's sample values found in the file's (sorted, distinct) sample,
            # for all candidates in one pass.
            found_at = np.minimum(np.searchsorted(sample, joined), len(sample) - 1)
            hit = sample[found_at] == joined
            owner = np.repeat(np.arange(len(knowns)), lengths)
            shared = np.bincount(owner[hit], minlength=len(knowns))
            overlaps = shared / np.maximum(1, np.minimum(len(sample), lengths))
            for known, overlap in zip(knowns, overlaps.tolist(), strict=True):
                if overlap >= _SAMPLE_OVERLAP:
                    ranked.append((-overlap, len(ranked), known))
        for _, _, known in sorted(ranked):
            if fuzz.ratio(text, known.text(self.library), score_cutoff=NEAR_DUPLICATE_RATIO):
                return known, "内容几乎相同"
        return None

    def _with_samples(self, knowns: list[_Known]) -> list[_Known]:
        """The candidates with their full samples, read from the store when not in memory
        (a sample gone from the store, removed by another process, is made again)."""
        unread = [known for known in knowns if known.sample is None]
        if unread:
            stored = self.store.duplicate_samples([k.ref_id for k in unread]) if self.store else {}
            remade: list[_Known] = []
            for known in unread:
                sample = stored.get(known.ref_id)
                if sample is not None:
                    known.sample = np.frombuffer(sample, dtype="<u8")
                    continue
                try:
                    known.sample = _sketch(known.text(self.library))[1]
                    remade.append(known)
                except DrafterError:
                    known.sample = np.zeros(0, dtype="<u8")  # gone from the library too
            self._keep(remade)
        return knowns


def _similar_counts(count: int) -> range:
    """The article counts a near-identical copy of a `count`-article text may have."""
    tolerance = max(1, count // 20)
    return range(count - tolerance, count + tolerance + 1)


def _similar_count(known: int, count: int) -> bool:
    return known in _similar_counts(count)


def _count(statute: Statute) -> int:
    return sum(1 for _ in statute.articles())


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
) -> BatchResult:
    """Import every file under `paths`; a refused file is skipped with its reason and the
    others are kept. `on_duplicate` answers skip / import / skip_all / import_all;
    `progress(done, total, name)` is called before each file and once at the end;
    `cancelled()` is checked between files. city/title/ref_id apply to a single file only."""
    files = collect_files(paths)
    if len(files) > 1 and (city or title or ref_id):
        raise DrafterError(
            "一次导入多个文件时不能指定城市、标题或编号；请逐个导入，或让程序从文本识别"
        )
    result = BatchResult(total=len(files))
    store = getattr(library, "store", None)
    with store.batch() if store is not None else nullcontext():
        _import_files(
            library, files, result, on_duplicate, progress, cancelled, city, title, ref_id
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
) -> None:
    finder = _DuplicateFinder(library)
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
                reference = library.import_file(path, city=city, title=title, ref_id=ref_id)
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
