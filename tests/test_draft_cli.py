"""`drafter new | show | check` on real files, including a draft built from reference clauses."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from drafter.cli.main import main
from drafter.draft.project_file import load_project

REALISTIC = Path(__file__).parent / "data" / "drafts" / "realistic_draft.txt"


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_new_with_standard_skeleton_then_show_and_check(tmp_path, capsys):
    path = tmp_path / "d.drafter.json"
    code, out, _ = _run(
        capsys, "new", "--title", "某市智慧城市促进条例", "--city", "某市", "-o", str(path)
    )
    assert code == 0 and "已创建" in out
    code, out, _ = _run(capsys, "show", str(path), "--json")
    data = json.loads(out)
    assert data["title"] == "某市智慧城市促进条例" and data["city"] == "某市"
    assert [c["title"] for c in data["chapters"]] == ["总则", "保障措施", "法律责任", "附则"]
    assert [c["number"] for c in data["chapters"]] == [1, 2, 3, 4]
    code, out, _ = _run(capsys, "check", str(path), "--json")
    codes = {r["code"] for r in json.loads(out)}
    assert {"empty_chapter", "missing_commencement"} <= codes
    assert not path.with_name(path.name + ".lock").exists()


def test_new_skeleton_from_a_reference(tmp_path, capsys):
    path = tmp_path / "d.drafter.json"
    code, _, _ = _run(
        capsys,
        "new",
        "--title",
        "某市智慧城市促进条例",
        "--city",
        "某市",
        "--skeleton",
        "jining",
        "-o",
        str(path),
    )
    assert code == 0
    titles = [c.title for c in load_project(path).chapters]
    assert titles[0] == "总则" and titles[-2:] == ["法律责任", "附则"] and len(titles) == 10


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--title", "某市条例", "--city", "某市", "--skeleton", "nowhere"], "未知的参考法规编号"),
        (["--title", "某市条例"], "--city"),
        (["--from", "missing.txt"], "missing.txt"),
    ],
)
def test_new_bad_input_exits_2(tmp_path, capsys, argv, message):
    path = tmp_path / "d.drafter.json"
    code, _, err = _run(capsys, "new", *argv, "-o", str(path))
    assert code == 2 and message in err
    assert not path.exists()


def test_new_refuses_to_overwrite_without_force(tmp_path, capsys):
    path = tmp_path / "d.drafter.json"
    path.write_text("precious", encoding="utf-8")
    code, _, err = _run(capsys, "new", "--title", "某市条例", "--city", "某市", "-o", str(path))
    assert code == 2 and "--force" in err
    assert path.read_text(encoding="utf-8") == "precious"
    code, _, _ = _run(
        capsys, "new", "--title", "某市条例", "--city", "某市", "-o", str(path), "--force"
    )
    assert code == 0
    assert path.with_name(path.name + ".bak").read_text(encoding="utf-8") == "precious"


def test_show_and_check_refuse_damaged_files_unchanged(tmp_path, capsys):
    path = tmp_path / "d.drafter.json"
    path.write_bytes(b'{"format": "drafter-draft", "version": 1, "dra')
    for command in ("show", "check"):
        code, _, err = _run(capsys, command, str(path))
        assert code == 2 and "JSON 内容已损坏" in err
    assert path.read_bytes() == b'{"format": "drafter-draft", "version": 1, "dra'


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    """The realistic draft imported once through the CLI (with provenance discovery)."""
    folder = tmp_path_factory.mktemp("imported")
    source = folder / "草案.txt"
    shutil.copyfile(REALISTIC, source)
    path = folder / "d.drafter.json"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DRAFTER_DATA_DIR", str(folder / "user-data"))
        assert main(["new", "--from", str(source), "-o", str(path)]) == 0
    return path


def test_import_yields_the_structure(imported, capsys):
    code, out, _ = _run(capsys, "show", str(imported), "--json")
    assert code == 0
    data = json.loads(out)
    assert data["title"] == "某市智慧城市促进条例" and data["city"] == "某市"
    assert [c["title"] for c in data["chapters"]] == ["总则", "建设与应用", "法律责任", "附则"]
    numbers = [a["number"] for c in data["chapters"] for a in c["articles"]]
    assert numbers == list(range(1, 13))
    second = data["chapters"][0]["articles"][1]
    assert len(second["paragraphs"]) == 2


def test_import_finds_the_right_top_sources(imported, capsys):
    _, out, _ = _run(capsys, "show", str(imported), "--json")
    articles = [a for c in json.loads(out)["chapters"] for a in c["articles"]]
    top = {
        a["number"]: (a["provenance"][0]["ref"], a["provenance"][0]["article"])
        for a in articles
        if a["provenance"]
    }
    assert top[1] == ("jining", 1)
    assert top[2] == ("haikou", 2)
    assert top[3] == ("haikou", 3)
    assert top[4] == ("haikou", 5)
    assert top[5] == ("yingtan", 12)
    assert top[6] == ("yingtan", 16)
    assert top[7] == ("chengdu", 33)
    assert top[9] == ("yingtan", 43)
    assert top[11] == ("jining", 73)
    assert 8 not in top  # written from scratch
    assert articles[7]["label"] == "新增"
    assert articles[0]["provenance"][0]["label"] == "照搬"
    assert articles[2]["provenance"][0]["label"] in ("照搬", "修改")
    assert all(p["state"] == "suggested" for a in articles for p in a["provenance"])


def test_import_flags_leftovers_and_placeholders(imported, capsys):
    _, out, _ = _run(capsys, "check", str(imported), "--json")
    results = json.loads(out)
    found = {(r["code"], r["article"]) for r in results}
    assert ("local_other_document", 5) in found  # 鹰府发[2017]11号
    assert ("local_city_label", 7) in found  # 智慧蓉城
    assert ("local_local_body", 4) in found  # 市大数据发展部门
    assert ("local_other_city", 11) in found  # 济宁
    assert ("local_regional_name", 11) in found  # 太白湖新区
    assert ("placeholder", 12) in found
    placeholder = next(r for r in results if r["code"] == "placeholder")
    assert placeholder == {
        "code": "placeholder",
        "severity": "error",
        "chapter": 4,
        "article": 12,
        "paragraph": 1,
        "message": "占位符“XX年XX月XX日”尚未填写",
    }
    # the citation 第六条 in 第九条 is bound to the draft's own article: nothing to flag
    assert not any(r["code"].startswith("reference_") for r in results)
    _, text, _ = _run(capsys, "check", str(imported))
    assert "第二章 第七条 第一款" in text and "智慧蓉城" in text


def test_show_prints_numbered_text_with_sources(imported, capsys):
    _, out, _ = _run(capsys, "show", str(imported), "--sources")
    assert "第三章　法律责任" in out
    assert "第九条　违反本条例第六条规定" in out
    assert "〔待确认：jining 第1条，照搬 100〕" in out
    assert "〔新增〕" in out


def test_import_from_docx_gives_the_same_draft(imported, tmp_path, capsys):
    import docx

    document = docx.Document()
    for line in REALISTIC.read_text(encoding="utf-8").splitlines():
        document.add_paragraph(line)
    source = tmp_path / "草案.docx"
    document.save(source)
    path = tmp_path / "d.drafter.json"
    code, _, _ = _run(capsys, "new", "--from", str(source), "--no-discovery", "-o", str(path))
    assert code == 0
    from_docx = load_project(path)
    from_txt = load_project(imported)
    assert [[a.text() for a in c.articles] for c in from_docx.chapters] == [
        [a.text() for a in c.articles] for c in from_txt.chapters
    ]
    assert all(not links for links in from_docx.provenance.values())


def test_check_lists_the_articles_whose_sources_are_still_to_confirm(imported, tmp_path, capsys):
    # The export said "来源待确认" for these articles; the checks, where the drafter works
    # through what is left, said nothing of them.
    imported = Path(shutil.copy(imported, tmp_path / "d.drafter.json"))
    _, out, _ = _run(capsys, "check", str(imported), "--json")
    pending = [r for r in json.loads(out) if r["code"] == "source_unconfirmed"]
    draft = load_project(imported)
    expected = [
        (draft.chapter_of(a.uid).number, a.number)
        for a in draft.articles()
        if any(link.state == "suggested" for link in draft.provenance.get(a.uid, []))
    ]
    assert expected and [(r["chapter"], r["article"]) for r in pending] == expected
    assert all(r["severity"] == "info" for r in pending)
    first = next(iter(draft.articles()))
    links = draft.provenance[first.uid]
    assert pending[0]["article"] == 1
    assert pending[0]["message"] == f"{len(links)} 个可能的来源待确认：请在“来源”中确认或否定"
    for link in links:
        _run(capsys, "edit", str(imported), "reject", "1", link.ref, str(link.article))
    _, out, _ = _run(capsys, "check", str(imported), "--json")
    pending = [r for r in json.loads(out) if r["code"] == "source_unconfirmed"]
    assert [r["article"] for r in pending] == [a for _, a in expected[1:]]
