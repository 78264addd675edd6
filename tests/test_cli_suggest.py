"""`drafter suggest` (single, JSON, batch) and `drafter eval` through the real CLI entry point."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from drafter.cli.main import main

DATA = Path(__file__).parent / "data"


def test_suggest_json_has_the_documented_keys(capsys):
    assert main(["suggest", "--json", "--top", "3", "首席数据官"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert len(found) == 3
    assert set(found[0]) == {"ref", "city", "article", "paragraph", "score", "text", "spans"}
    assert found[0]["ref"] in {"wuxi", "chengdu"}


def test_suggest_text_output_and_ref_filter(capsys):
    assert main(["suggest", "--ref", "haikou", "--top", "2", "政务云"]) == 0
    out = capsys.readouterr().out
    assert "海口市（haikou）" in out and "1. [" in out
    assert "成都市" not in out


def test_unknown_ref_is_a_user_error(capsys):
    assert main(["suggest", "--ref", "nowhere", "数据"]) == 2
    assert "nowhere" in capsys.readouterr().err


def test_empty_query_is_an_error(capsys):
    # The README: an empty query is an error in what you give it (one line, exit 2).
    assert main(["suggest", "--json", "  "]) == 2
    assert capsys.readouterr().err.startswith("drafter: 错误: ")


def test_batch_answers_every_line_in_order(tmp_path, capsys):
    batch = tmp_path / "queries.jsonl"
    lines = [
        json.dumps({"query": "首席数据官", "top": 2}, ensure_ascii=False),
        "{not json",
        json.dumps({"query": "政务云", "refs": ["haikou"]}, ensure_ascii=False),
        json.dumps({"query": "数据", "refs": ["nowhere"]}),
        json.dumps({"query": ""}),
        json.dumps({"top": 3}),
    ]
    batch.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert main(["suggest", "--batch", str(batch)]) == 0
    answers = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(answers) == 6
    assert len(answers[0]) == 2 and answers[0][0]["ref"] in {"wuxi", "chengdu"}
    assert "error" in answers[1]
    assert answers[2] and {a["ref"] for a in answers[2]} == {"haikou"}
    assert "error" in answers[3] and "nowhere" in answers[3]["error"]
    assert answers[4] == []
    assert "error" in answers[5]


def test_eval_prints_engine_and_both_baselines(capsys):
    assert main(["eval", str(DATA / "dev_gold.json")]) == 0
    out = capsys.readouterr().out
    rows = {line.split()[0]: line for line in out.splitlines()}
    assert {"engine", "fuzz.ratio", "bigram"} <= set(rows)
    assert rows["engine"].split()[1] == "1.000"  # V hit@1
    # 查找全文来源 is measured on the same pairs (its own test holds it on every gold file).
    assert "查找全文来源：9 对有可能的来源，首位即对应条文 8 对（hit@1 0.889）；4 对没有" in out


def test_eval_json_has_every_figure_and_the_misses(capsys):
    assert main(["eval", "--json", str(DATA / "gold_holdout.json")]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert set(figures) == {"engine", "fuzz.ratio", "bigram tf-idf", "discovery"}
    assert set(figures["discovery"]) == {"n", "hit@1", "none"}
    engine = figures["engine"]
    assert engine["V"]["n"] == 2 and engine["T"]["n"] == 21 and engine["intents"]["n"] == 5
    # The figures agree with the misses listed: each T search not ranked first is one miss.
    t_misses = [m for m in engine["misses"] if m.startswith("H") and "→" in m]
    assert len(t_misses) == round((1 - engine["T"]["hit@1"]) * 21)


@pytest.mark.parametrize(
    ("content", "named"),
    [
        ("nope", "无法读取评测数据"),
        ('{"pairs": [{"id": "x"}]}', "pairs 第 1 项的 q"),
        (
            '{"pairs": [{"grade": "T", "q": ["wuxi", 1, null], "targets": {"haikou": "1"}}]}',
            "targets",
        ),
        ('{"pairs": [{"grade": "X", "q": ["wuxi", 1, null], "targets": {}}]}', "grade"),
        ('{"intents": [{"q": "首席数据官", "targets": []}]}', "intents 第 1 项"),
        ('{"pairs": [{"grade": "T", "q": ["wuxi", 1, 99], "targets": {"haikou": [1]}}]}', "第99款"),
        (
            '{"pairs": [{"grade": "T", "q": ["wuxi", 999, null], "targets": {"haikou": [1]}}]}',
            "第999条",
        ),
        (
            '{"pairs": [{"grade": "T", "q": ["nowhere", 1, null], "targets": {"wuxi": [1]}}]}',
            "nowhere",
        ),
    ],
)
def test_eval_names_what_is_wrong_with_a_gold_file(tmp_path, capsys, content, named):
    gold = tmp_path / "gold.json"
    gold.write_text(content, encoding="utf-8")
    assert main(["eval", str(gold)]) == 2
    error = capsys.readouterr().err
    assert named in error and "内部错误" not in error
