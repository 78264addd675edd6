"""The 起草说明, the 条文对照表, reviewer comments and the all-in-one file, read back."""

from __future__ import annotations

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn

from drafter.draft.provenance import article_label
from drafter.export import export_draft
from drafter.export import styles as st
from drafter.export.explanation import count_word, explanation_facts
from drafter.export.sources import SourceResolver
from drafter.library import ReferenceLibrary
from drafter.statute.numerals import to_chinese_numeral as cn
from drafter.statute.ranges import article_ranges
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
    title = document.paragraphs[0].text.replace("\n", "")
    assert title == "关于《某市智慧城市促进条例（草案）》的起草说明"
    headings = [p.text for p in document.paragraphs if p.style.name == st.EXPLANATION_H1]
    # The drafter's own titles ("立法的必要性") are kept, numbered by position.
    assert headings == [
        "一、立法的必要性",
        "二、起草过程",
        "三、主要依据",
        "四、主要内容",
        "五、需要说明的问题",
    ]
    assert document.paragraphs[-1].text == "以上说明，请予审议。"
    fonts = document.styles[st.EXPLANATION_H1].element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "黑体"
    lead = document.styles[st.EXPLANATION_LEAD].element.rPr.find(qn("w:rFonts"))
    assert lead.get(qn("w:eastAsia")) == "楷体_GB2312"


def _section_texts(document, heading: str) -> list[str]:
    paragraphs = document.paragraphs
    start = next(i for i, p in enumerate(paragraphs) if p.text == heading)
    texts = []
    for paragraph in paragraphs[start + 1 :]:
        if paragraph.style.name == st.EXPLANATION_H1 or paragraph.text == "以上说明，请予审议。":
            break
        texts.append(paragraph.text)
    return texts


def test_explanation_keeps_the_drafters_text_with_kai_sub_points(exported):
    _, documents = exported
    document = documents["explanation"]
    assert _section_texts(document, "一、立法的必要性")[0].startswith("智慧城市建设是推进")
    process = [p for p in document.paragraphs if p.text.startswith("（一）开展调研。")]
    assert process[0].runs[0].text == "（一）开展调研。"
    assert process[0].runs[0].style.name == st.EXPLANATION_LEAD
    assert _section_texts(document, "五、需要说明的问题") == ["【待填写：需要说明的问题】"]
    assert _section_texts(document, "三、主要依据") == ["【待填写：主要依据】"]


def test_explanation_states_sources_and_new_articles_as_ranges(exported, library):
    draft, documents = exported
    document = documents["explanation"]
    articles = list(draft.articles())
    facts = explanation_facts(draft, SourceResolver(library))
    new = [a.number for a in articles if article_label(draft, a) == "新增"]
    assert facts.new_articles == new and not facts.pending
    process = "\n".join(_section_texts(document, "二、起草过程"))
    assert f"草案{article_ranges(new)}共{count_word(len(new))}条系结合本市实际新设的规定" in process
    # Per reference, each adopting article counts once, its numbers written as ranges.
    for use in facts.references:
        adopting = [
            a.number
            for a in articles
            if any(s.ref == use.ref and s.active for s in draft.provenance.get(a.uid, []))
        ]
        assert use.articles == adopting and use.total == len(adopting)
        assert f"{article_ranges(adopting)}" in process
        assert library.get(use.ref).title in process
    drawn_on = {n for use in facts.references for n in use.articles}
    assert drawn_on == {a.number for a in articles} - set(new)
    text = "\n".join(p.text for p in document.paragraphs)
    assert "照搬" not in text  # a 起草说明 says 参照/借鉴
    # Other cities' texts are drawn on (起草过程), never 依据.
    assert not any(
        u.title in "".join(_section_texts(document, "三、主要依据")) for u in facts.references
    )


# -- 条文对照表 ----------------------------------------------------------------------------


def test_table_is_landscape_with_a_repeated_header_and_one_row_per_article(exported):
    draft, documents = exported
    document = documents["table"]
    section = document.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert section.page_width > section.page_height
    (table,) = document.tables
    assert [c.text.replace("\n", "") for c in table.rows[0].cells] == [
        "草案条文",
        "参考条文（来源）",
        "处理方式/相似度",
        "说明",
    ]
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    article_rows = [r for r in table.rows[1:] if len({id(c._tc) for c in r.cells}) == 4]
    chapter_rows = [r for r in table.rows[1:] if len({id(c._tc) for c in r.cells}) == 1]
    assert len(article_rows) == len(list(draft.articles()))
    assert len(chapter_rows) == len(draft.chapters)
    for row, article in zip(article_rows, draft.articles(), strict=True):
        assert row.cells[0].paragraphs[0].text.startswith(article.label + "\u3000")
    assert document.styles[st.TABLE_TEXT].font.size.pt == 12  # 小四


def test_table_lists_each_source_under_its_label(exported, library):
    draft, documents = exported
    (table,) = documents["table"].tables
    rows = {r.cells[0].paragraphs[0].runs[0].text.strip(): r for r in table.rows[1:]}
    for article in draft.articles():
        row = rows[article.label]
        sources = [s for s in draft.provenance.get(article.uid, []) if s.active]
        texts = [p.text for p in row.cells[1].paragraphs]
        treatments = [p.text for p in row.cells[2].paragraphs]
        if not sources:
            assert texts == ["—"] and treatments == ["新增"]
            continue
        for index, source in enumerate(sources):
            reference = library.get(source.ref)
            mark = "①②"[index] if len(sources) > 1 else ""
            label = next(t for t in texts if t.startswith(f"{mark}{reference.city}·"))
            assert label.startswith(f"{mark}{reference.city}·第{cn(source.article)}条")
            assert texts[texts.index(label) + 1] == source.source_text.split("\n")[0]
            assert f"{mark}{source.label}" in treatments
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
