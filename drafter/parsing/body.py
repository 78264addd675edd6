"""Build chapters, articles, 款 and 项 from the body lines of a regulation."""

from __future__ import annotations

from drafter.cleaning import CleanedText
from drafter.parsing import patterns as pat
from drafter.statute.model import Article, Chapter, DamagedSpan, Paragraph, Statute
from drafter.statute.numerals import from_chinese_numeral

FIRST_CHAPTER_TITLE = "总则"


class BodyBuilder:
    """Feed body lines in order; `finish` returns the statute with damaged spans resolved."""

    def __init__(
        self,
        cleaned: CleanedText,
        article_lines: set[int],
        toc_titles: set[str] | None = None,
        roles: dict[int, str] | None = None,
    ) -> None:
        self._cleaned = cleaned
        # What the exported .docx's styles say a line is ("text", "item", "chapter", …).
        self._roles = roles or {}
        self._article_lines = article_lines
        self._chapters: list[Chapter] = []
        self._article: Article | None = None
        self._explicit_chapters = 0
        # A text with a 目录 names its chapters: a short line that is not one of them is a 款.
        self._toc_titles = toc_titles or set()
        # The line an inferred chapter was read from, to give it back if it was a 款.
        self._inferred_lines: dict[int, str] = {}

    def feed(self, index: int, line: str) -> str:
        """Take one non-blank line; returns what it was read as."""
        if index in self._article_lines:
            self._start_article(line)
            return "article"
        if self._article is not None and self._roles.get(index) in ("text", "item"):
            # Styled as a 款 or 项 by our own export: text, however short or odd it reads.
            self._add_text(line)
            return "text"
        heading = pat.CHAPTER_HEADING.match(line)
        if heading:
            self._explicit_chapters += 1
            number = from_chinese_numeral(heading.group(1))
            self._undo_inferred(lambda chapter: chapter.number >= number)
            self._chapters.append(Chapter(number, pat.compact_title(heading.group(2))))
            self._article = None
            return "chapter"
        # A full sentence inside the body is statute text even if it mentions 电话 or 彩票.
        reason = None if line.endswith(("。", "；", "：")) else pat.junk_reason(line)
        if reason:
            self._cleaned.report.remove(self._cleaned.restore_plain(line), reason)
            return "junk"
        if (
            self._article is not None
            and pat.looks_like_unnumbered_heading(line)
            and (not self._toc_titles or pat.compact_title(line) in self._toc_titles)
        ):
            # Jining: "发展规划" stands between articles without 第X章.
            number = self._chapters[-1].number + 1 if self._chapters else 1
            self._chapters.append(Chapter(number, pat.compact_title(line), inferred=True))
            self._inferred_lines[id(self._chapters[-1])] = line
            self._article = None
            return "chapter"
        if self._article is None and self._chapters and self._chapters[-1].inferred:
            # Text right after an inferred heading: a real heading is followed by 第X条.
            self._undo_inferred(lambda chapter: not chapter.articles)
        if self._article is None:
            # Text between a heading and the first article (rare): keep it as a 款 of nothing
            # would lose it, so report it instead.
            self._cleaned.report.remove(self._cleaned.restore_plain(line), "章标题后的游离文字")
            return "stray"
        self._add_text(line)
        return "text"

    def _undo_inferred(self, wrong) -> None:
        """Turn inferred chapters back into 款 when the numbered headings contradict them.

        A short unpunctuated 款 ("法律另有规定的从其规定") looks like a heading that lost its
        第X章; when the next 第N章 finds the count already at N, or the text ends with the
        inferred chapter empty, it was a 款 of the article before it.
        """
        while (
            len(self._chapters) > 1
            and self._chapters[-1].inferred
            and wrong(self._chapters[-1])
            and self._chapters[-2].articles
        ):
            chapter = self._chapters.pop()
            previous = self._chapters[-1]
            line = self._inferred_lines.pop(id(chapter), chapter.title)
            previous.articles[-1].paragraphs.append(Paragraph(line))
            previous.articles.extend(chapter.articles)
            self._article = previous.articles[-1]

    def _start_article(self, line: str) -> None:
        match = pat.ARTICLE_HEADING.match(line)
        assert match is not None
        if not self._chapters:
            self._chapters.append(Chapter(1, FIRST_CHAPTER_TITLE, inferred=True))
        self._article = Article(number=from_chinese_numeral(match.group(1)))
        self._chapters[-1].articles.append(self._article)
        rest = match.group(2).strip()
        if rest:
            self._add_text(rest)

    def _add_text(self, text: str) -> None:
        article = self._article
        assert article is not None
        caption = pat.CAPTION.match(text)
        if caption and not article.caption and not article.paragraphs:
            article.caption = caption.group(1).strip()
            if caption.group(2).strip():
                article.paragraphs.append(Paragraph(caption.group(2).strip()))
            return
        item = pat.ITEM.match(text)
        if item and article.paragraphs:
            article.paragraphs[-1].items.append(item.group(2).strip())
            return
        article.paragraphs.append(Paragraph(text))

    def finish(self, title: str, note: str) -> Statute:
        """The statute, with ⟦n⟧ placeholders turned back into flagged damaged spans."""
        if self._explicit_chapters:
            self._undo_inferred(lambda chapter: not chapter.articles)
        chapters = self._chapters
        if self._explicit_chapters == 0 and len(chapters) == 1 and chapters[0].inferred:
            # A regulation without chapters: one unnamed chapter holds every article.
            chapters[0].number, chapters[0].title, chapters[0].inferred = 0, "", False
        for chapter in chapters:
            chapter.title = self._cleaned.restore_plain(chapter.title)
            for article in chapter.articles:
                self._resolve_damage(article)
        return Statute(title=title, chapters=chapters, note=note)

    def _resolve_damage(self, article: Article) -> None:
        where = article.label
        article.caption, spans = self._cleaned.restore(article.caption)
        self._record(article, spans, 0, 0, where)
        for p_index, paragraph in enumerate(article.paragraphs, 1):
            paragraph.text, spans = self._cleaned.restore(paragraph.text)
            self._record(article, spans, p_index, 0, f"{where}第{p_index}款")
            for i_index, item in enumerate(paragraph.items, 1):
                paragraph.items[i_index - 1], spans = self._cleaned.restore(item)
                self._record(article, spans, p_index, i_index, f"{where}第{p_index}款第{i_index}项")

    def _record(self, article: Article, spans, paragraph: int, item: int, where: str) -> None:
        for start, end, damage in spans:
            article.damaged.append(
                DamagedSpan(paragraph, item, start, end, damage.text, damage.reason)
            )
            self._cleaned.report.flag(damage.text, damage.reason, where=where)
