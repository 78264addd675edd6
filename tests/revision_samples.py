"""A realistic draft revised between two named versions, for the versions, 修改对照稿 and
修改决定 tests: the 征求意见稿 (the realistic draft with an article adopted from 海口) and
the 送审稿 after an article added, one deleted, two reworded, one moved to another chapter,
a chapter renamed and a citation rewritten by the renumbering."""

from __future__ import annotations

from pathlib import Path

from drafter.draft import operations as ops
from drafter.draft.adoption import adopt
from drafter.draft.document import Draft
from drafter.draft.skeleton import draft_from_import, read_draft_file
from drafter.draft.versions import mark_version
from drafter.library import ReferenceLibrary
from tests.test_export_samples import clause

REALISTIC = Path(__file__).parent / "data" / "drafts" / "realistic_draft.txt"
NEW_ARTICLE = "智慧城市建设应当坚持中国共产党的领导，坚持以人民为中心的发展思想。"


def consultation_draft(library: ReferenceLibrary) -> Draft:
    """The 征求意见稿: twelve articles of the realistic draft and 海口's 第四条 adopted."""
    imported = read_draft_file(REALISTIC)
    draft = draft_from_import(imported, imported.title, "某市", "征求意见稿")
    adopt(draft, clause(library, "haikou", 4), "article", chapter_uid=draft.chapters[1].uid)
    return draft


def revised_draft(library: ReferenceLibrary) -> Draft:
    """The draft with 征求意见稿 marked, then revised and marked 送审稿."""
    draft = consultation_draft(library)
    mark_version(draft, "征求意见稿", "2026-11-02", "向社会公开征求意见")
    old = {a.number: a for a in draft.articles()}
    general, building, _, closing = draft.chapters
    ops.insert_article(draft, general.uid, NEW_ARTICLE, index=1)
    third = old[3]
    ops.edit_paragraph(
        draft, third.uid, 0, third.paragraphs[0].text.replace("注重实效", "注重实效、惠民便民")
    )
    fourth = old[4]
    ops.edit_paragraph(
        draft,
        fourth.uid,
        1,
        fourth.paragraphs[1].text.replace("市大数据发展部门", "市政务服务数据管理部门"),
    )
    ops.delete_article(draft, old[7].uid)
    ops.move_article(draft, old[8].uid, closing.uid, 0)
    ops.rename_chapter(draft, building.uid, "建设和应用")
    mark_version(draft, "送审稿", "2026-12-01")
    return draft
