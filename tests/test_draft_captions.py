"""条旨 suggestions (drafter.draft.captions) and the 主要内容 built from them (main_content)."""

from __future__ import annotations

import docx
import pytest

from drafter.draft import operations as ops
from drafter.draft.adoption import Clause, adopt
from drafter.draft.captions import (
    MAX_CHARS,
    derive_caption,
    ends_open,
    suggest_caption,
)
from drafter.draft.document import Draft
from drafter.draft.localisation import find_local_terms
from drafter.export import export_draft
from drafter.export.main_content import MAX_TOPICS, main_content_paragraphs
from drafter.export.sources import SourceResolver
from drafter.library import ReferenceLibrary
from drafter.statute.local_terms import CITY_LABELS, CITY_NAMES
from drafter.statute.model import Chapter, Statute
from drafter.statute.numerals import to_chinese_numeral as cn

REFERENCES = ("yingtan", "haikou", "chengdu", "jining", "wuxi")
CITY = "某市"
# Two-character words a caption must neither end nor start inside of (…建设工|作…).
WORDS = {
    "工作", "建设", "管理", "服务", "发展", "机制", "体系", "平台", "设施", "资源", "数据",
    "信息", "技术", "应用", "规划", "共享", "安全", "保障", "创新", "融合", "部门", "政府",
    "社会", "经济", "产业", "数字", "城市", "网络", "系统", "标准", "人才", "资金", "项目",
    "制度", "能力", "水平", "领域", "监管", "要素", "市场", "保护", "评估", "考核", "交流",
    "合作", "智慧", "公共", "政务", "基础", "运行", "治理", "改革", "培育", "开放", "利用",
    "开发", "推广", "建筑", "院校", "学校", "机构", "企业", "组织", "目录", "中心", "场景",
}  # fmt: skip
OTHER_PLACES = [n for full, shorts in CITY_NAMES.items() for n in (full, *shorts)]


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    return ReferenceLibrary(data_dir=tmp_path_factory.mktemp("user-data"))


def _articles(library):
    for ref in REFERENCES:
        for article in library.get(ref).statute.articles():
            yield ref, article


def _cut_mid_word(caption: str, text: str) -> bool:
    """True when every occurrence of the caption in the text starts or ends inside a word."""
    start = text.find(caption)
    if start < 0:
        return False
    while start >= 0:
        end = start + len(caption)
        ends_inside = text[end - 1 : end + 1] in WORDS and end < len(text)
        starts_inside = start > 0 and text[start - 1 : start + 1] in WORDS
        if not ends_inside and not starts_inside:
            return False
        start = text.find(caption, start + 1)
    return True


def test_every_article_of_the_five_references_gets_a_whole_short_caption(library):
    bad = []
    for ref, article in _articles(library):
        caption = derive_caption(article.text())
        problems = [
            not caption and "empty",
            "…" in caption and "……",
            len(caption) > MAX_CHARS + 2 and "long",
            ends_open(caption) and "open end",
            any(place in caption for place in OTHER_PLACES) and "city",
            any(label in caption for label in CITY_LABELS) and "label",
            bool(find_local_terms(caption)) and "local term",
            _cut_mid_word(caption, article.text()) and "mid-word",
        ]
        if any(problems):
            bad.append((ref, article.number, caption, [p for p in problems if p]))
    assert not bad


def test_derived_captions_agree_with_chengdus_own_for_most_articles(library):
    """成都 prints 条旨: the caption derived from the text alone matches or shares a word."""
    articles = list(library.get("chengdu").statute.articles())
    agreeing = 0
    for article in articles:
        derived = derive_caption(article.text())
        own = article.caption
        agreeing += derived == own or any(derived[i : i + 2] in own for i in range(len(derived)))
    assert agreeing / len(articles) >= 0.75


@pytest.mark.parametrize(
    ("text", "caption"),
    [
        ("为了促进数字经济发展，根据有关法律、法规，结合本市实际，制定本条例。", "立法目的"),
        ("本条例适用于本市行政区域内的数字经济促进活动。", "适用范围"),
        ("本市行政区域内智慧城市建设及相关管理活动适用本条例。", "适用范围"),
        ("市人民政府应当加强对数字经济工作的领导，建立协调机制。", "政府职责"),
        ("违反本条例规定，有关部门未履行职责的，依法给予处分。", "法律责任"),
        ("本条例自2025年1月1日起施行。", "施行日期"),
        ("市人民政府应当建立公共数据共享协调机制，统筹解决重大问题。", "公共数据共享协调机制"),
        ("市数据管理部门负责本市公共数据管理工作。", "部门职责"),
        ("鼓励企业、高校、科研院所建设行业云数据平台，汇集行业数据资源。", "行业云数据平台"),
        ("市、区人民政府应当推进信息基础设施建设，重点推进新一代移动通信。", "信息基础设施建设"),
        ("网信部门应当推进杆路、管道、机房等信息基础设施共建共享。", "信息基础设施共建共享"),
        # A list of duties: it gave 下列职责.
        ("市人民政府应当履行下列职责：（一）统筹推进数据基础设施建设；", "政府职责"),
        ("市数据主管部门履行以下职责：（一）拟订公共数据管理制度；", "部门职责"),
    ],
)
def test_formulas_and_objects_of_duties(text, caption):
    assert derive_caption(text) == caption


def test_derivation_is_cached_per_text():
    derive_caption.cache_clear()
    text = "市人民政府应当建立公共数据共享协调机制。"
    derive_caption(text)
    derive_caption(text)
    assert derive_caption.cache_info().hits == 1


def _clause(library, ref: str, number: int) -> Clause:
    reference = library.get(ref)
    return Clause(ref, reference.city, number, 0, reference.statute.article(number).text())


def test_an_adopted_article_takes_its_sources_caption_but_never_a_place(library):
    draft = Draft.with_chapters("某市智慧城市促进条例", CITY, ["总则", "区域协同"])
    adopt(draft, _clause(library, "chengdu", 9), "article", chapter_uid=draft.chapters[0].uid)
    adopt(draft, _clause(library, "chengdu", 25), "article", chapter_uid=draft.chapters[1].uid)
    sensing, metropolitan = draft.articles()
    assert suggest_caption(draft, sensing, library) == "城市物联感知体系"
    # Through the export's resolver too.
    assert suggest_caption(draft, sensing, SourceResolver(library)) == "城市物联感知体系"
    # 【成都都市圈】 names another city: the suggestion is the generic topic instead.
    suggestion = suggest_caption(draft, metropolitan, library)
    assert suggestion and not find_local_terms(suggestion, CITY)
    # Without a library only the text speaks.
    assert suggest_caption(draft, sensing) == derive_caption(sensing.text())


def _adopted_draft(library) -> Draft:
    draft = Draft.with_chapters(
        "某市智慧城市促进条例", CITY, ["总则", "数字基础设施", "保障措施", "法律责任", "附则"]
    )
    uids = [c.uid for c in draft.chapters]
    plan = [
        (0, "haikou", 1), (0, "wuxi", 2), (0, "jining", 3), (0, "chengdu", 5), (0, "haikou", 5),
        (1, "chengdu", 7), (1, "haikou", 8), (1, "wuxi", 16), (1, "jining", 22),
        (1, "jining", 25), (1, "chengdu", 11), (1, "yingtan", 17), (1, "haikou", 6),
        (1, "wuxi", 17), (1, "wuxi", 18), (1, "jining", 26), (1, "jining", 14),
        (2, "chengdu", 28), (2, "chengdu", 29), (2, "chengdu", 24), (2, "chengdu", 28),
        (3, "jining", 71), (4, "haikou", 42),
    ]  # fmt: skip
    for chapter, ref, number in plan:
        adopt(draft, _clause(library, ref, number), "article", chapter_uid=uids[chapter])
    return draft


def test_main_content_is_one_paragraph_per_theme_with_general_and_supplementary_together(
    library,
):
    draft = _adopted_draft(library)
    ops.set_caption(draft, draft.chapters[2].articles[0].uid, "【资金保障】：")
    paragraphs = main_content_paragraphs(draft, SourceResolver(library))
    assert paragraphs[0].startswith("（一）关于总则和附则。主要明确了立法目的、适用范围")
    assert "施行日期" in paragraphs[0]
    assert [p[: p.index("）") + 1] for p in paragraphs] == [f"（{cn(n)}）" for n in range(1, 5)]
    assert paragraphs[1].startswith("（二）关于数字基础设施。主要规定了")
    # More topics than fit: the list closes with 等内容.
    assert paragraphs[1].endswith("等内容。")
    assert paragraphs[1].count("、") == MAX_TOPICS - 1
    # The drafter's caption is used without its brackets, and its colon never becomes 。.
    assert "主要规定了资金保障、" in paragraphs[2]
    assert "：" not in paragraphs[2] and "。、" not in paragraphs[2]
    # Two articles with one caption are listed once.
    assert paragraphs[2].count("资金保障") == 1
    assert paragraphs[3] == "（四）关于法律责任。对法律责任作了规定。"
    for paragraph in paragraphs:
        assert "…" not in paragraph
        assert not find_local_terms(paragraph, CITY), paragraph
        assert paragraph.endswith("。") and "。。" not in paragraph


def test_a_chapterless_draft_is_summarised_by_kind_of_article(library):
    title = "某市公共数据管理规定"
    draft = Draft(title, CITY, statute=Statute(title, chapters=[Chapter(number=0, title="")]))
    chapter = draft.chapters[0].uid
    for ref, number in (("haikou", 1), ("haikou", 2), ("jining", 25), ("jining", 71)):
        adopt(draft, _clause(library, ref, number), "article", chapter_uid=chapter)
    paragraphs = main_content_paragraphs(draft, library)
    assert paragraphs[0] == "（一）关于总体要求。主要明确了立法目的、适用范围。"
    assert paragraphs[1].startswith("（二）关于主要制度。主要规定了信息资源共享交换体系")
    assert paragraphs[2] == "（三）关于法律责任。对法律责任作了规定。"


def test_the_exported_explanation_summarises_by_theme(library, tmp_path):
    draft = _adopted_draft(library)
    path = tmp_path / "e.docx"
    export_draft(draft, tmp_path / "d.docx", explanation=path, library=library)
    text = [p.text for p in docx.Document(str(path)).paragraphs]
    assert any(t.startswith("（一）关于总则和附则。主要明确了立法目的") for t in text)
    assert any(t.startswith("（二）关于数字基础设施。主要规定了") for t in text)
    assert not any("……" in t for t in text)
