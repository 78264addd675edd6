"""Character-bigram inverted index over normalised paragraphs, in numpy arrays.

Built in bounded memory by an external sort (postings_build.py) and persisted as `.npy` files
that load memory-mapped, so opening a saved index costs milliseconds. Postings hold
sublinear tf-idf weights divided by the paragraph's vector norm, so summing a query's
weighted postings gives cosine similarity.

Three bytes a posting, because at a million paragraphs the postings are most of the index
on disk (docs/suggestion-index.md):
- the weight in one byte, on a log scale (16 steps an octave: within 2.2 % of the true
  weight, which the ranking does not notice where a linear byte would flatten small
  weights);
- the paragraph number's low 16 bits; the high bits are stored once per run of postings
  in the same block of 65,536 paragraphs (a posting list is sorted by paragraph, so a
  term has at most one run per block).
"""

from __future__ import annotations

import json
import math
import os
import shutil
import tempfile
import time
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from pathlib import Path
from typing import BinaryIO, Protocol

import numpy as np

FORMAT_VERSION = 3
BLOCK_BITS = 16  # paragraphs per block: 2 ** 16, what the low half of a number holds
_LEVELS_PER_OCTAVE = 16.0
# A quantised weight q (1…255) stands for 2 ** ((q - 255) / 16): 1.0 down to 2e-5.
# float64: what bincount takes without converting.
WEIGHT_LEVELS = np.concatenate([[0.0], np.exp2((np.arange(1, 256) - 255) / _LEVELS_PER_OCTAVE)])
_TEXT_ENCODING = "utf-16-le"  # two bytes a Chinese character, where UTF-8 takes three
_SEPARATOR = "\x01"
UNIGRAMS = True
UNIGRAM_WEIGHT = 1.0
TF_POWER = 0.75


def tf_weight(tf: np.ndarray) -> np.ndarray:
    """Damped term frequency: a repeated term counts more, but not in proportion."""
    if tf.dtype == np.uint16:
        # The build's term frequencies (uint16 in the runs): a look-up in the table of
        # every such value, the same numbers as the power, is twenty times faster on the
        # hundreds of millions of postings of a large library.
        return _tf_weights_uint16().take(tf)
    return np.power(tf.astype(np.float64), TF_POWER)


@lru_cache(maxsize=1)
def _tf_weights_uint16() -> np.ndarray:
    return np.power(np.arange(1 << 16, dtype=np.float64), TF_POWER)


def quantise_weights(weights: np.ndarray) -> np.ndarray:
    """Weights in (0, 1] as one byte each on WEIGHT_LEVELS' log scale (0 only for 0)."""
    clipped = np.clip(weights, WEIGHT_LEVELS[1], 1.0)
    levels = np.rint(255.0 + _LEVELS_PER_OCTAVE * np.log2(clipped))
    return np.where(weights > 0, levels, 0).astype(np.uint8)


def bigram_keys(text: str) -> np.ndarray:
    """Integer term keys of a normalised text: its characters (code point) and bigrams
    (first × 65536 + second; normalised text has only BMP characters, so keys never clash)."""
    if not text:
        return np.zeros(0, dtype=np.int64)
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    if not UNIGRAMS:
        return (codes[:-1] << 16) + codes[1:]
    return np.concatenate([(codes[:-1] << 16) + codes[1:], codes])


def term_occurrences(texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """(text number, term key) of every character and bigram occurrence in texts (keys as
    in `bigram_keys`; no bigram spans two texts)."""
    joined = _SEPARATOR.join(texts)
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.int64)
    lengths = np.fromiter((len(t) + 1 for t in texts), dtype=np.int64, count=len(texts))
    doc_of = np.repeat(np.arange(len(texts), dtype=np.int64), lengths)[: len(codes)]
    sep = ord(_SEPARATOR)
    valid = (codes[:-1] != sep) & (codes[1:] != sep)
    keys = ((codes[:-1] << 16) + codes[1:])[valid]
    docs = doc_of[:-1][valid]
    if UNIGRAMS:
        single = codes != sep
        keys = np.concatenate([keys, codes[single]])
        docs = np.concatenate([docs, doc_of[single]])
    return docs, keys


def chunk_triples(texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(local doc, key, tf) for every distinct bigram of each text in a chunk."""
    docs, keys = term_occurrences(texts)
    combined, tf = np.unique((docs << 32) | keys, return_counts=True)
    return (combined >> 32).astype(np.int32), combined & 0xFFFFFFFF, tf.astype(np.int32)


def open_npy(path: Path, dtype: type, length: int) -> BinaryIO:
    """A new .npy file of `length` items of `dtype`, open for its data to be appended
    after the header (so a large array is never held in memory)."""
    out = path.open("wb")
    header = {"descr": np.dtype(dtype).str, "fortran_order": False, "shape": (length,)}
    np.lib.format.write_array_header_1_0(out, header)
    return out


def move_into_npy(raw: Path, target: Path, size: int) -> None:
    """`raw`'s bytes as a uint8 .npy file, copied across; `raw` is removed."""
    with open_npy(target, np.uint8, size) as out, raw.open("rb") as source:
        shutil.copyfileobj(source, out, 1 << 22)
    raw.unlink()


def compact_offsets(offsets: array) -> np.ndarray:
    """Byte offsets as four bytes each while they stay under 4 GiB (8 MB less at a million
    texts), else eight."""
    return np.asarray(offsets, dtype=np.int64 if offsets[-1] >= 1 << 32 else np.uint32)


class Texts(Protocol):
    """Paragraph texts read by corpus position (a store, or a view derived from one)."""

    def __len__(self) -> int: ...

    def __getitem__(self, index: int) -> str: ...

    def between(self, start: int, end: int) -> list[str]:
        """Texts start … end - 1 (an article's paragraphs are consecutive)."""
        ...


class TextStore:
    """Many strings in one UTF-16 blob with byte offsets; memory-mappable."""

    def __init__(self, blob: np.ndarray, offsets: np.ndarray) -> None:
        # Plain ndarray views of the maps: slicing an np.memmap pays for its subclass
        # hooks on every call, half the cost of reading a short text.
        self.blob = np.asarray(blob)
        self.offsets = np.asarray(offsets)

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def __getitem__(self, index: int) -> str:
        start, end = int(self.offsets[index]), int(self.offsets[index + 1])
        return self.blob[start:end].tobytes().decode(_TEXT_ENCODING)

    def between(self, start: int, end: int) -> list[str]:
        # One decode for the run: an article's paragraphs read one by one were a fifth of
        # a short query's rerank.
        bounds = self.offsets[start : end + 1].tolist()
        whole = self.blob[bounds[0] : bounds[-1]].tobytes().decode(_TEXT_ENCODING)
        if 2 * len(whole) != bounds[-1] - bounds[0]:  # a character outside the BMP
            return [self[i] for i in range(start, end)]
        cuts = [(b - bounds[0]) // 2 for b in bounds]
        return [whole[a:b] for a, b in pairwise(cuts)]

    @classmethod
    def write(cls, texts: Iterable[str], path_stem: Path) -> None:
        """Write texts to `<stem>.blob.npy` and `<stem>.offsets.npy` without holding them all."""
        raw = path_stem.with_suffix(".raw")
        offsets = array("q", [0])
        with raw.open("wb") as out:
            for text in texts:
                data = text.encode(_TEXT_ENCODING)
                out.write(data)
                offsets.append(offsets[-1] + len(data))
        move_into_npy(raw, Path(f"{path_stem}.blob.npy"), offsets[-1])
        np.save(f"{path_stem}.offsets.npy", compact_offsets(offsets))

    @staticmethod
    def stream(path_stem: Path) -> Iterator[str]:
        """The stored texts in order, read from the file (not mapped, so memory stays flat)."""
        offsets = np.load(f"{path_stem}.offsets.npy")
        with open(f"{path_stem}.blob.npy", "rb") as source:
            np.lib.format.read_magic(source)
            np.lib.format.read_array_header_1_0(source)
            for length in np.diff(offsets).tolist():
                yield source.read(length).decode(_TEXT_ENCODING)

    @classmethod
    def load(cls, path_stem: Path) -> TextStore:
        return cls(
            np.load(f"{path_stem}.blob.npy", mmap_mode="r"),
            np.load(f"{path_stem}.offsets.npy", mmap_mode="r"),
        )


class TermStatistics:
    """A sorted vocabulary of term keys with their idf."""

    vocab: np.ndarray
    idf: np.ndarray
    max_idf: float
    size: int

    def _load_terms(self, directory: Path, meta_name: str) -> None:
        meta = json.loads((directory / meta_name).read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT_VERSION:
            raise ValueError(f"{meta_name}: format changed")
        self.size = meta["size"]
        self.vocab = np.load(directory / "vocab.npy")
        self.idf = np.load(directory / "idf.npy")
        self.max_idf = float(math.log(1.0 + self.size))

    def term_ids(self, keys: np.ndarray) -> np.ndarray:
        """Vocabulary ids of keys, -1 where unknown."""
        if len(self.vocab) == 0 or len(keys) == 0:
            return np.full(len(keys), -1, dtype=np.int64)
        pos = np.minimum(np.searchsorted(self.vocab, keys), len(self.vocab) - 1)
        return np.where(self.vocab[pos] == keys, pos, -1)

    def idf_of(self, keys: np.ndarray) -> np.ndarray:
        """idf of each key; unknown terms count as rarest."""
        ids = self.term_ids(keys)
        return np.where(ids >= 0, self.idf[np.maximum(ids, 0)], self.max_idf)


def _idf(df: np.ndarray, vocab: np.ndarray, size: int) -> np.ndarray:
    idf = np.log1p(size / np.maximum(df, 1)).astype(np.float32)
    # Single characters catch shared topic words cut differently (云 in 政务云 and
    # 云数据平台) but say less than bigrams, so they weigh less.
    idf[vocab < 0x10000] *= UNIGRAM_WEIGHT
    return idf


def _save_terms(directory: Path, meta_name: str, vocab: np.ndarray, idf: np.ndarray, size: int):
    np.save(directory / "vocab.npy", vocab)
    np.save(directory / "idf.npy", idf)
    meta = {"format": FORMAT_VERSION, "size": size}
    # Written last: its presence marks a complete build.
    (directory / meta_name).write_text(json.dumps(meta), encoding="utf-8")


class BigramIndex(TermStatistics):
    """Postings of normalised-text bigrams with cosine-normalised tf-idf weights."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self._load_terms(directory, "index.json")
        self.term_ptr = np.load(directory / "term_ptr.npy")
        # ndarray views of the maps (see TextStore): sliced for every query term.
        self.post_lo = np.asarray(np.load(directory / "post_lo.npy", mmap_mode="r"))
        self.post_w = np.asarray(np.load(directory / "post_w.npy", mmap_mode="r"))
        self.run_pos = np.load(directory / "run_pos.npy")
        self.run_block = np.load(directory / "run_block.npy")
        if (
            len(self.post_lo) != len(self.post_w)
            or int(self.term_ptr[-1]) != len(self.post_lo)
            or len(self.run_pos) != len(self.run_block)
        ):
            raise ValueError(f"{directory.name}: postings do not agree with their pointers")

    @classmethod
    def build(cls, norm_texts: Iterable[str], directory: Path) -> BigramIndex:
        """Build from normalised texts (streamed in chunks) into `directory`."""
        from drafter.matching import postings_build

        directory.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=directory) as tmp_name:
            runs = [
                postings_build.tokenise_run(chunk, Path(tmp_name) / str(number))
                for number, chunk in enumerate(postings_build.chunks(norm_texts))
            ]
            return cls.from_runs(runs, directory)

    @classmethod
    def from_runs(cls, runs: list, directory: Path) -> BigramIndex:
        """Write the index from chunks already tokenised into sorted runs
        (postings_build.py), in paragraph order."""
        from drafter.matching import postings_build

        directory.mkdir(parents=True, exist_ok=True)
        written = postings_build.write_postings(runs, directory)
        np.save(directory / "run_pos.npy", written.run_pos)
        np.save(directory / "run_block.npy", written.run_block)
        np.save(directory / "term_ptr.npy", written.term_ptr)
        _save_terms(directory, "index.json", written.vocab, written.idf, written.size)
        return cls(directory)

    def postings(self, term: int) -> tuple[np.ndarray, np.ndarray]:
        """(paragraph numbers, quantised weights) of one term's postings."""
        start, end = int(self.term_ptr[term]), int(self.term_ptr[term + 1])
        return self._paragraphs(np.array([start]), np.array([end])), self.post_w[start:end]

    def _paragraphs(self, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
        """The paragraph numbers of postings [starts[i], ends[i]) for every i, concatenated:
        the low halves, plus each run's block (one vector pass, not a loop over terms:
        at 100,000 paragraphs a long clause reads about 90 terms)."""
        docs = np.concatenate([self.post_lo[a:b] for a, b in zip(starts, ends, strict=True)])
        docs = docs.astype(np.intp)
        if self.size <= 1 << BLOCK_BITS or not len(docs):
            return docs  # one block: the low half is the number
        # A term's postings start a run, so its runs are those from its start to its end.
        first = np.searchsorted(self.run_pos, starts)
        last = np.searchsorted(self.run_pos, ends)
        counts = last - first
        offsets = np.cumsum(counts) - counts
        runs = np.arange(int(counts.sum())) - np.repeat(offsets - first, counts)
        # A run ends where the next one starts, or where its term's postings end.
        ends_of_term = np.repeat(ends, counts)
        following = self.run_pos[np.minimum(runs + 1, len(self.run_pos) - 1)]
        is_last = np.zeros(len(runs), dtype=bool)
        is_last[np.cumsum(counts)[counts > 0] - 1] = True
        run_end = np.where(is_last, ends_of_term, following)
        lengths = run_end - self.run_pos[runs]
        docs += np.repeat(self.run_block[runs].astype(np.intp) << BLOCK_BITS, lengths)
        return docs

    def reading(self, term_ids: np.ndarray, weights: np.ndarray, budget: int) -> np.ndarray:
        """Which query terms the candidate stage reads (positions in `term_ids`): those that
        weigh most in the query first, while their postings fit the budget, and never fewer
        than four. Common terms past the cut add little to the ranking but most of the cost."""
        lengths = self.term_ptr[term_ids + 1] - self.term_ptr[term_ids]
        order = np.argsort(-weights, kind="stable")
        spent = np.cumsum(lengths[order])
        count = int(np.searchsorted(spent, budget, side="right"))
        return order[: max(min(4, len(order)), count)]

    def accumulate(self, term_ids: np.ndarray, weights: np.ndarray, budget: int) -> Sums:
        """Per paragraph, the weighted sum of postings of the terms `reading` picks."""
        chosen = self.reading(term_ids, weights, budget)
        return self.accumulate_terms(term_ids[chosen], weights[chosen])

    def accumulate_terms(self, terms: np.ndarray, weights: np.ndarray) -> Sums:
        """Per paragraph, the weighted sum of these terms' postings."""
        if not len(terms):
            return Sums(np.zeros(self.size, dtype=np.float64), np.zeros(0, dtype=np.intp))
        starts, ends = self.term_ptr[terms], self.term_ptr[terms + 1]
        docs = self._paragraphs(starts, ends)
        return Sums(
            np.bincount(
                docs,
                weights=posting_values(self.post_w, starts, ends, weights),
                minlength=self.size,
            ),
            docs,
        )


def posting_values(
    levels: np.ndarray, starts: np.ndarray, ends: np.ndarray, weights: np.ndarray
) -> np.ndarray:
    """Each posting's value, postings [starts[i], ends[i]) after one another: its term's
    query weight times its byte level's weight. One lookup per term, from the byte levels
    into the term's row of products, written in place (mode "clip" lets numpy write
    without a buffer; every byte is a valid level): building one (term, level) index for
    all postings first took 2.6 times as long, 4 ms of an intent's 6 at a million
    paragraphs when its terms are common. The same products, so the same sums."""
    values = np.empty(int((ends - starts).sum()), dtype=np.float64)
    at = 0
    for start, end, weight in zip(
        starts.tolist(), ends.tolist(), weights.astype(np.float64).tolist(), strict=True
    ):
        np.take(
            weight * WEIGHT_LEVELS,
            levels[start:end],
            out=values[at : at + end - start],
            mode="clip",
        )
        at += end - start
    return values


@dataclass(frozen=True)
class Sums:
    """What the candidate stage summed: per paragraph, the weighted sum of the postings
    read (`values`), and the paragraph of every posting read, repeats included
    (`touched`): every paragraph whose sum is not zero is in it."""

    values: np.ndarray
    touched: np.ndarray


class TermWeights(TermStatistics):
    """idf of every term of a text collection, without postings: a second view of the
    library (the full normalised text, subjects kept) that reranking reads for a few
    hundred candidates and never searches."""

    def __init__(self, directory: Path) -> None:
        self._load_terms(directory, "terms.json")

    @classmethod
    def build(cls, texts: Iterable[str], directory: Path) -> TermWeights:
        """Document frequencies counted chunk by chunk (memory bounded by the vocabulary)."""
        from drafter.matching import postings_build

        size = 0

        def parts() -> Iterator[tuple[np.ndarray, np.ndarray]]:
            nonlocal size
            for chunk in postings_build.chunks(texts):
                size += len(chunk)
                yield postings_build.chunk_document_frequencies(chunk)

        vocab, df = postings_build.merge_counts(parts())
        return cls.save(vocab, df, size, directory)

    @classmethod
    def save(cls, vocab: np.ndarray, df: np.ndarray, size: int, directory: Path) -> TermWeights:
        """From the sorted keys of `size` texts and their document frequencies."""
        directory.mkdir(parents=True, exist_ok=True)
        _save_terms(directory, "terms.json", vocab, _idf(df, vocab, size), size)
        return cls(directory)


BUILD_PREFIX = "build-"
_DISCARD_PREFIX = "discard-"
STALE_BUILD_HOURS = 24.0


def build_dir_name() -> str:
    """A build folder's prefix, ``build-<pid>-``: a later run can tell whether its owner lives."""
    return f"{BUILD_PREFIX}{os.getpid()}-"


def _pid_alive(pid: int) -> bool:
    if os.name != "posix":
        return True  # os.kill(pid, 0) would terminate the process on Windows; age decides
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return True  # another user's process, or a number no pid can be: keep to age
    return True


def _is_stale(folder: Path, max_age_hours: float) -> bool:
    try:
        age = time.time() - folder.stat().st_mtime
    except OSError:
        return False
    if age > max_age_hours * 3600:
        return True
    owner = folder.name[len(BUILD_PREFIX) :].split("-", 1)[0]
    if owner.isdigit() and int(owner) != os.getpid():
        return not _pid_alive(int(owner))
    return False


def remove_stale_builds(root: Path, max_age_hours: float = STALE_BUILD_HOURS) -> list[Path]:
    """Delete build folders a killed build left behind (owner dead, or older than the limit).

    Each is first renamed to ``discard-…`` (atomic), so two processes cleaning at once
    never delete a folder twice or half-way, and a build that is still running never loses
    its folder: a live owner's folder younger than the limit is kept.
    """
    removed: list[Path] = []
    try:
        entries = list(root.iterdir())
    except OSError:
        return removed
    for folder in entries:
        try:
            if not folder.is_dir() or folder.is_symlink():
                continue
        except OSError:
            continue
        if folder.name.startswith(BUILD_PREFIX) and _is_stale(folder, max_age_hours):
            target = root / f"{_DISCARD_PREFIX}{folder.name}-{os.getpid()}-{time.monotonic_ns()}"
            try:
                folder.rename(target)
            except OSError:
                continue  # another process took it first, or the folder is read-only
        elif folder.name.startswith(_DISCARD_PREFIX):
            target = folder  # a deletion interrupted earlier
        else:
            continue
        shutil.rmtree(target, ignore_errors=True)
        removed.append(folder)
    return removed


def remove_index(directory: Path) -> None:
    """Delete a stale index directory."""
    shutil.rmtree(directory, ignore_errors=True)
