"""Reading and placing the less common marks: moves, a 款 added with tracking on, a comment
with only its reference mark, and the export's own source comments (never a reviewer's)."""

from __future__ import annotations

from pathlib import Path

from drafter.export import export_draft
from drafter.library import ReferenceLibrary
from drafter.review.accept import accept
from drafter.review.docx_reader import DELETED, INSERTED, read_reviewed
from drafter.review.store import import_reviewed, location_text, review_of
from tests.review_fixtures import Reviewer
from tests.test_export_samples import adopted_draft

WHEN = "2026-11-21T08:00:00Z"


def _exported(tmp_path: Path, comments: bool = False):
    draft = adopted_draft(ReferenceLibrary())
    path = tmp_path / "草案.docx"
    export_draft(draft, path, comments=comments)
    return draft, path


def test_moves_read_as_a_deletion_and_an_insertion(tmp_path):
    draft, exported = _exported(tmp_path)
    reviewer = Reviewer(exported)
    reviewer.moved("建立协调机制", "，建立协调机制", "区人民政府负责", "赵敏", WHEN)
    path = reviewer.save(tmp_path / "moved.docx")
    document, _ = read_reviewed(path)
    changes = document.changes()
    assert [(c.kind, c.text, c.move) for c in changes] == [
        (DELETED, "，建立协调机制", True),
        (INSERTED, "，建立协调机制", True),
    ]
    import_reviewed(draft, path)
    third = draft.article_by_number(3).uid
    places = [(i["kind"], i["article_uid"], i["paragraph"]) for i in review_of(draft)["items"]]
    assert places == [("deletion", third, 0), ("insertion", third, 1)]


def test_a_paragraph_added_with_tracking_on_is_a_new_paragraph_to_accept(tmp_path):
    draft, exported = _exported(tmp_path)
    reviewer = Reviewer(exported)
    added = "市人民政府应当将智慧城市建设经费纳入财政预算。"
    reviewer.tracked_paragraph_after("建立协调机制", added, "赵敏", WHEN)
    path = reviewer.save(tmp_path / "new-paragraph.docx")
    result = import_reviewed(draft, path)
    [item] = result.added
    third = draft.article_by_number(3)
    assert (item["kind"], item["article_uid"], item["new_paragraph"]) == (
        "insertion",
        third.uid,
        True,
    )
    assert item["text"] == f"建议增加一款：“{added}”"
    assert location_text(draft, item) == "第三条"
    accept(draft, item["id"])
    assert [p.text for p in third.paragraphs] == [
        "市人民政府应当加强对智慧城市建设工作的领导，建立协调机制。",
        added,
        "区人民政府负责本行政区域内的智慧城市建设工作。",
    ]


def test_a_comment_with_only_its_reference_mark_is_placed_on_its_paragraph(tmp_path):
    draft, exported = _exported(tmp_path)
    reviewer = Reviewer(exported)
    reviewer.reference_only_comment("本条例自", "赵敏", WHEN, "施行日期请与人大常委会确认。")
    path = reviewer.save(tmp_path / "reference-only.docx")
    [item] = import_reviewed(draft, path).added
    last = list(draft.articles())[-1]
    assert (item["article_uid"], item["paragraph"], item["text"]) == (
        last.uid,
        0,
        "施行日期请与人大常委会确认。",
    )


def test_the_exports_own_source_comments_are_not_review_items(tmp_path):
    draft, exported = _exported(tmp_path, comments=True)
    document, _ = read_reviewed(exported)
    assert document.comments  # the export's 来源 comments are there…
    result = import_reviewed(draft, exported)
    assert result.added == []  # …and are not anyone's opinion
    assert "导出自现行文本" in result.baseline


def test_an_all_in_one_export_reads_only_the_draft_as_articles(tmp_path):
    draft = adopted_draft(ReferenceLibrary())
    exported = tmp_path / "合订.docx"
    export_draft(draft, exported, all_in_one=True)
    reviewer = Reviewer(exported)
    reviewer.comment("结合本市实际", "结合本市实际", "赵敏", WHEN, "建议写明党的领导。")
    path = reviewer.save(tmp_path / "all-in-one.docx")
    document, _ = read_reviewed(path)
    assert any(p.in_table for p in document.paragraphs)  # the 对照表 is there…
    [item] = import_reviewed(draft, path).added  # …and adds no edits, nor does the 起草说明
    assert (item["kind"], item["article_uid"]) == ("comment", draft.article_by_number(1).uid)


def test_a_tracked_renumbering_of_a_label_is_no_opinion(tmp_path):
    draft, exported = _exported(tmp_path)
    reviewer = Reviewer(exported)
    reviewer.tracked("第九条\u3000违反", "第九条", "第十条", "赵敏", WHEN)
    reviewer.tracked("第十一条\u3000本条例", "2026年1月1日", "2026年7月1日", "赵敏", WHEN)
    path = reviewer.save(tmp_path / "relabelled.docx")
    items = import_reviewed(draft, path).added
    assert [(i["kind"], i["old_text"], i["new_text"]) for i in items] == [
        ("deletion", "2026年1月1日", ""),
        ("insertion", "", "2026年7月1日"),
    ]
    assert {i["article_uid"] for i in items} == {draft.article_by_number(11).uid}


def test_two_paragraphs_joined_with_tracking_on_are_merged_when_accepted(tmp_path):
    draft, exported = _exported(tmp_path)
    reviewer = Reviewer(exported)
    reviewer.delete_paragraph_mark("建立协调机制", "赵敏", WHEN)
    path = reviewer.save(tmp_path / "joined.docx")
    [item] = import_reviewed(draft, path).added
    third = draft.article_by_number(3)
    assert (item["kind"], item["article_uid"], item["paragraph"], item["merge"]) == (
        "deletion",
        third.uid,
        0,
        True,
    )
    assert item["text"] == "建议将本款与下一款合并为一款"
    accept(draft, item["id"])
    assert [p.text for p in third.paragraphs] == [
        "市人民政府应当加强对智慧城市建设工作的领导，建立协调机制。"
        "区人民政府负责本行政区域内的智慧城市建设工作。"
    ]


def test_items_follow_their_paragraph_when_the_drafter_adds_one_before_it(tmp_path):
    from drafter.draft import operations as ops

    draft, exported = _exported(tmp_path)
    reviewer = Reviewer(exported)
    reviewer.comment("区人民政府负责", "区人民政府负责", "赵敏", WHEN, "职责宜细化。")
    [item] = import_reviewed(draft, reviewer.save(tmp_path / "r.docx")).added
    assert location_text(draft, item) == "第三条第二款"
    ops.insert_paragraph(draft, draft.article_by_number(3).uid, 0, "新增的第一款。")
    assert location_text(draft, item) == "第三条第三款"
