"""The draft itself: title, （草案） line, static 目录, chapter headings and articles."""

from __future__ import annotations

from drafter.export import styles as st
from drafter.export.comments import comment_on_article
from drafter.export.context import ExportContext
from drafter.export.titles import bare_title, status_line
from drafter.statute.model import Article, Chapter
from drafter.statute.numerals import item_label
from drafter.statute.numerals import to_chinese_numeral as cn

IDEOGRAPHIC_SPACE = "\u3000"


def padded_title(title: str) -> str:
    """Two-character chapter names are spread with two full-width spaces: 总　　则."""
    if len(title) == 2:
        return title[0] + IDEOGRAPHIC_SPACE * 2 + title[1]
    return title


def chapter_heading(chapter: Chapter) -> str:
    """第一章　总　　则."""
    return f"{chapter.label}{IDEOGRAPHIC_SPACE}{padded_title(chapter.title)}"


def article_lines(article: Article) -> list[tuple[str, str, str]]:
    """(style, text, where) for each paragraph of an article: one per 款, one per 项."""
    lines: list[tuple[str, str, str]] = []
    for p, para in enumerate(article.paragraphs, 1):
        where = f"{article.label}第{cn(p)}款"
        if para.text or not para.items:
            lines.append((st.ARTICLE, para.text, where))
        for i, item in enumerate(para.items, 1):
            lines.append((st.ITEM, item_label(i) + item, f"{where}第{cn(i)}项"))
    return lines or [(st.ARTICLE, "", article.label)]


def write_article(ctx: ExportContext, article: Article) -> None:
    """An article: 第X条　in 黑体, then each 款 and 项 as its own paragraph."""
    for index, (style, text, where) in enumerate(article_lines(article)):
        paragraph = ctx.paragraph(style)
        if index == 0:
            label = ctx.run(
                paragraph, article.label + IDEOGRAPHIC_SPACE, article.label, st.ARTICLE_LABEL
            )
            if article.caption:
                ctx.run(paragraph, f"【{article.caption}】", f"{article.label}条旨")
            if ctx.comments:
                comment_on_article(ctx, article, label)
        if text:
            ctx.run(paragraph, text, where)


def write_title(ctx: ExportContext, title: str, status: str | None) -> None:
    """The title in 2号 小标宋, and the status line in 楷体 under it."""
    ctx.paragraph(st.TITLE, title, "标题")
    if status:
        ctx.paragraph(st.STATUS_LINE, status_line(status), "标题")
    ctx.blank()


def write_draft(ctx: ExportContext) -> None:
    """The whole draft into the context's document."""
    draft = ctx.draft
    write_title(ctx, bare_title(draft.title, draft.status), draft.status)
    chapters = [] if draft.chapterless else draft.chapters
    if chapters:
        ctx.paragraph(st.TOC_HEADING, "目" + IDEOGRAPHIC_SPACE * 2 + "录")
        for chapter in chapters:
            ctx.paragraph(st.TOC_ENTRY, chapter_heading(chapter), f"目录{chapter.label}")
    for chapter in draft.chapters:
        if chapters:
            ctx.blank()
            ctx.paragraph(st.CHAPTER, chapter_heading(chapter), chapter.label)
        for article in chapter.articles:
            write_article(ctx, article)
