"""What should stop a drafter before a draft goes out as Word: the checks' errors (an unfilled
施行日期, dangling references, empty articles), text damaged by encoding errors, and sources
still 待确认. Each kind is one line with its count and first place."""

from __future__ import annotations

from dataclasses import dataclass

from drafter.cleaning.mojibake import find_damage
from drafter.draft.checks import ERROR, run_checks
from drafter.draft.damage import current_damage
from drafter.draft.document import Draft
from drafter.draft.provenance import pending_links
from drafter.statute.numerals import to_chinese_numeral as cn

# What each error check means to a drafter reading a list before export.
ERROR_KINDS = {
    "missing_commencement": "缺少施行日期条款",
    "placeholder": "尚未填写的日期等占位符",
    "reference_unresolved": "未关联到本草案条文的引用",
    "reference_dangling": "引用的条文或款已不存在",
    "empty_article": "内容为空的条文",
}
DAMAGED_KIND = "损坏的文字（乱码或缺失的序号）"
PENDING_KIND = "尚待确认的来源"
EMPTY_CHAPTER_KIND = "没有条文的章"
UNWRITTEN_KIND = "起草说明中尚未填写的部分"


@dataclass
class ExportProblem:
    """One kind of problem: how many there are and where the first one is."""

    kind: str
    count: int
    first_place: str = ""  # "第三条 第二款"; empty for a whole-draft problem
    unit: str = "处"

    def line(self) -> str:
        """ "引用的条文或款已不存在 2 处（第三条 第一款等）"."""
        where = ""
        if self.first_place:
            where = f"（{self.first_place}{'等' if self.count > 1 else ''}）"
        if self.count == 1 and not self.first_place:
            return self.kind
        return f"{self.kind} {self.count} {self.unit}{where}"


def _place(article: int | None, paragraph: int | None) -> str:
    # Article numbers run through the whole draft, so the 章 adds nothing to a short list.
    if not article:
        return ""
    return f"第{cn(article)}条" + (f"第{cn(paragraph)}款" if paragraph else "")


def _check_errors(draft: Draft) -> list[ExportProblem]:
    problems: dict[str, ExportProblem] = {}
    for result in run_checks(draft):
        if result.severity != ERROR or result.code == "damaged_text":
            continue  # damaged text is counted by _damaged, with the detector's finds
        kind = ERROR_KINDS.get(result.code, result.message)
        place = _place(result.article, result.paragraph)
        if kind in problems:
            problems[kind].count += 1
        else:
            problems[kind] = ExportProblem(kind, 1, place)
    return list(problems.values())


def _damaged(draft: Draft) -> ExportProblem | None:
    count, first = 0, ""
    for article in draft.articles():
        # Spans carried over from a reference count even where the detector would not see
        # them again in the draft's text (a single "?" left of a lost character).
        carried = current_damage(article)
        for number, paragraph in enumerate(article.paragraphs, 1):
            texts = (paragraph.text, *paragraph.items)
            found = sum(
                max(
                    len(find_damage(text)),
                    sum(1 for d in carried if (d.paragraph, d.item) == (number, item)),
                )
                for item, text in enumerate(texts)
            )
            if found and not first:
                first = _place(article.number, number)
            count += found
    return ExportProblem(DAMAGED_KIND, count, first) if count else None


def damaged_text(draft: Draft) -> ExportProblem | None:
    """Damaged text (detected, or carried over from a reference) still in the draft."""
    return _damaged(draft)


def _pending_sources(draft: Draft) -> ExportProblem | None:
    labels = [
        article.label for article in draft.articles() for _ in pending_links(draft, article.uid)
    ]
    if not labels:
        return None
    return ExportProblem(PENDING_KIND, len(labels), labels[0], unit="个")


def unwritten_explanation(draft: Draft) -> ExportProblem | None:
    """Sections of the 起草说明 that would go out as 【待填写】 (asked only when the 起草说明
    is among the documents exported)."""
    from drafter.draft.explanation_outline import unwritten_sections

    titles = unwritten_sections(draft)
    if not titles:
        return None
    return ExportProblem(UNWRITTEN_KIND, len(titles), f"“{titles[0]}”")


def empty_chapter_labels(draft: Draft) -> list[str]:
    """第六章… for each chapter without articles (none in a draft without chapters)."""
    if draft.chapterless:
        return []
    return [chapter.label for chapter in draft.chapters if not chapter.articles]


def empty_chapters(draft: Draft) -> ExportProblem | None:
    """Chapters without articles: the exported 目录 and 共X章 count them, so they are named
    before export rather than left as a heading with nothing under it."""
    labels = empty_chapter_labels(draft)
    if not labels:
        return None
    return ExportProblem(EMPTY_CHAPTER_KIND, len(labels), labels[0], unit="章")


def export_problems(draft: Draft) -> list[ExportProblem]:
    """The problems to name before exporting, errors first; empty when the draft is ready."""
    problems = _check_errors(draft)
    problems += [
        p
        for p in (_damaged(draft), _pending_sources(draft), empty_chapters(draft))
        if p is not None
    ]
    return problems


def has_unconfirmed_sources_only(problems: list[ExportProblem]) -> bool:
    """True if the only thing to fix is in the 来源 panel (not the 检查 panel)."""
    return bool(problems) and all(p.kind == PENDING_KIND for p in problems)
