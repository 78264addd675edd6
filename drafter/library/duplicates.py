"""Duplicate regulations in an import: the same title and city, the same text, or a
near-identical one, found without comparing a file with the whole library.

Each reference's text is sketched once (its sha256 and a content-defined sample of its
shingles) and the sketch kept in the library store; a file is compared with the few
references whose sample shares an anchor with its own (DuplicateFinder). Qt-free.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz

from drafter.errors import DrafterError
from drafter.library.library import ReferenceLibrary
from drafter.library.store import DUPLICATE_ANCHOR_BYTES
from drafter.statute.model import Statute

NEAR_DUPLICATE_RATIO = 95.0  # rapidfuzz ratio on the normalised full text
# The shingle sample must share at least this much before the full ratio is computed: a
# ratio of 95 leaves at most ~5 % of characters changed, which keeps most 8-grams intact.
_SAMPLE_OVERLAP = 0.5
_SHINGLE = 8
_SAMPLE_MOD = 16  # keep shingles whose hash ≡ 0 (mod 16): the same ones in every text
# The smallest sample values, indexed to find near-duplicate candidates: those the store
# keeps apart from each sample.
_ANCHORS = DUPLICATE_ANCHOR_BYTES // 8
_NOT_TEXT = re.compile(r"[\s\W_]+")


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


class DuplicateFinder:
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
        listing = library.identities()  # no statute is loaded
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
        sketched: list[_Known] = []
        blobs: list[bytes] = []
        for ref_id, title, city, articles in listing:
            known = _Known(ref_id, title, city, articles)
            self.by_name.setdefault((known.title, known.city), known)
            if known.ref_id in stored:
                digest, anchors = stored[known.ref_id]
                self._register(known, digest)
                sketched.append(known)
                blobs.append(anchors)
            else:
                self.unsketched.append(known)
        self.stored = _StoredAnchors(sketched, blobs)

    def _register(self, known: _Known, digest: bytes) -> None:
        """Number a sketched reference in order of indexing and find it by its digest."""
        known.digest = digest
        known.serial = self._indexed
        self._indexed += 1
        self.by_digest.setdefault(digest, known)

    def _index(self, known: _Known, digest: bytes, sample: np.ndarray) -> None:
        """Index a sketch made in this batch (those read from the store are in `stored`)."""
        self._register(known, digest)
        known.sample = sample
        for anchor in sample[:_ANCHORS].tolist():  # the sample is sorted
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
            found = self.stored.find(anchor, near)
            by_count = self.anchored.get(anchor)
            if by_count:
                found += [known for c in near for known in by_count.get(c, ())]
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


class _StoredAnchors:
    """The anchors of the sketches read from the store, in sorted arrays: one sort for the
    whole library, where indexing them one by one in dictionaries took 0.3 s of a one-file
    import at 20,000 references (160,000 insertions)."""

    def __init__(self, knowns: list[_Known], blobs: list[bytes]) -> None:
        self.knowns = knowns
        lengths = np.array([len(blob) // 8 for blob in blobs], dtype=np.int64)
        values = np.frombuffer(b"".join(blobs), dtype="<u8")
        owners = np.repeat(np.arange(len(knowns), dtype=np.int64), lengths)
        order = np.argsort(values, kind="stable")  # equal anchors keep the listing order
        self.values, self.owners = values[order], owners[order]
        self.counts = np.array([known.article_count for known in knowns], dtype=np.int64)

    def find(self, anchor: int, near: range) -> list[_Known]:
        """The references with this anchor and an article count in `near`."""
        key = np.uint64(anchor)
        start = int(np.searchsorted(self.values, key, side="left"))
        stop = int(np.searchsorted(self.values, key, side="right"))
        if start == stop:
            return []
        owners = self.owners[start:stop]
        counts = self.counts[owners]
        owners = owners[(counts >= near.start) & (counts < near.stop)]
        return [self.knowns[i] for i in owners.tolist()]


def _similar_counts(count: int) -> range:
    """The article counts a near-identical copy of a `count`-article text may have."""
    tolerance = max(1, count // 20)
    return range(count - tolerance, count + tolerance + 1)


def _similar_count(known: int, count: int) -> bool:
    return known in _similar_counts(count)


def _count(statute: Statute) -> int:
    return sum(1 for _ in statute.articles())
