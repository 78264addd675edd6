"""`drafter edit FILE ACTION …` in real subprocesses on real project files made by `drafter new`."""

from __future__ import annotations

import json
import os
import socket
from pathlib import Path

from drafter.draft.project_file import load_project
from tests.helpers import run_cli

REALISTIC = Path(__file__).parent / "data" / "drafts" / "realistic_draft.txt"
TITLE = "某市智慧城市促进条例"


def _new(tmp_path: Path, *source: str) -> Path:
    path = tmp_path / "d.drafter.json"
    args = source or ("--title", TITLE, "--city", "某市")
    result = run_cli("new", *args, "-o", str(path), data_dir=tmp_path / "data")
    assert result.returncode == 0, result.stderr
    return path


def _edit(path: Path, *args: str, input_text: str | None = None) -> dict | str:
    """Run one edit action that must succeed; its JSON when asked for, else its output."""
    result = run_cli("edit", str(path), *args, data_dir=path.parent / "data", input_text=input_text)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout) if "--json" in args else result.stdout


def _show(path: Path) -> list[dict]:
    """The articles of `drafter show --json`, across chapters."""
    result = run_cli("show", str(path), "--json", data_dir=path.parent / "data")
    assert result.returncode == 0, result.stderr
    return [a for c in json.loads(result.stdout)["chapters"] for a in c["articles"]]


def _texts(article: dict) -> list[str]:
    return [p["text"] for p in article["paragraphs"]]


def _labels(change: dict) -> list[str]:
    return [r["label"] for r in change["renumbered"]]


def test_cross_reference_follows_its_target_through_insert_move_and_delete(tmp_path):
    path = _new(tmp_path)
    _edit(path, "insert-article", "--chapter", "1", "为了促进智慧城市建设，制定本条例。")
    _edit(path, "insert-article", "--chapter", "1", "--caption", "定义", "本条例所称智慧城市。")
    out = _edit(path, "insert-article", "--chapter", "3", "违反本条例第二条规定的，责令改正。")
    assert out.startswith("插入第三条") and "已保存" in out
    # A new 第一条 with two 款, the second with 项: everything after it moves up one.
    text = "第一款。\n第二款：\n（一）甲；\n（二）乙。"
    change = _edit(path, "insert-article", "--before-article", "1", "--json", text)
    assert change["kind"] == "insert_article" and change["summary"] == "插入第一条"
    assert change["inserted"] == [1] and change["modified"] == [4]  # the citation's text
    assert _labels(change) == ["第一条 → 第二条", "第二条 → 第三条", "第三条 → 第四条"]
    assert change["backup"].endswith(".bak")
    # The citing article moves across chapters to the front.
    change = _edit(path, "move-article", "4", "--chapter", "1", "--position", "1", "--json")
    assert _labels(change) == [
        "第四条 → 第一条",
        "第一条 → 第二条",
        "第二条 → 第三条",
        "第三条 → 第四条",
    ]
    # Deleting 为了… (now 第三条) brings the target back to 第三条.
    change = _edit(path, "delete-article", "3", "--json")
    assert change["removed"] == [3] and _labels(change) == ["第四条 → 第三条"]
    assert change["modified"] == [1] and "dangling" not in change
    articles = _show(path)
    assert [a["number"] for a in articles] == [1, 2, 3]
    assert _texts(articles[0]) == ["违反本条例第三条规定的，责令改正。"]
    assert articles[1]["paragraphs"][1] == {"text": "第二款：", "items": ["甲；", "乙。"]}
    assert articles[2]["caption"] == "定义" and _texts(articles[2]) == ["本条例所称智慧城市。"]
    # Deleting the target flags the citation, and check --strict fails on it.
    change = _edit(path, "delete-article", "3", "--json")
    assert [(d["article"], d["text"], d["status"]) for d in change["dangling"]] == [
        (1, "第三条", "dangling")
    ]
    check = run_cli("check", str(path), "--strict", "--json", data_dir=tmp_path / "data")
    assert check.returncode == 1
    assert "reference_dangling" in {r["code"] for r in json.loads(check.stdout)}


def test_adopt_localises_records_provenance_and_links_source_citations(tmp_path):
    path = _new(tmp_path)
    change = _edit(path, "adopt", "chengdu", "1", "--as", "new", "--chapter", "1", "--json")
    assert change["inserted"] == [1]
    assert {(r["from"], r["to"]) for r in change["replacements"]} == {
        ("智慧蓉城", "智慧城市"),
        ("成都市", "本市"),
    }
    change = _edit(path, *"adopt haikou 8 --ref-paragraph 2 --as new --chapter 2 --json".split())
    assert change["inserted"] == [2] and change["citations"] == []
    change = _edit(path, *"adopt haikou 5 --ref-paragraph 2 --as append --article 2 --json".split())
    assert change["modified"] == [2] and "第二条第二款" in change["summary"]
    assert any("市大数据发展部门" in note for note in change["notes"])
    # 鹰潭第四十三条 cites its own 第十六条: unresolved until linked.
    out = _edit(path, "adopt", "yingtan", "43", "--as", "new", "--chapter", "3")
    assert "采纳yingtan第四十三条为第三条" in out and "原引 yingtan 第十六条" in out
    refs = _edit(path, "refs", "--unresolved", "--json")
    assert [
        (r["article"], r["index"], r["text"], r["status"], r["source_article"]) for r in refs
    ] == [(3, 1, "第十六条", "unresolved", 16)]
    change = _edit(path, "link", "3", "--ref", "1", "--to-article", "2", "--json")
    assert change["modified"] == [3] and change["summary"] == "第三条第1处引用已关联到第二条"
    change = _edit(
        path,
        *"adopt haikou 8 --ref-paragraph 1 --as replace --article 2 --paragraph 1 --json".split(),
    )
    assert "替换第二条第一款" in change["summary"]

    first, second, third = _show(path)
    text = _texts(first)[0]
    assert "结合本市实际" in text and "智慧城市建设" in text
    assert "成都" not in text and "蓉城" not in text
    assert [(p["ref"], p["article"], p["state"]) for p in first["provenance"]] == [
        ("chengdu", 1, "adopted")
    ]
    assert _texts(second) == [
        "市信息化行政主管部门应当推进杆路、管道、机房、国际海缆等信息基础设施共建共享。",
        "市大数据发展部门负责组织实施智慧城市发展规划，制定并组织实施智慧城市管理制度，"
        "编制智慧城市项目建设实施计划，推进智慧城市项目建设和管理。",
    ]
    sources = {
        (p["ref"], p["article"], p["paragraph"], p["draft_paragraph"]): p
        for p in second["provenance"]
    }
    # Each adopted 款 is recorded on its 款 (the article-level link of the first adoption stays).
    assert {("haikou", 5, 2, 1), ("haikou", 8, 1, 0)} <= set(sources)
    assert sources[("haikou", 8, 1, 0)]["label"] == sources[("haikou", 5, 2, 1)]["label"] == "照搬"
    assert second["label"] == "照搬"
    assert _texts(third)[0].startswith("违反本条例第二条规定，信息基础设施经营者")


def test_split_and_merge_round_trip_keeps_citations_bound(tmp_path):
    path = _new(tmp_path)
    _edit(path, "insert-article", "--chapter", "1", "为了促进智慧城市建设，制定本条例。")
    original = "市人民政府应当加强领导。有关部门应当依照本条例第一条做好相关工作。"
    _edit(path, "insert-article", "--chapter", "1", original)
    change = _edit(path, "split", "2", "--after", "加强领导。", "--json")
    assert change["summary"] == "拆分第二条第一款" and change["modified"] == [2]
    # The citation now sits in the second 款 and still follows its target.
    _edit(path, "insert-article", "--before-article", "1", "本条例适用于本市。")
    assert _texts(_show(path)[2]) == [
        "市人民政府应当加强领导。",
        "有关部门应当依照本条例第二条做好相关工作。",
    ]
    change = _edit(path, "merge", "3", "--paragraph", "1", "--json")
    assert change["summary"] == "合并第三条第一款和第二款"
    _edit(path, "split", "3", "--at", "12")
    merged = _edit(path, "merge", "3", "--json")
    assert merged["modified"] == [3]
    assert _texts(_show(path)[2]) == [original.replace("第一条", "第二条")]


def test_confirm_and_reject_discovered_sources(tmp_path):
    path = _new(tmp_path, "--from", str(REALISTIC))
    pending = {(p["ref"], p["article"], p["state"]) for p in _show(path)[0]["provenance"]}
    assert {("jining", 1, "suggested"), ("yingtan", 1, "suggested")} <= pending
    change = _edit(path, "confirm", "1", "jining", "1", "--json")
    assert change["summary"] == "第一条：确认来源 jining 第1条" and change["modified"] == [1]
    _edit(path, "reject", "1", "yingtan", "1")
    first = _show(path)[0]
    states = {(p["ref"], p["article"]): p["state"] for p in first["provenance"]}
    assert states[("jining", 1)] == "confirmed" and ("yingtan", 1) not in states
    assert first["label"] == "照搬"
    # Discovery again: the rejected source is not proposed a second time.
    found = _edit(path, "discover", "--json")
    assert not any(p["article"] == 1 and p["ref"] == "yingtan" for p in found["pending"])
    draft = load_project(path)
    links = draft.provenance[next(draft.articles()).uid]
    assert ("yingtan", 1, "rejected") in {(x.ref, x.article, x.state) for x in links}
    # The rest of article 1's proposals at once, once its source is confirmed.
    left = [p for p in _show(path)[0]["provenance"] if p["state"] == "suggested"]
    assert left
    change = _edit(path, "reject", "1", "--all", "--json")
    assert change["summary"] == f"第一条：否定{len(left)}个待确认的来源"
    states = {(p["ref"], p["article"]): p["state"] for p in _show(path)[0]["provenance"]}
    assert states[("jining", 1)] == "confirmed" and "suggested" not in states.values()


def test_chapters_meta_explanation_and_paragraph_actions(tmp_path):
    path = _new(tmp_path)
    change = _edit(path, "add-chapter", "信息基础设施", "--at", "2", "--json")
    assert change["inserted_chapters"] == [2]
    assert _labels(change) == ["第二章 → 第三章", "第三章 → 第四章", "第四章 → 第五章"]
    _edit(path, "rename-chapter", "2", "信息基础设施建设")
    change = _edit(path, "move-chapter", "2", "--to", "3", "--json")
    assert _labels(change) == ["第三章 → 第二章", "第二章 → 第三章"]
    _edit(
        path,
        "insert-article",
        "--chapter",
        "3",
        "-",
        input_text="推进下列建设：\n（一）甲；\n（二）乙。\n",
    )
    _edit(path, "edit", "1", "--item", "2", "丙。")
    _edit(path, "add-paragraph", "1", "第二款。")
    _edit(path, "add-paragraph", "1", "--at", "1", "新的第一款。")
    _edit(path, "delete-paragraph", "1", "--paragraph", "3")
    _edit(path, "caption", "1", "建设内容")
    _edit(path, "set-meta", "--status", "征求意见稿", "--title", "某市智慧城市条例")
    _edit(path, "explanation", "一、立法的必要性", "为了……")
    change = _edit(path, "delete-chapter", "4", "--json")
    assert change["removed_chapters"] == [4] and _labels(change) == ["第五章 → 第四章"]
    draft = load_project(path)
    assert (draft.title, draft.status) == ("某市智慧城市条例", "征求意见稿")
    assert [c.title for c in draft.chapters] == ["总则", "保障措施", "信息基础设施建设", "附则"]
    article = next(draft.articles())
    assert article.caption == "建设内容"
    assert [p.to_json() for p in article.paragraphs] == [
        {"text": "新的第一款。", "items": []},
        {"text": "推进下列建设：", "items": ["甲；", "丙。"]},
    ]
    assert [(s.title, s.text) for s in draft.explanation] == [("一、立法的必要性", "为了……")]


def test_bad_input_exits_2_and_leaves_the_file_untouched(tmp_path):
    path = _new(tmp_path)
    _edit(path, "insert-article", "--chapter", "1", "为了促进智慧城市建设，制定本条例。")
    before = path.read_bytes()
    backup = path.with_name(path.name + ".bak").read_bytes()
    cases = [
        (["delete-article", "9"], "没有第九条"),
        (["insert-article", "--chapter", "9", "文字。"], "没有第九章"),
        (["edit", "1", "--paragraph", "3", "文字。"], "没有第三款"),
        (["split", "1", "--at", "999"], "拆分位置超出"),
        (["merge", "1"], "没有可合并的款"),
        (["move-chapter", "1", "--to", "9"], "位置超出范围"),
        (["adopt", "nowhere", "1", "--as", "new", "--chapter", "1"], "未知的参考法规编号"),
        (["adopt", "haikou", "999", "--as", "new", "--chapter", "1"], "haikou 没有第九百九十九条"),
        (
            ["adopt", "haikou", "8", "--ref-paragraph", "5", "--as", "new", "--chapter", "1"],
            "没有第五款",
        ),
        (["link", "1", "--ref", "1", "--to-article", "1"], "没有第1处引用"),
        (["confirm", "1", "haikou", "3"], "没有待确认的来源"),
        (["reject", "1", "--all"], "第一条没有待确认的来源"),
        (["reject", "1"], "请给出 REF_ID REF_ARTICLE"),
        (["reject", "1", "haikou", "3", "--all"], "只能给出其一"),
    ]
    for args, message in cases:
        result = run_cli("edit", str(path), *args, data_dir=tmp_path / "data")
        assert result.returncode == 2, (args, result.stdout)
        assert result.stderr.strip().count("\n") == 0 and message in result.stderr, result.stderr
        assert path.read_bytes() == before, args
    assert path.with_name(path.name + ".bak").read_bytes() == backup
    usage = run_cli("edit", str(path), "delete-article", "零", data_dir=tmp_path / "data")
    assert usage.returncode == 2 and path.read_bytes() == before

    lock = path.with_name(path.name + ".lock")
    owner = {"pid": os.getpid(), "host": socket.gethostname(), "since": "now"}
    lock.write_text(json.dumps(owner), encoding="utf-8")
    result = run_cli("edit", str(path), "delete-article", "1", data_dir=tmp_path / "data")
    assert result.returncode == 2 and "已在别处打开" in result.stderr
    assert path.read_bytes() == before and json.loads(lock.read_text(encoding="utf-8")) == owner
    lock.unlink()

    damaged = tmp_path / "damaged.drafter.json"
    damaged.write_bytes(before[: len(before) // 2])
    newer = tmp_path / "newer.drafter.json"
    newer.write_bytes(before.replace(b'"version": 2', b'"version": 99', 1))
    for file, message in ((damaged, "已损坏"), (newer, "较新版本")):
        content = file.read_bytes()
        result = run_cli("edit", str(file), "delete-article", "1", data_dir=tmp_path / "data")
        assert result.returncode == 2 and message in result.stderr, result.stderr
        assert file.read_bytes() == content
        assert not file.with_name(file.name + ".lock").exists()
