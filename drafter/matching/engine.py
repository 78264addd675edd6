"""Clause suggestions: rank the library's paragraphs (款) against a short intent or a full clause.

Two stages. A candidate stage sums cosine-normalised tf-idf postings of the query's
rarest character bigrams (index.py). A rerank stage scores the few hundred best
candidates on features that see the article around each paragraph (scoring.py).
Near-identical paragraphs from one reference are collapsed to the best of them, and the
rest are shown with what they share with the query (highlight.py). The index searched is
opened, and kept up to date with the library, by library_index.py.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from rapidfuzz import fuzz

from drafter.errors import UnknownReferenceError
from drafter.matching.corpus import Corpus
from drafter.matching.delta import DeltaIndex
from drafter.matching.highlight import shared_spans
from drafter.matching.index import BigramIndex, Sums
from drafter.matching.library_index import open_library_corpus
from drafter.matching.normalize import NormalizedCodes, Normalizer, strip_each
from drafter.matching.scoring import SHORT_QUERY, QueryFeatures, score_candidates
from drafter.matching.segments import SegmentedCorpus, SegmentedIndex
from drafter.matching.suggestion import Spans, Suggestion
from drafter.memory import keep_freed_arrays_in_heap

# Queries longer than this (normalised characters) are searched in windows.
MAX_QUERY = 1200
WINDOW = 400
MAX_WINDOWS = 8
# Postings read per query in the candidate stage, and candidates reranked.
POSTINGS_BUDGET = 400_000
# An intent's common characters (数, 据) occur in a third of the library: past its rarer
# terms they add cost, not candidates (synthetic P@10 and R@10 unchanged at 100,000 and
# 1,000,000 paragraphs with this budget, docs/benchmarks.md; the real gold never reaches it).
SHORT_POSTINGS_BUDGET = 100_000
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
# Articles whose texts (or topic vectors) an engine keeps, of each kind.
_CACHED_ARTICLES = 50_000
# Two results from one reference this similar (fuzz.ratio of normalised text) are one.
DUPLICATE_RATIO = 92.0


class SuggestionEngine:
    """Suggests reference paragraphs for a query; the index persists with the library."""

    def __init__(
        self, library: object | None = None, *, corpus: Corpus | SegmentedCorpus | None = None
    ) -> None:
        keep_freed_arrays_in_heap()
        if corpus is None:
            if library is None:
                raise ValueError("need a library or a corpus")
            corpus = open_library_corpus(library)
        self.corpus = corpus
        self.normalizer: Normalizer = corpus.normalizer
        self._ref_ids = corpus.ref_index()
        # Articles' texts by group, without boilerplate and whole (candidate_texts).
        self._article_cache: dict[int, str] = {}
        self._article_full_cache: dict[int, str] = {}
        self._topic_cache: dict[int, np.ndarray] = {}

    @property
    def index(self) -> BigramIndex | SegmentedIndex:
        """The index searched: the main segment's, or the segmented view over all."""
        index = self.corpus.index
        # A delta segment's corpus is only ever searched through its segmented view.
        assert not isinstance(index, DeltaIndex)
        return index

    @classmethod
    def for_library(cls, library: object) -> SuggestionEngine:
        """The engine over a library's references, loading or (re)building its index."""
        return cls(library)

    def ref_ids(self) -> list[str]:
        """The references searched."""
        return self.corpus.live_refs()

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
        # Paragraphs of removed or replaced references stay in their segment until the
        # next full build; the live mask hides them from every search.
        live = self.corpus.live
        searchable = allowed if live is None else live if allowed is None else allowed & live
        if top <= 0 or not query or not query.strip():
            return []
        query_codes = self.normalizer.codes_with_offsets([query])[0]
        norm = query_codes.codes.tobytes().decode("utf-32-le")
        if len(norm) < 2:
            return []
        best: dict[int, tuple[float, int]] = {}  # paragraph -> (score, window start)
        stripped: dict[int, str] = {}  # paragraph -> its text without boilerplate
        windows = _windows(len(norm))
        features_of: dict[int, QueryFeatures] = {}
        for start in windows:
            features = QueryFeatures.of(
                norm[start : start + WINDOW if len(windows) > 1 else None],
                self.index,
                self.corpus.full_terms,
            )
            features_of[start] = features
            if FEEDBACK_DOCS and not features.short and allowed is not None:
                features = self._expanded(features, allowed)
            for position, score, text in self._rank(features, searchable):
                stripped[position] = text
                if position not in best or score > best[position][0]:
                    best[position] = (score, start)
        ranked = sorted(best.items(), key=lambda kv: (-kv[1][0], kv[0]))
        results: list[tuple[int, float, int]] = []  # (paragraph, score, window start)
        kept_norm: dict[int, list[str]] = {}
        seen_groups: set[int] = set()
        for position, (score, start) in ranked:
            group = int(self.corpus.group_of[position])
            if per_article and group in seen_groups:
                continue
            ref_index = int(self.corpus.ref_of[position])
            text_norm = stripped[position]
            kept = kept_norm.setdefault(ref_index, [])
            if any(fuzz.ratio(text_norm, other) >= DUPLICATE_RATIO for other in kept):
                continue
            kept.append(text_norm)
            seen_groups.add(group)
            results.append((position, score, start))
            if len(results) >= top:
                break
        return self._suggestions(results, features_of, query_codes)

    def _rank(
        self, features: QueryFeatures, allowed: np.ndarray | None
    ) -> list[tuple[int, float, str]]:
        """(paragraph, score, text without boilerplate) of the reranked candidates."""
        if not len(features.known_ids):
            return []
        sums = self.cosines(features)
        cosine = sums.values
        if allowed is not None:
            cosine = np.where(allowed, cosine, 0.0)
        candidates = largest_positive(cosine, CANDIDATES, among=sums.touched)
        if not len(candidates):
            return []
        scores, texts = score_candidates(features, candidates, cosine[candidates], self)
        return list(zip(candidates.tolist(), scores, texts, strict=True))

    def cosines(self, features: QueryFeatures) -> Sums:
        """The candidate stage: per paragraph, its cosine with the query over the terms the
        index reads for it (index.BigramIndex.reading)."""
        budget = SHORT_POSTINGS_BUDGET if features.short else POSTINGS_BUDGET
        return self.index.accumulate(features.known_ids, features.known_weights, budget)

    def _expanded(self, features: QueryFeatures, allowed: np.ndarray | None) -> QueryFeatures:
        """The query with the terms of its best matches outside `allowed` added (damped)."""
        index = self.index
        if not len(features.known_ids):
            return features
        cosine = index.accumulate(
            features.known_ids, features.known_weights, FEEDBACK_BUDGET
        ).values
        if allowed is not None:
            cosine = np.where(allowed, 0.0, cosine)
        if self.corpus.live is not None:
            cosine = np.where(self.corpus.live, cosine, 0.0)
        wanted = (cosine >= FEEDBACK_MIN_COSINE) & (cosine < FEEDBACK_SELF_COSINE)
        cosine = np.where(wanted, cosine, 0.0)
        top = largest_positive(cosine, FEEDBACK_DOCS * 4)
        if not len(top):
            return features
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

    def candidate_texts(
        self, candidates: list[int], *, stripped_articles: bool
    ) -> tuple[list[str], list[int], list[str]]:
        """What the rerank reads: each candidate's text without boilerplate, its article,
        and each distinct article's text (in order of first appearance), without
        boilerplate or whole (each kind cached).

        Each article not cached is decoded once and gives its candidates' texts too, and
        everything is stripped in one pass of the pattern: an intent's forty candidates
        and thirty articles read one by one were a third of its suggest."""
        corpus = self.corpus
        cache = self._article_cache if stripped_articles else self._article_full_cache
        groups = corpus.group_of[candidates].tolist()
        distinct = list(dict.fromkeys(groups))
        pieces: list[str] = []
        read: dict[int, tuple[int, range]] = {}  # article -> (its first piece, its members)
        for group in distinct:
            if group not in cache:
                members = corpus.group_members(group)
                read[group] = (len(pieces), members)
                pieces.extend(corpus.full_texts.between(members.start, members.stop))
        own: list[int] = []  # each candidate's piece
        for position, group in zip(candidates, groups, strict=True):
            if group in read:
                first, members = read[group]
                own.append(first + position - members.start)
            else:
                own.append(len(pieces))
                pieces.append(corpus.full_texts[position])
        if stripped_articles:
            pieces = strip_each(pieces)
            texts = [pieces[i] for i in own]
        else:
            texts = strip_each([pieces[i] for i in own])
        articles = {g: cache[g] for g in distinct if g not in read}
        for group, (first, members) in read.items():
            articles[group] = "".join(pieces[first : first + len(members)])
        if len(cache) + len(read) > _CACHED_ARTICLES:
            cache.clear()
        cache.update((g, articles[g]) for g in read)
        return texts, groups, [articles[g] for g in distinct]

    def article_topics(self, groups: list[int], query: str) -> tuple[np.ndarray, np.ndarray]:
        """Articles' unit vectors in the latent topic space, one row each (cached), and the
        query's, projected together (one gather of the basis rows instead of two)."""
        latent = self.corpus.latent
        assert latent is not None
        missing = [g for g in dict.fromkeys(groups) if g not in self._topic_cache]
        if len(self._topic_cache) + len(missing) > _CACHED_ARTICLES:
            self._topic_cache.clear()
            missing = list(dict.fromkeys(groups))
        # Their texts without boilerplate, read as a rerank reads them (and cached alike).
        firsts = [self.corpus.group_members(g).start for g in missing]
        texts = self.candidate_texts(firsts, stripped_articles=True)[2]
        vectors = latent.project([query, *texts])
        self._topic_cache.update(zip(missing, vectors[1:], strict=True))
        return np.array([self._topic_cache[g] for g in groups]), vectors[0]

    def _suggestions(
        self,
        results: list[tuple[int, float, int]],
        features_of: dict[int, QueryFeatures],
        query: NormalizedCodes,
    ) -> list[Suggestion]:
        """The suggestions for (paragraph, score, window start) results, highlights found
        for all of them at once (one batch per query window)."""
        corpus = self.corpus
        texts = [corpus.texts[position] for position, _, _ in results]
        normalised = self.normalizer.codes_with_offsets(texts)
        spans: list[tuple[list[tuple[int, int]], list[tuple[int, int]]]] = [([], [])] * len(texts)
        for start in dict.fromkeys(s for _, _, s in results):
            members = [i for i, (_, _, s) in enumerate(results) if s == start]
            window = features_of[start].norm
            size = 2 if len(window) <= SHORT_QUERY else 3
            end = start + len(window)
            window_codes = NormalizedCodes(
                query.codes[start:end], query.starts[start:end], query.ends[start:end]
            )
            found = shared_spans(window_codes, [normalised[i] for i in members], size)
            for i, pair in zip(members, found, strict=True):
                spans[i] = pair
        suggestions = []
        for (position, score, _), text, (query_spans, text_spans) in zip(
            results, texts, spans, strict=True
        ):
            ref_index = int(corpus.ref_of[position])
            suggestions.append(
                Suggestion(
                    ref=corpus.refs[ref_index],
                    city=corpus.ref_cities[ref_index],
                    article=int(corpus.article_of[position]),
                    paragraph=int(corpus.paragraph_of[position]),
                    chapter_title=corpus.chapters[int(corpus.chapter_of[position])],
                    score=round(float(score), 1),
                    text=text,
                    spans=Spans(query_spans, text_spans),
                )
            )
        return suggestions


_SAMPLE_STRIDE = 16


def largest_positive(values: np.ndarray, k: int, among: np.ndarray | None = None) -> np.ndarray:
    """Positions of the k largest positive values (every positive one if fewer), in
    increasing order; of equal values at the cut, the first positions.

    The k-th largest of a strided sample is a floor for the k-th largest of all, so only
    the values at or above it are partitioned. Partitioning a million scores took 2–3 ms
    of a short query's 12 at a million paragraphs; this takes well under one.

    `among`, when given, holds every position whose value may be positive (repeats
    allowed: the paragraphs of the postings read). When it is much shorter than `values`,
    only those positions are read: at a million paragraphs an intent's 100,000 postings
    are read in a fifth of the time two passes over the million scores took.
    """
    if among is not None and 4 * len(among) < len(values):
        picked = values[among]
        floor = _sampled_floor(picked, k)
        pool = np.unique(among[picked >= floor]) if floor > 0 else None
        if pool is None or len(pool) < k:  # repeats in the sample can lift the floor too high
            pool = np.unique(among[picked > 0])
    else:
        floor = _sampled_floor(values, k)
        pool = np.flatnonzero(values >= floor) if floor > 0 else np.flatnonzero(values > 0)
    if len(pool) > k:
        found = values[pool]
        cut = np.partition(found, len(found) - k)[len(found) - k]
        above = pool[found > cut]
        pool = np.concatenate([above, pool[found == cut][: k - len(above)]])
        pool.sort()
    return pool


def _sampled_floor(values: np.ndarray, k: int) -> float:
    """The k-th largest of every _SAMPLE_STRIDE-th value (0 when the sample has k or fewer)."""
    sample = values[::_SAMPLE_STRIDE]
    return float(np.partition(sample, len(sample) - k)[len(sample) - k]) if len(sample) > k else 0.0


def _windows(length: int) -> list[int]:
    """Start offsets of the windows a long query is searched in (one window if short)."""
    if length <= MAX_QUERY:
        return [0]
    last = length - WINDOW
    count = min(MAX_WINDOWS, last // WINDOW + 1)
    return sorted({round(i * last / max(count - 1, 1)) for i in range(count)})
