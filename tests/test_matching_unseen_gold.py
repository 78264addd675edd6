"""Suggestion quality on correspondences no change was tuned on: the held-out and the fresh gold.

gold_holdout.json (2026-11) and gold_fresh.json (2026-12-02) were read from the references
without consulting the engine or any similarity measure. Each was evaluated once before
and once after each change of the engine, never used to choose a change
(docs/benchmarks.md, "Suggestions (issue 3)"). The figures asserted are the ones reached
(floors that catch regressions). Issue 3's grade-T target, hit@1 >= 0.92, is not reached
on them: the strict xfail below turns into a failure, to be promoted, the day it is.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from drafter.library import ReferenceLibrary
from drafter.matching.baselines import TfidfBaseline
from drafter.matching.corpus import library_records
from drafter.matching.evaluation import engine_ranker, evaluate, load_gold
from tests.helpers import engine_in_data_dir

DATA = Path(__file__).parent / "data"
UNSEEN = {"holdout": DATA / "gold_holdout.json", "fresh": DATA / "gold_fresh.json"}
T_HIT1_FLOOR = {"holdout": 0.80, "fresh": 0.80}


@pytest.fixture(scope="module")
def figures(tmp_path_factory) -> dict[str, dict[str, dict]]:
    data_dir = tmp_path_factory.mktemp("unseen-gold-data")
    library = ReferenceLibrary(data_dir)
    engine = engine_in_data_dir(library, data_dir)
    tfidf = TfidfBaseline(list(library_records(library)))
    result: dict[str, dict[str, dict]] = {}
    for name, path in {**UNSEEN, "both": None}.items():
        gold = load_gold(list(UNSEEN.values()) if path is None else [path])
        result[name] = {
            "engine": evaluate(library, gold, engine_ranker(engine)),
            "tfidf": evaluate(library, gold, tfidf.rank),
        }
    return result


def test_fresh_gold_is_new_and_well_formed():
    fresh = json.loads(UNSEEN["fresh"].read_text(encoding="utf-8"))
    grades = [p["grade"] for p in fresh["pairs"]]
    assert grades.count("V") >= 5 and grades.count("T") >= 20 and len(fresh["intents"]) >= 5
    others = load_gold(
        [DATA / n for n in ("dev_gold.json", "gold_extra.json", "gold_review.json")]
        + [UNSEEN["holdout"]]
    )
    used = {tuple(p["q"][:2]) for p in others.pairs}
    assert not {tuple(p["q"][:2]) for p in fresh["pairs"]} & used
    for pair in fresh["pairs"]:
        assert pair["q"][0] not in pair["targets"], pair["id"]


@pytest.mark.parametrize("name", list(UNSEEN))
def test_v_and_intent_targets_met(figures, name):
    ours = figures[name]["engine"]
    assert ours["V"]["hit@1"] == 1.0, ours["misses"]
    assert ours["intents"]["recall@10"] >= 0.95, ours["misses"]


@pytest.mark.parametrize("name", list(UNSEEN))
def test_grade_t_floor_and_above_tfidf(figures, name):
    ours, theirs = figures[name]["engine"], figures[name]["tfidf"]
    assert ours["T"]["hit@1"] >= T_HIT1_FLOOR[name], ours["misses"]
    assert ours["T"]["hit@1"] > theirs["T"]["hit@1"]
    assert ours["T"]["MRR"] > theirs["T"]["MRR"]


@pytest.mark.xfail(
    strict=True,
    reason="issue 3: grade-T hit@1 on unseen paraphrases is 0.81, target 0.92 "
    "(docs/benchmarks.md: the misses are same-topic neighbours and paraphrases)",
)
def test_grade_t_target_on_unseen_gold(figures):
    assert figures["both"]["engine"]["T"]["hit@1"] >= 0.92
