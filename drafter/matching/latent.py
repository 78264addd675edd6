"""A latent topic space over the library (latent semantic analysis of character bigrams).

Cities often say the same rule in other words: 示范基地（园区） where another writes 产业功能区,
应急救援 where another writes 城市生命线安全工程. Bigram overlap cannot see that, but the
library can: words that occur in the same paragraphs across many articles end up close in
a low-rank approximation of the paragraph × bigram matrix. Reranking adds the cosine of
query and article in that space as one feature (scoring.py).

The space is learned from the library itself (no outside model, nothing to download):
a truncated SVD of the tf-idf matrix of paragraph bigrams, computed by randomised
subspace iteration (Halko, Martinsson & Tropp 2011) in numpy with the matrix kept sparse,
on at most SAMPLE paragraphs and VOCABULARY terms, so a million-paragraph library builds
it in bounded memory. The rank matters: near full rank the space is plain tf-idf again
and the gain disappears (docs/benchmarks.md).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from drafter.matching.index import Texts, chunk_triples, tf_weight

FORMAT_VERSION = 1
DIMENSIONS = 128
OVERSAMPLING = 16
POWER_ITERATIONS = 2
# Paragraphs the space is learned from (evenly spaced over the library) and the most
# frequent bigrams kept: enough for the field's vocabulary, bounded at any library size.
SAMPLE = 12_000
VOCABULARY = 30_000
# Below this many paragraphs co-occurrence says nothing reliable (a rank-2 space of four
# paragraphs rewards chance): no topic space, the other features rank alone.
MIN_PARAGRAPHS = 200
_SEED = 20261202
# Rows of the sparse matrix multiplied at once (bounds the temporary dense block).
_BLOCK = 16_384
_TEXT_CHUNK = 5_000


class LatentSpace:
    """Projects normalised texts into the library's topic space (unit vectors)."""

    def __init__(self, directory: Path) -> None:
        meta = json.loads((directory / "latent.json").read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT_VERSION:
            raise ValueError("latent space format changed")
        self.vocab = np.load(directory / "vocab.npy", mmap_mode="r")
        self.idf = np.load(directory / "idf.npy", mmap_mode="r")
        # Read whole (vocabulary × dimensions float32, ~20 MB at most): every query
        # gathers rows from all over it.
        self.basis = np.load(directory / "basis.npy")

    @property
    def dimensions(self) -> int:
        return int(self.basis.shape[1])

    def project(self, texts: Sequence[str]) -> np.ndarray:
        """One unit row per text (a zero row for a text with no known bigram)."""
        out = np.zeros((len(texts), self.dimensions), dtype=np.float64)
        if not len(texts) or not len(self.vocab):
            return out
        docs, ids, weights = _known_terms(_bigram_triples(list(texts)), self.vocab, self.idf)
        if len(docs):  # a small dense (texts × terms used) matrix times their basis rows
            used, column = np.unique(ids, return_inverse=True)
            matrix = np.zeros((len(texts), len(used)), dtype=np.float32)
            matrix[docs, column] = weights  # (doc, term) pairs are distinct
            out = (matrix @ self.basis[used]).astype(np.float64)
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-12)

    @classmethod
    def build(cls, store: Texts, directory: Path) -> LatentSpace | None:
        """Learn the space from normalised paragraphs (read by position); None when the
        library is too small to have topics (fewer than MIN_PARAGRAPHS)."""
        total = len(store)
        positions = np.unique(np.linspace(0, total - 1, min(total, SAMPLE)).astype(np.int64))
        if len(positions) < MIN_PARAGRAPHS or total == 0:
            return None
        # Tokenised once: the vocabulary and the matrix are read from the same triples.
        triples = _bigram_triples([store[int(p)] for p in positions])
        vocab, idf = _vocabulary(triples[1], len(positions))
        rank = min(DIMENSIONS, len(positions) // 2, len(vocab) - 1)
        if rank < 2:
            return None
        rows, cols, vals = _tfidf_matrix(triples, len(positions), vocab, idf)
        basis = _top_right_singular_vectors(rows, cols, vals, len(positions), len(vocab), rank)
        directory.mkdir(parents=True, exist_ok=True)
        np.save(directory / "vocab.npy", vocab)
        np.save(directory / "idf.npy", idf.astype(np.float32))
        np.save(directory / "basis.npy", basis.astype(np.float32))
        meta = {"format": FORMAT_VERSION, "paragraphs": len(positions), "rank": rank}
        # Written last: its presence marks a complete build.
        (directory / "latent.json").write_text(json.dumps(meta), encoding="utf-8")
        return cls(directory)


def _bigram_triples(texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(doc, key, tf) of the bigrams (not single characters) of texts, chunk by chunk."""
    parts = []
    for start in range(0, len(texts), _TEXT_CHUNK):
        docs, keys, tf = chunk_triples(texts[start : start + _TEXT_CHUNK])
        bigram = keys >= 0x10000
        parts.append((docs[bigram].astype(np.int64) + start, keys[bigram], tf[bigram]))
    if not parts:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty
    return tuple(np.concatenate(p) for p in zip(*parts, strict=True))  # type: ignore[return-value]


def _vocabulary(keys: np.ndarray, paragraphs: int) -> tuple[np.ndarray, np.ndarray]:
    """Bigrams found in at least two sampled paragraphs (the most frequent VOCABULARY of
    them), sorted, with their idf. `keys` holds each paragraph's distinct bigrams."""
    vocab, df = np.unique(keys, return_counts=True)
    keep = df >= 2
    vocab, df = vocab[keep], df[keep]
    if len(vocab) > VOCABULARY:
        top = np.sort(np.argsort(-df, kind="stable")[:VOCABULARY])
        vocab, df = vocab[top], df[top]
    idf = np.log(max(paragraphs, 1) / np.maximum(df, 1)).astype(np.float64)
    return vocab, idf


def _known_terms(
    triples: tuple[np.ndarray, np.ndarray, np.ndarray], vocab: np.ndarray, idf: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(doc, vocabulary id, tf-idf weight) of every known bigram of (doc, key, tf) triples."""
    docs, keys, tf = triples
    position = np.minimum(np.searchsorted(vocab, keys), len(vocab) - 1)
    known = vocab[position] == keys
    ids = position[known]
    return docs[known], ids, tf_weight(tf[known]) * np.asarray(idf)[ids]


def _tfidf_matrix(
    triples: tuple[np.ndarray, np.ndarray, np.ndarray],
    paragraphs: int,
    vocab: np.ndarray,
    idf: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The sampled paragraphs' tf-idf rows, each of unit length, as sorted COO triples."""
    rows, cols, vals = _known_terms(triples, vocab, idf)
    norms = np.sqrt(np.bincount(rows, weights=vals * vals, minlength=paragraphs))
    return rows, cols, (vals / np.maximum(norms[rows], 1e-12)).astype(np.float32)


def _multiply(
    rows: np.ndarray, cols: np.ndarray, vals: np.ndarray, dense: np.ndarray, size: int
) -> np.ndarray:
    """(sparse matrix given by COO triples sorted by `rows`) @ dense, in bounded blocks."""
    dense = dense.astype(np.float32)
    out = np.zeros((size, dense.shape[1]), dtype=np.float32)
    for start in range(0, len(rows), _BLOCK):
        block_rows = rows[start : start + _BLOCK]
        contribution = vals[start : start + _BLOCK, None] * dense[cols[start : start + _BLOCK]]
        boundaries = np.flatnonzero(np.diff(block_rows)) + 1
        starts = np.concatenate([[0], boundaries])
        out[block_rows[starts]] += np.add.reduceat(contribution, starts, axis=0)
    return out


def _top_right_singular_vectors(
    rows: np.ndarray, cols: np.ndarray, vals: np.ndarray, n_rows: int, n_cols: int, rank: int
) -> np.ndarray:
    """The `rank` leading right singular vectors (n_cols × rank) of the sparse matrix, by
    randomised subspace iteration; deterministic (fixed seed)."""
    by_col = np.lexsort((rows, cols))
    t_rows, t_cols, t_vals = cols[by_col], rows[by_col], vals[by_col]  # the transpose, sorted

    def times(dense: np.ndarray) -> np.ndarray:  # A @ dense
        return _multiply(rows, cols, vals, dense, n_rows)

    def transposed_times(dense: np.ndarray) -> np.ndarray:  # A.T @ dense
        return _multiply(t_rows, t_cols, t_vals, dense, n_cols)

    width = min(rank + OVERSAMPLING, n_rows, n_cols)
    generator = np.random.default_rng(_SEED)
    basis, _ = np.linalg.qr(times(generator.standard_normal((n_cols, width))))
    for _ in range(POWER_ITERATIONS):
        right, _ = np.linalg.qr(transposed_times(basis))
        basis, _ = np.linalg.qr(times(right))
    small = transposed_times(basis).T  # width × n_cols: B = Q.T @ A
    _, _, vt = np.linalg.svd(small, full_matrices=False)
    return vt[:rank].T
