"""What changed between two texts of a draft (two versions, or a version and the current text).

Articles and chapters are matched by uid, so an article keeps its identity however it
was renumbered or moved. Each article is one of:

- **added** / **deleted**: only the new / only the old text has it;
- **modified**: its 款 differ (paragraph by paragraph, then character by character);
  a text whose only difference is citations rewritten by renumbering (第五条 → 第六条)
  is not modified: `citations_only` says so;
- and, independently, **moved** (it sits in another chapter, or its order relative to
  the articles both texts share changed) or **renumbered** (same place among the others,
  only its number shifted by insertions or deletions elsewhere).

Chapters are added, deleted or retitled. `RevisionDiff.facts` gives the counts and the
lists the 修改情况的说明 needs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from difflib import SequenceMatcher

from drafter.draft.document import Draft
from drafter.statute.model import Article, Chapter
from drafter.statute.numerals import count_word
from drafter.statute.numerals import to_chinese_numeral as cn
from drafter.statute.ranges import article_ranges

ADDED = "added"
DELETED = "deleted"
MODIFIED = "modified"
UNCHANGED = "unchanged"
EQUAL = "equal"
# Two 款 of one article are taken as the same 款 reworded above this similarity.
_SAME_PARAGRAPH = 0.4


@dataclass
class ParagraphRevision:
    """One 款 of an article in the old and/or the new text (with its 项, one per line)."""

    kind: str  # EQUAL, MODIFIED, ADDED or DELETED
    old_index: int | None
    new_index: int | None
    old_text: str = ""
    new_text: str = ""


@dataclass
class ArticleRevision:
    """One article across the two texts."""

    uid: str
    old: Article | None
    new: Article | None
    old_chapter: Chapter | None = None
    new_chapter: Chapter | None = None
    paragraphs: list[ParagraphRevision] = field(default_factory=list)
    moved: bool = False
    citations_only: bool = False  # the text differs only in citations renumbering rewrote

    @property
    def kind(self) -> str:
        if self.old is None:
            return ADDED
        if self.new is None:
            return DELETED
        if self.text_changed and not self.citations_only:
            return MODIFIED
        return UNCHANGED

    @property
    def text_changed(self) -> bool:
        return any(p.kind != EQUAL for p in self.paragraphs)

    @property
    def old_number(self) -> int | None:
        return self.old.number if self.old else None

    @property
    def new_number(self) -> int | None:
        return self.new.number if self.new else None

    @property
    def renumbered(self) -> bool:
        """Same place among the others, another number (insertions or deletions elsewhere)."""
        return (
            self.old is not None
            and self.new is not None
            and not self.moved
            and (self.old.number != self.new.number)
        )

    @property
    def untouched(self) -> bool:
        """Same text, same place (perhaps renumbered): what a 对照稿 may fold."""
        return self.kind == UNCHANGED and not self.moved and not self.text_changed

    @property
    def chapter_moved(self) -> bool:
        return (
            self.old_chapter is not None
            and self.new_chapter is not None
            and self.old_chapter.uid != self.new_chapter.uid
        )


@dataclass
class ChapterRevision:
    """One chapter across the two texts."""

    uid: str
    old: Chapter | None
    new: Chapter | None

    @property
    def kind(self) -> str:
        if self.old is None:
            return ADDED
        if self.new is None:
            return DELETED
        return MODIFIED if self.retitled else UNCHANGED

    @property
    def retitled(self) -> bool:
        return self.old is not None and self.new is not None and self.old.title != self.new.title


@dataclass
class RevisionFacts:
    """Counts and lists for the 修改情况的说明."""

    old_count: int
    new_count: int
    added: list[int]  # new numbers
    deleted: list[int]  # old numbers
    modified: list[int]  # new numbers
    moved: list[tuple[int, int]]  # (old, new)
    renumbered: int
    chapters_added: list[str]
    chapters_deleted: list[str]
    chapters_retitled: list[tuple[str, str]]

    def sentence(self, old_name: str = "", new_name: str = "") -> str:
        """共增加N条、删除N条、修改N条、调整顺序N条 as one short paragraph."""
        compared = f"与{old_name}相比，{new_name or '修改后的文本'}" if old_name else "本次修改"
        # Counts in words, as the totals are, and only those that are not zero: "共增加1条、
        # 删除0条、修改0条、调整顺序0条，条文由三条调整为四条" read as a form, not a 说明.
        counted = [
            (verb, len(found))
            for verb, found in (
                ("增加", self.added),
                ("删除", self.deleted),
                ("修改", self.modified),
                ("调整顺序", self.moved),
            )
            if found
        ]
        counts = "、".join(f"{verb}{count_word(count)}条" for verb, count in counted)
        total = (
            f"条文总数仍为{count_word(self.new_count)}条"
            if self.old_count == self.new_count
            else f"条文由{count_word(self.old_count)}条调整为{count_word(self.new_count)}条"
        )
        changed = f"共{counts}" if counts else "条文未作增删和修改"
        text = f"{compared}{changed}，{total}。"
        details = []
        if self.added:
            details.append(f"增加的是{article_ranges(self.added)}")
        if self.deleted:
            details.append(f"删除的是原{article_ranges(self.deleted)}")
        if self.modified:
            details.append(f"修改的是{article_ranges(self.modified)}")
        if self.moved:
            moves = "、".join(f"原第{cn(o)}条调整为第{cn(n)}条" for o, n in self.moved)
            details.append(moves)
        if self.chapters_added:
            details.append("增加" + "、".join(self.chapters_added))
        if self.chapters_deleted:
            details.append("删除" + "、".join(self.chapters_deleted))
        for old, new in self.chapters_retitled:
            details.append(f"“{old}”一章改为“{new}”")
        if details:
            text += "其中，" + "；".join(details) + "。"
        if self.renumbered:
            text += f"其余条文中，有{count_word(self.renumbered)}条的序号随之相应调整。"
        return text


@dataclass
class RevisionDiff:
    """Two texts of a draft compared; `entries` are in reading order for a 对照稿."""

    old: Draft
    new: Draft
    articles: list[ArticleRevision]
    chapters: list[ChapterRevision]
    # Reading order: the new text's chapters and articles, each deleted one placed after
    # what preceded it in the old text.
    entries: list[ArticleRevision | ChapterRevision]

    def of_kind(self, kind: str) -> list[ArticleRevision]:
        return [a for a in self.articles if a.kind == kind]

    @property
    def moved(self) -> list[ArticleRevision]:
        return [a for a in self.articles if a.moved]

    @property
    def renumbered(self) -> list[ArticleRevision]:
        return [a for a in self.articles if a.renumbered]

    @property
    def citations_rewritten(self) -> list[ArticleRevision]:
        return [a for a in self.articles if a.citations_only and a.text_changed]

    @property
    def empty(self) -> bool:
        return all(a.untouched and not a.renumbered for a in self.articles) and all(
            c.kind == UNCHANGED for c in self.chapters
        )

    def facts(self) -> RevisionFacts:
        return RevisionFacts(
            old_count=self.old.statute.article_count,
            new_count=self.new.statute.article_count,
            added=[a.new_number for a in self.of_kind(ADDED) if a.new_number],
            deleted=[a.old_number for a in self.of_kind(DELETED) if a.old_number],
            modified=[a.new_number for a in self.of_kind(MODIFIED) if a.new_number],
            moved=[(a.old.number, a.new.number) for a in self.moved if a.old and a.new],
            renumbered=len(self.renumbered),
            chapters_added=[
                _chapter_name(c.new) for c in self.chapters if c.kind == ADDED and c.new
            ],
            chapters_deleted=[
                _chapter_name(c.old) for c in self.chapters if c.kind == DELETED and c.old
            ],
            chapters_retitled=[
                (c.old.title, c.new.title) for c in self.chapters if c.retitled and c.old and c.new
            ],
        )


def _chapter_name(chapter: Chapter) -> str:
    return f"{chapter.label}“{chapter.title}”" if chapter.title else chapter.label


# -- comparing -------------------------------------------------------------------------


def _normalised(draft: Draft, article: Article) -> list[str]:
    """The article's 款 with every bound citation replaced by its target's identity."""
    bindings = [b for b in draft.refs.get(article.uid, []) if b.target]
    out = []
    for p, para in enumerate(article.paragraphs):
        texts = [para.text, *para.items]
        for slot, text in enumerate(texts):
            item = slot - 1
            for b in sorted(
                (b for b in bindings if b.location == (p, item)), key=lambda b: -b.start
            ):
                token = f"\x00{b.target}:{b.target_paragraph}:{b.target_item}\x00"
                text = text[: b.start] + token + text[b.end :]
            texts[slot] = text
        out.append("\n".join(texts))
    return out


def paragraph_revisions(old: list[str], new: list[str]) -> list[ParagraphRevision]:
    """Align two lists of 款 texts: equal, reworded (paired by similarity), added, deleted."""
    result: list[ParagraphRevision] = []
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    for tag, a0, a1, b0, b1 in matcher.get_opcodes():
        if tag == EQUAL:
            result += [
                ParagraphRevision(EQUAL, a0 + k, b0 + k, old[a0 + k], new[b0 + k])
                for k in range(a1 - a0)
            ]
            continue
        if a1 - a0 == 1 and b1 - b0 == 1:
            # One 款 in place of one: rewritten, however different the words.
            result.append(ParagraphRevision(MODIFIED, a0, b0, old[a0], new[b0]))
            continue
        i, j = a0, b0
        while i < a1 or j < b1:
            if i < a1 and j < b1:
                # Pair the old 款 with the most similar new one still ahead, if similar
                # enough; new 款 skipped over are additions.
                scores = [
                    (SequenceMatcher(None, old[i], new[k], autojunk=False).ratio(), k)
                    for k in range(j, b1)
                ]
                best, k = max(scores, key=lambda s: (s[0], -s[1]))
                if best >= _SAME_PARAGRAPH:
                    for added in range(j, k):
                        result.append(ParagraphRevision(ADDED, None, added, "", new[added]))
                    result.append(ParagraphRevision(MODIFIED, i, k, old[i], new[k]))
                    i, j = i + 1, k + 1
                    continue
            if i < a1:
                result.append(ParagraphRevision(DELETED, i, None, old[i], ""))
                i += 1
            else:
                result.append(ParagraphRevision(ADDED, None, j, "", new[j]))
                j += 1
    return result


def _moved(old: Draft, new: Draft, shared: set[str]) -> set[str]:
    """Shared articles whose order among the shared ones changed, or whose chapter did."""
    old_order = [a.uid for a in old.articles() if a.uid in shared]
    new_order = [a.uid for a in new.articles() if a.uid in shared]
    matcher = SequenceMatcher(None, old_order, new_order, autojunk=False)
    in_place = {
        uid
        for block in matcher.get_matching_blocks()
        for uid in old_order[block.a : block.a + block.size]
    }
    moved = set(shared) - in_place
    for uid in shared:
        if old.chapter_of(uid).uid != new.chapter_of(uid).uid and not (
            old.chapterless and new.chapterless
        ):
            moved.add(uid)
    return moved


def _tokens(draft: Draft) -> list[tuple[str, str]]:
    """The draft's chapters and articles in reading order, as (kind, uid)."""
    tokens: list[tuple[str, str]] = []
    for chapter in draft.chapters:
        tokens.append(("chapter", chapter.uid))
        tokens += [("article", a.uid) for a in chapter.articles]
    return tokens


def _reading_order(old: Draft, new: Draft, moved: set[str]) -> list[tuple[str, str]]:
    """The new text's order, each deleted chapter or article after its old predecessor
    (the nearest one still in place: not after an article that moved away)."""
    new_tokens = _tokens(new)
    kept = set(new_tokens)
    anchored: dict[tuple[str, str] | None, list[tuple[str, str]]] = {}
    anchor: tuple[str, str] | None = None
    for token in _tokens(old):
        if token not in kept:
            anchored.setdefault(anchor, []).append(token)
        elif token[1] not in moved:
            anchor = token
    order = list(anchored.get(None, []))
    for token in new_tokens:
        order.append(token)
        order += anchored.get(token, [])
    return order


def compare(old: Draft, new: Draft) -> RevisionDiff:
    """Compare two texts of a draft by article and chapter uid."""
    old_articles = {a.uid: a for a in old.articles()}
    new_articles = {a.uid: a for a in new.articles()}
    shared = set(old_articles) & set(new_articles)
    moved = _moved(old, new, shared)
    revisions: dict[str, ArticleRevision] = {}
    for uid in [*new_articles, *(u for u in old_articles if u not in new_articles)]:
        before, after = old_articles.get(uid), new_articles.get(uid)
        revision = ArticleRevision(
            uid,
            before,
            after,
            old_chapter=old.chapter_of(uid) if before else None,
            new_chapter=new.chapter_of(uid) if after else None,
            moved=uid in moved,
        )
        old_texts = [p.full_text() for p in before.paragraphs] if before else []
        new_texts = [p.full_text() for p in after.paragraphs] if after else []
        revision.paragraphs = paragraph_revisions(old_texts, new_texts)
        if before and after and revision.text_changed:
            revision.citations_only = _normalised(old, before) == _normalised(new, after)
        revisions[uid] = revision
    old_chapters = {c.uid: c for c in old.chapters}
    new_chapters = {c.uid: c for c in new.chapters}
    chapters = {
        uid: ChapterRevision(uid, old_chapters.get(uid), new_chapters.get(uid))
        for uid in [*new_chapters, *(u for u in old_chapters if u not in new_chapters)]
    }
    entries: list[ArticleRevision | ChapterRevision] = [
        revisions[uid] if kind == "article" else chapters[uid]
        for kind, uid in _reading_order(old, new, moved)
    ]
    return RevisionDiff(old, new, list(revisions.values()), list(chapters.values()), entries)
