"""The 修改对照稿 and the 修改决定 of a realistic revision, written to real .docx files by the
CLI and read back with python-docx: strike and bold-underline runs, old and new numbers,
folded unchanged articles, the 修改决定's sentences; and rendered by LibreOffice."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import docx
import pytest

from drafter.draft.project_file import save_project
from drafter.export.amendment import RENUMBERED_AND_WORDING, numbered_paragraphs
from drafter.export.revision_export import revision
from drafter.export.revision_table import HEADERS
from drafter.library import ReferenceLibrary
from tests.helpers import run_cli
from tests.revision_samples import NEW_ARTICLE, revised_draft
from tests.test_export_libreoffice import SOFFICE, page_count, to_pdf


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    return ReferenceLibrary(data_dir=tmp_path_factory.mktemp("user-data"))


@pytest.fixture(scope="module")
def saved(library, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("drafts") / "条例.drafter.json"
    save_project(revised_draft(library), path)
    return path


def _export(saved: Path, folder: Path, *options: str) -> Path:
    out = folder / f"out{len(list(folder.glob('*.docx')))}.docx"
    result = run_cli("export", str(saved), *options, "-o", str(out), data_dir=folder / "data")
    assert result.returncode == 0, result.stderr
    assert f"已导出：{out}" in result.stdout
    return out


def _rows(path: Path) -> list[list]:
    (table,) = docx.Document(str(path)).tables
    return [
        [c for i, c in enumerate(row.cells) if i == 0 or c._tc is not row.cells[i - 1]._tc]
        for row in table.rows
    ]


def _runs(cell, *flags: str) -> list[str]:
    out = []
    for paragraph in cell.paragraphs:
        for run in paragraph.runs:
            font = run.font
            if all(bool(getattr(font, flag)) for flag in flags) and run.text:
                out.append(run.text)
    return out


def _row(rows, first_text: str):
    return next(r for r in rows if len(r) == 3 and r[1].text.startswith(first_text))


def test_revision_table_marks_every_kind_of_change(saved, tmp_path):
    path = _export(saved, tmp_path, "--compare", "征求意见稿", "送审稿")
    document = docx.Document(str(path))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "《某市智慧城市促进条例（送审稿）》修改对照稿"
    assert texts[1] == "（征求意见稿与送审稿对照）"
    counts = "共增加一条、删除一条、修改两条、调整顺序一条"
    assert texts[2].startswith(f"与征求意见稿相比，送审稿{counts}")
    section = document.sections[0]
    assert section.page_width > section.page_height  # landscape, like the 对照表
    rows = _rows(path)
    assert [c.text for c in rows[0]] == list(HEADERS)
    # added: nothing before, the whole article bold and underlined after
    added = _row(rows, "第二条")
    assert added[0].text == "" and added[2].text == "新增"
    assert "".join(_runs(added[1], "bold", "underline")) == f"第二条\u3000{NEW_ARTICLE}"
    # one 款 reworded, renumbered by the insertion: old and new numbers, marked words
    fifth = _row(rows, "第五条（原第四条）")
    assert fifth[0].text.startswith("第四条")
    assert _runs(fifth[0], "strike") == ["大", "发展"]
    assert _runs(fifth[1], "bold", "underline") == ["政务服务", "管理"]
    assert fifth[2].text == "修改第二款\n条文序号相应调整"
    # deleted: struck through whole, nothing after
    deleted = next(r for r in rows if len(r) == 3 and r[0].text.startswith("第七条"))
    assert deleted[1].text == "" and deleted[2].text == "删去"
    assert "".join(_runs(deleted[0], "strike")) == deleted[0].text.replace("\n", "")
    # moved to another chapter: new number with the old one, and where it went
    moved = _row(rows, "第十一条（原第八条）")
    assert moved[0].text.startswith("第八条") and not _runs(moved[1], "underline")
    assert moved[2].text == "由原第二章移至第四章"
    # a citation that followed the renumbering is shown, and said to be only that
    cited = _row(rows, "第九条（原第十条）")
    assert _runs(cited[0], "strike") == ["六"] and _runs(cited[1], "bold") == ["七"]
    assert cited[2].text == "引用的条文序号相应调整\n条文序号相应调整"
    # the renamed chapter: old and new titles side by side
    chapter = next(r for r in rows if r[0].text.startswith("第二章"))
    assert _runs(chapter[0], "strike") == ["与"] and _runs(chapter[1], "bold") == ["和"]
    assert chapter[2].text == "修改章名"
    # unchanged articles are printed in full without marks
    unchanged = _row(rows, "第十二条")
    assert unchanged[2].text == "未修改" and not _runs(unchanged[0], "strike")


def test_unchanged_articles_fold_into_one_line(saved, tmp_path):
    path = _export(saved, tmp_path, "--compare", "征求意见稿", "送审稿", "--fold-unchanged")
    folded = [r[0].text for r in _rows(path) if len(r) == 1]
    assert "第一条\u3000未修改" in folded
    assert "第六条至第七条（原第五条至第六条）\u3000未修改" in folded
    assert "第十二条至第十三条\u3000未修改" in folded
    assert not any(r[1].text.startswith("第十二条") for r in _rows(path) if len(r) == 3)


def test_amendment_sentences(saved, tmp_path):
    path = _export(saved, tmp_path, "--amendment", "征求意见稿", "送审稿")
    texts = [p.text for p in docx.Document(str(path)).paragraphs if p.text]
    assert texts[0] == "某市人民代表大会常务委员会关于修改\n《某市智慧城市促进条例》的决定"
    assert texts[1:] == [
        "某市人民代表大会常务委员会决定对《某市智慧城市促进条例》作如下修改：",
        f"一、在第一条后增加一条，作为第二条：“{NEW_ARTICLE}”",
        "二、将第三条中的“注重实效”修改为“注重实效、惠民便民”。",
        "三、将第四条第二款中的“大数据发展”修改为“政务服务数据管理”。",
        "四、将第二章章名修改为“建设和应用”。",
        "五、删去第七条。",
        "六、将第八条移至第四章开头。",
        RENUMBERED_AND_WORDING,
        "本决定自\u3000\u3000年\u3000\u3000月\u3000\u3000日起施行。",
        "《某市智慧城市促进条例》根据本决定作相应修改，重新公布。",
    ]


def test_amendment_words_larger_changes_by_paragraph_and_article(library):
    from drafter.draft import operations as ops
    from drafter.draft.versions import mark_version

    draft = revised_draft(library)
    second = draft.article_by_number(3)  # 原第二条, two 款
    ops.edit_paragraph(draft, second.uid, 1, "本条例所称智慧城市，是指运用新一代信息技术的城市。")
    first = draft.article_by_number(1)
    ops.insert_paragraph(draft, first.uid, 1, "市人民政府应当制定智慧城市发展规划。")
    eleventh = draft.article_by_number(12)
    ops.delete_article(draft, draft.article_by_number(13).uid)
    ops.delete_article(draft, eleventh.uid)
    mark_version(draft, "草案", "2026-12-20")
    paragraphs = numbered_paragraphs(revision(draft, "送审稿", "草案").diff)
    assert paragraphs == [
        "一、在第一条中增加一款，作为第二款：“市人民政府应当制定智慧城市发展规划。”",
        "二、将第三条第二款修改为：“本条例所称智慧城市，是指运用新一代信息技术的城市。”",
        "三、删去第十二条、第十三条。",
    ]  # no renumbering of what remains: no 此外


def test_refusals_are_one_line_and_exit_2(saved, tmp_path):
    before = saved.read_bytes()
    cases = [
        (["--compare", "征求意见稿", "定稿"], "没有名为“定稿”的版本；已有：征求意见稿、送审稿"),
        (["--compare", "a", "b", "c"], "只接受两个版本名称"),
        (["--compare", "送审稿", "送审稿"], "比较的两个版本相同"),
        (["--amendment", "征求意见稿", "--fold-unchanged"], "只用于修改对照稿"),
        (["--compare", "征求意见稿", "--table", str(tmp_path / "t.docx")], "不能与"),
    ]
    for options, message in cases:
        out = tmp_path / "x.docx"
        result = run_cli("export", str(saved), *options, "-o", str(out), data_dir=tmp_path / "d")
        assert result.returncode == 2, result.stderr
        [line] = result.stderr.strip().splitlines()
        assert line.startswith("drafter: 错误: ") and message in line
        assert not out.exists()
    assert saved.read_bytes() == before


def test_version_commands(tmp_path, library):
    from drafter.draft import operations as ops
    from drafter.draft.project_file import load_project

    path = tmp_path / "d.drafter.json"
    save_project(revised_draft(library), path)
    data = tmp_path / "data"
    result = run_cli("version", "list", str(path), "--json", data_dir=data)
    listed = json.loads(result.stdout)
    assert [(v["name"], v["date"], v["articles"]) for v in listed] == [
        ("征求意见稿", "2026-11-02", 13),
        ("送审稿", "2026-12-01", 13),
    ]
    before = path.read_bytes()
    for argv, message in (
        (["mark", str(path), "送审稿"], "已有名为“送审稿”的版本"),
        (["mark", str(path), "草案", "--date", "2026-13-01"], "日期格式不对"),
        (["restore", str(path), "定稿"], "没有名为“定稿”的版本"),
    ):
        result = run_cli("version", *argv, data_dir=data)
        assert result.returncode == 2
        assert result.stderr.startswith("drafter: 错误: ") and message in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1
    assert path.read_bytes() == before
    draft = load_project(path)
    ops.delete_article(draft, draft.article_by_number(1).uid)
    save_project(draft, path)
    result = run_cli(
        "version",
        "mark",
        str(path),
        "草案",
        "--note",
        "提请审议",
        "--date",
        "2027-01-05",
        data_dir=data,
    )
    assert result.returncode == 0 and "已标记版本：草案（2027-01-05），共十二条" in result.stdout
    result = run_cli("version", "list", str(path), data_dir=data)
    assert result.stdout.splitlines()[-1] == "草案\u30002027-01-05\u300012条\u3000提请审议"
    result = run_cli("version", "restore", str(path), "送审稿", data_dir=data)
    assert result.returncode == 0 and "已恢复为“送审稿”" in result.stdout
    restored = load_project(path)
    assert restored.statute.article_count == 13
    assert [v.name for v in restored.versions] == ["征求意见稿", "送审稿", "草案"]
    result = run_cli("version", "restore", str(path), "送审稿", data_dir=data)
    assert result.returncode == 2 and "相同，未作修改" in result.stderr


@pytest.mark.skipif(not SOFFICE, reason="LibreOffice is not installed")
def test_libreoffice_renders_both_documents(saved, tmp_path):
    table = _export(saved, tmp_path, "--compare", "征求意见稿", "送审稿")
    amendment = _export(saved, tmp_path, "--amendment", "征求意见稿", "送审稿")
    table_pdf, amendment_pdf = to_pdf([table, amendment], tmp_path)
    assert page_count(table_pdf) >= 2 and page_count(amendment_pdf) == 1
    text = subprocess.run(
        ["pdftotext", "-layout", str(table_pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "修改对照稿" in text and "第十一条（原第八条）" in text
    text = subprocess.run(
        ["pdftotext", str(amendment_pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "作如下修改" in text and "删去第七条" in text


def test_amendment_of_chapters_moves_and_items(library):
    from drafter.draft import operations as ops
    from drafter.draft.versions import mark_version
    from tests.revision_samples import consultation_draft

    draft = consultation_draft(library)
    mark_version(draft, "A", "2026-01-01")
    ops.add_chapter(draft, "保障措施", 3)
    added = draft.chapters[3].uid
    ops.insert_article(draft, added, "市人民政府应当加大对智慧城市建设的财政投入。")
    ops.insert_article(draft, added, "鼓励社会资本参与智慧城市建设。")
    ops.delete_chapter(draft, draft.chapters[2].uid)  # 法律责任, with its two articles
    second = draft.article_by_number(2)
    ops.edit_paragraph(
        draft, second.uid, 0, second.paragraphs[0].text.replace("管理活动", "管理服务活动")
    )
    ninth = draft.article_by_number(9)
    ops.edit_paragraph(draft, ninth.uid, 0, "市、区人民政府应当建立智慧城市建设协调机制。")
    ops.move_article(draft, ninth.uid, draft.chapters[0].uid, len(draft.chapters[0].articles))
    mark_version(draft, "B", "2026-02-01")
    paragraphs = numbered_paragraphs(revision(draft, "A", "B").diff)
    assert paragraphs[0] == "一、将第二条第一款中的“相关管理”修改为“相关管理服务”。"
    assert paragraphs[1] == (
        "二、将第九条移至第四条后，修改为：“市、区人民政府应当建立智慧城市建设协调机制。"
    )
    assert paragraphs[3] == "三、删去第三章。"  # its articles go with it, not listed apart
    assert not any("删去第十条" in p for p in paragraphs)
    start = paragraphs.index("四、在第二章后增加一章，作为第三章：“第三章\u3000保障措施")
    assert paragraphs[start + 2] == "第十一条\u3000鼓励社会资本参与智慧城市建设。”"
    assert paragraphs[-1] == "此外，对条文顺序作相应调整。"


def test_a_draft_without_chapters_is_compared_by_item(tmp_path):
    from drafter.draft import operations as ops
    from drafter.draft.document import Draft
    from drafter.draft.versions import mark_version
    from drafter.export.revision_export import export_revision

    draft = Draft.with_chapters("某市测试条例", "某市", [""])
    draft.chapters[0].number = 0
    for text in ("第一条内容。", "本市建立以下制度：\n（一）甲；\n（二）乙。", "第三条内容。"):
        ops.insert_article(draft, draft.chapters[0].uid, text)
    mark_version(draft, "A")
    second = draft.article_by_number(2)
    ops.edit_paragraph(
        draft, second.uid, 0, second.paragraphs[0].text, items=["甲类事项；", "乙。"]
    )
    ops.delete_article(draft, draft.article_by_number(1).uid)
    mark_version(draft, "B")
    assert numbered_paragraphs(revision(draft, "A", "B").diff) == [
        "一、删去第一条。",
        "二、将第二条第一项中的“甲”修改为“甲类事项”。",
        "此外，对条文顺序作相应调整。",
    ]
    path = tmp_path / "x.docx"
    export_revision(draft, path, "A", "B", fold_unchanged=True)
    rows = _rows(path)
    assert [len(r) for r in rows] == [3, 3, 3, 1]  # no chapter rows
    assert rows[2][1].text.startswith("第一条（原第二条）")
    assert _runs(rows[2][1], "bold", "underline") == ["类事项"]
    assert rows[3][0].text == "第二条（原第三条）\u3000未修改"


def test_amendment_adds_and_deletes_single_items():
    from drafter.draft import operations as ops
    from drafter.draft.document import Draft
    from drafter.draft.versions import mark_version

    draft = Draft.with_chapters("某市测试条例", "某市", ["总则"])
    chapter = draft.chapters[0].uid
    ops.insert_article(draft, chapter, "为了测试，制定本条例。")
    ops.insert_article(
        draft, chapter, "本市建立以下制度：\n（一）登记制度；\n（二）评估制度；\n（三）公开制度。"
    )
    ops.insert_article(
        draft,
        chapter,
        "市人民政府负责统筹。\n有关部门应当履行下列职责：\n（一）规划；\n（二）监督。",
    )
    mark_version(draft, "A")
    second, third = draft.article_by_number(2), draft.article_by_number(3)
    ops.edit_paragraph(
        draft, second.uid, 0, second.paragraphs[0].text, items=["登记制度；", "公开制度。"]
    )
    ops.edit_paragraph(
        draft, third.uid, 1, third.paragraphs[1].text, items=["规划；", "建设；", "监督。"]
    )
    mark_version(draft, "B")
    assert numbered_paragraphs(revision(draft, "A", "B").diff) == [
        "一、删去第二条第二项。",
        "二、在第三条第二款中增加一项，作为第二项：“（二）建设；”",
    ]
