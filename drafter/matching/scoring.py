"""Rerank features and the final 0–100 score of a candidate paragraph for a query.

Features, all in 0..1:
- `para_cos`: tf-idf cosine of character bigrams, query vs paragraph (from the index);
- `art_cos`: the same against the whole article, so a paragraph is read in its context;
- `para_cov` / `art_cov`: idf-weighted share of the query's bigrams found in the
  paragraph / article — what matters for a short intent, whatever the paragraph's length;
- `order`: fuzz.ratio of the two texts with boilerplate removed — rewards clauses reused
  in the same order (near-verbatim copies), which bag-of-bigrams features cannot see.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from rapidfuzz import fuzz

from drafter.matching.index import BigramIndex, bigram_keys
from drafter.matching.provenance import coverage_mask, runs_of

if TYPE_CHECKING:
    from drafter.matching.engine import SuggestionEngine

# Queries up to this many normalised characters are intents, scored on coverage.
SHORT_QUERY = 24

# Subjects and modal words that open most articles; they say nothing about the topic.
_BOILERPLATE = re.compile(
    "|".join(
        [
            "(?:市|区县|区|县|乡镇|街道)*(?:人民政府|政府)",
            "(?:有关|相关|其他有关)?(?:主管)?部门",
            "及其",
            "应当",
            "依法",
            "按照",
            "根据",
            "本条例",
            "有关规定",
            "规定",
        ]
    )
)


def content(norm: str) -> str:
    """A normalised text without its boilerplate subjects and modal words."""
    return _BOILERPLATE.sub("", norm)


@dataclass
class QueryFeatures:
    """What the scorer needs to know about one (window of a) normalised query."""

    norm: str
    content: str
    keys: np.ndarray  # sorted distinct bigram keys
    weights: np.ndarray  # sublinear tf-idf per key, divided by the query norm
    idf: np.ndarray
    known_ids: np.ndarray
    known_weights: np.ndarray

    @property
    def short(self) -> bool:
        return len(self.norm) <= SHORT_QUERY

    @classmethod
    def of(cls, norm: str, index: BigramIndex) -> QueryFeatures:
        keys, counts = np.unique(bigram_keys(norm), return_counts=True)
        idf = index.idf_of(keys).astype(np.float64)
        weights = (1.0 + np.log(counts)) * idf
        length = math.sqrt(float(np.dot(weights, weights))) or 1.0
        weights = weights / length
        ids = index.term_ids(keys)
        known = ids >= 0
        return cls(norm, content(norm), keys, weights, idf, ids[known], weights[known])


def _coverage_and_cosine(
    features: QueryFeatures, text: str, index: BigramIndex
) -> tuple[float, float]:
    keys, counts = np.unique(bigram_keys(text), return_counts=True)
    if not len(keys) or not len(features.keys):
        return 0.0, 0.0
    present = np.isin(features.keys, keys, assume_unique=True)
    coverage = float(features.idf[present].sum() / features.idf.sum())
    shared = np.isin(keys, features.keys, assume_unique=True)
    weights = (1.0 + np.log(counts)) * index.idf_of(keys)
    length = math.sqrt(float(np.dot(weights, weights))) or 1.0
    query_weights = features.weights[np.searchsorted(features.keys, keys[shared])]
    cosine = float(np.dot(weights[shared], query_weights) / length)
    return coverage, cosine


def score_candidates(
    features: QueryFeatures,
    candidates: np.ndarray,
    para_cos: np.ndarray,
    engine: SuggestionEngine,
) -> list[float]:
    """Scores 0–100 of candidate paragraphs for the query."""
    corpus = engine.corpus
    index = corpus.index
    article_features: dict[int, tuple[float, float]] = {}
    scores: list[float] = []
    for position, cos in zip(candidates.tolist(), para_cos.tolist(), strict=False):
        text = corpus.norm_texts[position]
        para_cov, _ = _coverage_and_cosine(features, text, index)
        group = int(corpus.group_of[position])
        if group not in article_features:
            article_features[group] = _coverage_and_cosine(
                features, engine.article_norm(group), index
            )
        art_cov, art_cos = article_features[group]
        cos = min(float(cos), 1.0)
        if features.short:
            raw = 0.55 * para_cov + 0.25 * art_cov + 0.2 * cos
        else:
            order = fuzz.ratio(features.content, content(text)) / 100.0
            raw = 0.4 * cos + 0.3 * art_cos + 0.3 * order
        scores.append(100.0 * raw)
    return scores


def shared_runs(
    query_norm: str, text_norm: str
) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Runs of normalised characters the query and text share (both sides)."""
    min_run = 2 if len(query_norm) <= SHORT_QUERY else 3
    return (
        runs_of(coverage_mask(query_norm, text_norm, min_run)),
        runs_of(coverage_mask(text_norm, query_norm, min_run)),
    )
