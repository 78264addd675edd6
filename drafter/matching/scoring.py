"""Rerank features and the final 0–100 score of a candidate paragraph for a query.

Features, all in 0..1:
- `para_cos`: tf-idf cosine of character bigrams, query vs paragraph, boilerplate
  subjects stripped (from the index) — the clause's topic;
- `art_cos` (long queries): the same against the whole article, on the full normalised
  text with its subjects kept and the library's idf of that text. It reads the paragraph
  in its context, and the subject (a government's coordination duty vs a department's)
  is part of what a clause says; it makes different errors from `para_cos`, so the two
  are fused;
- `para_cov` / `art_cov` (short queries): idf-weighted share of the query's bigrams found
  in the paragraph / article (stripped) — what matters for an intent, whatever the
  paragraph's length;
- `order`: fuzz.ratio of the two texts with boilerplate removed — rewards clauses reused
  in the same order (near-verbatim copies), which bag-of-bigrams features cannot see;
- `topic` (long queries): cosine of query and article in the library's latent topic space
  (latent.py) — the same rule in other words.

A paragraph listing 项 is also read item by item: `para_cos` is the best of the whole
paragraph's and its items' cosines, because an item is often the unit another city
reuses (a finance item in a list of industries), and the rest of the list dilutes it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from rapidfuzz import fuzz, process

from drafter.matching.index import (
    TermStatistics,
    TermWeights,
    bigram_keys,
    term_occurrences,
    tf_weight,
)
from drafter.matching.normalize import strip_boilerplate

if TYPE_CHECKING:
    from drafter.matching.engine import SuggestionEngine

# Queries up to this many normalised characters are intents, scored on coverage.
SHORT_QUERY = 24
# Weights of (para_cos, art_cos, order, topic) for long queries; order counts above its
# floor. The stripped paragraph view and the full article view weigh alike; the topic
# space only breaks near-ties between candidates the character features rank alike
# (docs/benchmarks.md has the sweep). Scores are divided by the weights' sum.
LONG_WEIGHTS = (0.4, 0.4, 0.2, 0.06)
ORDER_FLOOR = 0.5
# Candidates whose articles are projected into the topic space: 8 gives every gold file
# the same figures as 16 did, at half the projection (docs/benchmarks.md, 2026-12-03).
TOPIC_CANDIDATES = 8
# A line of a paragraph's text that is one of its 项.
_ITEM_LINE = re.compile(r"^[（(][一二三四五六七八九十百]+[)）]")
# Items shorter than this (normalised characters) say too little to be read alone.
MIN_ITEM = 8


@dataclass
class TermVector:
    """A text's sublinear tf-idf vector: sorted distinct keys, weights / norm, idf."""

    keys: np.ndarray
    weights: np.ndarray
    idf: np.ndarray

    @classmethod
    def of(cls, text: str, terms: TermStatistics) -> TermVector:
        keys, counts = np.unique(bigram_keys(text), return_counts=True)
        idf = terms.idf_of(keys).astype(np.float64)
        weights = tf_weight(counts) * idf
        length = math.sqrt(float(np.dot(weights, weights))) or 1.0
        return cls(keys, weights / length, idf)


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
    full: TermVector | None = None  # the whole normalised query, subjects kept

    @property
    def short(self) -> bool:
        return len(self.norm) <= SHORT_QUERY

    def term_texts(self) -> list[str]:
        """The terms as text: a key is a character's code point, or two characters' codes
        as first × 65536 + second (index.bigram_keys)."""
        return [
            chr(k) if k < 0x10000 else chr(k >> 16) + chr(k & 0xFFFF) for k in self.keys.tolist()
        ]

    @classmethod
    def of(cls, norm: str, index: TermStatistics, full_terms: TermWeights) -> QueryFeatures:
        """Features of a normalised query; its search terms come from the boilerplate-free
        text, and (long queries) its full vector from all of it."""
        stripped = strip_boilerplate(norm)
        vector = TermVector.of(stripped, index)
        ids = index.term_ids(vector.keys)
        known = ids >= 0
        full = None
        if len(norm) > SHORT_QUERY:
            full = TermVector.of(norm, full_terms)
        return cls(
            norm,
            stripped,
            vector.keys,
            vector.weights,
            vector.idf,
            ids[known],
            vector.weights[known],
            full,
        )

    def expanded(self, texts: list[str], index: TermStatistics, weight: float) -> QueryFeatures:
        """These features with the search terms of feedback texts added: query + weight ×
        their mean vector, renormalised (Rocchio). The full vector is kept as it is."""
        vectors = [TermVector.of(strip_boilerplate(t), index) for t in texts]
        keys = np.concatenate([self.keys] + [v.keys for v in vectors])
        weights = np.concatenate(
            [self.weights] + [v.weights * (weight / len(vectors)) for v in vectors]
        )
        idf = np.concatenate([self.idf] + [v.idf for v in vectors])
        keys, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
        weights = np.bincount(inverse, weights=weights).astype(np.float64)
        weights /= math.sqrt(float(np.dot(weights, weights))) or 1.0
        ids = index.term_ids(keys)
        known = ids >= 0
        return QueryFeatures(
            self.norm,
            self.content,
            keys,
            weights,
            idf[first],
            ids[known],
            weights[known],
            self.full,
        )


def coverage(features: QueryFeatures, texts: list[str]) -> np.ndarray:
    """Per text, the idf-weighted share of the query's terms it has.

    Each term is a character or two, so `in` (a search in C) tells whether a text has it:
    an intent has a few dozen terms and its rerank some seventy texts, where tokenising
    the texts cost three times as long. Sums run in key order, as bincount's did."""
    total = float(features.idf.sum())
    if not texts or not len(features.keys) or total <= 0:
        return np.zeros(len(texts))
    terms = list(zip(features.term_texts(), features.idf.tolist(), strict=True))
    shares = [sum(idf for term, idf in terms if term in text) for text in texts]
    return np.asarray(shares, dtype=np.float64) / total


def coverage_and_cosine(
    features: QueryFeatures | TermVector, texts: list[str], index: TermStatistics
) -> tuple[np.ndarray, np.ndarray]:
    """Per text, the idf-weighted share of query terms it has and its cosine with the query."""
    coverage: np.ndarray = np.zeros(len(texts))
    cosine: np.ndarray = np.zeros(len(texts))
    if not texts or not len(features.keys) or features.idf.sum() <= 0:
        return coverage, cosine
    docs, keys = term_occurrences(texts)
    # (key, text) pairs sorted key first: each distinct key's idf is looked up once, in
    # order, with no second sort (a long query's article view took 1.7 ms, now 1.1).
    pairs, tf = np.unique((keys << 20) | docs, return_counts=True)  # texts < 2 ** 20
    keys, docs = pairs >> 20, pairs & 0xFFFFF
    first = np.flatnonzero(np.diff(keys, prepend=-1))
    idf = np.repeat(index.idf_of(keys[first]), np.diff(first, append=len(keys)))
    weights = tf_weight(tf) * idf
    lengths = np.sqrt(np.bincount(docs, weights=weights * weights, minlength=len(texts)))
    position = np.minimum(np.searchsorted(features.keys, keys), len(features.keys) - 1)
    shared = features.keys[position] == keys
    docs, position = docs[shared], position[shared]
    shares = np.bincount(docs, weights=features.idf[position], minlength=len(texts))
    coverage = shares / features.idf.sum()
    dot = np.bincount(
        docs, weights=weights[shared] * features.weights[position], minlength=len(texts)
    )
    cosine = dot / np.maximum(lengths, 1e-12)
    return coverage, cosine


def score_candidates(
    features: QueryFeatures,
    candidates: np.ndarray,
    para_cos: np.ndarray,
    engine: SuggestionEngine,
) -> tuple[list[float], list[str]]:
    """Scores 0–100 of candidate paragraphs for the query, and the candidates' texts
    without boilerplate that they were scored on (what results are told apart by)."""
    corpus = engine.corpus
    short = features.short or features.full is None  # full is None only for short queries
    texts, groups, articles = engine.candidate_texts(candidates.tolist(), stripped_articles=short)
    slot = {g: i for i, g in enumerate(dict.fromkeys(groups))}
    article = np.array([slot[g] for g in groups], dtype=np.int64)
    cos = np.minimum(para_cos.astype(np.float64), 1.0)
    if short:
        both = coverage(features, texts + articles)
        para_cov, art_cov = both[: len(texts)], both[len(texts) :]
        raw = 0.55 * para_cov + 0.25 * art_cov[article] + 0.2 * cos
    else:
        assert features.full is not None
        _, art_cos = coverage_and_cosine(features.full, articles, corpus.full_terms)
        # Only high ratios say "reused in the same order"; low ones are noise.
        ratios = process.cdist([features.content], texts, scorer=fuzz.ratio)[0] / 100.0
        order = np.maximum(0.0, ratios - ORDER_FLOOR) / (1.0 - ORDER_FLOOR)
        cos = np.maximum(cos, _item_cosine(features, candidates, engine))
        para_w, art_w, order_w, topic_w = LONG_WEIGHTS
        raw = para_w * cos + art_w * art_cos[article] + order_w * order
        latent = corpus.latent
        if latent is None:
            raw /= para_w + art_w + order_w
        else:
            # Only the leaders can be reordered by a feature this light: the topic is
            # read for the articles of the best TOPIC_CANDIDATES (it costs a projection).
            leaders = np.argsort(-raw, kind="stable")[:TOPIC_CANDIDATES]
            wanted = list(dict.fromkeys(groups[i] for i in leaders.tolist()))
            topics, query = engine.article_topics(wanted, features.content)
            vectors = topics @ query
            topic_of = dict(zip(wanted, np.maximum(vectors, 0.0).tolist(), strict=True))
            topic = np.array([topic_of.get(g, 0.0) for g in groups])
            raw = (raw + topic_w * topic) / sum(LONG_WEIGHTS)
    return (100.0 * raw).tolist(), texts


def _item_cosine(
    features: QueryFeatures, candidates: np.ndarray, engine: SuggestionEngine
) -> np.ndarray:
    """Per candidate, the best cosine of the query with one of its 项 (0 without items)."""
    corpus = engine.corpus
    owners: list[int] = []
    items: list[str] = []
    for slot, position in enumerate(candidates.tolist()):
        if not corpus.multiline[position]:
            continue  # one line: no items (and no decompressing its text)
        for line in corpus.texts[position].split("\n"):
            if _ITEM_LINE.match(line):
                item = strip_boilerplate(engine.normalizer.normalize(line))
                if len(item) >= MIN_ITEM:
                    owners.append(slot)
                    items.append(item)
    best = np.zeros(len(candidates))
    if items:
        _, cosine = coverage_and_cosine(features, items, engine.index)
        np.maximum.at(best, np.asarray(owners), cosine)
    return best
