"""The drafter's proofreading: each check names its place (章, 条, 款) and a severity.

Where a finding is about particular words, it carries their span (款, 项, start, length) so
the window can select them, and a `TextFix` where the fix is certain (local_fixes).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from drafter.cleaning.chinese_script import is_hanzi
from drafter.draft.crossrefs import BOUND, DANGLING, UNRESOLVED, find_references
from drafter.draft.damage import current_damage, origin
from drafter.draft.document import Draft
from drafter.draft.local_fixes import (
    HALF_WIDTH_RE,
    LocalContext,
    TextFix,
    half_width_fix,
    local_context,
    local_term_fix,
)
from drafter.draft.localisation import Finding, find_local_terms
from drafter.draft.provenance import pending_links
from drafter.statute.model import Article, Chapter
from drafter.statute.numerals import to_chinese_numeral as cn

ERROR = "error"
WARNING = "warning"
INFO = "info"
# Errors first, then warnings, then hints: what blocks a draft is read first.
SEVERITY_ORDER = {ERROR: 0, WARNING: 1, INFO: 2}

NEAR_DUPLICATE_RATIO = 90.0

_PLACEHOLDER_RE = re.compile(
    r"[XxＸｘ×*＊○]{1,4}\s*年\s*[XxＸｘ×*＊○]{1,2}\s*月(?:\s*[XxＸｘ×*＊○]{1,2}\s*日)?"
    r"|[XxＸｘ×*＊○]{1,2}\s*月(?:\s*[XxＸｘ×*＊○]{1,2}\s*日)?"
    r"|年[\s　]+月[\s　]+日"
    r"|[XxＸｘ×]{2,}"
)
_COMMENCEMENT_RE = re.compile(r"(?:自|于).{0,30}(?:起)?施行")


@dataclass
class CheckResult:
    """One finding of the checks."""

    code: str
    severity: str
    chapter: int | None
    article: int | None
    paragraph: int | None  # 1-based 款
    message: str
    item: int = -1  # 0-based 项 of the span, -1: the 款 text
    start: int | None = None  # the span's start in that text, when the finding has one
    length: int = 0
    fix: TextFix | None = field(default=None, compare=False)
    where: str = ""  # a place outside the articles (起草说明), named instead of 全文

    @property
    def span(self) -> tuple[int, int, int, int] | None:
        """(0-based 款, 项 or -1, start, length) of the words the finding is about."""
        if self.paragraph is None or self.start is None:
            return None
        return self.paragraph - 1, self.item, self.start, self.length

    def to_json(self) -> dict:
        return {
            "code": self.code,
            "severity": self.severity,
            "chapter": self.chapter,
            "article": self.article,
            "paragraph": self.paragraph,
            "message": self.message,
        }

    def place(self) -> str:
        """第二章 第十条 第一款, as far as known."""
        parts = []
        if self.chapter:
            parts.append(f"第{cn(self.chapter)}章")
        if self.article:
            parts.append(f"第{cn(self.article)}条")
        if self.paragraph:
            parts.append(f"第{cn(self.paragraph)}款")
        return " ".join(parts) or self.where or "全文"


def _texts(article: Article):
    """(1-based 款, 0-based 项 or -1, text) of every text slot."""
    for p, para in enumerate(article.paragraphs, 1):
        yield p, -1, para.text
        for item, text in enumerate(para.items):
            yield p, item, text


def _structure(draft: Draft) -> list[CheckResult]:
    results = []
    for chapter in draft.chapters:
        if not chapter.articles:
            results.append(
                CheckResult(
                    "empty_chapter",
                    WARNING,
                    chapter.number or None,
                    None,
                    None,
                    f"本章“{chapter.title}”还没有条文",
                )
            )
        for article in chapter.articles:
            if not any(text.strip() for _, _, text in _texts(article)):
                results.append(
                    CheckResult(
                        "empty_article",
                        ERROR,
                        chapter.number or None,
                        article.number,
                        None,
                        "条文内容为空",
                    )
                )
            for p, para in enumerate(article.paragraphs, 1):
                if not para.text.strip() and not para.items:
                    results.append(
                        CheckResult(
                            "empty_paragraph",
                            WARNING,
                            chapter.number or None,
                            article.number,
                            p,
                            "空的款",
                        )
                    )
    titles = [c.title.replace(" ", "").replace("　", "") for c in draft.chapters]
    if not draft.chapterless and draft.chapters:
        if "总则" not in titles:
            results.append(
                CheckResult(
                    "missing_general_provisions", WARNING, None, None, None, "缺少“总则”一章"
                )
            )
        if "附则" not in titles:
            results.append(
                CheckResult(
                    "missing_supplementary_provisions", WARNING, None, None, None, "缺少“附则”一章"
                )
            )
    if not any(_COMMENCEMENT_RE.search(text) for a in draft.articles() for _, _, text in _texts(a)):
        results.append(
            CheckResult(
                "missing_commencement",
                ERROR,
                None,
                None,
                None,
                "缺少施行日期条款（如“本条例自×年×月×日起施行”）",
            )
        )
    return results


def _references(draft: Draft, chapter: Chapter, article: Article) -> list[CheckResult]:
    results = []
    number_of = {a.uid: a for a in draft.articles()}

    def add(binding, code: str, message: str) -> None:
        results.append(
            CheckResult(
                code,
                ERROR,
                chapter.number or None,
                article.number,
                binding.paragraph + 1,
                message,
                item=binding.item,
                start=binding.start,
                length=binding.end - binding.start,
            )
        )

    for binding in draft.refs.get(article.uid, []):
        text = draft.get_text(article, binding.location)[binding.start : binding.end]
        if binding.status == UNRESOLVED and binding.source_ref:
            add(
                binding,
                "reference_unresolved",
                f"“{text}”引用的是来源法规（{binding.source_ref}）的条文，请关联到本草案的条文",
            )
        elif binding.status == UNRESOLVED:
            add(binding, "reference_unresolved", f"“{text}”在本草案中没有对应的条文")
        elif binding.status == DANGLING:
            add(binding, "reference_dangling", f"“{text}”引用的条文或款已被删除")
        elif binding.status == BOUND and binding.target_paragraph:
            target = number_of.get(binding.target) if binding.target is not None else None
            if target is not None and binding.target_paragraph > len(target.paragraphs):
                add(
                    binding,
                    "reference_dangling",
                    f"“{text}”引用的款不存在（{target.label}只有{len(target.paragraphs)}款）",
                )
    for p, para in enumerate(article.paragraphs, 1):
        for match in find_references(para.text):
            if match.kind == "relative" and match.count >= p:
                results.append(
                    CheckResult(
                        "reference_dangling",
                        ERROR,
                        chapter.number or None,
                        article.number,
                        p,
                        f"“{para.text[match.start : match.end]}”之前没有足够的款",
                        start=match.start,
                        length=match.end - match.start,
                    )
                )
    return results


def _text_checks(
    draft: Draft, chapter: Chapter, article: Article, context: LocalContext
) -> list[CheckResult]:
    results = []
    for p, item, text in _texts(article):
        where = (chapter.number or None, article.number, p)
        counts: dict[tuple[str, str], int] = {}
        firsts: dict[tuple[str, str], Finding] = {}
        for finding in find_local_terms(text, draft.city):
            key = (finding.kind, finding.term)
            counts[key] = counts.get(key, 0) + 1
            firsts.setdefault(key, finding)
        for key, finding in firsts.items():
            severity = (
                WARNING if finding.kind in ("other_city", "city_label", "other_document") else INFO
            )
            times = f"（共{counts[key]}处）" if counts[key] > 1 else ""
            results.append(
                CheckResult(
                    f"local_{finding.kind}",
                    severity,
                    *where,
                    finding.message + times,
                    item=item,
                    start=finding.start,
                    length=finding.end - finding.start,
                    fix=local_term_fix(text, finding.term, context, p - 1, item),
                )
            )
        for match in _PLACEHOLDER_RE.finditer(text):
            results.append(
                CheckResult(
                    "placeholder",
                    ERROR,
                    *where,
                    f"占位符“{match.group()}”尚未填写",
                    item=item,
                    start=match.start(),
                    length=len(match.group()),
                )
            )
        matches = list(HALF_WIDTH_RE.finditer(text))
        if matches:
            marks = sorted({m.group() for m in matches})
            results.append(
                CheckResult(
                    "half_width_punctuation",
                    WARNING,
                    *where,
                    f"中文中使用了半角标点“{' '.join(marks)}”，应使用全角标点",
                    item=item,
                    start=matches[0].start(),
                    length=1,
                    fix=half_width_fix(text, p - 1, item),
                )
            )
    return results


def _duplicates(draft: Draft) -> list[CheckResult]:
    results = []
    articles = [(draft.chapter_of(a.uid), a, re.sub(r"\s", "", a.text())) for a in draft.articles()]
    for i, (chapter, article, text) in enumerate(articles):
        if len(text) < 8:
            continue
        for _other_chapter, other, other_text in articles[:i]:
            if len(other_text) < 8:
                continue
            if text == other_text:
                results.append(
                    CheckResult(
                        "duplicate_article",
                        WARNING,
                        chapter.number or None,
                        article.number,
                        None,
                        f"与{other.label}完全相同",
                    )
                )
            elif fuzz.ratio(text, other_text) >= NEAR_DUPLICATE_RATIO:
                results.append(
                    CheckResult(
                        "near_duplicate_article",
                        WARNING,
                        chapter.number or None,
                        article.number,
                        None,
                        f"与{other.label}几乎相同",
                    )
                )
    return results


def _explanation(draft: Draft) -> list[CheckResult]:
    """Sections of the 起草说明 that would go out as a 【待填写】 placeholder. A hint, not a
    warning: the 说明 is usually written last."""
    from drafter.draft.explanation_outline import unwritten_sections

    return [
        CheckResult(
            "explanation_unwritten",
            INFO,
            None,
            None,
            None,
            f"“{title}”尚未填写，导出时显示为【待填写：{title}】",
            where="起草说明",
        )
        for title in unwritten_sections(draft)
    ]


_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")
_ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff")


def _character_class(ch: str) -> tuple[str, str, str] | None:
    """(code, severity, what) for a character that will not print as the drafter sees it."""
    if ch in _BIDI:
        return "bidi_control", ERROR, "双向文字控制符（会颠倒或打乱打印出的文字顺序）"
    if ch in _ZERO_WIDTH:
        return "zero_width", WARNING, "零宽字符（看不见，但会影响查找和比对）"
    category = unicodedata.category(ch)
    if category == "Cc":
        return "control_character", ERROR, "控制字符（看不见，导出时会被删去）"
    if category == "Co":
        return "private_use", WARNING, "私用区字符（其他电脑和打印稿上可能是方框）"
    code = ord(ch)
    if category == "So" and (code >= 0x1F000 or 0x2600 <= code <= 0x27BF):
        return "emoji", WARNING, "表情符号（公文字体没有这个字形）"
    if is_hanzi(ch):
        try:
            ch.encode("gb2312")
        except UnicodeEncodeError:
            return "font_missing", INFO, "字体可能缺字（仿宋_GB2312 等公文字体不含此字）"
    return None


def _shown(ch: str) -> str:
    """The character itself where it is visible, its code point where it is not."""
    if unicodedata.category(ch) in ("Cc", "Cf", "Co") or ch in _BIDI or ch in _ZERO_WIDTH:
        return f"U+{ord(ch):04X}"
    return f"“{ch}”（U+{ord(ch):04X}）"


def _characters(chapter: Chapter, article: Article) -> list[CheckResult]:
    """Damaged text carried over from a reference, and characters that print wrongly or not
    at all: one finding per text and kind, selecting the first occurrence."""
    results = []
    for span in current_damage(article):
        # The 章/条/款 are the finding's place, shown beside it; only a 项 is named here.
        where = f"第{cn(span.item)}项" if span.item > 0 else ""
        source = origin(span)
        results.append(
            CheckResult(
                "damaged_text",
                ERROR,
                chapter.number or None,
                article.number,
                span.paragraph or None,
                f"{where}含损坏文字（{f'来自{source}，' if source else ''}请更正）",
                item=span.item - 1,
                start=span.start,
                length=span.end - span.start,
            )
        )
    damaged = {
        (span.paragraph, span.item - 1, index)
        for span in current_damage(article)
        for index in range(span.start, span.end)
    }
    for p, item, text in _texts(article):
        seen: dict[str, list[tuple[int, str]]] = {}
        for index, ch in enumerate(text):
            # Mojibake is reported once, as damaged text, not character by character.
            kind = None if (p, item, index) in damaged else _character_class(ch)
            if kind:
                seen.setdefault(kind[0], []).append((index, ch))
        for code, hits in seen.items():
            found = _character_class(hits[0][1])
            assert found is not None  # only characters that have a class were collected
            _, severity, what = found
            chars = "、".join(dict.fromkeys(_shown(ch) for _, ch in hits))
            count = f"{len(hits)}处" if len(hits) > 1 else ""
            results.append(
                CheckResult(
                    code,
                    severity,
                    chapter.number or None,
                    article.number,
                    p,
                    f"含{what}{count}：{chars}",
                    item=item,
                    start=hits[0][0],
                    length=1,
                )
            )
    return results


def _pending_sources(draft: Draft, chapter: Chapter, article: Article) -> list[CheckResult]:
    """Sources proposed by discovery and not yet confirmed or rejected. A hint: the export
    asks about them, and until then the 起草说明 and 对照表 say 来源待确认."""
    pending = len(pending_links(draft, article.uid))
    if not pending:
        return []
    return [
        CheckResult(
            "source_unconfirmed",
            INFO,
            chapter.number or None,
            article.number,
            None,
            f"{pending} 个可能的来源待确认：请在“来源”中确认或否定",
        )
    ]


def run_checks(draft: Draft) -> list[CheckResult]:
    """All checks: errors, then warnings, then hints; within each, whole-draft findings
    first, then in reading order (stable within one place)."""
    results = _structure(draft)
    context = local_context(draft)
    for chapter in draft.chapters:
        for article in chapter.articles:
            results += _references(draft, chapter, article)
            results += _text_checks(draft, chapter, article, context)
            results += _characters(chapter, article)
            results += _pending_sources(draft, chapter, article)
    results += _duplicates(draft)
    results += _explanation(draft)
    return sorted(
        results,
        key=lambda r: (
            SEVERITY_ORDER.get(r.severity, len(SEVERITY_ORDER)),
            r.chapter or 0,
            r.article or 0,
            r.paragraph or 0,
        ),
    )
