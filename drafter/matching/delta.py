"""A small index segment over paragraphs added after the main index was built.

Lucene and Tantivy never rewrite an index to add a document: they write a new small
segment and search every segment, merging them later. A delta segment here is the same
idea under one constraint of our scoring: a posting's weight is tf-idf divided by the
paragraph's norm, and idf belongs to the whole collection. A delta therefore borrows the
main segment's statistics (its vocabulary and idf) instead of computing its own from a
few dozen paragraphs. Terms the main segment has never seen cannot be searched in a delta
(a query term unknown to the main vocabulary has no term id at all); they still count in
the paragraph's norm, at the rarest idf, so the delta's weights stay comparable. The next
full build (when deltas grow past a share of the main segment) gives them their place.

Postings are sparse by term: only the main-vocabulary ids that occur in the delta are
stored, so a one-reference delta is a few hundred kilobytes whatever the main size.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from drafter.matching.index import (
    FORMAT_VERSION,
    Sums,
    TermStatistics,
    chunk_triples,
    posting_values,
    quantise_weights,
    tf_weight,
)
from drafter.matching.postings_build import chunks

_META = "delta.json"


class DeltaIndex:
    """Postings of a delta segment, keyed by the main segment's term ids."""

    def __init__(self, directory: Path) -> None:
        meta = json.loads((directory / _META).read_text(encoding="utf-8"))
        if meta.get("format") != FORMAT_VERSION:
            raise ValueError(f"{directory.name}: format changed")
        self.size: int = meta["size"]
        self.stats_size: int = meta["stats_size"]
        self.terms = np.load(directory / "terms.npy")
        self.term_ptr = np.load(directory / "term_ptr.npy")
        self.post_docs = np.load(directory / "post_docs.npy")
        self.post_w = np.load(directory / "post_w.npy")
        if (
            len(self.term_ptr) != len(self.terms) + 1
            or int(self.term_ptr[-1]) != len(self.post_docs)
            or len(self.post_docs) != len(self.post_w)
            or (len(self.post_docs) and int(self.post_docs.max()) >= self.size)
        ):
            raise ValueError(f"{directory.name}: postings do not agree with their pointers")

    @classmethod
    def build(cls, norm_texts: Iterable[str], directory: Path, stats: TermStatistics) -> DeltaIndex:
        """Index texts under the main segment's vocabulary and idf."""
        directory.mkdir(parents=True, exist_ok=True)
        doc_parts: list[np.ndarray] = []
        term_parts: list[np.ndarray] = []
        weight_parts: list[np.ndarray] = []
        norm_parts: list[np.ndarray] = []
        size = 0
        for chunk in chunks(norm_texts):
            docs, keys, tf = chunk_triples(chunk)
            ids = stats.term_ids(keys)
            known = ids >= 0
            idf = np.where(known, stats.idf[np.maximum(ids, 0)], stats.max_idf)
            weights = tf_weight(tf) * idf
            norm_parts.append(np.bincount(docs, weights=weights * weights, minlength=len(chunk)))
            doc_parts.append(docs[known].astype(np.int64) + size)
            term_parts.append(ids[known])
            weight_parts.append(weights[known])
            size += len(chunk)
        norms = np.sqrt(np.maximum(np.concatenate(norm_parts or [np.zeros(0)]), 1e-12))
        docs = np.concatenate(doc_parts or [np.zeros(0, dtype=np.int64)])
        terms = np.concatenate(term_parts or [np.zeros(0, dtype=np.int64)])
        weights = np.concatenate(weight_parts or [np.zeros(0)]) / norms[docs]
        order = np.lexsort((docs, terms))
        docs, terms, weights = docs[order], terms[order], weights[order]
        present, counts = np.unique(terms, return_counts=True)
        term_ptr = np.zeros(len(present) + 1, dtype=np.int64)
        np.cumsum(counts, out=term_ptr[1:])
        np.save(directory / "terms.npy", present.astype(np.int64))
        np.save(directory / "term_ptr.npy", term_ptr)
        np.save(directory / "post_docs.npy", docs.astype(np.int32))
        np.save(directory / "post_w.npy", quantise_weights(weights))
        meta = {"format": FORMAT_VERSION, "size": size, "stats_size": stats.size}
        # Written last: its presence marks a complete build.
        (directory / _META).write_text(json.dumps(meta), encoding="utf-8")
        return cls(directory)

    def accumulate_terms(self, term_ids: np.ndarray, weights: np.ndarray) -> Sums:
        """Per paragraph, the weighted sum of these terms' postings (the main segment
        chooses the terms, so that every segment's paragraphs are scored alike)."""
        nothing = Sums(np.zeros(self.size, dtype=np.float64), np.zeros(0, dtype=np.intp))
        if not len(self.terms) or not len(term_ids):
            return nothing
        local = np.minimum(np.searchsorted(self.terms, term_ids), len(self.terms) - 1)
        found = self.terms[local] == term_ids
        if not found.any():
            return nothing
        starts, ends = self.term_ptr[local[found]], self.term_ptr[local[found] + 1]
        docs = np.concatenate([self.post_docs[a:b] for a, b in zip(starts, ends, strict=True)])
        docs = docs.astype(np.intp)
        values = posting_values(self.post_w, starts, ends, weights[found])
        return Sums(np.bincount(docs, weights=values, minlength=self.size), docs)
