"""Render articles as HTML for read-only views, with damaged spans and search hits marked."""

from __future__ import annotations

import html
from collections.abc import Sequence

from drafter.cleaning.mojibake import RawDamage
from drafter.statute.model import Article, DamagedSpan
from drafter.statute.numerals import item_label

DAMAGE_STYLE = "background:#f8d7da;color:#842029;"
HIT_STYLE = "background:#fff3a3;"
SHARED_STYLE = "background:#d1e7dd;"


def mark_text(
    text: str,
    damaged: Sequence[DamagedSpan | RawDamage] | None = None,
    hits: list[tuple[int, int]] | None = None,
    shared: list[tuple[int, int]] | None = None,
) -> str:
    """Escape `text` and wrap damaged spans, search hits and shared spans in styled <span>s."""
    marks: list[tuple[int, int, str, str]] = []
    for span in damaged or []:
        marks.append((span.start, span.end, DAMAGE_STYLE, f"来源文字损坏：{span.reason}"))
    for start, end in hits or []:
        marks.append((start, end, HIT_STYLE, ""))
    for start, end in shared or []:
        marks.append((start, end, SHARED_STYLE, "与查询相同的文字"))
    if not marks:
        return html.escape(text)
    # Character-level styles; damage wins over hits, hits over shared spans.
    styles: list[tuple[str, str] | None] = [None] * len(text)
    for start, end, style, tip in sorted(marks, key=lambda m: _priority(m[2])):
        for index in range(max(0, start), min(len(text), end)):
            styles[index] = (style, tip)
    out: list[str] = []
    run_start = 0
    for index in range(1, len(text) + 1):
        if index == len(text) or styles[index] != styles[run_start]:
            piece = html.escape(text[run_start:index])
            run_style = styles[run_start]
            if run_style is None:
                out.append(piece)
            else:
                title = f' title="{html.escape(run_style[1])}"' if run_style[1] else ""
                out.append(f'<span style="{run_style[0]}"{title}>{piece}</span>')
            run_start = index
    return "".join(out)


def _priority(style: str) -> int:
    return {SHARED_STYLE: 0, HIT_STYLE: 1, DAMAGE_STYLE: 2}[style]


def find_hits(text: str, query: str) -> list[tuple[int, int]]:
    """Every occurrence of `query` in `text`."""
    hits = []
    if query:
        start = text.find(query)
        while start >= 0:
            hits.append((start, start + len(query)))
            start = text.find(query, start + len(query))
    return hits


def article_html(article: Article, query: str = "") -> str:
    """One article: 第X条 in bold, each 款 a paragraph with its 项."""
    parts: list[str] = []
    head = f"<b>{html.escape(article.label)}</b>　"
    if article.caption:
        head += f"【{html.escape(article.caption)}】"
    for p_index, paragraph in enumerate(article.paragraphs, 1):
        spans = [d for d in article.damaged if d.paragraph == p_index and d.item == 0]
        body = mark_text(paragraph.text, spans, find_hits(paragraph.text, query))
        prefix = head if p_index == 1 else ""
        # Rich text collapses leading ideographic spaces, so each 款 is indented by style.
        parts.append(f'<p style="margin:4px 0; text-indent:2em;">{prefix}{body}</p>')
        for i_index, item in enumerate(paragraph.items, 1):
            spans = [d for d in article.damaged if d.paragraph == p_index and d.item == i_index]
            marked = mark_text(item, spans, find_hits(item, query))
            parts.append(
                f'<p style="margin:2px 0; text-indent:2em;">{item_label(i_index)}{marked}</p>'
            )
    return "\n".join(parts)
