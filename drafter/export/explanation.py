"""The 起草说明: the drafter's sections in the genre's outline, plus the facts drafters
otherwise count by hand.

Sections (the drafter may rename and reorder them; see draft.explanation_outline):
一、制定的必要性 · 二、起草过程 · 三、主要依据 · 四、主要内容 · 五、需要说明的问题, closed
by "以上说明，请予审议。". An unwritten section is a visible 【待填写：…】.

Generated facts: under 起草过程, the references drawn on ("学习借鉴了海口、济宁两部地方性
法规和成都、无锡、鹰潭三部草案的有益经验"), which articles drew on each, which are new, and
which have a source still 待确认 (never counted as new); under 主要依据, the 上位法 and policy
documents the drafter listed (other cities' texts are not 依据); under 主要内容, "共X章Y条"
and what each chapter regulates. Wording is 借鉴/参照, never 照搬.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from drafter.draft.document import Draft
from drafter.export.sources import PENDING_MARK, SourceResolver, is_enacted
from drafter.export.titles import bare_title as bare_draft_title
from drafter.export.titles import status_line
from drafter.statute.local_terms import CITY_NAMES
from drafter.statute.numerals import count_word
from drafter.statute.ranges import article_ranges, article_span

LABELS = ("照搬", "修改", "参考")
# How a 起草说明 words each treatment: it says 参照/借鉴, never 照搬.
TREATMENT_WORDS = {"照搬": "参照", "修改": "借鉴修改", "参考": "参考"}
CLOSING = "以上说明，请予审议。"
ENACTED_KIND, DRAFT_KIND = "地方性法规", "草案"


@dataclass
class ChapterFact:
    """A chapter: its heading, its article range and what it regulates."""

    label: str
    title: str
    numbers: list[int] = field(default_factory=list)

    @property
    def span(self) -> str:
        """第一条至第五条, or 第二十一条 for a one-article chapter; "" without articles."""
        return article_span(self.numbers[0], self.numbers[-1]) if self.numbers else ""


@dataclass
class ReferenceUse:
    """A reference drawn on, and how many articles took each treatment from it."""

    ref: str
    city: str
    title: str
    status: str = ""
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(LABELS, 0))
    articles: list[int] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def enacted(self) -> bool:
        """An enacted 地方性法规 (not a 草案 or 征求意见稿)."""
        return is_enacted(self.status, self.title)

    @property
    def short_city(self) -> str:
        """海口市 → 海口, as "借鉴了海口、济宁…" names cities."""
        return short_city(self.city) or self.ref

    @property
    def citation(self) -> str:
        """《海口市智慧城市促进条例》, prefixed with the city where the title lacks it."""
        if not self.title:
            return f"{self.city}（编号 {self.ref}）" if self.city else f"（编号 {self.ref}）"
        prefix = "" if self.short_city in self.title else self.city
        return f"{prefix}《{self.title}》"


@dataclass
class ExplanationFacts:
    """What the 起草说明 states about the draft."""

    chapter_count: int
    article_count: int
    chapters: list[ChapterFact]
    references: list[ReferenceUse]  # drawn on: adopted or confirmed sources
    new_articles: list[int]  # numbers of articles with no source at all, not even 待确认
    # Per reference, the articles whose only source is its 待确认 one (when marked).
    pending: list[ReferenceUse] = field(default_factory=list)

    @property
    def pending_articles(self) -> list[int]:
        return sorted({n for use in self.pending for n in use.articles})

    @property
    def enacted(self) -> list[ReferenceUse]:
        return [u for u in self.references if u.enacted]

    @property
    def drafts(self) -> list[ReferenceUse]:
        return [u for u in self.references if not u.enacted]


def short_city(city: str) -> str:
    """The short form of a city's name (海口市 → 海口)."""
    known = CITY_NAMES.get(city)
    if known:
        return known[0]
    return city[:-1] if len(city) > 2 and city.endswith("市") else city


def _chapter_facts(draft: Draft) -> list[ChapterFact]:
    chapters = []
    for chapter in draft.chapters:
        articles = chapter.articles
        chapters.append(
            ChapterFact(
                label=chapter.label if not draft.chapterless else "",
                title=chapter.title,
                numbers=[a.number for a in articles],
            )
        )
    return chapters


def _sorted_uses(uses: dict[str, ReferenceUse]) -> list[ReferenceUse]:
    order = list(uses)
    return sorted(uses.values(), key=lambda u: (-u.total, order.index(u.ref)))


def explanation_facts(draft: Draft, resolver: SourceResolver) -> ExplanationFacts:
    """Count and list what the 起草说明 reports."""
    uses: dict[str, ReferenceUse] = {}
    pending: dict[str, ReferenceUse] = {}
    new_articles: list[int] = []
    for article in draft.articles():
        sources = resolver.sources(draft, article)
        if not sources:
            new_articles.append(article.number)
            continue
        # Per reference, an article counts once, under its strongest treatment.
        strongest: dict[str, str] = {}
        for source in sources:
            label = source.label if source.label in LABELS else "参考"
            known = strongest.get(source.ref)
            if known is None or LABELS.index(label) < LABELS.index(known):
                strongest[source.ref] = label
            table = pending if source.pending else uses
            if source.ref not in table:
                table[source.ref] = ReferenceUse(
                    source.ref, source.city, source.title, source.status
                )
        table = pending if sources[0].pending else uses
        for ref, label in strongest.items():
            table[ref].counts[label] += 1
            table[ref].articles.append(article.number)
    chapter_count = 0 if draft.chapterless else len(draft.chapters)
    return ExplanationFacts(
        chapter_count,
        sum(1 for _ in draft.articles()),
        _chapter_facts(draft),
        _sorted_uses(uses),
        new_articles,
        _sorted_uses(pending),
    )


# -- the generated sentences -------------------------------------------------------------


def _group(uses: list[ReferenceUse], kind: str) -> str:
    """海口、济宁两部地方性法规 / 鹰潭市草案."""
    names = "、".join(u.short_city for u in uses)
    if len(uses) == 1:
        return f"{uses[0].city or names}{kind}"
    return f"{names}{count_word(len(uses))}部{kind}"


def learned_sentence(facts: ExplanationFacts) -> str:
    """起草过程中，学习借鉴了海口、济宁两部地方性法规和成都、无锡、鹰潭三部草案的有益经验。"""
    groups = [
        _group(uses, kind)
        for uses, kind in ((facts.enacted, ENACTED_KIND), (facts.drafts, DRAFT_KIND))
        if uses
    ]
    if not groups:
        return ""
    return f"起草过程中，学习借鉴了{'和'.join(groups)}的有益经验。"


def _treatments(use: ReferenceUse) -> str:
    parts = [f"{TREATMENT_WORDS[k]}{count_word(use.counts[k])}条" for k in LABELS if use.counts[k]]
    return "，其中" + "、".join(parts) if len(parts) > 1 else ""


def use_lines(facts: ExplanationFacts) -> list[str]:
    """One line per reference drawn on: which articles, how many, and how."""
    lines = []
    last = len(facts.references)
    for number, use in enumerate(facts.references, 1):
        # An enacted title needs no label; a draft says so unless its title already does
        # (《…（征求意见稿）》（草案） read twice). The counts above name the kinds.
        titled = re.search(r"（[^）]*(草案|稿)）", use.citation)
        kind = "" if use.enacted or titled else f"（{DRAFT_KIND}）"
        only = next((k for k in LABELS if use.counts[k] == use.total), "")
        verb = TREATMENT_WORDS[only] if only else "借鉴"
        end = "。" if number == last else "；"
        # One article needs no count ("第三条……，共一条"), one reference no number.
        count = f"，共{count_word(use.total)}条" if use.total > 1 else ""
        lead = f"{number}. " if last > 1 else ""
        lines.append(
            f"{lead}{article_ranges(use.articles)}{verb}了{use.citation}{kind}"
            f"的有关规定{count}{_treatments(use)}{end}"
        )
    return lines


def new_sentence(facts: ExplanationFacts) -> str:
    if not facts.new_articles:
        return ""
    return (
        f"草案{article_ranges(facts.new_articles)}共{count_word(len(facts.new_articles))}条"
        "系结合本市实际新设的规定，未直接借鉴其他地方立法。"
    )


def pending_sentence(facts: ExplanationFacts) -> str:
    """The articles whose source is still 待确认: named as such, never as new."""
    if not facts.pending:
        return ""
    articles = facts.pending_articles
    if len(facts.pending) == 1:
        likely = facts.pending[0].citation
    else:
        likely = "、".join(f"{u.citation}（{count_word(u.total)}条）" for u in facts.pending)
    lead = "另有" if facts.references or facts.new_articles else "草案"
    return (
        f"{lead}{article_ranges(articles)}共{count_word(len(articles))}条，经比对与{likely}的有关条文"
        f"相近，{PENDING_MARK}。"
    )


def basis_sentence(basis: list[str]) -> str:
    """草案起草的主要依据是《中华人民共和国网络安全法》《…》、《…》（国发〔2022〕14号）。"""
    entries = [b.strip().rstrip("。；;，,") for b in basis if b.strip()]
    if not entries:
        return ""
    text = ""
    for index, entry in enumerate(entries):
        if not entry.startswith("《") and "《" not in entry:
            entry = f"《{entry}》"
        # Titles in 《》 follow each other without a 顿号; anything after a title needs one.
        if index and not text.endswith("》"):
            text += "、"
        text += entry
    return f"草案起草的主要依据是{text}。"


def explanation_title(draft: Draft) -> str:
    """关于《…（草案）》的起草说明."""
    title = bare_draft_title(draft.title, draft.status) + status_line(draft.status)
    return f"关于《{title}》的起草说明"


def text_lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def process_lines(facts: ExplanationFacts) -> list[str]:
    lines = [learned_sentence(facts)]
    if facts.references:
        lines.append("草案条文借鉴其他地方立法的情况如下：")
        lines += use_lines(facts)
    lines += [new_sentence(facts), pending_sentence(facts)]
    return [line for line in lines if line]


def explanation_warnings(draft: Draft, resolver: SourceResolver) -> list[str]:
    """What the exported 起草说明 still leaves to the drafter: unwritten sections, and
    articles it names as 来源待确认."""
    from drafter.draft.explanation_outline import unwritten_sections
    from drafter.export.sources import MARK, pending_articles

    warnings = []
    unwritten = unwritten_sections(draft)
    if unwritten:
        listed = "、".join(f"“{title}”" for title in unwritten)
        warnings.append(f"起草说明的{listed}尚未填写，已以【待填写】标出")
    pending = pending_articles(draft) if resolver.unconfirmed == MARK else []
    if pending:
        ranges = article_ranges(a.number for a in pending)
        warnings.append(f"起草说明和对照表中{ranges}注明了“{PENDING_MARK}”；确认或否定后请重新导出")
    return warnings
