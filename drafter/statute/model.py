"""One statute model for references and drafts: Statute → Chapter → Article → 款 → 项.

Numbers are stored (references keep the numbers read from the text; drafts renumber
on every structural change) and every chapter and article carries a stable `uid`
so that cross-references and provenance survive renumbering.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field

from drafter.statute.numerals import item_label, to_chinese_numeral


def new_uid() -> str:
    """A short random identity for a chapter or article: 48 random bits, as the first 12
    hex digits of a uuid4 are, without building a UUID (a library of 20,000 references
    makes a million and a half of them when an index build reads it)."""
    return os.urandom(6).hex()


def paragraph_full_text(text: str, items: list[str]) -> str:
    """A 款's text with its 项 labelled, one per line (Paragraph.full_text, also read from
    stored JSON without making the objects)."""
    lines = [text] if text else []
    lines += [item_label(i) + item for i, item in enumerate(items, 1)]
    return "\n".join(lines)


@dataclass
class DamagedSpan:
    """Text that arrived damaged (mojibake, lost bytes): kept verbatim and flagged, never repaired.

    `paragraph` is the 1-based 款 (0 = the caption); `item` the 1-based 项 or 0 for the
    款 text itself; `start`/`end` are character offsets into that text.
    """

    paragraph: int
    item: int
    start: int
    end: int
    text: str
    reason: str
    suggestion: str = ""

    def to_json(self) -> dict:
        data = {
            "paragraph": self.paragraph,
            "item": self.item,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "reason": self.reason,
        }
        if self.suggestion:
            data["suggestion"] = self.suggestion
        return data

    @classmethod
    def from_json(cls, data: dict) -> DamagedSpan:
        return cls(
            paragraph=data["paragraph"],
            item=data.get("item", 0),
            start=data["start"],
            end=data["end"],
            text=data["text"],
            reason=data["reason"],
            suggestion=data.get("suggestion", ""),
        )


@dataclass
class Paragraph:
    """A 款: its own text, and the 项 it lists (without their （一） labels)."""

    text: str
    items: list[str] = field(default_factory=list)

    def full_text(self) -> str:
        """The 款 with its 项 labelled, one per line."""
        return paragraph_full_text(self.text, self.items)

    def to_json(self) -> dict:
        return {"text": self.text, "items": list(self.items)}

    @classmethod
    def from_json(cls, data: dict) -> Paragraph:
        return cls(text=data["text"], items=list(data.get("items", [])))


@dataclass
class Article:
    """A 条 with its optional caption (【目的依据】) and its 款."""

    number: int
    paragraphs: list[Paragraph] = field(default_factory=list)
    caption: str = ""
    damaged: list[DamagedSpan] = field(default_factory=list)
    uid: str = field(default_factory=new_uid)

    @property
    def label(self) -> str:
        """第X条."""
        return f"第{to_chinese_numeral(self.number)}条"

    def text(self) -> str:
        """All 款 of the article, one per line, without the 第X条 label."""
        return "\n".join(p.full_text() for p in self.paragraphs)

    def to_json(self) -> dict:
        return {
            "number": self.number,
            "caption": self.caption,
            "paragraphs": [p.to_json() for p in self.paragraphs],
            "damaged": [d.to_json() for d in self.damaged],
        }

    @classmethod
    def from_json(cls, data: dict) -> Article:
        article = cls(
            number=data["number"],
            caption=data.get("caption", ""),
            paragraphs=[Paragraph.from_json(p) for p in data.get("paragraphs", [])],
            damaged=[DamagedSpan.from_json(d) for d in data.get("damaged", [])],
        )
        if data.get("uid"):
            article.uid = data["uid"]
        return article


@dataclass
class Chapter:
    """A 章. `inferred` marks a heading the source lacked and the parser supplied."""

    number: int
    title: str
    articles: list[Article] = field(default_factory=list)
    inferred: bool = False
    uid: str = field(default_factory=new_uid)

    @property
    def label(self) -> str:
        """第X章."""
        return f"第{to_chinese_numeral(self.number)}章"

    def to_json(self) -> dict:
        return {
            "number": self.number,
            "title": self.title,
            "inferred": self.inferred,
            "articles": [a.to_json() for a in self.articles],
        }

    @classmethod
    def from_json(cls, data: dict) -> Chapter:
        chapter = cls(
            number=data["number"],
            title=data["title"],
            inferred=data.get("inferred", False),
            articles=[Article.from_json(a) for a in data.get("articles", [])],
        )
        if data.get("uid"):
            chapter.uid = data["uid"]
        return chapter


@dataclass
class Statute:
    """A regulation: title, the note under it (adoption dates), and its chapters.

    A statute without 章 keeps its articles in one chapter with number 0 and an empty title.
    """

    title: str
    chapters: list[Chapter] = field(default_factory=list)
    note: str = ""

    def articles(self) -> Iterator[Article]:
        """All articles in order, across chapters."""
        for chapter in self.chapters:
            yield from chapter.articles

    def article(self, number: int) -> Article | None:
        """The article with that number, if any."""
        return next((a for a in self.articles() if a.number == number), None)

    def chapter_of(self, article: Article) -> Chapter:
        """The chapter that holds an article."""
        for chapter in self.chapters:
            if any(a is article for a in chapter.articles):
                return chapter
        raise ValueError("article is not in this statute")

    @property
    def article_count(self) -> int:
        return sum(len(c.articles) for c in self.chapters)

    def to_json(self) -> dict:
        return {
            "title": self.title,
            "note": self.note,
            "chapters": [c.to_json() for c in self.chapters],
        }

    @classmethod
    def from_json(cls, data: dict) -> Statute:
        return cls(
            title=data["title"],
            note=data.get("note", ""),
            chapters=[Chapter.from_json(c) for c in data.get("chapters", [])],
        )
