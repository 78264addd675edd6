"""Named versions and the revision diff: marking, viewing, restoring (undoably, same uids),
and what changed between two versions of a realistic draft, article by article."""

from __future__ import annotations

from datetime import date

import pytest

from drafter.draft import operations as ops
from drafter.draft.changes import redo, undo
from drafter.draft.project_file import load_project, save_project
from drafter.draft.revision_diff import (
    ADDED,
    DELETED,
    EQUAL,
    MODIFIED,
    UNCHANGED,
    compare,
    paragraph_revisions,
)
from drafter.draft.versions import (
    VersionError,
    find_version,
    mark_version,
    restore_version,
    version_draft,
)
from drafter.library import ReferenceLibrary
from tests.revision_samples import NEW_ARTICLE, consultation_draft, revised_draft


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    return ReferenceLibrary(data_dir=tmp_path_factory.mktemp("user-data"))


@pytest.fixture
def revised(library):
    return revised_draft(library)


def _by_old(diff):
    return {a.old_number: a for a in diff.articles if a.old_number}


# -- versions ------------------------------------------------------------------------------


def test_marking_keeps_a_snapshot_with_the_same_uids(library):
    draft = consultation_draft(library)
    version = mark_version(draft, " 征求意见稿 ", note="向社会公开征求意见")
    assert (version.name, version.date) == ("征求意见稿", date.today().isoformat())
    assert draft.modified
    ops.delete_article(draft, draft.article_by_number(1).uid)
    old = version_draft(find_version(draft, "征求意见稿"))
    assert old.statute.article_count == draft.statute.article_count + 1
    assert {a.uid for a in draft.articles()} < {a.uid for a in old.articles()}
    # viewing is read-only: the view is a copy, the snapshot stays as it was
    old.articles().__next__().paragraphs[0].text = "改动"
    assert version_draft(version).article_by_number(1).paragraphs[0].text != "改动"


def test_duplicate_names_and_bad_dates_are_refused(library):
    draft = consultation_draft(library)
    mark_version(draft, "征求意见稿", "2026-11-02")
    with pytest.raises(VersionError, match="已有名为“征求意见稿”的版本"):
        mark_version(draft, "征求意见稿")
    with pytest.raises(VersionError, match="日期格式不对"):
        mark_version(draft, "送审稿", "11月2日")
    with pytest.raises(VersionError, match="不能为空"):
        mark_version(draft, "  ")
    with pytest.raises(VersionError, match="没有名为“草案”的版本；已有：征求意见稿"):
        find_version(draft, "草案")
    assert [v.name for v in draft.versions] == ["征求意见稿"]


def test_versions_survive_save_and_load(revised, tmp_path):
    path = tmp_path / "d.drafter.json"
    save_project(revised, path)
    loaded = load_project(path)
    assert [(v.name, v.date, v.note) for v in loaded.versions] == [
        ("征求意见稿", "2026-11-02", "向社会公开征求意见"),
        ("送审稿", "2026-12-01", ""),
    ]
    diff = compare(version_draft(loaded.versions[0]), loaded)
    assert len(diff.of_kind(ADDED)) == 1


def test_restore_is_one_undoable_change_keeping_uids(revised):
    current = revised.to_json()
    uids = [a.uid for a in revised.articles()]
    change = restore_version(revised, "征求意见稿")
    old = version_draft(find_version(revised, "征求意见稿"))
    assert revised.text_json()["chapters"] == old.text_json()["chapters"]
    assert [c.title for c in revised.chapters][1] == "建设与应用"
    assert [v.name for v in revised.versions] == ["征求意见稿", "送审稿"]  # kept
    assert change.inserted and change.removed and change.structure_changed
    # the restored text carries on with the same identities: nothing differs by uid
    assert compare(old, revised).empty
    undo(revised, change)
    assert revised.to_json() == current
    assert [a.uid for a in revised.articles()] == uids
    redo(revised, change)
    assert compare(old, revised).empty


# -- the revision diff ---------------------------------------------------------------------


def test_diff_of_two_versions_of_a_realistic_draft(revised):
    diff = compare(*(version_draft(v) for v in revised.versions))
    old = _by_old(diff)
    [added] = diff.of_kind(ADDED)
    assert (added.new_number, added.new.text()) == (2, NEW_ARTICLE)
    assert [a.old_number for a in diff.of_kind(DELETED)] == [7]
    assert [(a.old_number, a.new_number) for a in diff.of_kind(MODIFIED)] == [(3, 4), (4, 5)]
    # 第四条: only its second 款 reworded, the first kept
    assert [p.kind for p in old[4].paragraphs] == [EQUAL, MODIFIED]
    # moved to another chapter, not merely renumbered
    assert old[8].moved and old[8].chapter_moved and not old[8].renumbered
    assert (old[8].old_number, old[8].new_number) == (8, 11)
    # shifted by the insertion and the deletion only: renumbered, not moved
    assert old[5].renumbered and not old[5].moved and old[5].kind == UNCHANGED
    assert old[12].new_number == 12 and old[12].untouched and not old[12].renumbered
    # 第十条's citation of 第六条 followed the renumbering: not a modification
    assert old[10].citations_only and old[10].kind == UNCHANGED and old[10].text_changed
    assert "第七条" in old[10].new.text() and "第六条" in old[10].old.text()
    [retitled] = [c for c in diff.chapters if c.retitled]
    assert (retitled.old.title, retitled.new.title) == ("建设与应用", "建设和应用")


def test_reading_order_places_deleted_articles_where_they_were(revised):
    diff = compare(*(version_draft(v) for v in revised.versions))
    order = [(e.old_number, e.new_number) for e in diff.entries if hasattr(e, "paragraphs")]
    assert order[:9] == [
        (1, 1),
        (None, 2),
        (2, 3),
        (3, 4),
        (4, 5),
        (5, 6),
        (6, 7),
        (7, None),
        (9, 8),
    ]
    assert order[-3:] == [(8, 11), (12, 12), (13, 13)]


def test_facts_for_the_explanation_of_changes(revised):
    facts = compare(*(version_draft(v) for v in revised.versions)).facts()
    assert (facts.added, facts.deleted, facts.modified, facts.moved) == (
        [2],
        [7],
        [4, 5],
        [(8, 11)],
    )
    sentence = facts.sentence("征求意见稿", "送审稿")
    assert sentence.startswith(
        "与征求意见稿相比，送审稿共增加一条、删除一条、修改两条、调整顺序一条，条文总数仍为十三条。"
    )
    assert "原第八条调整为第十一条" in sentence and "“建设与应用”一章改为“建设和应用”" in sentence


def test_moving_within_a_chapter_is_told_from_renumbering(library):
    draft = consultation_draft(library)
    mark_version(draft, "草案", "2026-10-01")
    general = draft.chapters[0]
    fourth = draft.article_by_number(4)
    ops.move_article(draft, fourth.uid, general.uid, 0)  # 第四条 becomes 第一条
    diff = compare(version_draft(draft.versions[0]), draft)
    old = _by_old(diff)
    assert old[4].moved and not old[4].chapter_moved and old[4].new_number == 1
    # 第一条 to 第三条 each went one down: the matching keeps them in place
    assert all(old[n].renumbered and not old[n].moved for n in (1, 2, 3))
    assert diff.facts().moved == [(4, 1)]


def test_paragraphs_are_paired_by_similarity():
    old = ["市人民政府负责统筹。", "区人民政府负责实施。", "乡镇配合。"]
    new = ["市人民政府负责统筹协调。", "新增的一款内容完全不同。", "区人民政府负责组织实施。"]
    kinds = [(p.kind, p.old_index, p.new_index) for p in paragraph_revisions(old, new)]
    assert kinds == [
        (MODIFIED, 0, 0),
        (ADDED, None, 1),
        (MODIFIED, 1, 2),
        (DELETED, 2, None),
    ]


def test_a_damaged_snapshot_is_reported_for_its_version(revised, tmp_path):
    import json

    from drafter.draft.versions import resolve

    path = tmp_path / "d.drafter.json"
    save_project(revised, path)
    data = json.loads(path.read_text(encoding="utf-8"))
    article = data["draft"]["versions"][0]["draft"]["chapters"][2]["articles"][0]
    article["refs"][0]["end"] = 999  # a citation beyond its text
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    draft = load_project(path)  # the current text is fine and opens
    with pytest.raises(VersionError, match="版本“征求意见稿”的内容已损坏"):
        resolve(draft, "征求意见稿")
    assert resolve(draft, "送审稿").statute.article_count == 13


def test_copies_of_a_draft_share_its_snapshots(revised):
    import copy

    twin = copy.deepcopy(revised)
    assert twin.versions == revised.versions
    assert twin.versions[0] is not revised.versions[0]
    assert twin.versions[0].draft is revised.versions[0].draft  # never changed in place
    twin.versions.pop()
    assert len(revised.versions) == 2


def test_deleted_parts_stay_where_they_were_when_their_neighbour_moved(library):
    draft = consultation_draft(library)
    mark_version(draft, "A")
    ops.delete_chapter(draft, draft.chapters[2].uid)  # 法律责任: 第十条, 第十一条
    ninth = draft.article_by_number(9)  # the last of 第二章, moved to 总则
    ops.move_article(draft, ninth.uid, draft.chapters[0].uid, 4)
    diff = compare(version_draft(draft.versions[0]), draft)
    order = [
        ("章", e.old.title if e.old else e.new.title)
        if not hasattr(e, "paragraphs")
        else (e.kind, e.old_number)
        for e in diff.entries
    ]
    at = order.index(("章", "法律责任"))
    assert order[at - 1] == (UNCHANGED, 8) and order[at + 1 : at + 3] == [
        (DELETED, 10),
        (DELETED, 11),
    ]
    assert order[5] == (UNCHANGED, 9)  # the moved one, in its new place in 总则


def test_the_facts_leave_out_what_did_not_happen(revised):
    from drafter.draft.revision_diff import RevisionFacts

    added_one = RevisionFacts(3, 4, [2], [], [], [], 2, [], [], [])
    assert added_one.sentence("征求意见稿", "草案") == (
        "与征求意见稿相比，草案共增加一条，条文由三条调整为四条。"
        "其中，增加的是第二条。其余条文中，有两条的序号随之相应调整。"
    )
    nothing = RevisionFacts(2, 2, [], [], [], [], 0, [], [], [])
    assert nothing.sentence() == "本次修改条文未作增删和修改，条文总数仍为两条。"
