"""Reviewer comments: on each adopted article, a Word comment naming its sources."""

from __future__ import annotations

from typing import TYPE_CHECKING

from drafter import APP_DISPLAY_NAME
from drafter.statute.model import Article
from drafter.statute.numerals import to_chinese_numeral as cn

if TYPE_CHECKING:
    from drafter.export.context import ExportContext

COMMENT_AUTHOR = APP_DISPLAY_NAME
COMMENT_INITIALS = "起草"


def comment_lines(ctx: ExportContext, article: Article) -> list[str]:
    """One line per source: 来源：city《title》第X条第X款；照搬，相似度 98%."""
    lines = []
    for source in ctx.resolver.sources(ctx.draft, article):
        part = (
            ""
            if source.draft_paragraph is None
            else f"（草案第{cn(source.draft_paragraph + 1)}款）"
        )
        label = source.label or "参考"
        if source.pending:
            label = f"来源待确认（{label}）"
        lines.append(f"来源{part}：{source.citation}；{label}，相似度 {source.similarity:.0f}%")
    return lines


def comment_on_article(ctx: ExportContext, article: Article, anchor_run) -> None:
    """Anchor a comment on the article's 第X条 run when it has sources; nothing otherwise."""
    lines = comment_lines(ctx, article)
    if not lines:
        return
    lines = [ctx.sanitizer.clean(line, f"{article.label}批注") for line in lines]
    comment = ctx.document.add_comment(
        anchor_run, text=lines[0], author=COMMENT_AUTHOR, initials=COMMENT_INITIALS
    )
    for line in lines[1:]:
        comment.add_paragraph(line)
