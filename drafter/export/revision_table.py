"""The 修改对照稿: one text of a draft beside the next, on landscape pages.

Columns 修改前 | 修改后 | 说明, as a 修改对照表 of a revision is set: in 修改前, deleted
text is struck through; in 修改后, added or reworded text is bold and underlined. An
article moved or renumbered shows its new number with the old one, "第五条（原第四条）";
an article moved to another chapter says so in 说明. Unchanged articles are printed in
full, or folded into one line ("第三条至第七条　未修改") with `fold_unchanged`.

Above the table: the title "《X条例（草案修改稿）》修改对照稿", the two versions compared,
the 修改情况 facts (共增加N条、删除N条、修改N条、调整顺序N条) and what the marks mean.
The page setup, styles and table layout are the 条文对照表's.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from drafter.draft.revision_diff import (
    ADDED,
    DELETED,
    EQUAL,
    MODIFIED,
    UNCHANGED,
    ArticleRevision,
    ChapterRevision,
    ParagraphRevision,
    RevisionDiff,
)
from drafter.export import styles as st
from drafter.export.comparison_table import (
    _chapter_row,
    _fill,
    _keep_row_whole,
    _table_properties,
    changed_masks,
)
from drafter.export.context import ExportContext
from drafter.export.draft_document import IDEOGRAPHIC_SPACE, bare_title, chapter_heading
from drafter.statute.model import Chapter
from drafter.statute.numerals import to_chinese_numeral as cn
from drafter.statute.ranges import article_span

HEADERS = ("修改前", "修改后", "说明")
# Over the 225 mm landscape text block: the two texts share the room, 说明 fits a short note.
COLUMN_WIDTHS_MM = (92, 92, 41)
UNCHANGED_NOTE = "未修改"
MARKS_LEGEND = (
    "标注：修改前栏中加删除线的文字为删去的内容；修改后栏中加粗并加下划线的文字为增加或修改的内容。"
)
STRIKE, ADD = "strike", "add"


@dataclass
class RevisionNames:
    """What the two texts are called: version names, or the current text's status."""

    old: str
    new: str


def table_title(diff: RevisionDiff, names: RevisionNames) -> str:
    """《某市智慧城市促进条例（送审稿）》修改对照稿."""
    title = bare_title(diff.new.title, diff.new.status)
    title = bare_title(title, names.new)
    return f"《{title}（{names.new}）》修改对照稿"


def new_label(revision: ArticleRevision) -> str:
    """第五条, or 第五条（原第四条） for an article moved or renumbered."""
    assert revision.new is not None
    label = revision.new.label
    if revision.old is not None and revision.old.number != revision.new.number:
        label += f"（原{revision.old.label}）"
    return label


def chapter_label(revision: ChapterRevision) -> str:
    """第三章　附　　则, with （原第二章） when the chapter was renumbered."""
    chapter = revision.new or revision.old
    assert chapter is not None
    heading = chapter_heading(chapter)
    if revision.old and revision.new and revision.old.number != revision.new.number:
        heading = f"{revision.new.label}（原{revision.old.label}）{IDEOGRAPHIC_SPACE}"
        heading += chapter_heading(revision.new).split(IDEOGRAPHIC_SPACE, 1)[-1]
    return heading


def article_note(revision: ArticleRevision) -> list[str]:
    """The 说明 column: what happened to the article, in a few words."""
    if revision.kind == ADDED:
        return ["新增"]
    if revision.kind == DELETED:
        return ["删去"]
    lines: list[str] = []
    if revision.kind == MODIFIED:
        lines.append(_paragraph_note(revision))
    elif revision.citations_only and revision.text_changed:
        lines.append("引用的条文序号相应调整")
    if revision.chapter_moved and revision.old_chapter and revision.new_chapter:
        lines.append(f"由原{revision.old_chapter.label}移至{revision.new_chapter.label}")
    elif revision.moved:
        lines.append("调整条文顺序")
    elif revision.renumbered:
        lines.append("条文序号相应调整")
    return lines or [UNCHANGED_NOTE]


def _paragraph_note(revision: ArticleRevision) -> str:
    changed = [p for p in revision.paragraphs if p.kind != EQUAL]
    if len(revision.paragraphs) == 1 or len(changed) == len(revision.paragraphs):
        return "修改"
    parts = []
    for paragraph in changed:
        if paragraph.kind == ADDED:
            parts.append(f"增加第{cn((paragraph.new_index or 0) + 1)}款")
        elif paragraph.kind == DELETED:
            parts.append(f"删去原第{cn((paragraph.old_index or 0) + 1)}款")
        else:
            parts.append(f"修改第{cn((paragraph.new_index or 0) + 1)}款")
    return "、".join(parts)


# -- the marked text -----------------------------------------------------------------------


def side_lines(paragraphs: list[ParagraphRevision], old: bool) -> list[tuple[str, list[bool]]]:
    """One side's lines (款 text and each 项), each with its per-character change mask."""
    lines: list[tuple[str, list[bool]]] = []
    for paragraph in paragraphs:
        text = paragraph.old_text if old else paragraph.new_text
        if (paragraph.old_index if old else paragraph.new_index) is None:
            continue
        if paragraph.kind == MODIFIED:
            old_mask, new_mask = changed_masks(paragraph.old_text, paragraph.new_text)
            mask = old_mask if old else new_mask
        else:
            mask = [paragraph.kind != EQUAL] * len(text)
        offset = 0
        for line in text.split("\n"):
            lines.append((line, mask[offset : offset + len(line)]))
            offset += len(line) + 1
    return lines


def _marked_runs(ctx: ExportContext, paragraph, text: str, mask: list[bool], where: str, mark: str):
    position = 0
    for flagged, group in groupby(mask):
        size = len(list(group))
        run = ctx.run(paragraph, text[position : position + size], where)
        if flagged:
            _mark(run, mark)
        position += size


def _mark(run, mark: str) -> None:
    if mark == STRIKE:
        run.font.strike = True
    else:
        run.font.bold = True
        run.font.underline = True


def _text_cell(ctx: ExportContext, cell, label: str, lines, mark: str, whole: bool) -> None:
    """The article's label and lines in a cell; `whole` marks the label as well."""
    first = cell.paragraphs[0]
    ctx.set_style(first, st.TABLE_TEXT)
    if not lines:
        lines = [("", [])]
    for index, (text, mask) in enumerate(lines):
        paragraph = first if index == 0 else ctx.paragraph(st.TABLE_TEXT, container=cell)
        if index == 0 and label:
            run = ctx.run(paragraph, label + IDEOGRAPHIC_SPACE, label, st.TABLE_LABEL)
            if whole:
                _mark(run, mark)
        if text:
            _marked_runs(ctx, paragraph, text, mask, f"修改对照稿{label}", mark)


def _article_row(ctx: ExportContext, table, revision: ArticleRevision) -> None:
    row = table.add_row()
    _keep_row_whole(row)
    old_cell, new_cell, note_cell = row.cells
    if revision.old is not None:
        lines = side_lines(revision.paragraphs, old=True)
        _text_cell(ctx, old_cell, revision.old.label, lines, STRIKE, revision.kind == DELETED)
    else:
        _fill(ctx, old_cell, [], "修改对照稿", st.TABLE_TEXT)
    if revision.new is not None:
        lines = side_lines(revision.paragraphs, old=False)
        _text_cell(ctx, new_cell, new_label(revision), lines, ADD, revision.kind == ADDED)
    else:
        _fill(ctx, new_cell, [], "修改对照稿", st.TABLE_TEXT)
    _fill(ctx, note_cell, article_note(revision), "修改对照稿说明", st.TABLE_TEXT)


def chapter_sides(revision: ChapterRevision) -> tuple[str, list[bool], str, list[bool], str]:
    """A changed chapter's (old heading, its struck mask, new heading, its added mask, 说明)."""
    old_text = chapter_heading(revision.old) if revision.old else ""
    new_text = chapter_label(revision) if revision.new else ""
    old_mask, new_mask = changed_masks(old_text, new_text)
    if revision.kind == DELETED:
        old_mask = [True] * len(old_text)
    if revision.kind == ADDED:
        new_mask = [True] * len(new_text)
    note = {ADDED: "新增一章", DELETED: "删去本章"}.get(revision.kind, "修改章名")
    return old_text, old_mask, new_text, new_mask, note


def _changed_chapter_row(ctx: ExportContext, table, revision: ChapterRevision) -> None:
    row = table.add_row()
    _keep_row_whole(row)
    old_cell, new_cell, note_cell = row.cells
    old_text, old_mask, new_text, new_mask, note = chapter_sides(revision)
    for cell, text, mask, mark in (
        (old_cell, old_text, old_mask, STRIKE),
        (new_cell, new_text, new_mask, ADD),
    ):
        paragraph = _fill(ctx, cell, [], "修改对照稿章名", st.TABLE_HEADER)[0]
        _marked_runs(ctx, paragraph, text, mask, "修改对照稿章名", mark)
    _fill(ctx, note_cell, [note], "修改对照稿说明", st.TABLE_TEXT)


def _chapter(ctx: ExportContext, table, revision: ChapterRevision, chapterless: bool) -> None:
    if revision.kind == UNCHANGED:
        if not chapterless:
            _chapter_row(ctx, table, chapter_label(revision), "修改对照稿章名")
        return
    _changed_chapter_row(ctx, table, revision)


def _folded_row(ctx: ExportContext, table, run: list[ArticleRevision]) -> None:
    new = article_span(run[0].new_number or 0, run[-1].new_number or 0)
    old = article_span(run[0].old_number or 0, run[-1].old_number or 0)
    text = new if new == old else f"{new}（原{old}）"
    row = table.add_row()
    _keep_row_whole(row)
    merged = row.cells[0].merge(row.cells[-1])
    _fill(ctx, merged, [f"{text}{IDEOGRAPHIC_SPACE}{UNCHANGED_NOTE}"], "修改对照稿", st.TABLE_TEXT)


def _is_chapterless(chapter: Chapter | None) -> bool:
    return chapter is not None and chapter.number == 0 and not chapter.title


def write_revision_table(
    ctx: ExportContext, diff: RevisionDiff, names: RevisionNames, fold_unchanged: bool = False
) -> None:
    """The 修改对照稿 into the context's document (its section should be landscape)."""
    ctx.paragraph(st.TITLE, table_title(diff, names), "修改对照稿标题")
    ctx.paragraph(st.STATUS_LINE, f"（{names.old}与{names.new}对照）", "修改对照稿标题")
    ctx.paragraph(st.TABLE_TEXT, diff.facts().sentence(names.old, names.new), "修改情况")
    ctx.paragraph(st.TABLE_TEXT, MARKS_LEGEND, "修改对照稿图例")
    table = ctx.document.add_table(rows=1, cols=len(HEADERS))
    _table_properties(table, COLUMN_WIDTHS_MM)
    header = table.rows[0]
    _keep_row_whole(header, header=True)
    for cell, text in zip(header.cells, HEADERS, strict=True):
        _fill(ctx, cell, [text], "修改对照稿表头", st.TABLE_HEADER)
    folded: list[ArticleRevision] = []
    for entry in diff.entries:
        if isinstance(entry, ArticleRevision) and fold_unchanged and entry.untouched:
            folded.append(entry)
            continue
        if folded:
            _folded_row(ctx, table, folded)
            folded = []
        if isinstance(entry, ChapterRevision):
            chapterless = _is_chapterless(entry.new) or _is_chapterless(entry.old)
            _chapter(ctx, table, entry, chapterless)
        else:
            _article_row(ctx, table, entry)
    if folded:
        _folded_row(ctx, table, folded)
