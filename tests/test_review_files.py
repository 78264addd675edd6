"""Reviewed files from LibreOffice (a stored fixture made through UNO), bad files, and the CLI.

tests/data/review/libreoffice-reviewed.docx is the sample export (`export_sample`)
reviewed in LibreOffice 7.4 by tests/data/review/make_libreoffice_fixture.py: two
reviewers, comments (one answered: LibreOffice writes a reply as a comment over its
parent's range, without commentsExtended), a tracked insertion, a tracked deletion, a
new article typed with tracking on (numbers not shifted: two 第四条), an untracked edit.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from drafter.draft.project_file import load_project, save_project
from drafter.errors import DrafterError, InputFileError
from drafter.export import export_draft
from drafter.library import ReferenceLibrary
from drafter.review.accept import accept
from drafter.review.docx_reader import read_reviewed
from drafter.review.store import import_reviewed, review_of
from tests.helpers import run_cli
from tests.test_export_samples import adopted_draft

DATA = Path(__file__).parent / "data" / "review"
LIBREOFFICE = DATA / "libreoffice-reviewed.docx"


def export_sample(path: str | Path) -> Path:
    """The export the LibreOffice fixture was made from."""
    export_draft(adopted_draft(ReferenceLibrary()), Path(path))
    return Path(path)


def _item(draft, fragment: str) -> dict:
    return next(i for i in review_of(draft)["items"] if fragment in i["text"])


def test_libreoffice_review_is_read_and_placed():
    document, _ = read_reviewed(LIBREOFFICE)
    assert len(document.comments) == 3 and len(document.top_comments()) == 2
    assert "commentsExtended" not in " ".join(zipfile.ZipFile(LIBREOFFICE).namelist())
    draft = adopted_draft(ReferenceLibrary())
    result = import_reviewed(draft, LIBREOFFICE, unit="市司法局")
    by_kind = sorted(i["kind"] for i in result.added)
    assert by_kind == ["comment", "comment", "deletion", "edit", "insertion", "insertion"]
    first = _item(draft, "坚持党的领导")
    assert first["article_uid"] == draft.article_by_number(1).uid and first["paragraph"] == 0
    assert first["author"] == "李明" and first["date"] == "2026-11-20T09:30:00Z"
    assert [(r["author"], r["text"]) for r in first["replies"]] == [
        ("王芳", "同意，建议表述为“坚持中国共产党的领导”。")
    ]
    second = _item(draft, "牵头部门")
    assert (second["article_uid"], second["paragraph"]) == (draft.article_by_number(3).uid, 1)
    service = _item(draft, "、服务")
    assert service["article_uid"] == draft.article_by_number(2).uid
    assert service["author"] == "李明" and service["kind"] == "insertion"
    deletion = _item(draft, "会同有关部门")
    assert deletion["article_uid"] == draft.article_by_number(6).uid
    assert deletion["author"] == "王芳"
    edit = _item(draft, "依照其规定执行")
    assert edit["kind"] == "edit" and edit["article_uid"] == draft.article_by_number(9).uid
    # The article typed with tracking on is listed as not placed, not guessed.
    added = _item(draft, "人才培养和引进")
    assert added["article_uid"] is None and added["kind"] == "insertion"
    # The 第四条 after it (a duplicate number now) is still the draft's 第四条.
    assert all(i["article_uid"] != draft.article_by_number(5).uid for i in result.added)
    accept(draft, service["id"])
    accept(draft, deletion["id"])
    assert "管理、服务及其" in draft.article_by_number(2).text()
    assert "会同有关部门" not in draft.article_by_number(6).text()


def _zip(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"%PDF-1.4 not a docx", "不是有效的审阅稿（文件不是 zip 格式"),
        (_zip({"word/styles.xml": b"<w:styles/>"}), "缺少正文 word/document.xml"),
        (_zip({"word/document.xml": b"<w:document"}), "不是有效的 XML"),
        (_zip({"word/document.xml": b"\0" * (30 * 1024 * 1024)}), "可能是压缩炸弹"),
    ],
    ids=["not-a-docx", "no-document", "broken-xml", "zip-bomb"],
)
def test_bad_files_are_one_clear_error(tmp_path, content, message):
    path = tmp_path / "审阅稿.docx"
    path.write_bytes(content)
    with pytest.raises(InputFileError, match=message):
        read_reviewed(path)
    draft = adopted_draft(ReferenceLibrary())
    saved = tmp_path / "草案.drafter.json"
    save_project(draft, saved)
    before = saved.read_bytes()
    result = run_cli("review", "import", str(saved), str(path), data_dir=tmp_path / "data")
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("drafter: 错误: ") and message in lines[0]
    assert saved.read_bytes() == before  # nothing imported, nothing saved


def test_cli_import_list_resolve_and_export(tmp_path):
    saved = tmp_path / "草案.drafter.json"
    save_project(adopted_draft(ReferenceLibrary()), saved)
    data = tmp_path / "data"
    imported = run_cli(
        "review", "import", str(saved), str(LIBREOFFICE), "--from", "市司法局", data_dir=data
    )
    assert imported.returncode == 0, imported.stderr
    assert "导入 6 条意见" in imported.stdout and "1 条无法定位" in imported.stdout
    assert "审阅稿导出自现行文本" in imported.stdout
    again = run_cli("review", "import", str(saved), str(LIBREOFFICE), data_dir=data)
    assert "已导入过" in again.stdout
    listed = run_cli("review", "list", str(saved), "--json", data_dir=data)
    rows = json.loads(listed.stdout)
    assert len(rows) == 6
    keys = {"id", "kind", "author", "unit", "chapter", "article", "paragraph", "text"}
    assert keys | {"disposition", "reason"} <= set(rows[0])
    service = next(r for r in rows if "、服务" in r["text"])
    assert (service["article"], service["paragraph"], service["unit"]) == (2, 1, "市司法局")
    assert service["chapter"] == "第一章\u3000总则"
    assert [r["article"] for r in rows if r["article"] is None] == [None]
    resolved = run_cli(
        "review",
        "resolve",
        str(saved),
        service["id"],
        "--accept",
        "--reason",
        "已补充。",
        data_dir=data,
    )
    assert resolved.returncode == 0, resolved.stderr
    comment = next(r for r in rows if r["kind"] == "comment")
    run_cli(
        "review",
        "resolve",
        str(saved),
        comment["id"],
        "--disposition",
        "部分采纳",
        "--reason",
        "已在第一条体现。",
        data_dir=data,
    )
    rejected = run_cli("review", "resolve", str(saved), "--by", "王芳", "--reject", data_dir=data)
    assert rejected.returncode == 0, rejected.stderr
    draft = load_project(saved)
    assert "管理、服务及其" in draft.article_by_number(2).text()
    states = {i["id"]: (i["disposition"], i["status"]) for i in review_of(draft)["items"]}
    assert states[service["id"]] == ("采纳", "accepted")
    assert states[comment["id"]] == ("部分采纳", "open")
    assert sorted(s for s in states.values() if s[1] == "rejected") == [("未采纳", "rejected")] * 2
    bad = run_cli("review", "resolve", str(saved), "99", "--disposition", "采纳", data_dir=data)
    assert bad.returncode == 2 and "没有编号为 99 的审阅意见" in bad.stderr
    table = tmp_path / "意见采纳情况表.docx"
    exported = run_cli("export", str(saved), "--opinions", "-o", str(table), data_dir=data)
    assert exported.returncode == 0, exported.stderr
    assert table.is_file() and "尚未处理" in exported.stderr


def test_cli_accepting_all_of_one_reviewer_skips_what_cannot_be_placed(tmp_path):
    saved = tmp_path / "草案.drafter.json"
    save_project(adopted_draft(ReferenceLibrary()), saved)
    data = tmp_path / "data"
    run_cli("review", "import", str(saved), str(LIBREOFFICE), data_dir=data)
    result = run_cli("review", "resolve", str(saved), "--by", "李明", "--accept", data_dir=data)
    assert result.returncode == 0, result.stderr
    assert "接受修订：第二条" in result.stdout
    assert "未接受：意见" in result.stdout and "无法定位到现行条文" in result.stdout
    draft = load_project(saved)
    states = {
        i["text"][:12]: i["status"] for i in review_of(draft)["items"] if i["author"] == "李明"
    }
    assert sorted(states.values()) == ["accepted", "open", "open", "open"]
    assert "管理、服务及其" in draft.article_by_number(2).text()


def test_a_reviewed_file_of_another_draft_is_refused(tmp_path):
    from drafter.draft import operations as ops
    from drafter.draft.document import Draft

    other = Draft.with_chapters("某市物业管理条例", "某市", ["总则"])
    for text in (
        "为了规范物业管理活动，维护业主和物业服务企业的合法权益，制定本条例。",
        "本条例适用于本市行政区域内的物业管理活动。",
        "业主大会由物业管理区域内全体业主组成。",
    ):
        ops.insert_article(other, other.chapters[0].uid, text)
    with pytest.raises(DrafterError, match=r"审阅稿与本草案对不上（11 条中只有 [01] 条能对应）"):
        import_reviewed(other, LIBREOFFICE)
    assert review_of(other)["items"] == [] and review_of(other)["files"] == []


def test_a_hand_damaged_review_item_is_one_clear_error(tmp_path):
    saved = tmp_path / "草案.drafter.json"
    draft = adopted_draft(ReferenceLibrary())
    import_reviewed(draft, LIBREOFFICE)
    save_project(draft, saved)
    data = json.loads(saved.read_text(encoding="utf-8"))
    data["draft"]["review"]["items"][2]["kind"] = "praise"
    saved.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    for command in (
        ("review", "list", str(saved)),
        ("export", str(saved), "--opinions", "-o", str(tmp_path / "t.docx")),
    ):
        result = run_cli(*command, data_dir=tmp_path / "data")
        assert result.returncode == 2
        assert result.stderr.strip() == (
            "drafter: 错误: 草案文件中的第 3 条审阅意见已损坏"
            "（kind 应为 comment、insertion、deletion、edit 之一）"
        )
