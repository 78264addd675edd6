"""Certain fixes for what the checks find, on real reference text, and rewritten-citation counts."""

from __future__ import annotations

import pytest

from drafter.draft import operations as ops
from drafter.draft.adoption import Clause, adopt
from drafter.draft.changes import undo
from drafter.draft.checks import SEVERITY_ORDER, run_checks
from drafter.draft.document import Draft
from drafter.draft.local_fixes import (
    apply_text_fix,
    fix_half_width,
    local_context,
    own_county_form,
)
from drafter.draft.operations import DraftOperationError
from drafter.library import ReferenceLibrary

LOCAL = ("local_other_city", "local_city_label", "local_county_tier")


@pytest.fixture(scope="module")
def library():
    return ReferenceLibrary()


def _adopt_all(draft: Draft, library, picks: list[tuple[str, int]]) -> None:
    for ref, number in picks:
        reference = library.get(ref)
        text = reference.statute.article(number).text()
        clause = Clause(ref, reference.city, number, 0, text)
        adopt(draft, clause, "article", chapter_uid=draft.chapters[0].uid)


def _fix_everything_certain(draft: Draft) -> int:
    """Apply the checks' fixes one by one (each a separate operation) until none is left."""
    applied = 0
    while True:
        by_number = {a.number: a.uid for a in draft.articles()}
        fixable = [r for r in run_checks(draft) if r.code in LOCAL and r.fix is not None]
        if not fixable:
            return applied
        result = fixable[0]
        apply_text_fix(draft, by_number[result.article], result.fix)
        applied += 1


def test_chengdu_and_yingtan_wording_becomes_the_drafts_own(library):
    # 成都 5 and 27: 智慧蓉城 and 区（市）县; 鹰潭 8 and 25: the short name 鹰潭.
    draft = Draft.with_chapters("深圳市数据条例", "深圳市", ["总则"])
    _adopt_all(draft, library, [("chengdu", 5), ("chengdu", 27), ("yingtan", 8), ("yingtan", 25)])
    before = run_checks(draft)
    found = {(r.code, r.message.split("“")[1].split("”")[0]) for r in before if r.code in LOCAL}
    assert ("local_city_label", "智慧蓉城") in found
    assert ("local_county_tier", "区（市）县") in found
    assert ("local_other_city", "鹰潭") in found
    # Every one of them has a certain fix, and it names the words it is about.
    for result in (r for r in before if r.code in LOCAL):
        assert result.fix is not None, result.message
        slot = result.span
        assert slot is not None
        article = next(a for a in draft.articles() if a.number == result.article)
        text = draft.get_text(article, (slot[0], slot[1]))
        assert text[slot[2] : slot[2] + slot[3]] in result.message

    assert _fix_everything_certain(draft) >= 4
    text = "\n".join(a.text() for a in draft.articles())
    for gone in ("智慧蓉城", "区（市）县", "鹰潭"):
        assert gone not in text
    assert "智慧深圳建设" in text  # the label for the draft's own city
    assert "市和县（市、区）人民政府" in text  # the draft's (default) county-tier form
    assert "契合本市实际发展需要" in text  # 鹰潭 8
    assert not [r for r in run_checks(draft) if r.code in LOCAL]


def test_a_smart_city_draft_gets_the_generic_term_and_its_own_county_form(library):
    draft = Draft.with_chapters("某市智慧城市促进条例", "某市", ["总则"])
    # 济宁 says 县（市、区）: that is the form this draft already uses.
    _adopt_all(draft, library, [("jining", 11), ("chengdu", 5)])
    assert own_county_form(["市和县(市、区)人民政府"], "某市") == "县(市、区)"
    assert local_context(draft).county_form == "县（市、区）"
    uid = draft.article_by_number(2).uid
    _fix_everything_certain(draft)
    fixed = draft.article(uid).text()
    assert "区（市）县" not in fixed and "县（市、区）人民政府" in fixed
    assert "智慧蓉城" not in fixed


def test_place_names_and_document_titles_are_left_to_the_drafter(library):
    draft = Draft.with_chapters("某市智慧城市促进条例", "某市", ["总则"])
    # 海口 24: 海口国家高新技术产业开发区, 海口江东新区, 海口复兴城 are particular places.
    _adopt_all(draft, library, [("haikou", 24)])
    ops.insert_article(draft, draft.chapters[0].uid, "参照《成都市智慧蓉城促进条例》执行。")
    results = [r for r in run_checks(draft) if r.code in LOCAL]
    assert results and all(r.fix is None for r in results)


def test_a_fix_is_one_operation_refused_when_the_text_moved_on():
    draft = Draft.with_chapters("某市数据条例", "某市", ["总则"])
    uid = ops.insert_article(draft, draft.chapters[0].uid, "依照鹰潭实际,制定本条例。").inserted[0]
    results = run_checks(draft)
    half = next(r for r in results if r.code == "half_width_punctuation")
    city = next(r for r in results if r.code == "local_other_city")
    change = apply_text_fix(draft, uid, half.fix)
    assert draft.article(uid).text() == "依照鹰潭实际，制定本条例。"
    with pytest.raises(DraftOperationError, match="已经改动"):
        apply_text_fix(draft, uid, city.fix)  # computed on the text before the first fix
    undo(draft, change)
    assert draft.article(uid).text() == "依照鹰潭实际,制定本条例。"
    apply_text_fix(draft, uid, city.fix)
    assert draft.article(uid).text() == "依照本市实际,制定本条例。"


def test_half_width_brackets_are_converted_with_their_partner():
    assert fix_half_width("依照本条例(见附件)执行,并报告:") == "依照本条例（见附件）执行，并报告："
    assert fix_half_width("编号 2020(1) a,b") == "编号 2020(1) a,b"  # no Chinese next to them


def test_checks_are_sorted_errors_then_warnings_then_hints():
    draft = Draft.with_chapters("某市数据条例", "某市", ["总则"])
    ops.insert_article(draft, draft.chapters[0].uid, "推进海南自由贸易港建设,本市XX年XX月。")
    ranks = [SEVERITY_ORDER[r.severity] for r in run_checks(draft)]
    assert len(set(ranks)) == 3 and ranks == sorted(ranks)


def test_a_move_reports_how_many_citations_it_rewrote():
    draft = Draft.with_chapters("某市数据条例", "某市", ["总则", "附则"])
    first, last = draft.chapters[0].uid, draft.chapters[1].uid
    ops.insert_article(draft, first, "甲。")
    second = ops.insert_article(draft, first, "乙。").inserted[0]
    citing = ops.insert_article(draft, last, "违反本条例第一条、第二条规定的，依照第二条处理。")
    assert citing.references_updated == 0 and citing.messages == []
    change = ops.move_article(draft, second, first, 0)
    assert change.references_updated == 3
    assert "已更新 3 处引用" in change.messages
    assert draft.article_by_number(3).text() == "违反本条例第二条、第一条规定的，依照第一条处理。"
    unrelated = ops.edit_paragraph(draft, second, 0, "乙乙。")
    assert unrelated.references_updated == 0
