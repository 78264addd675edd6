"""The 条文对照表: one row per article, its sources beside it, on landscape pages.

Columns: 草案条文 | 参考条文 | 来源 | 相似度 / 处理方式. Where an article has several
sources, each gets its own line in the last three columns, numbered ①② so they pair up.
The header row repeats on every page (w:tblHeader).
"""

from __future__ import annotations

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm

from drafter.draft.provenance import article_label
from drafter.export import styles as st
from drafter.export.context import ExportContext
from drafter.export.draft_document import (
    IDEOGRAPHIC_SPACE,
    article_lines,
    bare_title,
    chapter_heading,
    status_line,
)
from drafter.statute.model import Article

HEADERS = ("草案条文", "参考条文", "来源", "相似度 / 处理方式")
# Widths in mm over the 225 mm landscape text block.
COLUMN_WIDTHS_MM = (80, 80, 38, 27)
NONE_MARK = "—"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩"


def table_title(draft) -> str:
    """《…（草案）》条文对照表."""
    return f"《{bare_title(draft.title, draft.status)}{status_line(draft.status)}》条文对照表"


def _mark(index: int, count: int) -> str:
    if count < 2:
        return ""
    return CIRCLED[index] if index < len(CIRCLED) else f"({index + 1})"


def _table_properties(table) -> None:
    """Fixed layout, full width, single black borders (tblPr children in schema order)."""
    tbl_pr = table._tbl.tblPr
    width = tbl_pr.find(qn("w:tblW"))
    if width is None:
        width = OxmlElement("w:tblW")
        tbl_pr.append(width)
    width.set(qn("w:w"), str(sum(round(Mm(w).twips) for w in COLUMN_WIDTHS_MM)))
    width.set(qn("w:type"), "dxa")
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        line = OxmlElement(f"w:{edge}")
        line.set(qn("w:val"), "single")
        line.set(qn("w:sz"), "4")
        line.set(qn("w:space"), "0")
        line.set(qn("w:color"), "000000")
        borders.append(line)
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    look = tbl_pr.find(qn("w:tblLook"))
    for element in (borders, layout):
        if look is not None:
            look.addprevious(element)
        else:
            tbl_pr.append(element)
    for column, width_mm in zip(table.columns, COLUMN_WIDTHS_MM, strict=True):
        column.width = Mm(width_mm)
        for cell in column.cells:
            cell.width = Mm(width_mm)


def _fill(ctx: ExportContext, cell, lines: list[str], where: str, style: str) -> None:
    """Put one paragraph per line in a cell (its first, empty paragraph is reused)."""
    first = cell.paragraphs[0]
    ctx.set_style(first, style)
    for index, line in enumerate(lines or [""]):
        paragraph = first if index == 0 else ctx.paragraph(style, container=cell)
        if line:
            ctx.run(paragraph, line, where)


def _draft_cell(ctx: ExportContext, cell, article: Article) -> None:
    first = cell.paragraphs[0]
    ctx.set_style(first, st.TABLE_TEXT)
    for index, (_, text, where) in enumerate(article_lines(article)):
        paragraph = first if index == 0 else ctx.paragraph(st.TABLE_TEXT, container=cell)
        if index == 0:
            ctx.run(paragraph, article.label + IDEOGRAPHIC_SPACE, article.label, st.TABLE_LABEL)
        if text:
            ctx.run(paragraph, text, f"对照表{where}")


def _article_row(ctx: ExportContext, table, article: Article) -> None:
    cells = table.add_row().cells
    _draft_cell(ctx, cells[0], article)
    sources = ctx.resolver.sources(ctx.draft, article)
    where = f"对照表{article.label}参考条文"
    if not sources:
        _fill(ctx, cells[1], [NONE_MARK], where, st.TABLE_TEXT)
        _fill(ctx, cells[2], [NONE_MARK], where, st.TABLE_TEXT)
        _fill(ctx, cells[3], [article_label(ctx.draft, article)], where, st.TABLE_TEXT)
        return
    texts, places, treatments = [], [], []
    for index, source in enumerate(sources):
        mark = _mark(index, len(sources))
        lines = source.text.splitlines() or [""]
        texts += [mark + lines[0], *lines[1:]]
        places.append(mark + source.citation)
        treatments.append(mark + source.treatment)
    _fill(ctx, cells[1], texts, where, st.TABLE_TEXT)
    _fill(ctx, cells[2], places, where, st.TABLE_TEXT)
    _fill(ctx, cells[3], treatments, where, st.TABLE_TEXT)


def _chapter_row(ctx: ExportContext, table, heading: str, where: str) -> None:
    row = table.add_row()
    merged = row.cells[0].merge(row.cells[-1])
    _fill(ctx, merged, [heading], where, st.TABLE_HEADER)


def write_table(ctx: ExportContext) -> None:
    """The 对照表 into the context's document (its section should be landscape)."""
    draft = ctx.draft
    ctx.paragraph(st.TITLE, table_title(draft), "对照表标题")
    table = ctx.document.add_table(rows=1, cols=len(HEADERS))
    _table_properties(table)
    header = table.rows[0]
    tr_pr = header._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:tblHeader"))
    for cell, text in zip(header.cells, HEADERS, strict=True):
        _fill(ctx, cell, [text], "对照表表头", st.TABLE_HEADER)
    for chapter in draft.chapters:
        if not draft.chapterless:
            _chapter_row(ctx, table, chapter_heading(chapter), f"对照表{chapter.label}")
        for article in chapter.articles:
            _article_row(ctx, table, article)
