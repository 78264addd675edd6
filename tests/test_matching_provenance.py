"""The provenance measure: shares, similarity, labels, several sources."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drafter.library import ReferenceLibrary
from drafter.matching.normalize import Normalizer, normalize
from drafter.matching.provenance import (
    COPIED_SIMILARITY,
    LABEL_COPIED,
    LABEL_MODIFIED,
    LABEL_REFERENCED,
    attribute_sources,
    compare_texts,
    label_for,
    substantive_edits,
)


@pytest.fixture(scope="module")
def library() -> ReferenceLibrary:
    return ReferenceLibrary()


def test_copy_with_city_swapped_is_copied(library):
    source = library.get("haikou").statute.article(8).paragraphs[1].full_text()
    draft = source.replace("公共机构", "成都市公共机构")
    measure = compare_texts(draft, source)
    assert measure.share > 0.95
    assert measure.label == LABEL_COPIED


def test_real_reuse_between_references_is_modified_or_copied(library):
    # 海口 8(2) is reused inside 成都 7(2) with a new first sentence (dev gold V6).
    haikou = library.get("haikou").statute.article(8).paragraphs[1].full_text()
    chengdu = library.get("chengdu").statute.article(7).paragraphs[1].full_text()
    measure = compare_texts(chengdu, haikou)
    assert 0.4 <= measure.share < 0.9
    assert measure.label == LABEL_MODIFIED
    assert compare_texts(haikou, chengdu).share > 0.9


def test_unrelated_text_is_referenced_with_no_share(library):
    draft = library.get("wuxi").statute.article(44).text()
    source = library.get("jining").statute.article(69).text()
    measure = compare_texts(draft, source)
    assert measure.share < 0.15
    assert measure.label == LABEL_REFERENCED


def test_stray_common_characters_are_not_credited():
    measure = compare_texts("数据应当共享", "应当依法管理数据并推动共享")
    assert measure.share == 0.0


def test_spans_cover_the_copied_part_in_original_offsets():
    draft = "海口市建立首席数据官制度。另外写的新内容在这里"
    measure = compare_texts(draft, "成都市建立首席数据官制度")
    assert measure.draft_spans == [(0, 12)]


def test_several_sources_credit_each_character_once():
    draft = "建立首席数据官制度，统筹推进数据工作，其余全是新写的句子"
    attribution = attribute_sources(draft, ["建立首席数据官制度", "首席数据官制度统筹推进数据工作"])
    assert sum(attribution.shares) + attribution.new_share == pytest.approx(1.0)
    assert attribution.shares[1] > attribution.shares[0]  # the bigger cover claims first
    assert attribution.new_share > 0.3


def test_empty_draft():
    assert compare_texts("", "任何内容").share == 0.0
    assert attribute_sources("，。", ["x"]).shares == [0.0]


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="市政府應當數据共享（）、，。海口成都区县ABＣ 123", max_size=40))
def test_offsets_agree_with_the_fast_path(text):
    normalizer = Normalizer(["海口市", "成都市"])
    norm, offsets = normalizer.normalize_with_offsets(text)
    assert norm == normalizer.normalize(text)
    assert len(offsets) == len(norm)
    assert all(0 <= start < end <= len(text) for start, end in offsets)


def test_normalisation_sees_through_script_cities_and_labels():
    assert normalize("海口市人民政府應當") == normalize("成都市人民政府应当")
    assert normalize("智慧蓉城") == normalize("智慧城市")
    assert normalize("区（市）县") == normalize("县（市、区）") == normalize("县级市、区")
    assert normalize("人才、核心") == "人才核心"  # variant table must not go back to 纔/覈


@pytest.mark.parametrize(
    ("source", "draft", "kinds"),
    [
        ("由市大数据管理局负责", "由市政务服务数据管理局负责", ("机构",)),
        ("市人民政府应当加强领导", "县级以上人民政府应当加强领导", ("机构",)),
        ("由工商行政管理部门责令", "由市场监督管理部门责令", ("机构",)),
        ("应当在十五日内答复", "应当在三十日内答复", ("数字",)),
        ("处五万元以上二十万元以下的罚款", "处一万元以上十万元以下的罚款", ("数字",)),
        ("违反本条例第十六条规定", "违反本条例第六条规定", ("引用条文",)),
        # not substantive: wording, localisation, county-tier forms, 布局 is no 局
        ("市人民政府应当推进有关部门工作", "市人民政府应当推动有关部门工作", ()),
        ("海口市人民政府应当加强领导", "市人民政府应当加强领导", ()),
        ("智慧蓉城建设应当统一规划", "智慧城市建设应当统一规划", ()),
        ("区（市）县人民政府负责", "县（市、区）人民政府负责", ()),
        ("建立健全工作机制，优化产业布局", "建立完善工作机制，调整产业布局", ()),
        ("推进一体化建设", "推动一体化建设", ()),
    ],
)
def test_substantive_edits(source, draft, kinds):
    assert substantive_edits(draft, source) == kinds


def test_a_substantive_edit_caps_a_close_copy_at_modified(library):
    source = library.get("yingtan").statute.article(43).text()
    draft = source.replace("第十六条", "第六条")
    measure = compare_texts(draft, source)
    assert measure.similarity >= COPIED_SIMILARITY
    assert measure.substantive == ("引用条文",)
    assert measure.label == LABEL_MODIFIED


def test_label_never_disagrees_with_the_figure_on_real_pairs(library):
    # Every article of 成都 against its best-sharing article of 海口: the label is the
    # rule's function of the similarity shown (and of a substantive edit).
    haikou = [a.text() for a in library.get("haikou").statute.articles()]
    measures = []
    for article in list(library.get("chengdu").statute.articles())[:20]:
        best = max(haikou, key=lambda s: compare_texts(article.text(), s).share)
        measures.append(compare_texts(article.text(), best))
    for m in measures:
        assert m.label == label_for(m.similarity, bool(m.substantive))
    ranked = sorted(measures, key=lambda m: m.similarity)
    ranks = [{"照搬": 0, "修改": 1, "参考": 2}[m.label] for m in ranked if not m.substantive]
    assert ranks == sorted(ranks, reverse=True)
    assert len({m.label for m in measures}) >= 2
