"""四、主要内容 of the 起草说明: what the draft regulates, theme by theme, in the genre's words.

The references' own 说明 list their articles' 条旨 chapter by chapter:
"（一）关于总则和附则。主要明确了立法目的、适用范围、基本原则、各级政府职责……等重要制度。"
"（二）关于数据资源。主要规定了……". So does this module: each article contributes its
caption, or the suggestion of `drafter.draft.captions` where it has none; 总则 and 附则 share
the first paragraph; captions are listed once each, joined with 、, closed with 等内容 when
the chapter has more than fit. Never quoted article text, never "……".

The opening "《条例（草案）》共X章Y条，主要内容如下：" is written by the explanation itself.
"""

from __future__ import annotations

import re

from drafter.draft.captions import FALLBACK, caption_or_suggestion, derive_caption
from drafter.draft.document import Draft
from drafter.draft.localisation import find_local_terms
from drafter.statute.model import Article, Chapter
from drafter.statute.numerals import to_chinese_numeral as cn

# Topics named per paragraph before it closes with 等: the references list six to twelve.
MAX_TOPICS = 10
# Captions of the general provisions: in a chapterless draft they open the summary, as
# 总则 does in a draft with chapters.
GENERAL_TOPICS = {
    "立法目的",
    "目的依据",
    "术语含义",
    "适用范围",
    "基本原则",
    "政府职责",
    "部门职责",
    "社会参与",
    "施行日期",
}
LIABILITY_TOPICS = {"法律责任"}
_TRAILING = "。；：，、:;,. 　"


def _clean(caption: str) -> str:
    """A caption as a list item: no brackets, no end marks (a colon never becomes 。)."""
    return caption.strip("【】[]〔〕" + _TRAILING)


def article_topic(draft: Draft, article: Article, library=None) -> str:
    """The article's caption, or its suggestion; one naming another city is replaced."""
    topic = _clean(caption_or_suggestion(draft, article, library))
    if not topic or find_local_terms(topic, draft.city):
        topic = _clean(derive_caption(article.text()))
    return topic


def _topics(draft: Draft, articles: list[Article], library) -> list[str]:
    seen: list[str] = []
    for article in articles:
        topic = article_topic(draft, article, library)
        # 其他规定 names no topic: listed, it reads as filler to a reviewer.
        if topic and topic != FALLBACK and topic not in seen:
            seen.append(topic)
    return seen


def _listing(topics: list[str]) -> str:
    shown = topics[:MAX_TOPICS]
    more = "等内容" if len(topics) > len(shown) else ""
    return "、".join(shown) + more


def _paragraph(number: int, theme: str, verb: str, topics: list[str]) -> str:
    rest = [t for t in topics if t != theme]
    if not rest:
        # 关于法律责任。主要规定了法律责任。 says nothing: say what the chapter does.
        return f"（{cn(number)}）关于{theme}。对{theme}作了规定。"
    return f"（{cn(number)}）关于{theme}。{verb}{_listing(rest)}。"


def _is(chapter: Chapter, word: str) -> bool:
    return word in chapter.title.replace(" ", "").replace("　", "")


def _chapter_theme(chapter: Chapter) -> str:
    title = re.sub(r"\s+", "", chapter.title)
    return title or f"第{cn(chapter.number)}章"


def _chapterless(draft: Draft, library) -> list[str]:
    """Themes by kind of article: general provisions, the regime itself, liability."""
    general: list[Article] = []
    regime: list[Article] = []
    liability: list[Article] = []
    for article in draft.articles():
        topic = article_topic(draft, article, library)
        if topic in GENERAL_TOPICS:
            general.append(article)
        elif topic in LIABILITY_TOPICS:
            liability.append(article)
        else:
            regime.append(article)
    groups = [
        ("总体要求", "主要明确了", general),
        ("主要制度", "主要规定了", regime),
        ("法律责任", "主要规定了", liability),
    ]
    paragraphs: list[str] = []
    for theme, verb, articles in groups:
        topics = _topics(draft, articles, library)
        if topics:
            paragraphs.append(_paragraph(len(paragraphs) + 1, theme, verb, topics))
    return paragraphs


def main_content_paragraphs(draft: Draft, resolver=None) -> list[str]:
    """The themed paragraphs of 主要内容, "（一）关于总则和附则。主要明确了……。" onwards.

    `resolver` is a `SourceResolver` or a `ReferenceLibrary`: it gives adopted articles
    their source's caption. A chapter without articles says so, so the paragraphs agree
    with the 共X章 the opening line counts.
    """
    if draft.chapterless:
        return _chapterless(draft, resolver)
    chapters = list(draft.chapters)
    general = [c for c in chapters if _is(c, "总则")]
    supplementary = [c for c in chapters if _is(c, "附则")]
    paragraphs: list[str] = []
    if general or supplementary:
        names = "和".join(
            name for name, found in (("总则", general), ("附则", supplementary)) if found
        )
        articles = [a for c in general + supplementary for a in c.articles]
        topics = _topics(draft, articles, resolver)
        paragraphs.append(_paragraph(1, names, "主要明确了", topics))
    for chapter in chapters:
        if chapter in general or chapter in supplementary:
            continue
        number = len(paragraphs) + 1
        theme = _chapter_theme(chapter)
        if not chapter.articles:
            paragraphs.append(f"（{cn(number)}）关于{theme}。本章尚无条文。")
            continue
        topics = _topics(draft, chapter.articles, resolver)
        if topics:
            paragraphs.append(_paragraph(number, theme, "主要规定了", topics))
        else:
            paragraphs.append(f"（{cn(number)}）关于{theme}。对{theme}作了规定。")
    return paragraphs


def main_content_opening(draft: Draft, status: str) -> str:
    """《条例（草案）》共六章四十二条，主要内容如下： — every chapter counted, empty ones too."""
    articles = sum(1 for _ in draft.articles())
    name = f"《条例{status}》" if status.strip("（）") else "《条例》"
    if draft.chapterless or not draft.chapters:
        return f"{name}不分章，共{cn(articles)}条，主要内容如下："
    return f"{name}共{cn(len(draft.chapters))}章{cn(articles)}条，主要内容如下："
