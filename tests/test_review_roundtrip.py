"""Round trip: export → a reviewer marks the file as Word writes it → import → 意见处理 →
意见采纳情况表 (read back with python-docx, rendered by LibreOffice where installed)."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from collections import Counter
from pathlib import Path

import docx
import pytest

from drafter.draft.changes import undo
from drafter.draft.project_file import load_project, save_project
from drafter.export import export_draft
from drafter.export.opinions_table import HEADERS, export_opinions, opinions_title
from drafter.library import ReferenceLibrary
from drafter.review.accept import accept, open_changes, reject
from drafter.review.store import ReviewError, import_reviewed, listing, review_of, set_disposition
from tests.review_fixtures import Reviewer
from tests.test_export_samples import adopted_draft

ZHANG, LI = "张伟", "李娜"
DAY = "2026-11-20T09:{:02d}:00Z"
NEW_ARTICLE = "市人民政府应当加强智慧城市人才队伍建设。"


def review_as_word(exported: Path, target: Path, producer: str = "word") -> Path:
    """Five comments (one answered), three tracked changes (one a replacement), an untracked
    edit, and an article inserted by hand with the later labels renumbered."""
    reviewer = Reviewer(exported, producer)
    for number in ("十一", "十", "九", "八", "七", "六", "五", "四"):
        shifted = {"十一": "十二", "十": "十一", "九": "十", "八": "九", "七": "八"}
        shifted.update({"六": "七", "五": "六", "四": "五"})
        reviewer.relabel(f"第{number}条", f"第{shifted[number]}条")
    reviewer.insert_paragraph_after("区人民政府负责", f"第四条\u3000{NEW_ARTICLE}")
    reviewer.tracked("运营、管理|运营、管理", "", "、服务", ZHANG, DAY.format(1))
    reviewer.tracked("会同有关部门编制", "会同有关部门", "", LI, DAY.format(2))
    reviewer.tracked("咨询专家意见", "咨询专家意见", "听取专家意见", ZHANG, DAY.format(3))
    reviewer.untracked("从其规定", "依照其规定执行")
    first = reviewer.comment(
        "结合本市实际", "结合本市实际", ZHANG, DAY.format(10), "建议增加“坚持党的领导”的表述。"
    )
    reviewer.comment("", "", LI, DAY.format(20), "同意。", reply_to=first)
    reviewer.comment(
        "区人民政府负责", "区人民政府负责", ZHANG, DAY.format(11), "建议明确区人民政府的具体职责。"
    )
    reviewer.comment(
        "需求导向", "需求导向，惠民便民", ZHANG, DAY.format(12), "建议改为“需求导向，便民惠企”。"
    )
    reviewer.comment(
        "领导小组办公室审定", "领导小组办公室审定", LI, DAY.format(13), "审定主体不宜为办公室。"
    )
    reviewer.comment("围绕数据官履职", "教育培训", ZHANG, DAY.format(14), "建议明确培训经费保障。")
    return reviewer.save(target, saved_by=ZHANG)


@pytest.fixture()
def reviewed(tmp_path):
    draft = adopted_draft(ReferenceLibrary())
    exported = tmp_path / "草案.docx"
    export_draft(draft, exported)
    return draft, review_as_word(exported, tmp_path / "审阅稿-市发改委.docx")


def _by_text(draft, fragment: str) -> dict:
    return next(i for i in review_of(draft)["items"] if fragment in i["text"])


def _uid(draft, number: int) -> str:
    return draft.article_by_number(number).uid


def test_every_item_lands_on_its_article_and_paragraph(reviewed):
    draft, path = reviewed
    result = import_reviewed(draft, path, unit="市发展改革委")
    kinds = Counter(i["kind"] for i in result.added)
    assert kinds == {"comment": 5, "insertion": 2, "deletion": 2, "edit": 2}
    expected = {
        "坚持党的领导": (1, 0, -1),
        "具体职责": (3, 1, -1),
        "便民惠企": (5, 0, 1),
        "不宜为办公室": (7, 2, -1),
        "培训经费": (10, 1, -1),
        "增加“、服务”": (2, 0, -1),
        "删去“会同有关部门”": (6, 0, -1),
        "删去“咨询专家意见”": (4, 1, -1),
        "增加“听取专家意见”": (4, 1, -1),
        "修改为“依照其规定执行”": (9, 0, -1),
    }
    for fragment, (number, paragraph, item) in expected.items():
        found = _by_text(draft, fragment)
        assert (found["article_uid"], found["paragraph"], found["item"]) == (
            _uid(draft, number),
            paragraph,
            item,
        ), fragment
    new_article = _by_text(draft, NEW_ARTICLE)
    assert new_article["kind"] == "edit" and new_article["article_uid"] is None
    assert len(result.added) == 11 and len(result.unplaced) == 1
    first = _by_text(draft, "坚持党的领导")
    assert first["anchor_text"] == "结合本市实际" and first["unit"] == "市发展改革委"
    assert [r["text"] for r in first["replies"]] == ["同意。"] and first["author"] == ZHANG
    assert _by_text(draft, "依照其规定执行")["author"] == ZHANG  # docProps lastModifiedBy
    assert _by_text(draft, "会同有关部门")["date"] == DAY.format(2)


def test_the_same_file_or_the_same_items_are_not_imported_twice(reviewed, tmp_path):
    draft, path = reviewed
    first = import_reviewed(draft, path)
    again = import_reviewed(draft, path)
    assert again.already_imported and not again.added
    # The same review saved again (other bytes, same marks): nothing new either.
    copy = tmp_path / "again.docx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(copy, "w", zipfile.ZIP_STORED) as out:
        for name in source.namelist():
            data = source.read(name)
            if name == "docProps/core.xml":  # saved again by someone else
                data = data.replace(ZHANG.encode(), "办公室".encode())
            out.writestr(name, data)
    resaved = import_reviewed(draft, copy)
    assert not resaved.already_imported and not resaved.added
    assert resaved.duplicates == len(first.added)
    assert len(review_of(draft)["items"]) == len(first.added)
    assert len(review_of(draft)["files"]) == 2


def test_dispositions_accepting_and_rejecting_then_the_opinions_table(reviewed, tmp_path):
    draft, path = reviewed
    import_reviewed(draft, path, unit="市发展改革委")
    links_before = len(draft.provenance[_uid(draft, 4)])
    service = _by_text(draft, "、服务")
    change = accept(draft, service["id"]).change
    assert "智慧城市规划、建设、运营、管理、服务及其相关活动" in draft.article_by_number(2).text()
    with pytest.raises(ReviewError, match="已经接受"):
        accept(draft, service["id"])
    # Undone (the window's undo also puts the item's status back).
    undo(draft, change)
    assert "管理、服务" not in draft.article_by_number(2).text()
    service["status"] = "open"
    for fragment in ("、服务", "删去“咨询专家意见”", "增加“听取专家意见”", "依照其规定执行"):
        accept(draft, _by_text(draft, fragment)["id"])
    text4 = draft.article_by_number(4).paragraphs[1].text
    assert text4.endswith("项目建设实施计划等应当听取专家意见。")
    assert "依照其规定执行" in draft.article_by_number(9).text()
    assert len(draft.provenance[_uid(draft, 4)]) == links_before  # provenance kept
    assert open_changes(draft, LI) == [_by_text(draft, "会同有关部门")["id"]]
    for item_id in open_changes(draft, LI):
        reject(draft, item_id)
    assert "会同有关部门" in draft.article_by_number(6).text()
    set_disposition(draft, _by_text(draft, "坚持党的领导")["id"], "采纳", "已在第一条中增加。")
    set_disposition(draft, _by_text(draft, "培训经费")["id"], "另行研究", "涉及财政事权。")
    set_disposition(draft, _by_text(draft, "不宜为办公室")["id"], "部分采纳", "改由主管部门审定。")
    set_disposition(draft, _by_text(draft, NEW_ARTICLE)["id"], "未采纳", "已在第三条中体现。")
    rows = {r["id"]: r for r in listing(draft)}
    assert rows[_by_text(draft, "会同有关部门")["id"]]["disposition"] == "未采纳"
    # Saved and loaded again, the review work is all there.
    saved = tmp_path / "草案.drafter.json"
    save_project(draft, saved)
    again = load_project(saved)
    assert review_of(again) == review_of(draft)

    table_path = tmp_path / "意见采纳情况表.docx"
    warnings = export_opinions(again, table_path)
    assert any("尚未处理" in w for w in warnings) and any("无法定位" in w for w in warnings)
    document = docx.Document(str(table_path))
    title = document.paragraphs[0].text.replace("\n", "")
    assert (
        title == opinions_title(again) == "关于《某市智慧城市促进条例（草案）》征求意见采纳情况表"
    )
    table = document.tables[0]
    assert tuple(c.text.replace("\n", "") for c in table.rows[0].cells) == HEADERS
    body = [[c.text for c in row.cells] for row in table.rows[1:]]
    assert len(body) == 11
    assert [row[0] for row in body] == [str(n) for n in range(1, 12)]
    assert body[0][1] == "第一条" and "坚持党的领导" in body[0][2]
    assert (
        body[0][3] == "市发展改革委" and body[0][4] == "采纳" and body[0][5] == "已在第一条中增加。"
    )
    places = [row[1] for row in body]
    assert (
        places.index("第五条第二项") < places.index("第七条第三款") < places.index("第十条第二款")
    )
    assert body[-1][1] == "审阅稿第四条" and body[-1][4] == "未采纳"  # unplaced: last
    section = document.sections[0]
    assert section.page_width > section.page_height  # landscape
    if shutil.which("soffice") and shutil.which("pdftotext"):
        _render(table_path, tmp_path)


def _render(table_path: Path, folder: Path) -> None:
    from tests.test_export_libreoffice import to_pdf

    (pdf,) = to_pdf([table_path], folder)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = "".join(text.split())
    assert "征求意见采纳情况表" in flat and "提出单位" in flat and "另行研究" in flat
    if shutil.which("pdftoppm"):
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(folder / "page")],
            check=True,
        )
        assert list(folder.glob("page*.png"))


def test_a_wps_file_without_comment_ids_reads_the_same(tmp_path):
    draft = adopted_draft(ReferenceLibrary())
    exported = tmp_path / "草案.docx"
    export_draft(draft, exported)
    path = review_as_word(exported, tmp_path / "wps.docx", producer="wps")
    with zipfile.ZipFile(path) as archive:
        assert "word/commentsIds.xml" not in archive.namelist()
    result = import_reviewed(draft, path)
    assert len(result.added) == 11
    assert [r["text"] for r in _by_text(draft, "坚持党的领导")["replies"]] == ["同意。"]


def test_untracked_edits_are_found_against_the_version_the_file_was_exported_from(tmp_path):
    from drafter.draft import operations as ops
    from drafter.draft.versions import mark_version

    draft = adopted_draft(ReferenceLibrary())
    mark_version(draft, "征求意见稿", "2026-11-02")
    exported = tmp_path / "征求意见稿.docx"
    export_draft(draft, exported)
    path = review_as_word(exported, tmp_path / "审阅稿.docx")
    # The drafter goes on writing after the export: that is no reviewer's edit.
    first = draft.article_by_number(1)
    ops.edit_paragraph(draft, first.uid, 0, first.paragraphs[0].text + "（起草组修改）")
    result = import_reviewed(draft, path)
    assert "征求意见稿" in result.baseline
    assert review_of(draft)["files"][0]["exported_version"] == "征求意见稿"
    edits = [i for i in result.added if i["kind"] == "edit"]
    assert [i["new_text"] for i in edits if i["article_uid"]] == ["依照其规定执行"]
    # Without the export's record the current text is used, and the drafter is told.
    bare = tmp_path / "no-record.docx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(bare, "w") as out:
        for name in source.namelist():
            if name != "docProps/custom.xml":
                out.writestr(name, source.read(name))
    other = adopted_draft(ReferenceLibrary())
    first = other.article_by_number(1)
    ops.edit_paragraph(other, first.uid, 0, first.paragraphs[0].text + "（起草组修改）")
    result = import_reviewed(other, bare)
    assert "没有记录导出时的版本" in result.baseline and "现行文本" in result.baseline
    assert any("起草组修改" in i["old_text"] for i in result.added if i["kind"] == "edit")


# How the sample draft's review was handled (docs/export-samples/opinions-*.png).
SAMPLE_HANDLING = [
    ("坚持党的领导", "采纳", "已在第一条中增加“坚持中国共产党的领导”的表述。", None),
    (
        "具体职责",
        "部分采纳",
        "区人民政府职责在第三条第二款中作原则规定，具体职责由实施办法明确。",
        None,
    ),
    ("便民惠企", "未采纳", "“惠民便民”与上位法表述一致，不作修改。", None),
    ("不宜为办公室", "采纳", "已修改为由市智慧城市主管部门审定。", None),
    ("培训经费", "另行研究", "涉及财政事权划分，需与市财政局进一步研究。", None),
    ("、服务", "", "服务活动属于本条例调整范围。", "accept"),
    ("会同有关部门", "未采纳", "规划编制需相关部门协同，保留原表述。", "reject"),
    ("删去“咨询专家意见”", "", "“听取专家意见”表述更准确。", "accept"),
    ("增加“听取专家意见”", "", "同上。", "accept"),
    ("依照其规定执行", "采纳", "表述更规范。", "accept"),
    (NEW_ARTICLE, "未采纳", "人才队伍建设已在第三条中体现，不单设一条。", None),
]


def handled_sample(folder: Path) -> Path:
    """The sample draft exported, reviewed (`review_as_word`), imported as 市发展改革委's,
    every item handled, and its 意见采纳情况表 written to folder/opinions.docx."""
    draft = adopted_draft(ReferenceLibrary())
    export_draft(draft, folder / "draft.docx")
    review_as_word(folder / "draft.docx", folder / "reviewed.docx")
    import_reviewed(draft, folder / "reviewed.docx", unit="市发展改革委")
    for fragment, disposition, reason, action in SAMPLE_HANDLING:
        item = _by_text(draft, fragment)
        if action == "accept":
            accept(draft, item["id"])
        elif action == "reject":
            reject(draft, item["id"])
        set_disposition(draft, item["id"], disposition or item["disposition"], reason)
    warnings = export_opinions(draft, folder / "opinions.docx")
    assert warnings == ["1 条意见无法定位到现行条文，条款栏写审阅稿中的位置"]
    return folder / "opinions.docx"


def test_the_sample_opinions_table_has_every_item_handled(tmp_path):
    table = docx.Document(str(handled_sample(tmp_path))).tables[0]
    rows = [[c.text for c in row.cells] for row in table.rows[1:]]
    assert "待处理" not in {row[4] for row in rows}
    assert rows[-1][2] == "建议增加一条：“市人民政府应当加强智慧城市人才队伍建设。”"
