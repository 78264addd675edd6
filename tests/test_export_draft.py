"""The exported draft read back with python-docx: page, styles, fonts, numbering, footers."""

from __future__ import annotations

import re

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from lxml import etree

from drafter.export import export_draft
from drafter.export import layout as lay
from drafter.export import styles as st
from tests.test_export_samples import FIXED_ARTICLES, fixed_draft

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    draft = fixed_draft()
    path = tmp_path_factory.mktemp("export") / "draft.docx"
    result = export_draft(draft, path)
    assert result.written == [path] and result.warnings == []
    return draft, docx.Document(str(path))


def _style_fonts(document, name: str) -> dict:
    fonts = document.styles[name].element.rPr.find(qn("w:rFonts"))
    return {key.split("}")[1]: value for key, value in fonts.attrib.items()}


def test_page_is_a4_with_the_gbt_9704_margins(exported):
    _, document = exported
    (section,) = document.sections
    assert section.orientation == WD_ORIENT.PORTRAIT
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    margins = [section.top_margin, section.bottom_margin, section.left_margin, section.right_margin]
    assert [round(m.mm) for m in margins] == [37, 35, 28, 26]
    grid = section._sectPr.find(qn("w:docGrid"))
    assert grid.get(qn("w:type")) == "lines" and grid.get(qn("w:linePitch")) == "579"


def test_grid_gives_22_lines_of_28_characters():
    width_pt = (lay.PAGE_WIDTH_MM - lay.MARGIN_LEFT_MM - lay.MARGIN_RIGHT_MM) / 25.4 * 72
    height_pt = (lay.PAGE_HEIGHT_MM - lay.MARGIN_TOP_MM - lay.MARGIN_BOTTOM_MM) / 25.4 * 72
    char_pt = lay.SIZE_3 + lay.CHAR_SPACING_TWIPS / 20
    assert 28 * char_pt <= width_pt < 29 * char_pt
    assert 22 * lay.LINE_PITCH_PT <= height_pt < 23 * lay.LINE_PITCH_PT


@pytest.mark.parametrize(
    ("name", "east_asia", "size"),
    [
        (st.TITLE, "方正小标宋简体", 22),
        (st.STATUS_LINE, "楷体_GB2312", 16),
        (st.CHAPTER, "黑体", 16),
        (st.ARTICLE, "仿宋_GB2312", 16),
        (st.ITEM, "仿宋_GB2312", 16),
        (st.ARTICLE_LABEL, "黑体", 16),
        (st.PAGE_NUMBER, "宋体", 14),
    ],
)
def test_styles_set_east_asian_fonts_and_sizes(exported, name, east_asia, size):
    _, document = exported
    fonts = _style_fonts(document, name)
    assert fonts["eastAsia"] == east_asia
    assert not any(key.endswith("Theme") or key == "cstheme" for key in fonts)
    assert document.styles[name].font.size.pt == size


def test_no_theme_fonts_anywhere_and_the_language_is_zh_cn(exported):
    _, document = exported
    styles_xml = etree.tostring(document.styles.element).decode()
    assert not re.search(r"w:(ascii|hAnsi|eastAsia|cs)Theme=|w:cstheme=", styles_xml)
    lang = document.styles.element.find(f"{W}docDefaults").find(f".//{W}lang")
    assert lang.get(f"{W}eastAsia") == "zh-CN"
    theme_lang = document.settings.element.find(f"{W}themeFontLang")
    assert theme_lang.get(f"{W}eastAsia") == "zh-CN"


def test_body_styles_have_fixed_spacing_and_a_two_character_indent(exported):
    _, document = exported
    for name in (st.ARTICLE, st.ITEM):
        ppr = document.styles[name].element.pPr
        ind = ppr.find(qn("w:ind"))
        assert ind.get(qn("w:firstLineChars")) == "200"
        assert ind.get(qn("w:firstLine")) == "640"
        spacing = ppr.find(qn("w:spacing"))
        assert spacing.get(qn("w:lineRule")) == "exact" and spacing.get(qn("w:line")) == "579"
        rpr_spacing = document.styles[name].element.rPr.find(qn("w:spacing"))
        assert rpr_spacing.get(qn("w:val")) == "-6"
    assert document.styles[st.CHAPTER].element.pPr.find(qn("w:jc")).get(qn("w:val")) == "center"


def test_title_status_line_and_static_table_of_contents(exported):
    _, document = exported
    paragraphs = document.paragraphs
    assert (paragraphs[0].text, paragraphs[0].style.name) == ("某市智慧城市促进条例", st.TITLE)
    assert (paragraphs[1].text, paragraphs[1].style.name) == ("（草案）", st.STATUS_LINE)
    toc = [p.text for p in paragraphs if p.style.name == st.TOC_ENTRY]
    assert toc == [
        "第一章\u3000总\u3000\u3000则",
        "第二章\u3000规划建设",
        "第三章\u3000法律责任",
        "第四章\u3000附\u3000\u3000则",
    ]
    assert [p.text for p in paragraphs if p.style.name == st.CHAPTER] == toc
    assert not document.element.body.findall(f".//{W}fldSimple")  # no TOC field


def test_articles_number_in_heiti_and_each_kuan_and_xiang_is_a_paragraph(exported):
    draft, document = exported
    body = [p for p in document.paragraphs if p.style.name in (st.ARTICLE, st.ITEM)]
    starts = [p for p in body if p.runs and p.runs[0].style.name == st.ARTICLE_LABEL]
    assert [p.runs[0].text for p in starts] == [f"{a.label}\u3000" for a in draft.articles()]
    assert starts[0].text == "第一条\u3000" + FIXED_ARTICLES[0][1]
    assert starts[1].text.startswith("第二条\u3000【适用范围】本条例适用于")
    # 第三条 has two 款: the second is its own paragraph, without a label.
    third = body.index(starts[2])
    assert body[third + 1].text == "区人民政府负责本行政区域内的智慧城市建设工作。"
    assert body[third + 1].style.name == st.ARTICLE
    items = [p.text for p in body if p.style.name == st.ITEM]
    assert items == [
        "（一）统筹规划，分步实施；",
        "（二）需求导向，惠民便民；",
        "（三）安全可控，开放共享。",
    ]
    assert sum(
        len(a.paragraphs) + sum(len(p.items) for p in a.paragraphs) for a in draft.articles()
    ) == len(body)


def _footer_facts(footer):
    (paragraph,) = footer.paragraphs
    xml = paragraph._p
    kinds = [f.get(qn("w:fldCharType")) for f in xml.iter(qn("w:fldChar"))]
    instructions = [t.text.strip() for t in xml.iter(qn("w:instrText"))]
    jc = xml.pPr.find(qn("w:jc")).get(qn("w:val"))
    return paragraph.text, kinds, instructions, jc, paragraph.style.name


def test_page_numbers_odd_right_even_left_with_page_fields(exported):
    _, document = exported
    assert document.settings.odd_and_even_pages_header_footer
    section = document.sections[0]
    odd = _footer_facts(section.footer)
    even = _footer_facts(section.even_page_footer)
    assert odd == ("— 1 —", ["begin", "separate", "end"], ["PAGE"], "right", st.PAGE_NUMBER)
    assert even == ("— 1 —", ["begin", "separate", "end"], ["PAGE"], "left", st.PAGE_NUMBER)
    odd_ind = section.footer.paragraphs[0]._p.pPr.find(qn("w:ind"))
    even_ind = section.even_page_footer.paragraphs[0]._p.pPr.find(qn("w:ind"))
    assert odd_ind.get(qn("w:rightChars")) == "100" and even_ind.get(qn("w:leftChars")) == "100"


def test_chapterless_draft_has_neither_contents_nor_chapter_headings(tmp_path):
    from drafter.draft import operations as ops
    from drafter.draft.document import Draft
    from drafter.statute.model import Chapter, Statute

    draft = Draft("某市养犬管理条例", "某市", statute=Statute("", [Chapter(0, "")]))
    ops.insert_article(draft, draft.chapters[0].uid, "为了规范养犬行为，制定本条例。")
    ops.insert_article(draft, draft.chapters[0].uid, "本条例自公布之日起施行。")
    export_draft(draft, tmp_path / "d.docx")
    document = docx.Document(str(tmp_path / "d.docx"))
    names = {p.style.name for p in document.paragraphs}
    assert st.TOC_ENTRY not in names and st.CHAPTER not in names
    texts = [p.text for p in document.paragraphs if p.style.name == st.ARTICLE]
    assert texts == [
        "第一条\u3000为了规范养犬行为，制定本条例。",
        "第二条\u3000本条例自公布之日起施行。",
    ]
