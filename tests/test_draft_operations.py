"""Numbering, cross-references and exact undo under random edits of a draft."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drafter.draft import operations as ops
from drafter.draft.crossrefs import BOUND, DANGLING, UNRESOLVED, find_references
from drafter.draft.document import Draft
from drafter.statute.numerals import to_chinese_numeral as cn


def _snapshot(draft: Draft) -> str:
    return json.dumps(draft.to_json(), ensure_ascii=False, sort_keys=True)


def _small_draft() -> Draft:
    draft = Draft.with_chapters("某市智慧城市促进条例", "某市", ["总则", "建设与应用", "附则"])
    c = [c.uid for c in draft.chapters]
    ops.insert_article(draft, c[0], "为了促进智慧城市建设，制定本条例。")
    ops.insert_article(draft, c[0], "本条例适用于本市行政区域内的智慧城市建设。")
    ops.insert_article(draft, c[1], "市人民政府应当编制规划。\n规划应当向社会公布。")
    ops.insert_article(draft, c[1], "违反本条例第三条第二款规定的，由有关部门责令改正。")
    ops.insert_article(draft, c[2], "本条例自公布之日起施行。")
    return draft


def _check_invariants(draft: Draft, expected: dict[tuple[str, int], str]) -> None:
    numbers = [a.number for a in draft.articles()]
    assert numbers == list(range(1, len(numbers) + 1))
    assert [c.number for c in draft.chapters] == list(range(1, len(draft.chapters) + 1))
    number_of = {a.uid: a.number for a in draft.articles()}
    for article in draft.articles():
        bindings = draft.refs.get(article.uid, [])
        for binding in bindings:
            text = draft.get_text(article, binding.location)
            if binding.status == BOUND:
                assert binding.target in number_of
                assert text[binding.start : binding.end] == binding.render(
                    number_of[binding.target]
                )
        # every article-form reference in the text has exactly one binding
        for location in draft.locations(article):
            text = draft.get_text(article, location)
            found = find_references(text)
            spans = {(m.start, m.end) for m in found}
            here = {(b.start, b.end) for b in bindings if b.location == location}
            # bound spans are real references (a split may leave one after a bare 条例)
            assert here <= spans
            assert {(m.start, m.end) for m in found if m.kind in ("article", "self")} <= here
    for (source_uid, k), target_uid in expected.items():
        if source_uid not in number_of:
            continue
        binding = draft.refs[source_uid][k]
        assert binding.target == target_uid
        assert binding.status == (BOUND if target_uid in number_of else DANGLING)


OPS = [
    "insert",
    "delete",
    "move",
    "move_chapter",
    "add_chapter",
    "delete_chapter",
    "split",
    "merge",
]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(st.tuples(st.sampled_from(OPS), st.integers(0, 999), st.integers(0, 999)), max_size=20)
)
def test_references_follow_their_targets_and_undo_is_exact(steps):
    draft = _small_draft()
    expected: dict[tuple[str, int], str] = {}
    history: list[tuple[str, str, ops.Change]] = []
    for op, x, y in steps:
        articles = list(draft.articles())
        chapters = draft.chapters
        before = _snapshot(draft)
        change = None
        if op == "insert" and chapters:
            chapter = chapters[x % len(chapters)]
            targets = articles[y % len(articles)] if articles else None
            text = "本条规定管理事项。"
            if targets is not None:
                text = (
                    f"违反本条例第{cn(targets.number)}条规定的，依照第{cn(targets.number)}条处理。"
                )
            change = ops.insert_article(
                draft, chapter.uid, text, index=y % (len(chapter.articles) + 1)
            )
            if targets is not None:
                new_uid = change.inserted[0]
                expected[(new_uid, 0)] = targets.uid
                expected[(new_uid, 1)] = targets.uid
        elif op == "delete" and articles:
            change = ops.delete_article(draft, articles[x % len(articles)].uid)
        elif op == "move" and articles and chapters:
            article = articles[x % len(articles)]
            chapter = chapters[y % len(chapters)]
            same = draft.chapter_of(article.uid) is chapter
            upper = len(chapter.articles) - (1 if same else 0)
            change = ops.move_article(draft, article.uid, chapter.uid, y % (upper + 1))
        elif op == "move_chapter" and chapters:
            change = ops.move_chapter(draft, chapters[x % len(chapters)].uid, y % len(chapters))
        elif op == "add_chapter":
            change = ops.add_chapter(draft, f"第{x}章", index=y % (len(chapters) + 1))
        elif op == "delete_chapter" and len(chapters) > 1:
            change = ops.delete_chapter(draft, chapters[x % len(chapters)].uid)
        elif op == "split" and articles:
            article = articles[x % len(articles)]
            text = article.paragraphs[0].text if article.paragraphs else ""
            if len(text) > 2:
                offset = 1 + y % (len(text) - 1)
                try:
                    change = ops.split_paragraph(draft, article.uid, 0, offset)
                except ops.DraftOperationError:
                    assert _snapshot(draft) == before
        elif op == "merge" and articles:
            article = articles[x % len(articles)]
            if len(article.paragraphs) > 1:
                change = ops.merge_paragraphs(draft, article.uid, 0)
        if change is None:
            continue
        after = _snapshot(draft)
        _check_invariants(draft, expected)
        ops.undo(draft, change)
        assert _snapshot(draft) == before
        ops.redo(draft, change)
        assert _snapshot(draft) == after
        history.append((before, after, change))
    # unwinding the whole history restores the starting draft
    for before, _after, change in reversed(history):
        ops.undo(draft, change)
        assert _snapshot(draft) == before


def test_renumbering_rewrites_references_everywhere():
    draft = _small_draft()
    first_chapter = draft.chapters[0].uid
    target = draft.article_by_number(3)
    citing = draft.article_by_number(4)
    change = ops.insert_article(draft, first_chapter, "新增的条款。", index=0)
    assert target.number == 4
    assert draft.article(citing.uid).text() == "违反本条例第四条第二款规定的，由有关部门责令改正。"
    assert change.renumbered[target.uid] == (3, 4)
    assert change.inserted and change.structure_changed


def test_deleting_a_target_flags_the_reference_and_undo_clears_it():
    draft = _small_draft()
    target = draft.article_by_number(3)
    citing_uid = draft.article_by_number(4).uid
    change = ops.delete_article(draft, target.uid)
    assert draft.refs[citing_uid][0].status == DANGLING
    assert citing_uid in change.modified and target.uid in change.removed
    ops.undo(draft, change)
    assert draft.refs[citing_uid][0].status == BOUND


def test_deleting_a_cited_paragraph_flags_it_and_split_renumbers_paragraph_refs():
    draft = _small_draft()
    target = draft.article_by_number(3)
    citing_uid = draft.article_by_number(4).uid
    ops.insert_paragraph(draft, target.uid, 0, "新的第一款。")
    assert draft.article(citing_uid).text() == "违反本条例第三条第三款规定的，由有关部门责令改正。"
    ops.delete_paragraph(draft, target.uid, 2)
    assert draft.refs[citing_uid][0].status == DANGLING


def test_self_reference_follows_split_and_merge():
    draft = _small_draft()
    chapter = draft.chapters[1].uid
    change = ops.insert_article(draft, chapter, "第一句。第二句。\n依照本条第一款规定执行。")
    uid = change.inserted[0]
    ops.split_paragraph(draft, uid, 0, 4)
    assert draft.article(uid).paragraphs[2].text == "依照本条第一款规定执行。"
    ops.insert_paragraph(draft, uid, 0, "开头一款。")
    assert draft.article(uid).paragraphs[3].text == "依照本条第二款规定执行。"
    ops.merge_paragraphs(draft, uid, 0)
    assert draft.article(uid).paragraphs[2].text == "依照本条第一款规定执行。"


def test_editing_text_binds_new_references_to_current_numbers():
    draft = _small_draft()
    first = draft.article_by_number(1)
    citing = draft.article_by_number(5)
    ops.edit_paragraph(draft, citing.uid, 0, "本条例自公布之日起施行。第二条另有规定的除外。")
    assert draft.refs[citing.uid][0].target == draft.article_by_number(2).uid
    ops.move_article(draft, first.uid, draft.chapters[2].uid, 0)
    assert "第一条另有规定" in draft.article(citing.uid).text()


def test_external_references_are_not_bound():
    matches = find_references("依照《中华人民共和国网络安全法》第二十一条和本条例第三条规定")
    assert [m.kind for m in matches] == ["external", "article"]
    relative = find_references("前款规定以外的，依照前两款规定。")
    assert [(m.kind, m.count) for m in relative] == [("relative", 1), ("relative", 2)]


def test_invalid_operations_leave_the_draft_untouched():
    draft = _small_draft()
    before = _snapshot(draft)
    article = draft.article_by_number(1)
    with pytest.raises(ops.DraftOperationError):
        ops.merge_paragraphs(draft, article.uid, 0)
    with pytest.raises(ops.DraftOperationError):
        ops.move_article(draft, article.uid, draft.chapters[0].uid, 9)
    with pytest.raises(ops.DraftOperationError):
        ops.delete_article(draft, "no-such-uid")
    assert _snapshot(draft) == before


def test_meta_and_explanation_edits_are_undoable():
    draft = _small_draft()
    before = _snapshot(draft)
    changes = [
        ops.edit_meta(draft, title="某市数字城市促进条例", status="征求意见稿"),
        ops.set_explanation(draft, [("一、立法的必要性", "……"), ("二、主要内容", "……")]),
        ops.set_caption(draft, draft.article_by_number(1).uid, "立法目的"),
        ops.rename_chapter(draft, draft.chapters[1].uid, "规划与建设"),
    ]
    assert changes[0].meta_changed and not changes[0].structure_changed
    assert draft.statute.title == "某市数字城市促进条例"
    for change in reversed(changes):
        ops.undo(draft, change)
    assert _snapshot(draft) == before


def test_unresolved_reference_can_be_linked():
    draft = _small_draft()
    citing = draft.article_by_number(5)
    ops.edit_paragraph(draft, citing.uid, 0, "违反第九十条规定的，依法处理。")
    assert draft.refs[citing.uid][0].status == UNRESOLVED
    target = draft.article_by_number(2)
    ops.link_reference(draft, citing.uid, 0, target.uid)
    assert draft.article(citing.uid).text() == "违反第二条规定的，依法处理。"
