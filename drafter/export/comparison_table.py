"""The 条文对照表: one row per article, its sources beside it, on landscape pages.

Columns: 草案条文 | 参考条文（来源） | 处理方式/相似度 | 说明. As in a 修改对照表, wording
changed against the sources is marked: in the draft column, text that no source has is
underlined; in the source column, source text the draft left out is struck through.
Where an article has several sources they stay in its one row, numbered ①② in the source
and the treatment column so they pair up. A source still 待确认 is shown marked
来源待确认, never as 新增. 说明 is the drafter's note on the article (`draft.notes`).

Rows are kept whole on a page (w:cantSplit) and the header row repeats (w:tblHeader).
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
from drafter.export.sources import PENDING_MARK, SourceInfo
from drafter.matching.diffing import DELETED, EQUAL, INSERTED, readable_diff
from drafter.statute.model import Article
from drafter.statute.numerals import to_chinese_numeral as cn

HEADERS = ("草案条文", "参考条文（来源）", "处理方式/相似度", "说明")
# How each header is set: a narrow column's header wraps after its slash, never mid-word.
HEADER_LINES = {"处理方式/相似度": ("处理方式/", "相似度")}
# Widths in mm over the 225 mm landscape text block: the two texts get the room, the
# treatment column fits 来源待确认 and 相似度100% on a line each in 小四.
COLUMN_WIDTHS_MM = (74, 82, 31, 38)
NONE_MARK = "—"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩"
MARKS_LEGEND = (
    "标注：草案条文中加下划线的文字，为参考条文没有、草案增加或改写的内容；"
    "参考条文中加删除线的文字，为草案未采用的内容。"
)


def table_title(draft) -> str:
    """《…（草案）》条文对照表."""
    return f"《{bare_title(draft.title, draft.status)}{status_line(draft.status)}》条文对照表"


def _mark(index: int, count: int) -> str:
    if count < 2:
        return ""
    return CIRCLED[index] if index < len(CIRCLED) else f"({index + 1})"


def reference_name(source: SourceInfo) -> str:
    """海口市《海口市智慧城市促进条例》 (the id of a reference no longer in the library)."""
    if not source.title:
        return source.city or source.ref
    return f"{source.city}《{source.title}》"


def citation(source: SourceInfo, by_city: bool = True) -> str:
    """海口市·第四条: short enough for one line of the column, never broken mid-word; the
    legend above the table names each city's reference. `by_city` False (two references
    of one city cited) names the reference itself."""
    if by_city and source.city:
        return f"{source.city}·{source.location}"
    return f"{reference_name(source)}{source.location}"


def treatment_lines(source: SourceInfo, mark: str = "") -> list[str]:
    """①修改 / 相似度75% (/ 草案第二款): how the draft used one source."""
    label = PENDING_MARK if source.pending else (source.label or "参考")
    lines = [f"{mark}{label}", f"相似度{source.similarity:.0f}%"]
    if source.draft_paragraph is not None:
        lines.append(f"草案第{cn(source.draft_paragraph + 1)}款")
    return lines


# -- change marks --------------------------------------------------------------------------


def changed_masks(old: str, new: str) -> tuple[list[bool], list[bool]]:
    """Per character: in `old`, left out of `new`; in `new`, not taken from `old`."""
    old_mask, new_mask = [False] * len(old), [False] * len(new)
    a = b = 0
    for piece in readable_diff(old, new):
        size = len(piece.text)
        if piece.kind == EQUAL:
            a, b = a + size, b + size
        elif piece.kind == DELETED:
            old_mask[a : a + size] = [True] * size
            a += size
        elif piece.kind == INSERTED:
            new_mask[b : b + size] = [True] * size
            b += size
    return old_mask, new_mask


def _paragraph_offset(article: Article, paragraph: int) -> int:
    """Where 款 `paragraph` starts in `article.text()` (款 are joined by newlines)."""
    return sum(len(p.full_text()) + 1 for p in article.paragraphs[:paragraph])


def _draft_part(article: Article, source: SourceInfo) -> tuple[int, str]:
    """(offset in the article's text, text) of the part of the draft a source describes."""
    p = source.draft_paragraph
    if p is None or not 0 <= p < len(article.paragraphs):
        return 0, article.text()
    return _paragraph_offset(article, p), article.paragraphs[p].full_text()


def added_mask(article: Article, sources: list[SourceInfo]) -> list[bool]:
    """Per character of `article.text()`: True where no source has the wording."""
    text = article.text()
    compared = [s for s in sources if s.text.strip()]
    if not compared:
        return [False] * len(text)  # a new article: nothing to compare, nothing marked
    covered = [False] * len(text)
    for source in compared:
        offset, part = _draft_part(article, source)
        _, new_mask = changed_masks(source.text, part)
        for index, added in enumerate(new_mask):
            if not added:
                covered[offset + index] = True
    return [not c and ch != "\n" for c, ch in zip(covered, text, strict=True)]


def _segments(mask: list[bool]) -> list[tuple[int, int, bool]]:
    """(start, end, flagged) runs of equal flags."""
    out: list[tuple[int, int, bool]] = []
    start = 0
    for index in range(1, len(mask) + 1):
        if index == len(mask) or mask[index] != mask[start]:
            out.append((start, index, mask[start]))
            start = index
    return out


def _marked_runs(
    ctx: ExportContext, paragraph, text: str, mask: list[bool], where: str, strike: bool
) -> None:
    """The text as runs, the flagged ones struck through (source) or underlined (draft)."""
    for start, end, flagged in _segments(mask):
        run = ctx.run(paragraph, text[start:end], where)
        if flagged:
            if strike:
                run.font.strike = True
            else:
                run.font.underline = True


# -- the table -----------------------------------------------------------------------------


def _table_properties(table, widths_mm: tuple[float, ...] = COLUMN_WIDTHS_MM) -> None:
    """Fixed layout, full width, single black borders (tblPr children in schema order)."""
    tbl_pr = table._tbl.tblPr
    width = tbl_pr.find(qn("w:tblW"))
    if width is None:
        width = OxmlElement("w:tblW")
        tbl_pr.append(width)
    width.set(qn("w:w"), str(sum(round(Mm(w).twips) for w in widths_mm)))
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
    for column, width_mm in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width_mm)
        for cell in column.cells:
            cell.width = Mm(width_mm)


def _keep_row_whole(row, header: bool = False) -> None:
    """A row is not split across pages where it fits on one (Word and LibreOffice split a
    row taller than a page anyway); the header row also repeats on every page."""
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))
    if header:
        tr_pr.append(OxmlElement("w:tblHeader"))


def _fill(ctx: ExportContext, cell, lines: list[str], where: str, style: str) -> list:
    """Put one paragraph per line in a cell (its first, empty paragraph is reused)."""
    first = cell.paragraphs[0]
    ctx.set_style(first, style)
    paragraphs = []
    for index, line in enumerate(lines or [""]):
        paragraph = first if index == 0 else ctx.paragraph(style, container=cell)
        if line:
            ctx.run(paragraph, line, where)
        paragraphs.append(paragraph)
    return paragraphs


def _draft_cell(ctx: ExportContext, cell, article: Article, sources: list[SourceInfo]) -> None:
    first = cell.paragraphs[0]
    ctx.set_style(first, st.TABLE_TEXT)
    mask = added_mask(article, sources)
    offset = 0
    for index, (_, text, where) in enumerate(article_lines(article)):
        paragraph = first if index == 0 else ctx.paragraph(st.TABLE_TEXT, container=cell)
        if index == 0:
            ctx.run(paragraph, article.label + IDEOGRAPHIC_SPACE, article.label, st.TABLE_LABEL)
        if text:
            line_mask = mask[offset : offset + len(text)]
            _marked_runs(ctx, paragraph, text, line_mask, f"对照表{where}", strike=False)
        offset += len(text) + 1


def _source_cell(
    ctx: ExportContext,
    cell,
    article: Article,
    sources: list[SourceInfo],
    where: str,
    by_city: bool,
) -> None:
    first = cell.paragraphs[0]
    ctx.set_style(first, st.TABLE_TEXT)
    paragraph = first
    for index, source in enumerate(sources):
        if index > 0:
            paragraph = ctx.paragraph(st.TABLE_TEXT, container=cell)
        label = _mark(index, len(sources)) + citation(source, by_city)
        ctx.run(paragraph, label, where, st.TABLE_LABEL)
        _, part = _draft_part(article, source)
        old_mask, _ = changed_masks(source.text, part) if source.text.strip() else ([], [])
        offset = 0
        for line in source.text.split("\n"):
            paragraph = ctx.paragraph(st.TABLE_TEXT, container=cell)
            line_mask = old_mask[offset : offset + len(line)] or [False] * len(line)
            if line:
                _marked_runs(ctx, paragraph, line, line_mask, where, strike=True)
            offset += len(line) + 1


def _article_row(
    ctx: ExportContext, table, article: Article, sources: list[SourceInfo], by_city: bool
) -> None:
    row = table.add_row()
    _keep_row_whole(row)
    cells = row.cells
    where = f"对照表{article.label}参考条文"
    _draft_cell(ctx, cells[0], article, sources)
    note = ctx.draft.notes.get(article.uid, "").strip()
    lines = note.split("\n") if note else []
    _fill(ctx, cells[3], lines, f"对照表{article.label}说明", st.TABLE_TEXT)
    if not sources:
        _fill(ctx, cells[1], [NONE_MARK], where, st.TABLE_TEXT)
        _fill(ctx, cells[2], [article_label(ctx.draft, article)], where, st.TABLE_TEXT)
        return
    _source_cell(ctx, cells[1], article, sources, where, by_city)
    treatments = []
    for index, source in enumerate(sources):
        treatments += treatment_lines(source, _mark(index, len(sources)))
    _fill(ctx, cells[2], treatments, where, st.TABLE_TEXT)


def _chapter_row(ctx: ExportContext, table, heading: str, where: str) -> None:
    row = table.add_row()
    _keep_row_whole(row)
    merged = row.cells[0].merge(row.cells[-1])
    for paragraph in _fill(ctx, merged, [heading], where, st.TABLE_HEADER):
        # A chapter heading stays with its first article (Word keeps such rows together).
        paragraph.paragraph_format.keep_with_next = True


def references_legend(sources: list[SourceInfo]) -> tuple[str, bool]:
    """The line naming each cited city's reference, and whether a city names its reference
    unambiguously (False when two references of one city are cited)."""
    names: dict[str, str] = {}
    for source in sources:
        names.setdefault(source.ref, reference_name(source))
    cities = [s.city for s in {s.ref: s for s in sources}.values()]
    by_city = all(cities) and len(cities) == len(set(cities))
    return "参考条文出处：" + "；".join(names.values()) + "。", by_city


def write_table(ctx: ExportContext) -> None:
    """The 对照表 into the context's document (its section should be landscape)."""
    draft = ctx.draft
    ctx.paragraph(st.TITLE, table_title(draft), "对照表标题")
    sources = {a.uid: ctx.resolver.sources(draft, a) for a in draft.articles()}
    cited = [s for found in sources.values() for s in found]
    by_city = False
    if cited:
        legend, by_city = references_legend(cited)
        ctx.paragraph(st.TABLE_TEXT, legend, "对照表图例")
        ctx.paragraph(st.TABLE_TEXT, MARKS_LEGEND, "对照表图例")
    table = ctx.document.add_table(rows=1, cols=len(HEADERS))
    _table_properties(table)
    header = table.rows[0]
    _keep_row_whole(header, header=True)
    for cell, text in zip(header.cells, HEADERS, strict=True):
        _fill(ctx, cell, list(HEADER_LINES.get(text, (text,))), "对照表表头", st.TABLE_HEADER)
    for chapter in draft.chapters:
        if not draft.chapterless:
            _chapter_row(ctx, table, chapter_heading(chapter), f"对照表{chapter.label}")
        for article in chapter.articles:
            _article_row(ctx, table, article, sources[article.uid], by_city)
