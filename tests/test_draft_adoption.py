"""Adopting reference clauses (localisation, provenance, source citations) and the checks."""

from __future__ import annotations

import json

import pytest

from drafter.draft import operations as ops
from drafter.draft.adoption import Clause, adopt
from drafter.draft.checks import run_checks
from drafter.draft.crossrefs import BOUND, UNRESOLVED
from drafter.draft.document import Draft
from drafter.draft.localisation import localise
from drafter.draft.provenance import (
    article_label,
    confirm_source,
    discover_sources,
    propose_sources,
    reject_source,
)
from drafter.draft.source_links import CONFIRMED, REJECTED
from drafter.library import ReferenceLibrary


@pytest.fixture(scope="module")
def library():
    return ReferenceLibrary()


def _clause(library, ref: str, article: int) -> Clause:
    reference = library.get(ref)
    return Clause(ref, reference.city, article, 0, reference.statute.article(article).text())


def _snapshot(draft: Draft) -> str:
    return json.dumps(draft.to_json(), ensure_ascii=False, sort_keys=True)


def _draft(title: str = "某市智慧城市促进条例") -> Draft:
    draft = Draft.with_chapters(title, "某市", ["总则", "建设", "法律责任", "附则"])
    ops.insert_article(draft, draft.chapters[0].uid, "为了促进智慧城市建设，制定本条例。")
    ops.insert_article(draft, draft.chapters[1].uid, "公共设施应当向信息基础设施建设单位开放。")
    ops.insert_article(draft, draft.chapters[3].uid, "本条例自2026年1月1日起施行。")
    return draft


def test_localisation_replaces_what_is_safe_and_flags_the_rest():
    result = localise(
        "海口市人民政府应当在海口市行政区域内推进智慧海口建设，服务海南自由贸易港。",
        "海口市",
        "某市智慧城市促进条例",
        "某市",
    )
    assert result.text == "市人民政府应当在本市行政区域内推进智慧城市建设，服务海南自由贸易港。"
    assert [(f.kind, f.term) for f in result.flags] == [("regional_name", "海南自由贸易港")]
    chengdu = localise("建设智慧蓉城运行中心，推进智慧蓉城建设。", "成都市", "某市智慧城市促进条例")
    # the named body is flagged whole; the label elsewhere becomes the generic term
    assert chengdu.text == "建设智慧蓉城运行中心，推进智慧城市建设。"
    assert [f.kind for f in chengdu.flags] == ["local_body"]
    # a draft about something else keeps the label and flags it
    other = localise("推进智慧蓉城建设。", "成都市", "某市数字化转型促进条例")
    assert other.text == "推进智慧蓉城建设。" and other.flags[0].kind == "city_label"
    document = localise("参照（鹰府发[2017]11号）执行。", "鹰潭市", "某市智慧城市促进条例")
    assert [(f.kind, f.term) for f in document.flags] == [("other_document", "鹰府发[2017]11号")]


def test_adopting_an_article_that_cites_its_source(library):
    draft = _draft()
    before = _snapshot(draft)
    change = adopt(
        draft, _clause(library, "yingtan", 43), "article", chapter_uid=draft.chapters[2].uid
    )
    uid = change.inserted[0]
    article = draft.article(uid)
    assert article.number == 3 and article.text().startswith("违反本条例第十六条规定")
    [binding] = draft.refs[uid]
    assert (binding.status, binding.source_ref, binding.source_article) == (
        UNRESOLVED,
        "yingtan",
        16,
    )
    assert any("yingtan自身的条文" in note for note in change.notes)
    [link] = draft.provenance[uid]
    assert (link.ref, link.article, link.label) == ("yingtan", 43, "照搬") and link.adopted_at
    assert article_label(draft, article) == "照搬"
    unresolved = [r for r in run_checks(draft) if r.code == "reference_unresolved"]
    assert [(r.article, r.paragraph) for r in unresolved] == [(3, 1)]
    # renumbering leaves the unresolved citation alone …
    ops.insert_article(draft, draft.chapters[0].uid, "新增一条。", index=0)
    assert draft.article(uid).text().startswith("违反本条例第十六条规定")
    # … until the drafter links it to the draft's own article
    target = draft.article_by_number(3)
    ops.link_reference(draft, uid, 0, target.uid)
    assert draft.article(uid).text().startswith("违反本条例第三条规定")
    assert draft.refs[uid][0].status == BOUND
    assert not [r for r in run_checks(draft) if r.code.startswith("reference_")]
    # undoing everything gives back the draft before the adoption
    draft2 = _draft()
    snap = _snapshot(draft2)
    change2 = adopt(
        draft2, _clause(library, "yingtan", 43), "article", chapter_uid=draft2.chapters[2].uid
    )
    ops.undo(draft2, change2)
    assert _snapshot(draft2) == snap
    assert before != _snapshot(draft)


def test_adopting_localises_and_flags(library):
    draft = _draft()
    change = adopt(
        draft, _clause(library, "haikou", 1), "article", chapter_uid=draft.chapters[0].uid, index=0
    )
    text = draft.article(change.inserted[0]).text()
    assert "结合本市实际" in text
    assert any("海南自由贸易港" in note for note in change.notes)
    change = adopt(
        draft, _clause(library, "chengdu", 4), "article", chapter_uid=draft.chapters[0].uid
    )
    assert draft.article(change.inserted[0]).text().startswith("智慧城市建设应当坚持")


def test_replace_and_append_a_paragraph_then_edit_relabels(library):
    draft = _draft()
    article = draft.article_by_number(2)
    clause = Clause(
        "yingtan", "鹰潭市", 16, 1, library.get("yingtan").statute.article(16).paragraphs[0].text
    )
    adopt(draft, clause, "replace", article_uid=article.uid, paragraph=0)
    [link] = draft.provenance[article.uid]
    assert link.draft_paragraph == 0 and link.label == "照搬"
    haikou3 = library.get("haikou").statute.article(3).text()
    adopt(draft, Clause("haikou", "海口市", 3, 1, haikou3), "append", article_uid=article.uid)
    assert draft.article(article.uid).paragraphs[1].text == haikou3
    assert [link.draft_paragraph for link in draft.provenance[article.uid]] == [0, 1]
    ops.edit_paragraph(draft, article.uid, 0, "电信业务经营者应当依法接受监督检查。")
    assert draft.provenance[article.uid][0].label == "参考"
    assert draft.provenance[article.uid][1].label == "照搬"
    # merging the two 款 keeps both links on the merged 款
    ops.merge_paragraphs(draft, article.uid, 0)
    assert [link.draft_paragraph for link in draft.provenance[article.uid]] == [0, 0]


def test_discovery_proposes_and_the_drafter_confirms_or_rejects(library):
    draft = _draft()
    haikou3 = library.get("haikou").statute.article(3).text()
    change = ops.insert_article(draft, draft.chapters[0].uid, haikou3)
    uid = change.inserted[0]
    found = discover_sources(draft, library)
    assert found[uid][0].ref == "haikou" and found[uid][0].article == 3
    propose_sources(draft, found)
    # Proposals are not provenance yet, nor is the article new while they wait.
    assert article_label(draft, draft.article(uid)) == "待确认"
    confirm_source(draft, uid, "haikou", 3)
    assert draft.provenance[uid][0].state == CONFIRMED
    assert article_label(draft, draft.article(uid)) == "照搬"
    others = [link for link in draft.provenance[uid] if link.state == "suggested"]
    if others:
        reject_source(draft, uid, others[0].ref, others[0].article)
        assert any(link.state == REJECTED for link in draft.provenance[uid])
        propose_sources(draft, discover_sources(draft, library))
        keys = [(link.ref, link.article) for link in draft.provenance[uid]]
        assert len(keys) == len(set(keys))  # a rejected source is not proposed again
    with pytest.raises(ops.DraftOperationError):
        confirm_source(draft, uid, "haikou", 3)  # already confirmed


def test_checks_name_their_place_and_severity():
    draft = Draft.with_chapters("某市智慧城市促进条例", "某市", ["建设", "其他"])
    first, second = (c.uid for c in draft.chapters)
    ops.insert_article(draft, first, "市人民政府应当推进智慧城市建设,加强统筹。")
    ops.insert_article(draft, first, "前款规定的事项，由市人民政府负责。")
    ops.insert_article(draft, second, "市人民政府应当推进智慧城市建设，加强统筹协调。")
    ops.insert_article(draft, second, "")
    ops.insert_article(draft, second, "本规定于____年　月　日印发。")
    results = {(r.code, r.chapter, r.article, r.paragraph, r.severity) for r in run_checks(draft)}
    assert ("half_width_punctuation", 1, 1, 1, "warning") in results
    assert ("reference_dangling", 1, 2, 1, "error") in results  # 前款 in the first 款
    assert ("near_duplicate_article", 2, 3, None, "warning") in results
    assert ("empty_article", 2, 4, None, "error") in results
    assert ("placeholder", 2, 5, 1, "error") in results
    assert ("missing_general_provisions", None, None, None, "warning") in results
    assert ("missing_supplementary_provisions", None, None, None, "warning") in results
    assert ("missing_commencement", None, None, None, "error") in results
