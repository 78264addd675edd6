"""`drafter refs …` in a real subprocess: output, JSON shape, exit codes, no tracebacks."""

from __future__ import annotations

import json

import pytest

from tests.helpers import run_cli


def test_refs_list_json(isolated_user_data):
    result = run_cli("refs", "list", "--json", data_dir=isolated_user_data)
    assert result.returncode == 0, result.stderr
    listing = json.loads(result.stdout)
    assert [(r["id"], r["chapters"], r["articles"]) for r in listing] == [
        ("yingtan", 8, 48),
        ("haikou", 6, 42),
        ("chengdu", 7, 36),
        ("jining", 10, 74),
        ("wuxi", 7, 52),
    ]


def test_refs_list_text(isolated_user_data):
    result = run_cli("refs", "list", data_dir=isolated_user_data)
    assert result.returncode == 0
    assert "海口市" in result.stdout and "6章42条" in result.stdout


def test_refs_show_json_shape(isolated_user_data):
    result = run_cli("refs", "show", "chengdu", "--json", data_dir=isolated_user_data)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    for key in ("id", "city", "title", "status", "dates", "chapters", "explanation"):
        assert key in data
    assert set(data["cleaning_report"]) == {"removed", "replaced", "flagged"}
    chapter = data["chapters"][0]
    assert set(chapter) >= {"number", "title", "inferred", "articles"}
    article = chapter["articles"][5]
    assert set(article) >= {"number", "caption", "paragraphs", "damaged"}
    assert article["number"] == 6 and article["damaged"][0]["paragraph"] == 6
    assert set(article["paragraphs"][0]) == {"text", "items"}
    assert data["explanation"].startswith("为规范和促进智慧蓉城建设")


def test_refs_show_one_article(isolated_user_data):
    result = run_cli("refs", "show", "haikou", "--article", "37", data_dir=isolated_user_data)
    assert result.returncode == 0
    assert result.stdout.startswith(
        "\n第五章　保障措施\n第三十七条　市、区人民政府应当建立网络安全管理制度"
    )
    as_json = json.loads(
        run_cli(
            "refs", "show", "haikou", "--article", "25", "--json", data_dir=isolated_user_data
        ).stdout
    )
    [chapter] = as_json["chapters"]
    [article] = chapter["articles"]
    assert len(article["paragraphs"][0]["items"]) == 6


def test_refs_show_flags_damage_in_plain_text(isolated_user_data):
    result = run_cli("refs", "show", "chengdu", "--article", "6", data_dir=isolated_user_data)
    assert "〖?qū)m椥袆佑媱潯?/p>〗" in result.stdout
    assert "第六条第6款" in result.stdout


@pytest.mark.parametrize(
    "args",
    [
        ("refs", "show", "nosuch"),
        ("refs", "show", "haikou", "--article", "99"),
        ("refs", "remove", "haikou"),
        ("refs", "remove", "nosuch"),
        ("refs", "import", "/nonexistent/file.txt"),
    ],
)
def test_user_errors_exit_2_with_one_line(isolated_user_data, args):
    result = run_cli(*args, data_dir=isolated_user_data)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith("drafter: 错误: ")


def test_import_show_remove_round_trip(isolated_user_data, tmp_path):
    source = tmp_path / "suzhou.txt"
    source.write_text(
        "苏州市数据条例\n第一条 为了规范数据。\n第二条 本条例自2024年1月1日起施行。\n",
        encoding="utf-8",
    )
    imported = run_cli("refs", "import", str(source), "--json", data_dir=isolated_user_data)
    assert imported.returncode == 0, imported.stderr
    assert json.loads(imported.stdout)["id"] == "suzhou"
    listing = json.loads(run_cli("refs", "list", "--json", data_dir=isolated_user_data).stdout)
    assert listing[-1]["city"] == "苏州市" and listing[-1]["origin"] == "imported"
    shown = run_cli("refs", "show", "suzhou", data_dir=isolated_user_data)
    assert "第二条　本条例自2024年1月1日起施行。" in shown.stdout
    assert run_cli("refs", "remove", "suzhou", data_dir=isolated_user_data).returncode == 0
    assert "suzhou" not in run_cli("refs", "list", data_dir=isolated_user_data).stdout


def test_import_of_junk_page_names_file_and_reason(isolated_user_data, tmp_path):
    page = tmp_path / "junk.html"
    page.write_text("<p>足球指数比分</p>", encoding="utf-8")
    result = run_cli("refs", "import", str(page), data_dir=isolated_user_data)
    assert result.returncode == 2
    assert "junk.html" in result.stderr and "第一条" in result.stderr
    assert (
        json.loads(run_cli("refs", "list", "--json", data_dir=isolated_user_data).stdout)[-1]["id"]
        == "wuxi"
    )


def test_correct_and_uncorrect(isolated_user_data):
    result = run_cli(
        "refs",
        "correct",
        "chengdu",
        "--article",
        "6",
        "--paragraph",
        "6",
        "?qū)m椥袆佑媱潯?/p>",
        "专项行动计划。",
        data_dir=isolated_user_data,
    )
    assert result.returncode == 0, result.stderr
    shown = run_cli("refs", "show", "chengdu", "--article", "6", data_dir=isolated_user_data).stdout
    assert "本区域专项行动计划。" in shown and "〖" not in shown
    original = run_cli(
        "refs", "show", "chengdu", "--article", "6", "--original", data_dir=isolated_user_data
    ).stdout
    assert "〖?qū)m" in original
    assert run_cli("refs", "uncorrect", "1", data_dir=isolated_user_data).returncode == 0
    assert (
        "〖"
        in run_cli("refs", "show", "chengdu", "--article", "6", data_dir=isolated_user_data).stdout
    )


def test_version(isolated_user_data):
    result = run_cli("--version", data_dir=isolated_user_data)
    assert result.returncode == 0 and result.stdout.startswith("drafter ")
