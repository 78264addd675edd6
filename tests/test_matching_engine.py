"""The suggestion engine over the real library, and its evaluation against the dev gold."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from drafter.errors import UnknownReferenceError
from drafter.library import ReferenceLibrary
from drafter.matching.baselines import RatioBaseline, TfidfBaseline
from drafter.matching.corpus import library_records
from drafter.matching.engine import SuggestionEngine
from drafter.matching.evaluation import engine_ranker, evaluate, load_gold
from drafter.matching.library_index import INDEX_DIR_NAME

DATA = Path(__file__).parent / "data"


@pytest.fixture
def library(bundled_library) -> ReferenceLibrary:
    return bundled_library


@pytest.fixture
def engine(bundled_engine) -> SuggestionEngine:
    return bundled_engine


def test_intent_finds_the_chief_data_officer_articles(engine):
    found = engine.suggest("首席数据官制度", top=5)
    assert {(s.ref, s.article) for s in found[:3]} >= {("wuxi", 44), ("chengdu", 30)}
    first = found[0]
    assert 0 < first.score <= 100
    assert first.city == "无锡市" and first.chapter_title
    assert first.paragraph >= 1
    start, end = first.spans.text_spans[0]
    assert "首席数据官" in first.text[start:end]


def test_a_copied_clause_comes_first_with_spans_in_both_texts(engine, library):
    query = library.get("haikou").statute.article(37).text()
    found = engine.suggest(query, top=3, refs=["chengdu"])
    assert (found[0].ref, found[0].article) == ("chengdu", 29)
    assert found[0].score > found[1].score
    assert found[0].spans.query_spans and found[0].spans.text_spans
    for start, end in found[0].spans.query_spans:
        assert 0 <= start < end <= len(query)


def test_traditional_script_and_another_city_name_score_the_same(engine):
    simplified = engine.suggest("海口市建立首席数据官制度", top=3)
    traditional = engine.suggest("成都市建立首席數據官制度", top=3)
    assert [(s.ref, s.article, s.score) for s in simplified] == [
        (s.ref, s.article, s.score) for s in traditional
    ]


def test_filters_by_reference_and_chapter(engine, library):
    found = engine.suggest("数据共享", top=20, refs=["jining", "wuxi"])
    assert found and {s.ref for s in found} <= {"jining", "wuxi"}
    chapter = library.get("jining").statute.chapters[3].title
    found = engine.suggest("数据共享", top=20, chapters=[chapter])
    assert found and {s.chapter_title for s in found} == {chapter}


def test_near_identical_paragraphs_of_one_reference_are_collapsed(engine):
    found = engine.suggest("信息基础设施建设共享", top=30)
    texts = [(s.ref, s.text) for s in found]
    assert len(texts) == len(set(texts))


def test_bad_queries(engine):
    assert engine.suggest("") == []
    assert engine.suggest("   \n ") == []
    assert engine.suggest("数据", top=0) == []
    with pytest.raises(UnknownReferenceError):
        engine.suggest("数据", refs=["nowhere"])
    long_query = "市人民政府应当推进政务数据共享，" * 6000  # about 100 KB
    assert len(engine.suggest(long_query, top=3)) == 3


def test_index_persists_and_is_reused(library):
    first = SuggestionEngine.for_library(library)
    directory = first.corpus.directory
    assert directory.parent.name == INDEX_DIR_NAME
    marker = directory / "corpus.json"
    stamp = marker.stat().st_mtime_ns
    second = SuggestionEngine.for_library(library)
    assert second.corpus.directory == directory
    assert marker.stat().st_mtime_ns == stamp


def test_dev_gold_targets_and_baselines(engine, library):
    gold = load_gold([DATA / "dev_gold.json"])
    ours = evaluate(library, gold, engine_ranker(engine))
    assert ours["V"]["hit@1"] == 1.0
    assert ours["T"]["hit@1"] >= 0.92
    assert ours["intents"]["recall@10"] >= 0.95
    records = list(library_records(library))
    for baseline in (RatioBaseline(records), TfidfBaseline(records)):
        theirs = evaluate(library, gold, baseline.rank)
        for group in ("V", "T", "intents"):
            for figure in ("hit@1", "MRR", "recall@10"):
                if figure in ours[group]:
                    assert ours[group][figure] >= theirs[group][figure], (group, figure)
        assert ours["T"]["MRR"] > theirs["T"]["MRR"]


def test_an_intent_reads_its_rarer_terms_within_the_short_budget(engine, monkeypatch):
    """An intent's candidates come from at most SHORT_POSTINGS_BUDGET postings (its
    common characters are left out first); a clause keeps the larger budget."""
    from drafter.matching import engine as engine_module
    from drafter.matching.scoring import QueryFeatures

    def terms_read(query: str) -> int:
        features = QueryFeatures.of(
            engine.normalizer.normalize(query), engine.index, engine.corpus.full_terms
        )
        index = engine.index
        budget = (
            engine_module.SHORT_POSTINGS_BUDGET if features.short else engine_module.POSTINGS_BUDGET
        )
        chosen = index.reading(features.known_ids, features.known_weights, budget)
        expected = index.accumulate_terms(
            features.known_ids[chosen], features.known_weights[chosen]
        )
        assert np.array_equal(engine.cosines(features).values, expected.values)
        return len(chosen)

    intent, clause = (
        "公共数据开放平台",
        "市人民政府应当建立公共数据开放平台，推动公共数据有序开放。" * 2,
    )
    everything = terms_read(intent), terms_read(clause)
    monkeypatch.setattr(engine_module, "SHORT_POSTINGS_BUDGET", 1)
    assert terms_read(intent) == 4 < everything[0]  # the four heaviest, no more
    assert terms_read(clause) == everything[1]
