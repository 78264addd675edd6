"""The label rule on real references: labels follow the similarity shown, and substantive
edits (an organ, a cross-reference, a number) are never 照搬."""

from __future__ import annotations

import pytest

from drafter.draft import operations as ops
from drafter.draft.adoption import Clause, adopt
from drafter.draft.document import Draft
from drafter.draft.project_file import dumps, envelope, parse_project
from drafter.draft.provenance import article_label
from drafter.library import ReferenceLibrary
from drafter.matching.provenance import (
    COPIED_SIMILARITY,
    MODIFIED_SIMILARITY,
    label_for,
)

RANK = {"照搬": 0, "修改": 1, "参考": 2}


@pytest.fixture(scope="module")
def library() -> ReferenceLibrary:
    return ReferenceLibrary()


def _draft() -> Draft:
    return Draft.with_chapters("某市数字化转型促进条例", "某市", ["总则", "建设", "法律责任"])


def _adopt(draft: Draft, library: ReferenceLibrary, ref: str, number: int, chapter: int) -> str:
    reference = library.get(ref)
    clause = Clause(ref, reference.city, number, 0, reference.statute.article(number).text())
    change = adopt(draft, clause, "article", chapter_uid=draft.chapters[chapter].uid)
    return change.inserted[0]


def _edit(draft: Draft, uid: str, text: str) -> None:
    """Make the article one 款 holding `text`."""
    article = draft.article(uid)
    while len(article.paragraphs) > 1:
        ops.delete_paragraph(draft, uid, len(article.paragraphs) - 1)
    ops.edit_paragraph(draft, uid, 0, text)


def test_wuxi_15_and_19_labels_follow_the_similarity_shown(library):
    # wuxi 15 cut to one sentence: all of it comes from the source (share 1.0) but it is a
    # small part of the source, so the similarity shown is low; wuxi 19 paraphrased: few
    # runs of four characters survive (share < 0.4) but most of the wording matches. The
    # old rule labelled by the share the user never sees: 15 修改 at ~35%, 19 参考 at ~65%.
    draft = _draft()
    cut = _adopt(draft, library, "wuxi", 15, 1)
    _edit(draft, cut, "数字基础设施应当与交通、能源、市政等传统基础设施同步设计。")
    paraphrase = _adopt(draft, library, "wuxi", 19, 1)
    _edit(
        draft,
        paraphrase,
        "数字设施受法保护，个人与组织不可侵占或擅自迁移、拆除此类设施，不可非法侵入、"
        "干扰、毁坏该设施，不可危及其安全。因公益或其他法定事由须迁移、拆除的，依法予以补偿。",
    )
    [low] = draft.provenance[cut]
    [high] = draft.provenance[paraphrase]
    assert low.similarity < MODIFIED_SIMILARITY <= high.similarity < COPIED_SIMILARITY
    assert article_label(draft, draft.article(cut)) == "参考"
    assert article_label(draft, draft.article(paraphrase)) == "修改"


def test_yingtan_43_with_its_agency_replaced_is_modified(library):
    draft = _draft()
    uid = _adopt(draft, library, "yingtan", 43, 2)
    assert article_label(draft, draft.article(uid)) == "照搬"
    text = draft.article(uid).paragraphs[0].text
    edited = text.replace("市、区（市）人民政府（管委会）工商行政管理部门", "市市场监督管理部门")
    assert edited != text
    _edit(draft, uid, edited)
    [link] = draft.provenance[uid]
    assert link.similarity >= COPIED_SIMILARITY  # still close character by character
    assert article_label(draft, draft.article(uid)) == "修改"


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("第十六条", "第六条"),  # a cross-reference
        ("五万元以上二十万元以下", "五万元以上三十万元以下"),  # an amount
        ("工商行政管理部门", "市场监督管理部门"),  # the enforcing body
    ],
)
def test_each_substantive_edit_of_yingtan_43_is_modified(library, old, new):
    draft = _draft()
    uid = _adopt(draft, library, "yingtan", 43, 2)
    text = draft.article(uid).paragraphs[0].text
    assert old in text
    _edit(draft, uid, text.replace(old, new))
    [link] = draft.provenance[uid]
    assert link.similarity >= COPIED_SIMILARITY
    assert link.label == "修改"


def test_a_wording_edit_and_localisation_stay_copied(library):
    # Not substantive: a function word changed, and the city name localised on adoption.
    draft = _draft()
    uid = _adopt(draft, library, "haikou", 1, 0)
    article = draft.article(uid)
    assert "海口" not in article.text()  # localised
    assert article_label(draft, article) == "照搬"
    text = article.paragraphs[0].text
    _edit(draft, uid, text.replace("为了", "为"))
    assert article_label(draft, draft.article(uid)) == "照搬"


def test_time_limit_and_body_changes_in_wuxi(library):
    draft = _draft()
    uid = _adopt(draft, library, "wuxi", 15, 1)
    text = draft.article(uid).paragraphs[1].text
    assert "人民政府" in text
    article = draft.article(uid)
    ops.edit_paragraph(draft, uid, 1, text.replace("市、县级市、区人民政府", "县级以上人民政府"))
    assert article_label(draft, article) == "修改"


def test_saved_labels_of_an_older_rule_are_remeasured_on_opening(library):
    draft = _draft()
    uid = _adopt(draft, library, "yingtan", 43, 2)
    text = draft.article(uid).paragraphs[0].text
    _edit(draft, uid, text.replace("第十六条", "第六条"))
    data = envelope(draft)
    links = [
        link
        for chapter in data["draft"]["chapters"]
        for article in chapter["articles"]
        for link in article["provenance"]
    ]
    assert links
    for link in links:
        link["label"] = "照搬"  # as the old share rule stored it
    reopened = parse_project(dumps(data).encode("utf-8"))
    assert article_label(reopened, reopened.article(uid)) == "修改"


def test_the_rule_is_monotonic_in_the_similarity_shown():
    figures = [x / 10 for x in range(0, 1001)]
    for substantive in (False, True):
        ranks = [RANK[label_for(f, substantive)] for f in figures]
        assert ranks == sorted(ranks, reverse=True)
    assert label_for(COPIED_SIMILARITY) == "照搬"
    assert label_for(COPIED_SIMILARITY, substantive=True) == "修改"
    assert label_for(100.0, substantive=True) == "修改"
    assert label_for(MODIFIED_SIMILARITY) == "修改"
    assert label_for(MODIFIED_SIMILARITY - 0.1) == "参考"
    assert label_for(MODIFIED_SIMILARITY - 0.1, substantive=True) == "参考"
