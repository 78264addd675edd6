"""The 起草说明: the drafter's sections, plus the facts drafters otherwise count by hand.

Generated facts: "共X章Y条" and the chapter list, what each chapter regulates (captions, or
the first sentence of each article), which references were drawn on with how many articles
as 照搬/修改/参考, and which articles are new.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from drafter.draft.document import Draft, ExplanationSection
from drafter.draft.provenance import article_label
from drafter.draft.source_links import NEW_LABEL
from drafter.export import styles as st
from drafter.export.context import ExportContext
from drafter.export.draft_document import IDEOGRAPHIC_SPACE, bare_title, status_line
from drafter.export.sources import SourceResolver
from drafter.statute.model import Article
from drafter.statute.numerals import to_chinese_numeral as cn

LABELS = ("照搬", "修改", "参考")
SUMMARY_MAX_ARTICLES = 8
SENTENCE_MAX_CHARS = 40

# The usual outline (立法法 art. 58); a drafter's section goes where its title fits.
OUTLINE: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("必要性", ("必要",)),
    ("起草过程", ("过程", "经过")),
    ("主要依据", ("依据",)),
    ("主要内容", ("内容",)),
    ("需要说明的问题", ("说明的问题", "问题", "说明")),
)
PLACEHOLDER = "（待补充）"
_LEAD = re.compile(r"^[（(][一二三四五六七八九十]+[）)](?:[^。：:（(]{1,30}[。：:])?")
_SENTENCE_END = re.compile(r"[。；：]")


@dataclass
class ChapterFact:
    """A chapter: its heading, its article range and what it regulates."""

    label: str
    title: str
    first: str
    last: str
    topics: list[str]
    captions: bool  # topics are captions, not first sentences


@dataclass
class ReferenceUse:
    """A reference drawn on, and how many articles took each treatment from it."""

    ref: str
    city: str
    title: str
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(LABELS, 0))

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class ExplanationFacts:
    """What the 起草说明 states about the draft."""

    chapter_count: int
    article_count: int
    chapters: list[ChapterFact]
    references: list[ReferenceUse]
    new_articles: list[str]


def first_sentence(article: Article) -> str:
    """The article's first sentence without its end mark, shortened to a topic line."""
    text = next((p.text for p in article.paragraphs if p.text), "")
    sentence = _SENTENCE_END.split(text, maxsplit=1)[0].strip()
    if len(sentence) > SENTENCE_MAX_CHARS:
        sentence = sentence[:SENTENCE_MAX_CHARS] + "……"
    return sentence


def explanation_facts(draft: Draft, resolver: SourceResolver) -> ExplanationFacts:
    """Count and list what the 起草说明 reports."""
    chapters: list[ChapterFact] = []
    for chapter in draft.chapters:
        if not chapter.articles:
            continue
        captioned = [a.caption for a in chapter.articles if a.caption]
        topics = captioned or [first_sentence(a) for a in chapter.articles]
        chapters.append(
            ChapterFact(
                label=chapter.label if not draft.chapterless else "",
                title=chapter.title,
                first=chapter.articles[0].label,
                last=chapter.articles[-1].label,
                topics=[t for t in topics if t],
                captions=bool(captioned),
            )
        )
    uses: dict[str, ReferenceUse] = {}
    new_articles: list[str] = []
    for article in draft.articles():
        if article_label(draft, article) == NEW_LABEL:
            new_articles.append(article.label)
            continue
        # Per reference, an article counts once, under its strongest treatment.
        strongest: dict[str, str] = {}
        for source in resolver.sources(draft, article):
            label = source.label if source.label in LABELS else "参考"
            known = strongest.get(source.ref)
            if known is None or LABELS.index(label) < LABELS.index(known):
                strongest[source.ref] = label
            if source.ref not in uses:
                uses[source.ref] = ReferenceUse(source.ref, source.city, source.title)
        for ref, label in strongest.items():
            uses[ref].counts[label] += 1
    order = list(uses)
    references = sorted(uses.values(), key=lambda u: (-u.total, order.index(u.ref)))
    chapter_count = 0 if draft.chapterless else len(draft.chapters)
    return ExplanationFacts(
        chapter_count, sum(1 for _ in draft.articles()), chapters, references, new_articles
    )


def explanation_title(draft: Draft) -> str:
    """关于《…（草案）》的起草说明."""
    return f"关于《{bare_title(draft.title, draft.status)}{status_line(draft.status)}》的起草说明"


def _assign_sections(
    sections: list[ExplanationSection],
) -> tuple[dict[int, list[str]], list[ExplanationSection]]:
    """The drafter's texts by outline position, and the sections that fit none of it."""
    placed: dict[int, list[str]] = {}
    extra: list[ExplanationSection] = []
    for section in sections:
        slot = next(
            (i for i, (_, keys) in enumerate(OUTLINE) if any(k in section.title for k in keys)),
            None,
        )
        if slot is None or slot in placed:
            extra.append(section)
        else:
            placed[slot] = [line.strip() for line in section.text.splitlines() if line.strip()]
    return placed, extra


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


def _counts_text(use: ReferenceUse) -> str:
    parts = [f"{label}{use.counts[label]}条" for label in LABELS if use.counts[label]]
    return "、".join(parts)


def _write_basis(ctx: ExportContext, facts: ExplanationFacts) -> None:
    if facts.references:
        ctx.paragraph(
            st.EXPLANATION_BODY,
            f"草案起草中借鉴了{len(facts.references)}部地方性法规，"
            f"共涉及{facts.article_count - len(facts.new_articles)}条：",
        )
        last = len(facts.references)
        for number, use in enumerate(facts.references, 1):
            title = f"《{use.title}》" if use.title else f"（编号 {use.ref}）"
            end = "。" if number == last else "；"
            ctx.paragraph(
                st.EXPLANATION_BODY,
                f"{number}. {use.city}{title}：{_counts_text(use)}{end}",
                "起草说明·主要依据",
            )
    if facts.new_articles:
        listed = "、".join(facts.new_articles)
        ctx.paragraph(
            st.EXPLANATION_BODY,
            f"草案{listed}共{len(facts.new_articles)}条为新增条文，"
            "系根据本市实际新设的规定，未直接借鉴其他法规。",
        )


def _write_content(ctx: ExportContext, facts: ExplanationFacts) -> None:
    if facts.chapter_count:
        chapter_list = "、".join(f"{c.label}{c.title}" for c in facts.chapters)
        summary = (
            f"草案共{cn(facts.chapter_count)}章{cn(facts.article_count)}条，依次为{chapter_list}。"
        )
    else:
        summary = f"草案不分章，共{cn(facts.article_count)}条。"
    ctx.paragraph(st.EXPLANATION_BODY, summary, "起草说明·主要内容")
    for number, chapter in enumerate(facts.chapters, 1):
        paragraph = ctx.paragraph(st.EXPLANATION_BODY)
        if chapter.label:
            head = f"（{cn(number)}）{chapter.label}{IDEOGRAPHIC_SPACE}{chapter.title}"
            lead = f"{head}（{chapter.first}至{chapter.last}）。"
            ctx.run(paragraph, lead, chapter.label, st.EXPLANATION_LEAD)
        topics = chapter.topics[:SUMMARY_MAX_ARTICLES]
        more = "等" if len(chapter.topics) > len(topics) else ""
        if chapter.captions:
            body = f"主要规定了{'、'.join(topics)}{more}内容。"
        else:
            body = f"主要规定：{'；'.join(topics)}{more}。" if topics else ""
        if body:
            ctx.run(paragraph, body, chapter.label or "起草说明·主要内容")


def write_explanation(ctx: ExportContext) -> list[str]:
    """The 起草说明 into the context's document; returns its section headings."""
    draft = ctx.draft
    facts = explanation_facts(draft, ctx.resolver)
    ctx.paragraph(st.TITLE, explanation_title(draft), "起草说明标题")
    ctx.blank()
    placed, extra = _assign_sections(draft.explanation)
    headings = []
    generated = {2: _write_basis, 3: _write_content}
    for index, (name, _) in enumerate(OUTLINE):
        heading = f"{cn(index + 1)}、{name}"
        headings.append(heading)
        ctx.paragraph(st.EXPLANATION_H1, heading)
        lines = placed.get(index, [])
        _write_text(ctx, lines, f"起草说明·{name}")
        if index in generated:
            generated[index](ctx, facts)
        elif not lines:
            ctx.paragraph(st.EXPLANATION_BODY, PLACEHOLDER)
    for offset, section in enumerate(extra, len(OUTLINE) + 1):
        heading = f"{cn(offset)}、{section.title or '其他'}"
        headings.append(heading)
        ctx.paragraph(st.EXPLANATION_H1, heading, "起草说明标题")
        lines = [line.strip() for line in section.text.splitlines() if line.strip()]
        _write_text(ctx, lines, f"起草说明·{section.title}")
    return headings
