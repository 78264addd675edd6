"""The 起草说明 written into the Word document: what explanation.py says, in the genre's
layout (一、 headings in 黑体, "（一）xx。" sub-points opening in 楷体, 仿宋 body).

Apart from the facts and sentences so that the window's 起草说明 tab, which shows them,
does not load python-docx with it.
"""

from __future__ import annotations

import re

from drafter.draft.explanation_outline import (
    BASIS,
    CONTENT,
    GENERATED_KINDS,
    PROCESS,
    bare_title,
    effective_sections,
    placeholder,
)
from drafter.export import styles as st
from drafter.export.context import ExportContext
from drafter.export.explanation import (
    CLOSING,
    ExplanationFacts,
    basis_sentence,
    explanation_facts,
    explanation_title,
    process_lines,
    text_lines,
)
from drafter.export.main_content import main_content_opening, main_content_paragraphs
from drafter.export.titles import status_line
from drafter.statute.numerals import to_chinese_numeral as cn

_LEAD = re.compile(r"^[（(][一二三四五六七八九十]+[）)](?:[^。：:（(]{1,30}[。：:])?")


def _write_text(ctx: ExportContext, lines: list[str], where: str) -> None:
    for line in lines:
        lead = _LEAD.match(line)
        if lead and lead.end() == len(line) and len(line) > 3:
            # A line that is only "（一）xx：" is a second-level heading.
            ctx.paragraph(st.EXPLANATION_H2, line, where)
            continue
        paragraph = ctx.paragraph(st.EXPLANATION_BODY)
        if lead:
            # "（一）xx。" opens a sub-point: its heading in 楷体, the rest in 仿宋.
            ctx.run(paragraph, lead.group(), where, st.EXPLANATION_LEAD)
            line = line[lead.end() :]
        if line:
            ctx.run(paragraph, line, where)


def _write_generated_content(ctx: ExportContext, facts: ExplanationFacts) -> None:
    """《条例（草案）》共X章Y条，主要内容如下： then one themed paragraph per chapter."""
    opening = main_content_opening(ctx.draft, status_line(ctx.draft.status))
    lines = [opening, *main_content_paragraphs(ctx.draft, ctx.resolver)]
    _write_text(ctx, lines, "起草说明·主要内容")


def write_explanation(ctx: ExportContext) -> list[str]:
    """The 起草说明 into the context's document; returns its section headings."""
    draft = ctx.draft
    facts = explanation_facts(draft, ctx.resolver)
    ctx.paragraph(st.TITLE, explanation_title(draft), "起草说明标题")
    ctx.blank()
    headings = []
    done: set[str] = set()
    for index, (title, text, kind) in enumerate(effective_sections(draft.explanation), 1):
        name = bare_title(title) or "其他"
        heading = f"{cn(index)}、{name}"
        headings.append(heading)
        ctx.paragraph(st.EXPLANATION_H1, heading, "起草说明标题")
        where = f"起草说明·{name}"
        # Generated facts go to the first section of their kind only.
        first = kind not in done
        done.add(kind)
        lines = text_lines(text)
        if kind == CONTENT and first:
            _write_generated_content(ctx, facts)
            _write_text(ctx, lines, where)
            continue
        generated: list[str] = []
        if first and kind == PROCESS:
            generated = process_lines(facts)
        elif first and kind == BASIS:
            generated = [line for line in (basis_sentence(draft.basis),) if line]
        written_for_it = (first and kind in GENERATED_KINDS) or (kind == BASIS and generated)
        if not lines and not written_for_it:
            lines = [placeholder(name)]
        _write_text(ctx, lines, where)
        for line in generated:
            ctx.paragraph(st.EXPLANATION_BODY, line, where)
    ctx.paragraph(st.EXPLANATION_BODY, CLOSING, "起草说明·结束语")
    return headings
