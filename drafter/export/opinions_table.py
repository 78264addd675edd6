"""The 意见采纳情况表: every reviewer's comment and change, with how it was handled.

Title "关于《XX条例（草案）》征求意见采纳情况表"; one landscape table, columns 序号 |
条款 | 意见内容 | 提出单位（人） | 处理情况 | 理由, in the 对照表's styles and page setup
(header row repeated, rows kept whole, single black borders). Rows follow the draft's
order (current article numbers); comments that could not be placed come last, with the
place the reviewed document gave them.
"""

from __future__ import annotations

from pathlib import Path

from docx.enum.text import WD_ALIGN_PARAGRAPH

from drafter.draft.document import Draft
from drafter.export import styles as st
from drafter.export.comparison_table import _fill, _keep_row_whole, _table_properties
from drafter.export.context import ExportContext
from drafter.export.draft_document import bare_title, status_line

HEADERS = ("序号", "条款", "意见内容", "提出单位（人）", "处理情况", "理由")
HEADER_LINES = {"提出单位（人）": ("提出单位", "（人）")}
# Over the 225 mm landscape text block: the opinion and the reason get the room.
COLUMN_WIDTHS_MM = (14, 34, 68, 34, 22, 53)
NONE_MARK = "—"


def opinions_title(draft: Draft) -> str:
    """关于《XX条例（草案）》征求意见采纳情况表."""
    name = bare_title(draft.title, draft.status) + status_line(draft.status)
    return f"关于《{name}》征求意见采纳情况表"


def ordered_items(draft: Draft) -> list[dict]:
    """The items in the draft's order: by current article and 款, unplaced ones last."""
    # review.store is imported lazily here and below: it imports review.items, which
    # (through docx_reader and export.comments) imports drafter.export -- a cycle.
    from drafter.review import store as review_store

    return review_store.items_in_order(draft)


def _place(draft: Draft, item: dict) -> str:
    from drafter.review import store as review_store

    text = review_store.location_text(draft, item)
    if text != "无法定位":
        return text
    return item.get("where") or NONE_MARK


def _content(item: dict) -> list[str]:
    lines = [line for line in item["text"].split("\n") if line.strip()] or [NONE_MARK]
    anchor = item.get("anchor_text", "").strip()
    if item["kind"] == "comment" and anchor:
        lines[0] = f"（针对“{anchor[:40]}”）{lines[0]}"
    return lines


def write_opinions(ctx: ExportContext) -> None:
    """The 意见采纳情况表 into the context's document (its section should be landscape)."""
    draft = ctx.draft
    ctx.paragraph(st.TITLE, opinions_title(draft), "意见采纳情况表标题")
    table = ctx.document.add_table(rows=1, cols=len(HEADERS))
    _table_properties(table, COLUMN_WIDTHS_MM)
    header = table.rows[0]
    _keep_row_whole(header, header=True)
    for cell, text in zip(header.cells, HEADERS, strict=True):
        lines = list(HEADER_LINES.get(text, (text,)))
        _fill(ctx, cell, lines, "意见采纳情况表表头", st.TABLE_HEADER)
    for number, item in enumerate(ordered_items(draft), 1):
        row = table.add_row()
        _keep_row_whole(row)
        where = f"意见采纳情况表第{number}行"
        cells = row.cells
        unit = item.get("unit") or item.get("author") or NONE_MARK
        reason = [line for line in item.get("reason", "").split("\n") if line.strip()]
        for paragraph in _fill(ctx, cells[0], [str(number)], where, st.TABLE_TEXT):
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _fill(ctx, cells[1], [_place(draft, item)], where, st.TABLE_TEXT)
        _fill(ctx, cells[2], _content(item), where, st.TABLE_TEXT)
        _fill(ctx, cells[3], [unit], where, st.TABLE_TEXT)
        handled = [item.get("disposition") or "待处理"]
        for paragraph in _fill(ctx, cells[4], handled, where, st.TABLE_TEXT):
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _fill(ctx, cells[5], reason, where, st.TABLE_TEXT)


def export_opinions(
    draft: Draft,
    output: Path | str,
    *,
    template: Path | str | None = None,
    source: Path | str | None = None,
) -> list[str]:
    """Write the 意见采纳情况表 to `output`; returns warnings (items not yet handled)."""
    from drafter.errors import DrafterError
    from drafter.export.exporter import build_document
    from drafter.export.writer import check_targets, document_bytes, write_all
    from drafter.review import store as review_store

    items = review_store.review_of(draft)["items"]
    if not items:
        raise DrafterError("草案中还没有审阅意见；请先用 drafter review import 导入审阅稿")
    check_targets([Path(output)], Path(source) if source else None)
    document = build_document(draft, ["opinions"], template=template)
    write_all({Path(output): document_bytes(document)})
    open_items = [i for i in items if not i.get("disposition")]
    warnings = []
    if open_items:
        warnings.append(f"{len(open_items)} 条意见尚未处理，表中写作“待处理”")
    unplaced = [i for i in items if review_store.place_of(draft, i)[1] is None]
    if unplaced:
        warnings.append(f"{len(unplaced)} 条意见无法定位到现行条文，条款栏写审阅稿中的位置")
    return warnings
