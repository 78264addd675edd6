"""The draft: a statute being written, with its cross-reference bindings and provenance.

Structure lives in the shared statute model (`Statute` → `Chapter` → `Article` →
`Paragraph`); everything only a draft has (bindings, provenance, the 起草说明) is kept
here, keyed by the article's uid so it survives renumbering and moves.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from drafter.draft.crossrefs import BOUND, Binder, CrossRef, bind_text, rewrite_text
from drafter.draft.damage import realign
from drafter.draft.source_links import SourceLink
from drafter.statute.model import Article, Chapter, Paragraph, Statute, new_uid

if TYPE_CHECKING:
    from drafter.draft.versions import Version

STATUSES = ("草案", "征求意见稿")


@dataclass
class ExplanationSection:
    """One section of the 起草说明 the drafter writes (e.g. 一、立法的必要性)."""

    title: str
    text: str = ""
    # The outline section this is (explanation_outline.KINDS), kept through renaming; ""
    # for a section of the drafter's own. Left out, it is read from the title.
    kind: str = ""

    def __post_init__(self) -> None:
        if not self.kind:
            from drafter.draft.explanation_outline import section_kind

            self.kind = section_kind(self.title)

    def to_json(self) -> dict:
        data = {"title": self.title, "text": self.text}
        if self.kind:
            data["kind"] = self.kind
        return data

    @classmethod
    def from_json(cls, data: dict) -> ExplanationSection:
        return cls(title=data["title"], text=data.get("text", ""), kind=data.get("kind", ""))


@dataclass
class Draft:
    """A regulation being drafted, numbered automatically."""

    title: str
    city: str
    status: str = "草案"
    statute: Statute = field(default_factory=lambda: Statute(title=""))
    explanation: list[ExplanationSection] = field(default_factory=list)
    # The 起草说明's 主要依据: 上位法 and policy documents, one per entry (other cities'
    # texts are sources, not 依据).
    basis: list[str] = field(default_factory=list)
    refs: dict[str, list[CrossRef]] = field(default_factory=dict)
    provenance: dict[str, list[SourceLink]] = field(default_factory=dict)
    uid: str = field(default_factory=new_uid)
    # The drafter's 说明 per article (article uid → text), printed in the 对照表's 说明 column.
    notes: dict[str, str] = field(default_factory=dict)
    # Named versions (征求意见稿, 送审稿…), oldest first: snapshots of the text (format v2).
    versions: list[Version] = field(default_factory=list)
    # Reviewers' comments and their dispositions, owned by drafter.review (format v2):
    # {"files": [...], "items": [...]}, kept as is.
    review: dict = field(default_factory=lambda: {"files": [], "items": []})
    # True while there are changes not yet saved (drives autosave and the window's marker).
    modified: bool = field(default=False, compare=False)
    # How many citations renumbering has rewritten so far (a running count, not saved):
    # an operation reports the difference ("已更新 3 处引用").
    references_rewritten: int = field(default=0, compare=False, repr=False)

    def __post_init__(self) -> None:
        self.statute.title = self.title

    # -- navigation -------------------------------------------------------------------

    @property
    def chapters(self) -> list[Chapter]:
        return self.statute.chapters

    def articles(self) -> Iterator[Article]:
        """All articles in order, across chapters."""
        return self.statute.articles()

    def article(self, uid: str) -> Article:
        """The article with that uid; KeyError if there is none."""
        for article in self.articles():
            if article.uid == uid:
                return article
        raise KeyError(uid)

    def chapter(self, uid: str) -> Chapter:
        """The chapter with that uid; KeyError if there is none."""
        for chapter in self.chapters:
            if chapter.uid == uid:
                return chapter
        raise KeyError(uid)

    def chapter_of(self, article_uid: str) -> Chapter:
        """The chapter holding an article."""
        for chapter in self.chapters:
            if any(a.uid == article_uid for a in chapter.articles):
                return chapter
        raise KeyError(article_uid)

    def article_by_number(self, number: int) -> Article | None:
        """The article currently numbered `number`."""
        return self.statute.article(number)

    def has_article(self, uid: str) -> bool:
        return any(a.uid == uid for a in self.articles())

    @property
    def chapterless(self) -> bool:
        """True for a draft without 章: one unnamed chapter numbered 0."""
        return (
            len(self.chapters) == 1 and self.chapters[0].number == 0 and not self.chapters[0].title
        )

    # -- text access ------------------------------------------------------------------

    @staticmethod
    def get_text(article: Article, location: tuple[int, int]) -> str:
        """The text of a 款 (item -1) or of one of its 项."""
        paragraph, item = location
        para = article.paragraphs[paragraph]
        return para.text if item < 0 else para.items[item]

    @staticmethod
    def set_text(article: Article, location: tuple[int, int], text: str) -> None:
        paragraph, item = location
        para = article.paragraphs[paragraph]
        if item < 0:
            para.text = text
        else:
            para.items[item] = text
        # Damaged spans follow their text, and go once the drafter has replaced it.
        realign(article)

    @staticmethod
    def locations(article: Article) -> Iterator[tuple[int, int]]:
        """Every text slot of an article: each 款 text and each 项."""
        for p, para in enumerate(article.paragraphs):
            yield (p, -1)
            for i in range(len(para.items)):
                yield (p, i)

    def binder(self) -> Binder:
        """Resolves the current article numbers."""
        return Binder({a.number: a.uid for a in self.articles()})

    def bind_article(self, article: Article, source_ref: str = "") -> None:
        """Find and bind every reference in an article's text (replaces its bindings)."""
        binder = self.binder()
        bindings: list[CrossRef] = []
        for location in self.locations(article):
            text = self.get_text(article, location)
            bindings += bind_text(text, article.uid, location, binder, source_ref=source_ref)
        self.refs[article.uid] = bindings

    def rebind_location(self, article: Article, location: tuple[int, int], old_text: str) -> None:
        """Bind the references of one text slot again after it was edited."""
        bindings = self.refs.get(article.uid, [])
        previous = [b for b in bindings if b.location == location]
        kept = [b for b in bindings if b.location != location]
        fresh = bind_text(
            self.get_text(article, location),
            article.uid,
            location,
            self.binder(),
            previous=previous,
            old_text=old_text,
        )
        self.refs[article.uid] = sorted(kept + fresh, key=lambda b: (b.paragraph, b.item, b.start))

    # -- numbering --------------------------------------------------------------------

    def renumber(self) -> dict[str, tuple[int, int]]:
        """Number chapters and articles again and rewrite every bound reference.

        Returns {uid: (old, new)} for the articles and chapters whose number changed.
        """
        changed: dict[str, tuple[int, int]] = {}
        if not self.chapterless:
            for number, chapter in enumerate(self.chapters, 1):
                if chapter.number != number:
                    changed[chapter.uid] = (chapter.number, number)
                    chapter.number = number
        for number, article in enumerate(self.articles(), 1):
            if article.number != number:
                changed[article.uid] = (article.number, number)
                article.number = number
        self.rewrite_references()
        return changed

    def rewrite_references(self) -> None:
        """Make every bound reference's text match its target's current number."""
        number_of = {a.uid: a.number for a in self.articles()}
        for article in self.articles():
            bindings = self.refs.get(article.uid)
            if not bindings:
                continue
            for location in {b.location for b in bindings}:
                here = [b for b in bindings if b.location == location]
                text = self.get_text(article, location)
                before = [text[b.start : b.end] for b in here]
                new_text = rewrite_text(text, here, number_of)
                self.references_rewritten += sum(
                    old != new_text[b.start : b.end] for old, b in zip(before, here, strict=True)
                )
                if new_text != text:
                    self.set_text(article, location, new_text)

    def mark_dangling(self, removed_uid: str) -> None:
        """Flag every reference to a deleted article."""
        for bindings in self.refs.values():
            for binding in bindings:
                if binding.target == removed_uid and binding.status == BOUND:
                    binding.status = "dangling"

    # -- serialisation (the project file wraps this) ----------------------------------

    def to_json(self) -> dict:
        """The draft as the project file holds it: its text, versions and review."""
        return {
            **self.text_json(),
            "versions": [v.to_json() for v in self.versions],
            "review": self.review,
        }

    def text_json(self) -> dict:
        """The draft without its versions and review: what a version keeps."""
        chapters = []
        for chapter in self.chapters:
            articles = []
            for article in chapter.articles:
                data = {"uid": article.uid, **article.to_json()}
                data["refs"] = [b.to_json() for b in self.refs.get(article.uid, [])]
                data["provenance"] = [s.to_json() for s in self.provenance.get(article.uid, [])]
                if self.notes.get(article.uid):
                    # Only when written, so drafts without notes save exactly as before.
                    data["note"] = self.notes[article.uid]
                articles.append(data)
            chapters.append(
                {
                    "uid": chapter.uid,
                    "number": chapter.number,
                    "title": chapter.title,
                    "inferred": chapter.inferred,
                    "articles": articles,
                }
            )
        return {
            "uid": self.uid,
            "title": self.title,
            "city": self.city,
            "status": self.status,
            "note": self.statute.note,
            "chapters": chapters,
            "explanation": [s.to_json() for s in self.explanation],
            "basis": list(self.basis),
        }

    @classmethod
    def from_json(cls, data: dict) -> Draft:
        statute = Statute.from_json(
            {"title": data["title"], "note": data.get("note", ""), "chapters": data["chapters"]}
        )
        draft = cls(
            title=data["title"],
            city=data["city"],
            status=data.get("status", "草案"),
            statute=statute,
            explanation=[ExplanationSection.from_json(s) for s in data.get("explanation", [])],
            basis=[str(b) for b in data.get("basis", [])],
            uid=data.get("uid") or new_uid(),
        )
        if "versions" in data:
            from drafter.draft.versions import Version

            draft.versions = [Version.from_json(v) for v in data["versions"]]
        if "review" in data:
            draft.review = data["review"]
        for chapter_data, chapter in zip(data["chapters"], statute.chapters, strict=True):
            pairs = zip(chapter_data["articles"], chapter.articles, strict=True)
            for article_data, article in pairs:
                draft.refs[article.uid] = [
                    CrossRef.from_json(b) for b in article_data.get("refs", [])
                ]
                for binding in draft.refs[article.uid]:
                    text = cls.get_text(article, binding.location)  # IndexError if misplaced
                    if not 0 <= binding.start < binding.end <= len(text):
                        raise ValueError(f"{article.label}的引用位置超出文字范围")
                draft.provenance[article.uid] = [
                    SourceLink.from_json(s) for s in article_data.get("provenance", [])
                ]
                note = article_data.get("note", "")
                if not isinstance(note, str):
                    raise ValueError(f"{article.label}的说明不是文字")
                if note:
                    draft.notes[article.uid] = note
        return draft

    # -- construction -----------------------------------------------------------------

    @classmethod
    def from_statute(cls, statute: Statute, title: str, city: str, status: str = "草案") -> Draft:
        """A draft over an existing structure (e.g. a parsed earlier draft), references bound."""
        draft = cls(title=title, city=city, status=status, statute=statute)
        for article in draft.articles():
            draft.bind_article(article)
        draft.renumber()
        return draft

    @classmethod
    def with_chapters(
        cls, title: str, city: str, chapter_titles: list[str], status: str = "草案"
    ) -> Draft:
        """An empty draft with a chapter skeleton."""
        chapters = [Chapter(number=i, title=t) for i, t in enumerate(chapter_titles, 1)]
        return cls(
            title=title, city=city, status=status, statute=Statute(title=title, chapters=chapters)
        )


_ITEM_RE = re.compile(r"^\s*[（(]([一二三四五六七八九十]+)[）)]\s*")


def paragraphs_from_text(text: str) -> list[Paragraph]:
    """Split typed text into 款 (one per non-empty line); lines starting （一） become its 项."""
    paragraphs: list[Paragraph] = []
    # Only real line breaks start a 款: str.splitlines would also split on \x0b, \x0c,
    # \x1c-\x1e, \x85, U+2028 and U+2029, which pasted or imported text may carry.
    for raw in re.split(r"\r\n|\r|\n", text):
        line = raw.strip()
        if not line:
            continue
        item = _ITEM_RE.match(line)
        if item and paragraphs:
            paragraphs[-1].items.append(line[item.end() :])
        else:
            paragraphs.append(Paragraph(text=line))
    return paragraphs
