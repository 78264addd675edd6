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


# -- batch import ----------------------------------------------------------------------


def _variant(ref_id: str, city: str, number: int, offset: int) -> str:
    """A new regulation from a real reference: every other article of it, under a new title
    and city (no near-duplicate of the bundled one, which keeps all its articles)."""
    from drafter.statute.numerals import to_chinese_numeral as cn
    from tests.helpers import parsed_reference

    articles = list(parsed_reference(ref_id).statute.articles())[offset::2]
    lines = [f"{city}数据资源促进条例（第{number}号）"]
    for n, article in enumerate(articles, 1):
        body = "\n".join(p.text.replace("本市", f"{city}") for p in article.paragraphs)
        lines.append(f"第{cn(n)}条 {body}")
    return "\n".join(lines) + "\n"


@pytest.fixture
def mixed_folder(tmp_path):
    """Three good regulations (one in a sub-folder), a page that is no regulation, a binary
    file, a same-title copy and a near-identical copy (new title, one word changed)."""
    folder = tmp_path / "法规"
    (folder / "更多").mkdir(parents=True)
    first = _variant("haikou", "三亚市", 1, 0)
    (folder / "a.txt").write_text(first, encoding="utf-8")
    (folder / "b.txt").write_text(_variant("wuxi", "常州市", 2, 1), encoding="gb18030")
    (folder / "更多" / "c.html").write_text(
        "<html><body>"
        + "".join(f"<p>{line}</p>" for line in _variant("chengdu", "绵阳市", 3, 0).splitlines())
        + "</body></html>",
        encoding="utf-8",
    )
    (folder / "junk.txt").write_text("足球指数比分\n", encoding="utf-8")
    (folder / "z.docx").write_bytes(b"PK\x03\x04 not really a zip")
    (folder / "notes.md").write_text("ignored: not a regulation suffix", encoding="utf-8")
    (folder / "same-title.txt").write_text(first, encoding="utf-8")
    near = first.replace("三亚市数据资源促进条例（第1号）", "琼海市数据条例", 1)
    near = near.replace("应当", "须", 1)
    (folder / "更多" / "near.txt").write_text(near, encoding="utf-8")
    return folder


def test_folder_import_keeps_good_skips_bad_and_duplicates(isolated_user_data, mixed_folder):
    result = run_cli("refs", "import", str(mixed_folder), data_dir=isolated_user_data)
    assert result.returncode == 0, result.stderr
    summary = result.stdout.strip().splitlines()[-1]
    assert summary.startswith("已导入 3 部，跳过 4 个文件：")
    assert "junk.txt：未找到" in summary and "z.docx：" in summary
    assert "same-title.txt：与已有的 三亚市《三亚市数据资源促进条例（第1号）》" in summary
    assert "更多/near.txt：" in summary and "内容几乎相同" in summary
    assert "不在终端中运行" in result.stdout  # ask without a terminal: skipped, with a note
    # Not a terminal: one plain progress line per file, no control characters.
    assert "导入 1/7 a.txt" in result.stderr and "\r" not in result.stderr
    listing = json.loads(run_cli("refs", "list", "--json", data_dir=isolated_user_data).stdout)
    assert [r["city"] for r in listing[5:]] == ["三亚市", "常州市", "绵阳市"]
    # Again: everything is now a duplicate of the library, nothing imported → exit 2.
    again = run_cli("refs", "import", str(mixed_folder), "--json", data_dir=isolated_user_data)
    assert again.returncode == 2
    assert again.stderr.splitlines()[-1].startswith("drafter: 错误: 没有导入任何法规")
    data = json.loads(again.stdout)
    assert data["total"] == 7 and data["imported"] == [] and not data["cancelled"]
    assert sum(s["duplicate"] for s in data["skipped"]) == 5
    assert {"file", "reason", "duplicate"} == set(data["skipped"][0])


def test_duplicates_import_mode_and_json(isolated_user_data, mixed_folder):
    result = run_cli(
        "refs",
        "import",
        str(mixed_folder),
        "--duplicates",
        "import",
        "--json",
        data_dir=isolated_user_data,
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert len(data["imported"]) == 5 and len(data["skipped"]) == 2
    assert not any(s["duplicate"] for s in data["skipped"])
    assert data["notes"] == []
    skipped = run_cli(
        "refs",
        "import",
        str(mixed_folder / "a.txt"),
        str(mixed_folder / "b.txt"),
        "--duplicates",
        "skip",
        data_dir=isolated_user_data,
    )
    assert skipped.returncode == 2 and "不在终端" not in skipped.stdout + skipped.stderr


def test_single_file_options_refused_for_many(isolated_user_data, mixed_folder):
    for args in (
        (str(mixed_folder), "--city", "三亚市"),
        (str(mixed_folder / "a.txt"), str(mixed_folder / "b.txt"), "--id", "x1"),
    ):
        result = run_cli("refs", "import", *args, data_dir=isolated_user_data)
        assert result.returncode == 2
        assert result.stderr.strip().splitlines() == [
            "drafter: 错误: --city、--title、--id 只能用于单个文件；"
            "导入多个文件或文件夹时由程序从文本识别"
        ]
    one = run_cli(
        "refs",
        "import",
        str(mixed_folder / "a.txt"),
        "--city",
        "三亚市",
        "--id",
        "sanya",
        data_dir=isolated_user_data,
    )
    assert one.returncode == 0 and one.stdout.startswith("已导入 sanya：")
    duplicate = run_cli("refs", "import", str(mixed_folder / "a.txt"), data_dir=isolated_user_data)
    assert duplicate.returncode == 2 and len(duplicate.stderr.strip().splitlines()) == 1
    assert "同名" in duplicate.stderr and "--duplicates import" in duplicate.stderr


def test_near_duplicate_found_in_a_library_imported_before_sketches(
    isolated_user_data, mixed_folder
):
    """A library whose references have no stored sketch (imported by an older version)
    still has its near-identical copies found; the sketches made then are kept."""
    import sqlite3
    from contextlib import closing

    first = run_cli("refs", "import", str(mixed_folder / "a.txt"), data_dir=isolated_user_data)
    assert first.returncode == 0, first.stderr
    database = isolated_user_data / "library.sqlite3"
    with closing(sqlite3.connect(database)) as connection, connection:
        connection.execute("DELETE FROM duplicate_sketch")
        connection.execute("DELETE FROM duplicate_anchor")
    near = run_cli(
        "refs", "import", str(mixed_folder / "更多" / "near.txt"), data_dir=isolated_user_data
    )
    assert near.returncode == 2 and "内容几乎相同" in near.stderr
    with closing(sqlite3.connect(database)) as connection:
        sketched = {row[0] for row in connection.execute("SELECT ref_id FROM duplicate_sketch")}
    assert len(sketched) == 1  # the imported one, sketched when a file of its size came


def test_duplicate_anchors_made_from_sketches_stored_without_them(isolated_user_data, mixed_folder):
    """A library whose sketches were stored before anchors had a table of their own gets
    its anchors from them, keeps them, and still finds a near-identical copy."""
    import sqlite3
    from contextlib import closing

    first = run_cli("refs", "import", str(mixed_folder / "a.txt"), data_dir=isolated_user_data)
    assert first.returncode == 0, first.stderr
    database = isolated_user_data / "library.sqlite3"
    with closing(sqlite3.connect(database)) as connection, connection:
        (sample,) = connection.execute("SELECT sample FROM duplicate_sketch").fetchone()
        (anchors,) = connection.execute("SELECT anchors FROM duplicate_anchor").fetchone()
        connection.execute("DELETE FROM duplicate_anchor")
    assert len(sample) > len(anchors) == 64 and bytes(sample).startswith(bytes(anchors))
    near = run_cli(
        "refs", "import", str(mixed_folder / "更多" / "near.txt"), data_dir=isolated_user_data
    )
    assert near.returncode == 2 and "内容几乎相同" in near.stderr
    with closing(sqlite3.connect(database)) as connection:
        rows = connection.execute("SELECT anchors FROM duplicate_anchor").fetchall()
    assert [bytes(row[0]) for row in rows] == [bytes(anchors)]


def test_duplicate_finder_reads_only_its_candidates_samples(tmp_path):
    """A new batch reads every reference's digest and anchors, and the full samples of a
    file's near-duplicate candidates only (all samples were 49 MB at 20,000 references,
    most of a cold one-file import)."""
    from copy import deepcopy
    from types import SimpleNamespace

    from drafter.library.duplicates import DuplicateFinder, _count
    from drafter.library.store import LibraryStore
    from tests.helpers import parsed_reference

    statutes = {ref: parsed_reference(ref).statute for ref in ("wuxi", "haikou", "chengdu")}
    store = LibraryStore(tmp_path / "library.sqlite3")
    listing: list[tuple[str, str, str, int]] = []

    class Library:
        def __init__(self) -> None:
            self.store = store

        def identities(self):
            return listing

        def get(self, ref_id):
            return SimpleNamespace(statute=statutes[ref_id])

    first = DuplicateFinder(Library())  # type: ignore[arg-type]
    for ref_id, statute in statutes.items():
        first.add(ref_id, ref_id, "某市", statute)  # sketched and kept in the store
        listing.append((ref_id, ref_id, "某市", _count(statute)))
    read: list[list[str]] = []
    samples = store.duplicate_samples
    store.duplicate_samples = lambda ids: read.append(sorted(ids)) or samples(ids)  # type: ignore[method-assign]
    finder = DuplicateFinder(Library())  # type: ignore[arg-type]
    assert len(finder.by_digest) == 3 and all(k.sample is None for k in finder.by_name.values())
    same = statutes["haikou"]
    assert finder.find("另一条例", "他市", _count(same), lambda: same)[1] == "内容相同"
    assert read == []  # the same text is found by its digest alone
    edited = deepcopy(statutes["wuxi"])
    paragraph = next(iter(edited.articles())).paragraphs[0]
    paragraph.text = paragraph.text.replace("智慧", "数字", 1) + "并公布"
    found = finder.find("另一条例", "他市", _count(edited), lambda: edited)
    assert found is not None and found[0].ref_id == "wuxi" and found[1] == "内容几乎相同"
    assert read == [["wuxi"]]  # the one candidate's sample, not the library's
    finder.find("又一条例", "他市", _count(edited), lambda: edited)
    assert read == [["wuxi"]]  # read once, then kept


def test_near_duplicate_found_among_many_by_its_anchors():
    """The anchor index finds a one-word edit among the references, and a reference with
    other articles is not taken for a copy of it."""
    from copy import deepcopy
    from types import SimpleNamespace

    from drafter.library.duplicates import DuplicateFinder
    from tests.helpers import parsed_reference

    statutes = {ref: parsed_reference(ref).statute for ref in ("wuxi", "haikou", "chengdu")}

    class Library:  # what the finder reads of a library without a store
        def identities(self):
            return []

        def get(self, ref_id):
            return SimpleNamespace(statute=statutes[ref_id])

    finder = DuplicateFinder(Library())  # type: ignore[arg-type]
    for ref_id, statute in statutes.items():
        finder.add(ref_id, ref_id, "某市", statute)
    edited = deepcopy(statutes["wuxi"])
    paragraph = next(iter(edited.articles())).paragraphs[0]
    paragraph.text = paragraph.text.replace("智慧", "数字", 1) + "并公布"
    count = sum(1 for _ in edited.articles())
    found = finder.find("另一条例", "他市", count, lambda: edited)
    assert found is not None and found[0].ref_id == "wuxi" and found[1] == "内容几乎相同"
    assert finder.find("另一条例", "他市", count, lambda: statutes["haikou"]) is not None
    assert finder.find("wuxi", "某市", count, lambda: edited)[1].startswith("同名")
    # Near-duplicates are sought only through anchors: without them, nothing is found.
    finder.anchored.clear()
    assert finder.find("另一条例", "他市", count, lambda: edited) is None


def test_files_parsed_ahead_by_workers_import_the_same(tmp_path, monkeypatch, mixed_folder):
    """A large batch has its files read and parsed ahead in worker processes (forced here
    from the first file): the same references, the same refusals and the same messages
    as when this process parses every file."""
    outcomes = []
    for workers in ("0", "2"):
        monkeypatch.setenv("DRAFTER_WORKER_PROCESSES", workers)
        data_dir = tmp_path / f"data-{workers}"
        result = run_cli("refs", "import", str(mixed_folder), "--json", data_dir=data_dir)
        assert result.returncode == 0, result.stderr
        imported = json.loads(result.stdout)
        listing = run_cli("refs", "list", "--json", data_dir=data_dir).stdout
        shown = run_cli("refs", "show", imported["imported"][1]["id"], data_dir=data_dir).stdout
        outcomes.append((imported["imported"], imported["skipped"], listing, shown))
    assert outcomes[0] == outcomes[1]
    assert len(outcomes[0][0]) == 3 and len(outcomes[0][1]) == 4


def test_search_lists_the_references_and_articles_containing_a_text(isolated_user_data):
    """`refs search` finds what the window's search box finds: 首席数据官 is in 成都 第三十条
    and 无锡 第四十四条 of the bundled references."""
    found = run_cli("refs", "search", "首席数据官", data_dir=isolated_user_data)
    assert found.returncode == 0, found.stderr
    lines = found.stdout.splitlines()
    assert lines[0] == "2 部参考法规中有 2 条含“首席数据官”："
    assert lines[1].startswith("chengdu") and lines[1].endswith("第三十条")
    assert lines[2].startswith("wuxi") and lines[2].endswith("第四十四条")
    limited = run_cli(
        "refs", "search", "数据", "--limit", "2", "--json", data_dir=isolated_user_data
    )
    data = json.loads(limited.stdout)
    assert [r["id"] for r in data["references"]] == ["yingtan", "haikou"]
    assert len(data["unlisted"]) == 3 and 2 in data["references"][0]["articles"]
    none = run_cli("refs", "search", "不存在的词语", data_dir=isolated_user_data)
    assert none.returncode == 0 and "没有" in none.stdout
    empty = run_cli("refs", "search", " ", data_dir=isolated_user_data)
    assert empty.returncode == 2 and empty.stderr.startswith("drafter: 错误:")
    assert len(empty.stderr.strip().splitlines()) == 1
