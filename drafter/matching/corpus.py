"""The searchable corpus: every paragraph (款) of every reference, with its article context."""

from __future__ import annotations

import hashlib
import json
import tempfile
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

from drafter.matching import index, latent
from drafter.matching.build_pipeline import prepared_chunks
from drafter.matching.delta import DeltaIndex
from drafter.matching.index import BigramIndex, TermWeights, Texts, TextStore
from drafter.matching.latent import LatentSpace
from drafter.matching.normalize import Normalizer, strip_boilerplate, strip_each
from drafter.matching.packed_text import PackedTextStore, PackedTextWriter
from drafter.matching.postings_build import CountMerger, SortedRun
from drafter.memory import keep_freed_arrays_in_heap

CORPUS_VERSION = 7
_BACKGROUND = ThreadPoolExecutor(max_workers=2, thread_name_prefix="index-build")


@dataclass(frozen=True)
class ParagraphRecord:
    """One 款 of a reference, as the engine indexes it."""

    ref: str
    city: str
    chapter_title: str
    article: int
    paragraph: int
    text: str


def library_records(library: object, ids: Sequence[str] | None = None) -> Iterator[ParagraphRecord]:
    """The paragraphs of every reference in a library (or of `ids`), in order."""
    # One reference at a time: a whole province's library held as objects took gigabytes.
    paragraphs = library.iter_paragraphs(ids)  # type: ignore[attr-defined]
    for ref_id, city, (chapter_title, article, number, text) in paragraphs:
        if text.strip():
            yield ParagraphRecord(ref_id, city, chapter_title, article, number, text)


class Corpus:
    """Paragraph texts, their normalised forms, metadata arrays and the bigram index.

    Two normalised forms: `full_texts` (cities, labels, numbers folded) and `norm_texts`
    (the same without boilerplate subjects), which the index searches. `full_terms`
    holds the idf of the full form, for reranking with the subjects kept. Only the
    original and the full form are stored; the stripped form is derived when read (a few
    microseconds a paragraph, for the few hundred a query reads), which keeps a third of
    the text off the disk."""

    index: BigramIndex | DeltaIndex
    full_terms: TermWeights
    latent: LatentSpace | None

    def __init__(self, directory: Path, base: Corpus | None = None) -> None:
        meta = json.loads((directory / "corpus.json").read_text(encoding="utf-8"))
        if meta.get("version") != CORPUS_VERSION:
            raise ValueError("corpus format changed")
        if bool(meta.get("delta")) != (base is not None):
            raise ValueError("a delta segment opens only over its main segment")
        self.directory = directory
        self.cities: list[str] = meta["cities"]
        self.refs: list[str] = meta["refs"]
        self.ref_cities: list[str] = meta["ref_cities"]
        self.chapters: list[str] = meta["chapters"]
        self.texts = PackedTextStore.load(directory / "texts")
        self.full_texts = TextStore.load(directory / "full")
        self.norm_texts = StrippedTexts(self.full_texts)
        arrays = np.load(directory / "meta.npz")
        self.ref_of = arrays["ref"]
        self.article_of = arrays["article"]
        self.paragraph_of = arrays["paragraph"]
        # Which paragraphs have more than one line (项 under the 款): only those are read
        # for their item lines, as the original texts are compressed (packed_text.py).
        self.multiline = arrays["multiline"]
        self.chapter_of = arrays["chapter"]
        self.group_of = arrays["group"]
        self.group_start = arrays["group_start"]
        if len(self.ref_of) != len(self.texts) or len(self.group_start) == 0:
            raise ValueError(f"{directory.name}: paragraph arrays do not agree with the texts")
        if base is not None:
            # A delta segment borrows the main segment's statistics (see delta.py).
            self.index = DeltaIndex(directory / "index")
            self.full_terms = base.full_terms
            self.latent = base.latent
            return
        self.index = BigramIndex(directory / "index")
        self.full_terms = TermWeights(directory / "full_terms")
        # A library too small to have topics has no latent space.
        latent_dir = directory / "latent"
        self.latent = LatentSpace(latent_dir) if (latent_dir / "latent.json").exists() else None

    @cached_property
    def normalizer(self) -> Normalizer:
        # Built on first use: compiling the phrase pattern costs tens of milliseconds, and
        # a delta segment's own normaliser is never used (the segmented view has its own).
        return Normalizer(self.cities)

    @property
    def live(self) -> np.ndarray | None:
        """Which paragraphs may be returned; None when all may (see segments.py)."""
        return None

    def live_refs(self) -> list[str]:
        """The references searched."""
        return list(self.refs)

    def ref_index(self) -> dict[str, int]:
        """Each searched reference's number in `refs` (what `ref_of` holds)."""
        return {ref: i for i, ref in enumerate(self.refs)}

    def __len__(self) -> int:
        return len(self.ref_of)

    def group_members(self, group: int) -> range:
        """Paragraph numbers (corpus positions) of one article."""
        return range(int(self.group_start[group]), int(self.group_start[group + 1]))

    @classmethod
    def build(
        cls,
        records: Callable[[], Iterable[ParagraphRecord]],
        directory: Path,
        cities: Iterable[str] = (),
        base: Corpus | None = None,
    ) -> Corpus:
        """Build a corpus from a (re-iterable) source of paragraph records into `directory`;
        with `base`, a delta segment searched under the base's statistics (delta.py)."""
        keep_freed_arrays_in_heap()
        directory.mkdir(parents=True, exist_ok=True)
        refs: dict[str, int] = {}
        city_of_ref: list[str] = []
        chapters: dict[str, int] = {}
        # Compact int arrays: a million paragraphs must not cost a million Python ints each.
        columns = {k: array("i") for k in ("ref", "article", "paragraph", "chapter")}
        group = array("i")
        multiline = array("b")
        group_start = array("q")
        last_key: tuple[str, int, str] | None = None

        def texts() -> Iterator[str]:
            nonlocal last_key
            for position, record in enumerate(records()):
                if record.ref not in refs:
                    refs[record.ref] = len(refs)
                    city_of_ref.append(record.city)
                columns["ref"].append(refs[record.ref])
                columns["article"].append(record.article)
                columns["paragraph"].append(record.paragraph)
                columns["chapter"].append(chapters.setdefault(record.chapter_title, len(chapters)))
                key = (record.ref, record.article, record.chapter_title)
                if key != last_key:
                    group_start.append(position)
                    last_key = key
                group.append(len(group_start) - 1)
                multiline.append("\n" in record.text)
                yield record.text

        listed = sorted(set(cities))
        if base is None:
            # One pass over the records: each text is sent on as it is read, to be
            # normalised and packed (in worker processes for a large library). Normalising
            # needs every city of the library, which the caller lists up front.
            with PackedTextWriter(directory / "texts") as packer:
                _build_main_segment(texts(), listed, directory, packer)
            all_cities = sorted({*city_of_ref, *listed})
            if len(all_cities) > len(listed):
                # A reference of a city the caller did not list: normalise again knowing it.
                raw = PackedTextStore.stream(directory / "texts")
                _build_main_segment(raw, all_cities, directory)
        else:
            # A delta segment is a reference or two: no worker processes, no statistics
            # of its own (it borrows the base's, see delta.py).
            PackedTextStore.write(texts(), directory / "texts")
            all_cities = sorted({*city_of_ref, *listed})
            normalizer = Normalizer(all_cities)
            raw = PackedTextStore.stream(directory / "texts")
            TextStore.write((normalizer.normalize(text) for text in raw), directory / "full")
            stripped = (strip_boilerplate(text) for text in TextStore.stream(directory / "full"))
            stats = base.index
            assert isinstance(stats, BigramIndex)
            DeltaIndex.build(stripped, directory / "index", stats)
        group_start.append(len(group))
        np.savez(
            directory / "meta.npz",
            ref=np.asarray(columns["ref"], dtype=np.int32),
            article=np.asarray(columns["article"], dtype=np.int32),
            paragraph=np.asarray(columns["paragraph"], dtype=np.int32),
            multiline=np.asarray(multiline, dtype=np.bool_),
            chapter=np.asarray(columns["chapter"], dtype=np.int32),
            group=np.asarray(group, dtype=np.int32),
            group_start=np.asarray(group_start, dtype=np.int64),
        )
        meta = {
            "version": CORPUS_VERSION,
            "delta": base is not None,
            "refs": list(refs),
            "ref_cities": city_of_ref,
            "cities": all_cities,
            "chapters": list(chapters),
        }
        # Written last: its presence marks a complete build.
        (directory / "corpus.json").write_text(json.dumps(meta, ensure_ascii=False), "utf-8")
        return cls(directory, base)


def _build_main_segment(
    raw: Iterable[str], cities: list[str], directory: Path, packer: PackedTextWriter | None = None
) -> None:
    """The normalised text store, postings, term weights and topic space of a main segment.

    Paragraphs are prepared chunk by chunk (in worker processes when the library is large,
    build_pipeline.py); then the postings are written here while the term weights and the
    topic space are built in threads beside them: all three are mostly numpy, which lets
    go of the GIL, so the second core takes its share. With a `packer`, the original
    texts are packed with their chunks and written to it."""
    with tempfile.TemporaryDirectory(dir=directory) as tmp_name:
        runs: list[SortedRun] = []
        full_counts = CountMerger()
        size = 0

        def full_texts() -> Iterator[str]:
            nonlocal size
            for chunk in prepared_chunks(raw, cities, Path(tmp_name), pack=packer is not None):
                if packer is not None and chunk.packed is not None:
                    packer.add_blocks(chunk.packed)
                runs.append(chunk.run)
                full_counts.add(*chunk.full_counts)
                size += len(chunk.full)
                yield from chunk.full

        TextStore.write(full_texts(), directory / "full")
        vocab, df = full_counts.result()
        weights_done = _BACKGROUND.submit(
            TermWeights.save, vocab, df, size, directory / "full_terms"
        )
        norm = StrippedTexts(TextStore.load(directory / "full"))
        topics_done = _BACKGROUND.submit(LatentSpace.build, norm, directory / "latent")
        pending: list[Future] = [weights_done, topics_done]
        try:
            BigramIndex.from_runs(runs, directory / "index")
        finally:
            # Never leave them writing into a folder that is being removed.
            wait(pending)
        weights_done.result()  # their exceptions, if any, are raised here
        topics_done.result()


class StrippedTexts:
    """A store's texts without boilerplate subjects, derived as each is read."""

    def __init__(self, full: Texts) -> None:
        self.full = full

    def __len__(self) -> int:
        return len(self.full)

    def __getitem__(self, position: int) -> str:
        return strip_boilerplate(self.full[position])

    def between(self, start: int, end: int) -> list[str]:
        return strip_each(self.full.between(start, end))


def cache_key(*parts: str) -> str:
    """A short stable directory name for an index keyed on a library fingerprint."""
    settings = (
        f"{CORPUS_VERSION}/{index.FORMAT_VERSION}/{index.UNIGRAM_WEIGHT}/{index.TF_POWER}"
        f"/{latent.FORMAT_VERSION}/{latent.DIMENSIONS}"
    )
    text = "|".join([settings, *parts])
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
