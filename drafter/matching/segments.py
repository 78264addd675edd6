"""The persisted suggestion index as segments: a main segment, small deltas, tombstones.

This is the design of Lucene and Tantivy, sized to a reference library. Importing a
reference writes a new small segment (delta.py) over that reference only; removing or
correcting one marks its paragraphs dead in the segment that holds them (a tombstone),
and the search skips them. Nothing already written is rewritten, so a change costs what
the changed reference costs, whatever the library's size.

Merging: deltas borrow the main segment's statistics, so they are cheap to search but
drift from the truth as they grow. When the deltas hold more than
`REBUILD_DELTA_SHARE` of the main segment's paragraphs, or tombstones more than
`REBUILD_DEAD_SHARE`, the next open builds one fresh main segment from the library; past
`MAX_DELTAS` deltas, they are merged into one (cost: the deltas' size, not the library's).
The manifest (segments.json) is replaced atomically after every change; segment folders
never change once named, so a process that has one open keeps a consistent view.

Every reference's state is a token (its source hash or import time, and its
corrections); the manifest records the token each segment indexed, so opening compares
tokens instead of rebuilding on any change of the whole library's fingerprint.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np

from drafter.matching.corpus import Corpus, ParagraphRecord, cache_key
from drafter.matching.delta import DeltaIndex
from drafter.matching.index import BigramIndex, Sums, TermStatistics, Texts, build_dir_name
from drafter.matching.normalize import Normalizer

MANIFEST = "segments.json"
SEGMENTS_FORMAT = 1
SEGMENT_PREFIX = "seg-"
MAX_DELTAS = 8
REBUILD_DELTA_SHARE = 0.5
REBUILD_DEAD_SHARE = 0.3
# A segment folder no manifest names (a concurrent writer lost the race, or a process was
# killed between writing the folder and the manifest) is removed once this old.
ORPHAN_MINUTES = 30.0


@dataclass
class SegmentEntry:
    """One segment as the manifest records it."""

    name: str
    refs: dict[str, str]  # reference id -> the token it had when indexed
    paragraphs: int
    dead: list[str] = field(default_factory=list)

    def live(self) -> dict[str, str]:
        dead = set(self.dead)
        return {ref: token for ref, token in self.refs.items() if ref not in dead}

    def to_json(self) -> dict:
        return {
            "name": self.name,
            "refs": self.refs,
            "paragraphs": self.paragraphs,
            "dead": sorted(self.dead),
        }

    @classmethod
    def from_json(cls, data: dict) -> SegmentEntry:
        return cls(
            str(data["name"]),
            {str(k): str(v) for k, v in data["refs"].items()},
            int(data["paragraphs"]),
            [str(r) for r in data.get("dead", [])],
        )


@dataclass
class Manifest:
    key: str
    main: SegmentEntry
    deltas: list[SegmentEntry] = field(default_factory=list)

    def segments(self) -> list[SegmentEntry]:
        return [self.main, *self.deltas]

    def live(self) -> dict[str, str]:
        live: dict[str, str] = {}
        for entry in self.segments():
            live.update(entry.live())
        return live

    def to_json(self) -> dict:
        return {
            "format": SEGMENTS_FORMAT,
            "key": self.key,
            "main": self.main.to_json(),
            "deltas": [d.to_json() for d in self.deltas],
        }

    @classmethod
    def read(cls, root: Path) -> Manifest | None:
        try:
            data = json.loads((root / MANIFEST).read_text(encoding="utf-8"))
            if data.get("format") != SEGMENTS_FORMAT:
                return None
            return cls(
                str(data["key"]),
                SegmentEntry.from_json(data["main"]),
                [SegmentEntry.from_json(d) for d in data["deltas"]],
            )
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None  # missing or damaged: the caller rebuilds

    def write(self, root: Path) -> None:
        # Unique temporary name, then an atomic rename: a reader sees the old manifest or
        # the new one, never half of one, and two writers never share a temporary file.
        handle, temporary = tempfile.mkstemp(prefix=".segments-", suffix=".tmp", dir=root)
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(self.to_json(), out, ensure_ascii=False)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, root / MANIFEST)


class MultiTextStore:
    """Several segments' text stores read as one, by corpus position."""

    def __init__(self, stores: Sequence[Texts], starts: np.ndarray) -> None:
        self.stores = list(stores)
        self.starts = starts  # first position of each store, then the total

    def __len__(self) -> int:
        return int(self.starts[-1])

    def __getitem__(self, position: int) -> str:
        segment = int(np.searchsorted(self.starts, position, side="right")) - 1
        return self.stores[segment][position - int(self.starts[segment])]

    def between(self, start: int, end: int) -> list[str]:
        segment = int(np.searchsorted(self.starts, start, side="right")) - 1
        base = int(self.starts[segment])
        if end <= int(self.starts[segment + 1]):  # an article lies within one segment
            return self.stores[segment].between(start - base, end - base)
        return [self[i] for i in range(start, end)]


class SegmentedIndex(TermStatistics):
    """The main segment's vocabulary and idf, searched over every segment."""

    def __init__(self, main: BigramIndex, deltas: Sequence[DeltaIndex]) -> None:
        self.main = main
        self.deltas = list(deltas)
        self.vocab, self.idf, self.max_idf = main.vocab, main.idf, main.max_idf
        self.size = main.size + sum(d.size for d in self.deltas)

    def accumulate(self, term_ids: np.ndarray, weights: np.ndarray, budget: int) -> Sums:
        # The same terms in every segment: a delta that read more of the query than the
        # main segment would give its paragraphs higher cosines than their peers'.
        chosen = self.main.reading(term_ids, weights, budget)
        terms, term_weights = term_ids[chosen], weights[chosen]
        parts = [self.main.accumulate_terms(terms, term_weights)]
        parts += [d.accumulate_terms(terms, term_weights) for d in self.deltas]
        starts = np.cumsum([0] + [len(p.values) for p in parts[:-1]])
        return Sums(
            np.concatenate([p.values for p in parts]),
            np.concatenate([p.touched + start for p, start in zip(parts, starts, strict=True)]),
        )


class SegmentedCorpus:
    """A main segment and its deltas presented as one corpus, dead references hidden.

    It has the attributes the engine reads from a `Corpus`; positions run through the
    main segment, then each delta in order."""

    def __init__(self, root: Path, segments: Sequence[Corpus], dead: Sequence[Iterable[str]]):
        self.directory = root
        self.segments = list(segments)
        sizes = [len(s) for s in self.segments]
        self.starts = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
        self.refs: list[str] = []
        self.ref_cities: list[str] = []
        self.chapters: list[str] = []
        ref_of, chapter_of, group_of, group_start = [], [], [], []
        dead_refs: list[int] = []
        groups = 0
        for segment, start, dead_ids in zip(self.segments, self.starts[:-1], dead, strict=True):
            dead_refs += [len(self.refs) + i for i in _numbers_of(segment.refs, dead_ids)]
            ref_of.append(segment.ref_of + len(self.refs))
            chapter_of.append(segment.chapter_of + len(self.chapters))
            group_of.append(segment.group_of + groups)
            group_start.append(segment.group_start[:-1] + start)
            groups += len(segment.group_start) - 1
            self.refs += segment.refs
            self.ref_cities += segment.ref_cities
            self.chapters += segment.chapters
        group_start.append(np.asarray([self.starts[-1]]))
        self.ref_of = np.concatenate(ref_of)
        self.chapter_of = np.concatenate(chapter_of)
        self.group_of = np.concatenate(group_of)
        self.group_start = np.concatenate(group_start).astype(np.int64)
        self.article_of = np.concatenate([s.article_of for s in self.segments])
        self.paragraph_of = np.concatenate([s.paragraph_of for s in self.segments])
        self.multiline = np.concatenate([s.multiline for s in self.segments])
        self.texts = MultiTextStore([s.texts for s in self.segments], self.starts)
        self.norm_texts = MultiTextStore([s.norm_texts for s in self.segments], self.starts)
        self.full_texts = MultiTextStore([s.full_texts for s in self.segments], self.starts)
        main = self.segments[0]
        assert isinstance(main.index, BigramIndex)
        deltas = [s.index for s in self.segments[1:]]
        self.index = SegmentedIndex(main.index, deltas)  # type: ignore[arg-type]
        self.full_terms = main.full_terms
        self.latent = main.latent
        self.cities = sorted({c for s in self.segments for c in s.cities})
        self._dead_refs = set(dead_refs)
        self._live = ~np.isin(self.ref_of, dead_refs) if dead_refs else None

    @cached_property
    def normalizer(self) -> Normalizer:
        return Normalizer(self.cities)

    @property
    def live(self) -> np.ndarray | None:
        return self._live

    def live_refs(self) -> list[str]:
        return [r for i, r in enumerate(self.refs) if i not in self._dead_refs]

    def ref_index(self) -> dict[str, int]:
        return {r: i for i, r in enumerate(self.refs) if i not in self._dead_refs}

    def __len__(self) -> int:
        return int(self.starts[-1])

    def group_members(self, group: int) -> range:
        return range(int(self.group_start[group]), int(self.group_start[group + 1]))


def _numbers_of(refs: list[str], wanted: Iterable[str]) -> list[int]:
    """The positions in a segment's `refs` (what its `ref_of` holds) of the wanted ids."""
    wanted = set(wanted)
    return [i for i, ref in enumerate(refs) if ref in wanted]


Records = Callable[[Sequence[str] | None], Iterable[ParagraphRecord]]


@dataclass
class IndexUpdate:
    """What opening the index did: nothing, a delta, a merge or a full build."""

    kind: str  # "none" | "delta" | "merge" | "full"
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    seconds: float = 0.0


def open_segments(
    root: Path,
    tokens: dict[str, str],
    records: Records,
    cities: Callable[[], list[str]],
    settings: str,
) -> tuple[Corpus | SegmentedCorpus, IndexUpdate]:
    """The index over references `tokens` (id -> state token, in library order), brought
    up to date by the cheapest change: nothing, tombstones and a delta, or a full build.

    `records(ids)` yields the paragraphs of those references (all when None); `cities()`
    the library's cities (asked only for a full build)."""
    started = time.perf_counter()
    root.mkdir(parents=True, exist_ok=True)
    key = cache_key(settings)
    manifest = Manifest.read(root)
    opened: list[Corpus] | None = None
    if manifest is not None and manifest.key == key:
        opened = _open_all(root, manifest)
    if manifest is None or manifest.key != key or opened is None:
        manifest, opened = _full_build(root, key, records, cities(), tokens)
        return _view(root, manifest, opened), IndexUpdate("full", list(tokens), [], _since(started))
    live = manifest.live()
    removed = [ref for ref, token in live.items() if tokens.get(ref) != token]
    added = [ref for ref, token in tokens.items() if live.get(ref) != token]
    if not removed and not added:
        return _view(root, manifest, opened), IndexUpdate("none")
    for entry in manifest.segments():
        entry.dead = sorted(set(entry.dead) | (set(removed) & set(entry.refs)))
    delta_size = sum(e.paragraphs for e in manifest.deltas)
    dead_size = _dead_paragraphs(manifest, opened)
    main_size = max(manifest.main.paragraphs, 1)
    added_size_guess = len(added) * (main_size / max(len(manifest.main.refs), 1))
    if (
        delta_size + added_size_guess > REBUILD_DELTA_SHARE * main_size
        or dead_size > REBUILD_DEAD_SHARE * (main_size + delta_size)
    ):
        manifest, opened = _full_build(root, key, records, cities(), tokens)
        return _view(root, manifest, opened), IndexUpdate("full", added, removed, _since(started))
    kind = "delta"
    if added:
        entry, segment = _build_delta(root, records, added, tokens, opened[0])
        manifest.deltas.append(entry)
        opened.append(segment)
        if sum(e.paragraphs for e in manifest.deltas) > REBUILD_DELTA_SHARE * main_size:
            # The guess from average sizes was short (one very long reference).
            manifest, opened = _full_build(root, key, records, cities(), tokens)
            return _view(root, manifest, opened), IndexUpdate(
                "full", added, removed, _since(started)
            )
    if len(manifest.deltas) > MAX_DELTAS:
        manifest, opened = _merge_deltas(root, manifest, opened, records, tokens)
        kind = "merge"
    manifest.write(root)
    _remove_orphans(root, manifest)
    return _view(root, manifest, opened), IndexUpdate(kind, added, removed, _since(started))


def _since(started: float) -> float:
    return round(time.perf_counter() - started, 3)


def _open_all(root: Path, manifest: Manifest) -> list[Corpus] | None:
    """Every segment opened and checked; None when one is missing or damaged."""
    try:
        main = Corpus(root / manifest.main.name)
        segments = [main] + [Corpus(root / d.name, main) for d in manifest.deltas]
    except (OSError, ValueError, KeyError, TypeError, EOFError):
        return None
    for entry, segment in zip(manifest.segments(), segments, strict=True):
        if len(segment) != entry.paragraphs or set(segment.refs) != set(entry.refs):
            return None
    if segments[0].index.size != len(segments[0]):
        return None
    return segments


def _dead_paragraphs(manifest: Manifest, opened: list[Corpus]) -> int:
    total = 0
    for entry, segment in zip(manifest.segments(), opened, strict=True):
        if entry.dead:
            total += int(np.isin(segment.ref_of, _numbers_of(segment.refs, entry.dead)).sum())
    return total


def _new_folder(root: Path) -> Path:
    return Path(tempfile.mkdtemp(prefix=build_dir_name(), dir=root))


def _publish(root: Path, building: Path) -> str:
    name = f"{SEGMENT_PREFIX}{uuid.uuid4().hex[:12]}"
    building.replace(root / name)
    return name


def _full_build(
    root: Path, key: str, records: Records, cities: list[str], tokens: dict[str, str]
) -> tuple[Manifest, list[Corpus]]:
    building = _new_folder(root)
    main = Corpus.build(lambda: records(None), building, cities)
    name = _publish(root, building)
    main = Corpus(root / name)
    indexed = {ref: tokens[ref] for ref in main.refs if ref in tokens}
    # A reference with no paragraph is not in the corpus; recording it keeps it from
    # being "added" again on every open.
    indexed.update({ref: token for ref, token in tokens.items() if ref not in indexed})
    manifest = Manifest(key, SegmentEntry(name, indexed, len(main)))
    manifest.write(root)
    _remove_orphans(root, manifest, max_minutes=0.0)
    return manifest, [main]


def _build_delta(
    root: Path, records: Records, refs: list[str], tokens: dict[str, str], main: Corpus
) -> tuple[SegmentEntry, Corpus]:
    building = _new_folder(root)
    Corpus.build(lambda: records(refs), building, main.cities, base=main)
    name = _publish(root, building)
    segment = Corpus(root / name, main)
    return SegmentEntry(name, {r: tokens[r] for r in refs}, len(segment)), segment


def _merge_deltas(
    root: Path,
    manifest: Manifest,
    opened: list[Corpus],
    records: Records,
    tokens: dict[str, str],
) -> tuple[Manifest, list[Corpus]]:
    """All deltas' live references re-indexed as one delta (the main segment untouched)."""
    live: list[str] = []
    for entry in manifest.deltas:
        live += [r for r in entry.live() if r not in live]
    entry, segment = _build_delta(root, records, live, tokens, opened[0])
    manifest.deltas = [entry]
    return manifest, [opened[0], segment]


def _view(root: Path, manifest: Manifest, opened: list[Corpus]) -> Corpus | SegmentedCorpus:
    if len(opened) == 1 and not manifest.main.dead:
        return opened[0]  # the common case: one segment, nothing dead
    return SegmentedCorpus(root, opened, [e.dead for e in manifest.segments()])


def _remove_orphans(root: Path, manifest: Manifest, max_minutes: float = ORPHAN_MINUTES) -> None:
    """Delete segment folders no manifest names, once old enough that no writer that is
    about to name them can still be running."""
    named = {e.name for e in manifest.segments()}
    try:
        folders = list(root.iterdir())
    except OSError:
        return
    for folder in folders:
        if not folder.name.startswith(SEGMENT_PREFIX) or folder.name in named:
            continue
        try:
            age_minutes = (time.time() - folder.stat().st_mtime) / 60
        except OSError:
            continue
        if age_minutes >= max_minutes:
            shutil.rmtree(folder, ignore_errors=True)
