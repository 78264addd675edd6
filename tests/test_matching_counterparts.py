"""Counterparts of a reference article (the 对照 view's core) on the real references and gold."""

from __future__ import annotations

import json

import pytest

from drafter.errors import DrafterError
from drafter.matching import counterparts
from drafter.matching.counterpart_gold import collect_cases, figures, gold_links
from drafter.matching.counterparts import COUNTERPART_CUT, find_counterparts
from tests.helpers import GOLD_FILES, run_cli

GOLD = GOLD_FILES


def test_counterparts_of_haikou_8_follow_the_gold(bundled_library, bundled_engine):
    columns = find_counterparts(bundled_library, bundled_engine, "haikou", 8)
    assert (columns[0].ref, columns[0].article, columns[0].score) == ("haikou", 8, None)
    assert columns[0].spans  # the selected article shows what it shares too
    by_ref = {c.ref: c for c in columns[1:]}
    assert set(by_ref) == {"yingtan", "chengdu", "jining", "wuxi"}
    gold = gold_links(GOLD)[("haikou", 8)]
    for ref in ("chengdu", "jining", "yingtan"):
        shown = by_ref[ref]
        assert shown.is_counterpart and shown.score >= COUNTERPART_CUT
        assert (ref, shown.article) in gold
        assert shown.text and shown.spans
    # The gold lists no 无锡 article for 海口第八条: its best one stays below the cut.
    assert not any(ref == "wuxi" for ref, _ in gold)
    wuxi = by_ref["wuxi"]
    assert not wuxi.is_counterpart and wuxi.text == "" and wuxi.spans == []
    assert wuxi.nearest is not None and wuxi.score is not None and wuxi.score < COUNTERPART_CUT


def test_a_large_library_compares_the_references_nearest_the_article(
    bundled_library, bundled_engine, monkeypatch
):
    """Past SEARCH_EACH_UP_TO other references (20,000 searched one by one took hours),
    a library-wide search names the nearest COMPARED_AT_MOST; each of those is searched
    alone as before, so its counterpart and score are the ones a small library shows."""
    every = {c.ref: c for c in find_counterparts(bundled_library, bundled_engine, "haikou", 8)}
    monkeypatch.setattr(counterparts, "SEARCH_EACH_UP_TO", 3)
    monkeypatch.setattr(counterparts, "COMPARED_AT_MOST", 2)
    columns = find_counterparts(bundled_library, bundled_engine, "haikou", 8)
    assert columns[0].ref == "haikou" and columns[0].not_compared == 2
    compared = columns[1:]
    assert len(compared) == 2
    scores = [c.score for c in compared]
    assert scores == sorted(scores, reverse=True)  # best first, not in library order
    for column in compared:
        alone = every[column.ref]
        assert (column.article, column.score) == (alone.article, alone.score)
    # The two nearest are the two best of the small library's comparison (成都, 济宁).
    others = [c for ref, c in every.items() if ref != "haikou"]
    best_two = sorted(others, key=lambda c: -(c.score or 0))[:2]
    assert [c.ref for c in compared] == [c.ref for c in best_two] == ["chengdu", "jining"]


def test_the_cut_keeps_gold_counterparts_and_drops_the_rest(bundled_library, bundled_engine):
    cases = collect_cases(bundled_library, bundled_engine, GOLD)
    assert len({c.file for c in cases}) == 5 and len(cases) > 200
    everything = figures(cases, 0.0)
    at_cut = figures(cases, COUNTERPART_CUT)
    # Figures of docs/benchmarks.md (precision 0.980, recall 0.624), with a little slack.
    assert at_cut["precision"] >= 0.95 and everything["precision"] < 0.6
    assert at_cut["recall"] >= 0.58


def test_missing_article_is_an_error(bundled_library, bundled_engine):
    with pytest.raises(DrafterError, match="没有第"):
        find_counterparts(bundled_library, bundled_engine, "haikou", 999)


def test_cli_refs_compare(isolated_user_data):
    result = run_cli(
        "refs", "compare", "haikou", "--article", "8", "--json", data_dir=isolated_user_data
    )
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["cut"] == COUNTERPART_CUT
    places = [(a["ref"], a["article"]) for a in answer["articles"]]
    assert places[0] == ("haikou", 8) and ("chengdu", 7) in places and ("wuxi", None) in places
    text = run_cli("refs", "compare", "haikou", "--article", "8", data_dir=isolated_user_data)
    assert text.returncode == 0
    wuxi = text.stdout[text.stdout.index("无锡市") :]
    assert wuxi.splitlines()[1].startswith("无对应条文")
    missing = run_cli("refs", "compare", "haikou", "--article", "999", data_dir=isolated_user_data)
    assert missing.returncode == 2 and "没有第九百九十九条" in missing.stderr
