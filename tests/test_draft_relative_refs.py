"""前款 / 前两款 stay bound to the 款 they meant while 款 are inserted, deleted, split, merged."""

from __future__ import annotations

from drafter.draft import changes, operations
from drafter.draft.document import Draft
from drafter.draft.project_file import parse_project, save_project


def _article_draft(*paragraphs: str) -> tuple[Draft, str]:
    draft = Draft(title="某市智慧城市促进条例", city="某市")
    chapter = operations.add_chapter(draft, "总则").inserted[0]
    uid = operations.insert_article(draft, chapter, "\n".join(paragraphs)).inserted[0]
    return draft, uid


def _texts(draft: Draft, uid: str) -> list[str]:
    return [p.text for p in draft.article(uid).paragraphs]


def test_inserted_paragraph_makes_previous_paragraph_explicit_and_undo_restores():
    draft, uid = _article_draft("单位应当报送数据。", "违反前款规定的，责令改正。")
    change = operations.insert_paragraph(draft, uid, 1, "单位应当保证数据质量。")
    assert _texts(draft, uid)[2] == "违反本条第一款规定的，责令改正。"
    changes.undo(draft, change)
    assert _texts(draft, uid) == ["单位应当报送数据。", "违反前款规定的，责令改正。"]


def test_deleting_the_inserted_paragraph_brings_back_the_short_form():
    draft, uid = _article_draft("甲应当报送。", "乙应当核对。", "违反前款规定的，责令改正。")
    operations.delete_paragraph(draft, uid, 0)
    assert _texts(draft, uid) == ["乙应当核对。", "违反前款规定的，责令改正。"]
    operations.insert_paragraph(draft, uid, 0, "丙应当公开。")
    assert _texts(draft, uid)[2] == "违反前款规定的，责令改正。"


def test_deleting_the_target_paragraph_leaves_a_dangling_reference():
    draft, uid = _article_draft("甲应当报送。", "违反前款规定的，责令改正。")
    operations.delete_paragraph(draft, uid, 0)
    [binding] = draft.refs[uid]
    assert binding.status == "dangling"


def test_two_preceding_paragraphs_and_a_split():
    draft, uid = _article_draft(
        "甲应当报送。乙应当核对。", "丙应当公开。", "违反前两款规定的，罚款。"
    )
    operations.split_paragraph(draft, uid, 0, len("甲应当报送。"))
    # The run the reference meant now spans three 款, still right before the citing one.
    assert _texts(draft, uid)[3] == "违反前三款规定的，罚款。"
    operations.merge_paragraphs(draft, uid, 0)
    assert _texts(draft, uid)[2] == "违反前两款规定的，罚款。"


def test_relative_bindings_survive_save_and_load(tmp_path):
    draft, uid = _article_draft("甲应当报送。", "违反前款规定的，责令改正。")
    path = tmp_path / "d.drafter.json"
    save_project(draft, path)
    loaded = parse_project(path.read_bytes(), path)
    operations.insert_paragraph(loaded, uid, 1, "乙应当核对。")
    assert _texts(loaded, uid)[2] == "违反本条第一款规定的，责令改正。"


def test_first_paragraph_previous_reference_is_left_to_the_checks():
    draft, uid = _article_draft("违反前款规定的，责令改正。")
    assert draft.refs.get(uid, []) == []


def test_references_to_items_follow_inserted_and_deleted_items():
    draft = Draft(title="某市智慧城市促进条例", city="某市")
    chapter = operations.add_chapter(draft, "总则").inserted[0]
    listing = operations.insert_article(
        draft, chapter, "市人民政府应当推动下列工作：\n（一）甲；\n（二）乙；\n（三）丙。"
    ).inserted[0]
    citing = operations.insert_article(draft, chapter, "违反本条例第一条第三项规定的，责令改正。")
    citing = citing.inserted[0]
    article = draft.article(listing)
    operations.edit_paragraph(
        draft, listing, 0, article.paragraphs[0].text, ["零；", "甲；", "乙；", "丙。"]
    )
    assert draft.article(citing).paragraphs[0].text == "违反本条例第一条第四项规定的，责令改正。"
    operations.edit_paragraph(draft, listing, 0, article.paragraphs[0].text, ["零；", "丙。"])
    assert draft.article(citing).paragraphs[0].text == "违反本条例第一条第二项规定的，责令改正。"
    operations.edit_paragraph(draft, listing, 0, article.paragraphs[0].text, ["零。"])
    assert draft.refs[citing][0].status == "dangling"
