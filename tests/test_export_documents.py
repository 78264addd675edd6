"""The 起草说明, the 条文对照表, reviewer comments and the all-in-one file, read back."""

from __future__ import annotations

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn

from drafter.draft.provenance import article_label
from drafter.export import export_draft
from drafter.export import styles as st
from drafter.export.explanation import explanation_facts
from drafter.export.sources import SourceResolver
from drafter.library import ReferenceLibrary
from drafter.statute.numerals import to_chinese_numeral as cn
from tests.test_export_samples import adopted_draft


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    return ReferenceLibrary(data_dir=tmp_path_factory.mktemp("user-data"))


@pytest.fixture(scope="module")
def exported(library, tmp_path_factory):
    draft = adopted_draft(library)
    folder = tmp_path_factory.mktemp("export")
    paths = {name: folder / f"{name}.docx" for name in ("draft", "explanation", "table")}
    export_draft(
        draft,
        paths["draft"],
        explanation=paths["explanation"],
        table=paths["table"],
        comments=True,
        library=library,
    )
    return draft, {name: docx.Document(str(path)) for name, path in paths.items()}


# -- 起草说明 ------------------------------------------------------------------------------


def test_explanation_title_and_the_five_sections_in_order(exported):
    _, documents = exported
    document = documents["explanation"]
    # The title may break over two lines (before 的起草说明); its words are these.
    assert (
        document.paragraphs[0].text.replace("\n", "")
        == "关于《某市智慧城市促进条例（草案）》的起草说明"
    )
    headings = [p.text for p in document.paragraphs if p.style.name == st.EXPLANATION_H1]
    assert headings == [
        "一、必要性",
        "二、起草过程",
        "三、主要依据",
        "四、主要内容",
        "五、需要说明的问题",
    ]
    fonts = document.styles[st.EXPLANATION_H1].element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "黑体"
    lead = document.styles[st.EXPLANATION_LEAD].element.rPr.find(qn("w:rFonts"))
    assert lead.get(qn("w:eastAsia")) == "楷体_GB2312"


def _section_texts(document, heading: str) -> list[str]:
    paragraphs = document.paragraphs
    start = next(i for i, p in enumerate(paragraphs) if p.text == heading)
    texts = []
    for paragraph in paragraphs[start + 1 :]:
        if paragraph.style.name == st.EXPLANATION_H1:
            break
        texts.append(paragraph.text)
    return texts


def test_explanation_keeps_the_drafters_text_with_kai_sub_points(exported):
    _, documents = exported
    document = documents["explanation"]
    assert _section_texts(document, "一、必要性")[0].startswith("智慧城市建设是推进")
    process = [p for p in document.paragraphs if p.text.startswith("（一）开展调研。")]
    assert process[0].runs[0].text == "（一）开展调研。"
    assert process[0].runs[0].style.name == st.EXPLANATION_LEAD
    assert _section_texts(document, "五、需要说明的问题") == ["（待补充）"]


def test_explanation_states_counts_chapters_sources_and_new_articles(exported, library):
    draft, documents = exported
    document = documents["explanation"]
    articles = list(draft.articles())
    content = _section_texts(document, "四、主要内容")
    assert content[0] == (
        f"草案共四章{cn(len(articles))}条，依次为第一章总则、第二章规划建设、第三章法律责任、第四章附则。"
    )
    first_chapter = draft.chapters[0].articles
    assert content[1].startswith(f"（一）第一章\u3000总则（第一条至{first_chapter[-1].label}）。")
    assert "适用范围" in content[1]  # a caption stands for its article
    new = [a.label for a in articles if article_label(draft, a) == "新增"]
    basis = "\n".join(_section_texts(document, "三、主要依据"))
    assert f"草案{'、'.join(new)}共{len(new)}条为新增条文" in basis
    facts = explanation_facts(draft, SourceResolver(library))
    assert facts.new_articles == new
    # Per reference, each adopting article counts once under its label.
    for use in facts.references:
        adopting = [
            a
            for a in articles
            if any(s.ref == use.ref and s.active for s in draft.provenance.get(a.uid, []))
        ]
        assert use.total == len(adopting)
        reference = library.get(use.ref)
        assert f"{reference.city}《{reference.title}》：" in basis
    assert sum(u.total for u in facts.references) >= len(articles) - len(new)


# -- 条文对照表 ----------------------------------------------------------------------------


def test_table_is_landscape_with_a_repeated_header_and_one_row_per_article(exported):
    draft, documents = exported
    document = documents["table"]
    section = document.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert section.page_width > section.page_height
    (table,) = document.tables
    assert [c.text for c in table.rows[0].cells] == [
        "草案条文",
        "参考条文",
        "来源",
        "相似度 / 处理方式",
    ]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    article_rows = [r for r in table.rows[1:] if len({id(c._tc) for c in r.cells}) == 4]
    chapter_rows = [r for r in table.rows[1:] if len({id(c._tc) for c in r.cells}) == 1]
    assert len(article_rows) == len(list(draft.articles()))
    assert len(chapter_rows) == len(draft.chapters)
    for row, article in zip(article_rows, draft.articles(), strict=True):
        assert row.cells[0].paragraphs[0].text.startswith(article.label + "\u3000")
    assert document.styles[st.TABLE_TEXT].font.size.pt == 12  # 小四


def test_table_lists_each_source_on_its_own_line(exported, library):
    draft, documents = exported
    (table,) = documents["table"].tables
    rows = {r.cells[0].paragraphs[0].runs[0].text.strip(): r for r in table.rows[1:]}
    for article in draft.articles():
        row = rows[article.label]
        sources = [s for s in draft.provenance.get(article.uid, []) if s.active]
        places = [p.text for p in row.cells[2].paragraphs]
        treatments = [p.text for p in row.cells[3].paragraphs]
        if not sources:
            assert places == ["—"] and treatments == ["新增"]
            continue
        assert len(places) == len(sources) == len(treatments)
        for index, (place, source) in enumerate(zip(places, sources, strict=True)):
            reference = library.get(source.ref)
            mark = "①②"[index] if len(sources) > 1 else ""
            assert place.startswith(
                f"{mark}{reference.city}《{reference.title}》第{cn(source.article)}条"
            )
            assert source.label in treatments[index]
        source_text = row.cells[1].text
        assert sources[0].source_text.splitlines()[0][:20] in source_text
    assert any(
        len([s for s in draft.provenance.get(a.uid, []) if s.active]) == 2 for a in draft.articles()
    )


# -- comments ------------------------------------------------------------------------------


def test_comments_on_each_adopted_article_name_source_and_similarity(exported, library):
    draft, documents = exported
    document = documents["draft"]
    adopted = [a for a in draft.articles() if article_label(draft, a) != "新增"]
    comments = list(document.comments)
    assert len(comments) == len(adopted) > 0
    body = document.element.body
    starts = body.findall(".//" + qn("w:commentRangeStart"))
    for start, article in zip(starts, adopted, strict=True):
        paragraph = start.getparent()
        text = "".join(t.text for t in paragraph.iter(qn("w:t")))
        assert text.startswith(article.label + "\u3000")
        comment = document.comments.get(int(start.get(qn("w:id"))))
        sources = [s for s in draft.provenance[article.uid] if s.active]
        assert len(comment.paragraphs) == len(sources)
        reference = library.get(sources[0].ref)
        assert f"{reference.city}《{reference.title}》" in comment.text
        assert f"相似度 {sources[0].similarity:.0f}%" in comment.text
        assert comment.author == "立法起草助手"


def test_no_comments_unless_asked(tmp_path, library):
    draft = adopted_draft(library)
    export_draft(draft, tmp_path / "d.docx", library=library)
    document = docx.Document(str(tmp_path / "d.docx"))
    assert not document.element.body.findall(".//" + qn("w:commentRangeStart"))


# -- all in one ----------------------------------------------------------------------------


def test_all_in_one_has_three_sections_numbered_from_one_and_a_landscape_table(tmp_path, library):
    draft = adopted_draft(library)
    export_draft(draft, tmp_path / "all.docx", all_in_one=True, library=library)
    document = docx.Document(str(tmp_path / "all.docx"))
    sections = document.sections
    assert len(sections) == 3
    assert [s.orientation for s in sections] == [
        WD_ORIENT.PORTRAIT,
        WD_ORIENT.PORTRAIT,
        WD_ORIENT.LANDSCAPE,
    ]
    for section in sections[1:]:
        assert section._sectPr.find(qn("w:pgNumType")).get(qn("w:start")) == "1"
        assert section.footer.is_linked_to_previous  # the same “— 1 —” footers
    # Titles longer than a line carry a line break (w:br) where they break.
    texts = [p.text.replace("\n", "") for p in document.paragraphs]
    assert "关于《某市智慧城市促进条例（草案）》的起草说明" in texts
    assert "《某市智慧城市促进条例（草案）》条文对照表" in texts
    assert len(document.tables) == 1
