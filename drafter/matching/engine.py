"""Clause suggestions: rank the library's paragraphs (款) against a short intent or a full clause.

Two stages. A candidate stage sums cosine-normalised tf-idf postings of the query's
rarest character bigrams (index.py). A rerank stage scores the few hundred best
candidates on features that see the article around each paragraph (scoring.py).
Near-identical paragraphs from one reference are collapsed to the best of them.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz

from drafter.errors import UnknownReferenceError
from drafter.matching.corpus import Corpus, cache_key, library_records
from drafter.matching.index import TextStore, build_dir_name, remove_stale_builds
from drafter.matching.normalize import Normalizer
from drafter.matching.scoring import QueryFeatures, score_candidates, shared_runs
from drafter.paths import user_data_dir

INDEX_DIR_NAME = "suggest-index"
# Queries longer than this (normalised characters) are searched in windows.
MAX_QUERY = 1200
WINDOW = 400
MAX_WINDOWS = 8
# Postings read per query in the candidate stage, and candidates reranked.
POSTINGS_BUDGET = 400_000
CANDIDATES = 40
# Pseudo-relevance feedback ("bridging"): a long query restricted to some references is
# first searched over the others; the best paragraphs there, if they match well enough,
# add their terms to the query with a damped weight (Rocchio).
FEEDBACK_DOCS = 1
FEEDBACK_MIN_COSINE = 0.2
# A match this close is the query itself (or a verbatim copy): it adds no new terms.
FEEDBACK_SELF_COSINE = 0.95
FEEDBACK_WEIGHT = 0.5
# The feedback search needs only its best match: it reads fewer postings.
FEEDBACK_BUDGET = 100_000
# Two results from one reference this similar (fuzz.ratio of normalised text) are one.
DUPLICATE_RATIO = 92.0


@dataclass(frozen=True)
class Spans:
    """Shared character ranges [start, end) in the query and in the suggestion text."""

    query_spans: list[tuple[int, int]] = field(default_factory=list)
    text_spans: list[tuple[int, int]] = field(default_factory=list)


@dataclass(frozen=True)
class Suggestion:
    """One suggested paragraph with where it comes from and what it shares with the query."""

    ref: str
    city: str
    article: int
    paragraph: int
    chapter_title: str
    score: float
    text: str
    spans: Spans

    def to_json(self) -> dict:
        """The CLI's JSON form."""
        return {
            "ref": self.ref,
            "city": self.city,
            "article": self.article,
            "paragraph": self.paragraph,
            "score": self.score,
            "text": self.text,
            "spans": {
                "query": [list(s) for s in self.spans.query_spans],
                "text": [list(s) for s in self.spans.text_spans],
            },
        }


class SuggestionEngine:
    """Suggests reference paragraphs for a query; the index persists with the library."""

    def __init__(self, library: object | None = None, *, corpus: Corpus | None = None) -> None:
        if corpus is None:
            if library is None:
                raise ValueError("need a library or a corpus")
            corpus = _open_library_corpus(library)
        self.corpus = corpus
        self.normalizer: Normalizer = corpus.normalizer
        self._ref_ids = {ref: i for i, ref in enumerate(corpus.refs)}
        self._article_cache: dict[int, str] = {}
        self._article_full_cache: dict[int, str] = {}
        self._topic_cache: dict[int, np.ndarray] = {}

    @classmethod
    def for_library(cls, library: object) -> SuggestionEngine:
        """The engine over a library's references, loading or (re)building its index."""
        return cls(library)

    def ref_ids(self) -> list[str]:
        """The references searched."""
        return list(self.corpus.refs)

    def suggest(
        self,
        query: str,
        *,
        top: int = 10,
        refs: Sequence[str] | None = None,
        chapters: Sequence[str] | None = None,
    ) -> list[Suggestion]:
        """The best paragraphs for a query, best first, near-duplicates collapsed."""
        return self._search(query, top, refs, chapters, per_article=False)

    def rank_articles(
        self, query: str, *, top: int = 10, refs: Sequence[str] | None = None
    ) -> list[Suggestion]:
        """Like suggest, but one result per article (its best paragraph)."""
        return self._search(query, top, refs, None, per_article=True)

    def _allowed(
        self, refs: Sequence[str] | None, chapters: Sequence[str] | None
    ) -> np.ndarray | None:
        corpus = self.corpus
        mask = None
        if refs is not None:
            for ref in refs:
                if ref not in self._ref_ids:
                    raise UnknownReferenceError(ref, list(corpus.refs))
            mask = np.isin(corpus.ref_of, [self._ref_ids[r] for r in refs])
        if chapters is not None:
            wanted = {c.strip() for c in chapters}
            ids = [i for i, title in enumerate(corpus.chapters) if title.strip() in wanted]
            chapter_mask = np.isin(corpus.chapter_of, ids)
            mask = chapter_mask if mask is None else mask & chapter_mask
        return mask

    def _search(
        self,
        query: str,
        top: int,
        refs: Sequence[str] | None,
        chapters: Sequence[str] | None,
        per_article: bool,
    ) -> list[Suggestion]:
        allowed = self._allowed(refs, chapters)
        if top <= 0 or not query or not query.strip():
            return []
        norm, offsets = self.normalizer.normalize_with_offsets(query)
        if len(norm) < 2:
            return []
        best: dict[int, tuple[float, int]] = {}  # paragraph -> (score, window start)
        windows = _windows(len(norm))
        features_of: dict[int, QueryFeatures] = {}
        for start in windows:
            features = QueryFeatures.of(
                norm[start : start + WINDOW if len(windows) > 1 else None],
                self.corpus.index,
                self.corpus.full_terms,
            )
            features_of[start] = features
            if FEEDBACK_DOCS and not features.short and allowed is not None:
                features = self._expanded(features, allowed)
            for position, score in self._rank(features, allowed):
                if position not in best or score > best[position][0]:
                    best[position] = (score, start)
        ranked = sorted(best.items(), key=lambda kv: (-kv[1][0], kv[0]))
        results: list[Suggestion] = []
        kept_norm: dict[int, list[str]] = {}
        seen_groups: set[int] = set()
        for position, (score, start) in ranked:
            group = int(self.corpus.group_of[position])
            if per_article and group in seen_groups:
                continue
            ref_index = int(self.corpus.ref_of[position])
            text_norm = self.corpus.norm_texts[position]
            if any(
                fuzz.ratio(text_norm, other) >= DUPLICATE_RATIO
                for other in kept_norm.get(ref_index, [])
            ):
                continue
            kept_norm.setdefault(ref_index, []).append(text_norm)
            seen_groups.add(group)
            results.append(self._suggestion(position, score, features_of[start], offsets, start))
            if len(results) >= top:
                break
        return results

    def _rank(self, features: QueryFeatures, allowed: np.ndarray | None) -> list[tuple[int, float]]:
        index = self.corpus.index
        if not len(features.known_ids):
            return []
        cosine = index.accumulate(features.known_ids, features.known_weights, POSTINGS_BUDGET)
        if allowed is not None:
            cosine = np.where(allowed, cosine, 0.0)
        count = min(CANDIDATES, int(np.count_nonzero(cosine)))
        if count == 0:
            return []
        candidates = np.argpartition(-cosine, count - 1)[:count]
        scores = score_candidates(features, candidates, cosine[candidates], self)
        return list(zip(candidates.tolist(), scores, strict=False))

    def _expanded(self, features: QueryFeatures, allowed: np.ndarray | None) -> QueryFeatures:
        """The query with the terms of its best matches outside `allowed` added (damped)."""
        index = self.corpus.index
        if not len(features.known_ids):
            return features
        cosine = index.accumulate(features.known_ids, features.known_weights, FEEDBACK_BUDGET)
        if allowed is not None:
            cosine = np.where(allowed, 0.0, cosine)
        cosine = np.where(cosine >= FEEDBACK_SELF_COSINE, 0.0, cosine)
        count = min(FEEDBACK_DOCS * 4, int(np.count_nonzero(cosine >= FEEDBACK_MIN_COSINE)))
        if count == 0:
            return features
        top = np.argpartition(-cosine, count - 1)[:count]
        top = top[np.argsort(-cosine[top], kind="stable")]
        texts = []
        for position in top.tolist():
            text = self.corpus.norm_texts[position]
            if text in features.norm:  # the query itself (or part of it), not a bridge
                continue
            texts.append(text)
            if len(texts) >= FEEDBACK_DOCS:
                break
        if not texts:
            return features
        return features.expanded(texts, index, FEEDBACK_WEIGHT)

    def article_norm(self, group: int) -> str:
        """The normalised text of a whole article without boilerplate (cached)."""
        return _joined(self._article_cache, self.corpus.norm_texts, self.corpus, group)

    def article_topics(self, groups: list[int]) -> np.ndarray:
        """Articles' unit vectors in the latent topic space, one row each (cached)."""
        latent = self.corpus.latent
        missing = [g for g in dict.fromkeys(groups) if g not in self._topic_cache]
        if missing and latent is not None:
            if len(self._topic_cache) > 50_000:
                self._topic_cache.clear()
            vectors = latent.project([self.article_norm(g) for g in missing])
            self._topic_cache.update(zip(missing, vectors, strict=True))
        return np.array([self._topic_cache[g] for g in groups])

    def article_full(self, group: int) -> str:
        """The normalised text of a whole article, subjects kept (cached)."""
        return _joined(self._article_full_cache, self.corpus.full_texts, self.corpus, group)

    def _suggestion(
        self,
        position: int,
        score: float,
        features: QueryFeatures,
        query_offsets: list[tuple[int, int]],
        window_start: int,
    ) -> Suggestion:
        corpus = self.corpus
        text = corpus.texts[position]
        text_norm, text_offsets = self.normalizer.normalize_with_offsets(text)
        query_runs, text_runs = shared_runs(features.norm, text_norm)
        from drafter.matching.normalize import to_spans

        shifted = [(s + window_start, e + window_start) for s, e in query_runs]
        ref_index = int(corpus.ref_of[position])
        return Suggestion(
            ref=corpus.refs[ref_index],
            city=corpus.ref_cities[ref_index],
            article=int(corpus.article_of[position]),
            paragraph=int(corpus.paragraph_of[position]),
            chapter_title=corpus.chapters[int(corpus.chapter_of[position])],
            score=round(float(score), 1),
            text=text,
            spans=Spans(to_spans(query_offsets, shifted), to_spans(text_offsets, text_runs)),
        )


def _joined(cache: dict[int, str], store: TextStore, corpus: Corpus, group: int) -> str:
    """An article's paragraphs from one text store, joined; cached (bounded)."""
    text = cache.get(group)
    if text is None:
        text = "".join(store[i] for i in corpus.group_members(group))
        if len(cache) > 50_000:
            cache.clear()
        cache[group] = text
    return text


def _windows(length: int) -> list[int]:
    """Start offsets of the windows a long query is searched in (one window if short)."""
    if length <= MAX_QUERY:
        return [0]
    last = length - WINDOW
    count = min(MAX_WINDOWS, last // WINDOW + 1)
    return sorted({round(i * last / max(count - 1, 1)) for i in range(count)})


def _open_library_corpus(library: object) -> Corpus:
    """Load the persisted corpus for this library state, building it if missing or stale."""
    # Cities from the listing rows: a warm index opens without loading any reference.
    cities = [r.city for r in library.summaries()]  # type: ignore[attr-defined]
    normalizer = Normalizer(cities)
    signature = normalizer.signature()
    key = cache_key(library.fingerprint(), signature)  # type: ignore[attr-defined]
    root = user_data_dir() / INDEX_DIR_NAME
    directory = root / key
    if (directory / "corpus.json").exists():
        try:
            return Corpus(directory)
        except (OSError, ValueError, KeyError):
            shutil.rmtree(directory, ignore_errors=True)
    try:
        root.mkdir(parents=True, exist_ok=True)
        remove_stale_builds(root)  # folders of builds that were killed
        building = Path(tempfile.mkdtemp(prefix=build_dir_name(), dir=root))
    except OSError:
        # A read-only data directory: suggestions still work, from an index in a
        # temporary folder that lives as long as this process.
        return _temporary_corpus(library, cities)
    Corpus.build(lambda: library_records(library), building, cities)
    for stale in root.iterdir():  # an index for an older library state is never reused
        if stale != building and not stale.name.startswith(("build-", "discard-")):
            shutil.rmtree(stale, ignore_errors=True)
    building.replace(directory)
    return Corpus(directory)


def _temporary_corpus(library: object, cities: list[str]) -> Corpus:
    folder = Path(tempfile.mkdtemp(prefix="drafter-index-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    Corpus.build(lambda: library_records(library), folder / "index", cities)
    return Corpus(folder / "index")
