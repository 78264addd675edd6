"""Where an article of the draft came from, described for the 对照表, the 起草说明 and the
comments.

Sources discovered but not yet confirmed (待确认) are never silently dropped — that would
report a copied article as new. What the documents do with them is the drafter's choice,
`unconfirmed`:

- ``mark`` (the default): an article without an adopted or confirmed source shows its
  most likely discovered source, marked 来源待确认;
- ``confirm``: that most likely source is taken as confirmed for this export (the draft
  file is not changed; `drafter edit FILE confirm` records it for good);

(stopping the export instead is the caller's business: see `pending_articles`).
"""

from __future__ import annotations

from dataclasses import dataclass

from drafter.draft.document import Draft
from drafter.draft.source_links import SUGGESTED, SourceLink
from drafter.errors import DrafterError
from drafter.statute.model import Article
from drafter.statute.numerals import to_chinese_numeral as cn


@dataclass(frozen=True)
class SourceInfo:
    """One active source of a draft article, with the reference's city and title resolved."""

    ref: str
    city: str
    title: str
    article: int
    paragraph: int  # 1-based 款 of the reference; 0 = the whole article
    draft_paragraph: int | None  # 0-based 款 of the draft article; None = the whole article
    similarity: float
    label: str
    text: str
    status: str = ""  # the reference's status: 已施行, 草案（征求意见）, 征求意见稿…
    pending: bool = False  # a discovered source not yet confirmed (来源待确认)

    @property
    def enacted(self) -> bool:
        """True for an enacted 地方性法规, False for a 草案, 征求意见稿 or 送审稿."""
        return is_enacted(self.status, self.title)

    @property
    def location(self) -> str:
        """第X条 or 第X条第X款."""
        text = f"第{cn(self.article)}条"
        if self.paragraph > 0:
            text += f"第{cn(self.paragraph)}款"
        return text

    @property
    def citation(self) -> str:
        """鹰潭市《鹰潭市…条例》第五条第二款."""
        title = f"《{self.title}》" if self.title else self.ref
        return f"{self.city}{title}{self.location}"

    @property
    def treatment(self) -> str:
        """照搬（98%）, with the draft's 款 when the link covers one 款 only."""
        text = f"{self.label or '参考'}（{self.similarity:.0f}%）"
        if self.pending:
            text = f"{PENDING_MARK}：{text}"
        if self.draft_paragraph is not None:
            text = f"草案第{cn(self.draft_paragraph + 1)}款：" + text
        return text


MARK = "mark"
CONFIRM = "confirm"
UNCONFIRMED_MODES = (MARK, CONFIRM)
PENDING_MARK = "来源待确认"
_DRAFT_WORDS = ("草案", "征求意见", "送审稿")


def is_enacted(status: str, title: str = "") -> bool:
    """An enacted 地方性法规, as opposed to a 草案 or 征求意见稿 (by its status or title)."""
    return not any(word in status or word in title for word in _DRAFT_WORDS)


def pending_link(draft: Draft, article: Article) -> SourceLink | None:
    """The most likely discovered source of an article that has no adopted or confirmed one.

    Discovery records candidates best first, so the first still suggested is the likeliest.
    """
    links = draft.provenance.get(article.uid, [])
    if any(link.active for link in links):
        return None
    return next((link for link in links if link.state == SUGGESTED), None)


def pending_articles(draft: Draft) -> list[Article]:
    """Articles whose only sources are still 待确认."""
    return [a for a in draft.articles() if pending_link(draft, a) is not None]


class SourceResolver:
    """Looks references up once each; a reference no longer in the library is named by id."""

    def __init__(self, library=None, unconfirmed: str = MARK) -> None:
        if unconfirmed not in UNCONFIRMED_MODES:
            raise ValueError(f"unconfirmed must be one of {UNCONFIRMED_MODES}: {unconfirmed!r}")
        self._library = library
        self.unconfirmed = unconfirmed
        self._refs: dict[str, object | None] = {}
        self._name_cache: dict[str, tuple[str, str, str]] = {}
        self.missing: set[str] = set()

    def _names(self, ref_id: str) -> tuple[str, str, str]:
        """City, title and status without parsing the reference (bundled: manifest;
        imported: store)."""
        if ref_id not in self._name_cache:
            names = None
            if self._library is not None:
                from drafter.library.library import load_manifest

                entry = next((e for e in load_manifest() if e["id"] == ref_id), None)
                if entry is not None:
                    names = (entry["city"], entry["title"], entry.get("status", ""))
                else:
                    record = next(
                        (r for r in self._library.store.imported() if r.id == ref_id), None
                    )
                    names = (record.city, record.title, record.status) if record else None
                if names is None:
                    self.missing.add(ref_id)
            self._name_cache[ref_id] = names or ("", "", "")
        return self._name_cache[ref_id]

    def reference_names(self, ref_id: str) -> tuple[str, str, str]:
        """(city, title, status) of a reference; empty strings when it is not in the library."""
        return self._names(ref_id)

    def _reference(self, ref_id: str):
        if ref_id not in self._refs:
            reference = None
            if self._library is not None:
                try:
                    reference = self._library.get(ref_id)
                except DrafterError:
                    self.missing.add(ref_id)
            self._refs[ref_id] = reference
        return self._refs[ref_id]

    def _source_text(self, link: SourceLink, reference) -> str:
        if link.source_text or reference is None:
            return link.source_text
        article = reference.statute.article(link.article)
        if article is None:
            return ""
        if 0 < link.paragraph <= len(article.paragraphs):
            return article.paragraphs[link.paragraph - 1].full_text()
        return article.text()

    def sources(self, draft: Draft, article: Article) -> list[SourceInfo]:
        """The article's adopted or confirmed sources, in the order they were recorded; without
        any, its most likely discovered source (marked pending unless `unconfirmed` is
        ``confirm``)."""
        links = [link for link in draft.provenance.get(article.uid, []) if link.active]
        pending = False
        if not links:
            likely = pending_link(draft, article)
            links = [likely] if likely is not None else []
            pending = bool(links) and self.unconfirmed == MARK
        infos = []
        for link in links:
            city, title, status = self._names(link.ref)
            # The text as adopted is stored with the link; parse the reference only without it.
            text = link.source_text or self._source_text(link, self._reference(link.ref))
            infos.append(
                SourceInfo(
                    ref=link.ref,
                    city=city,
                    title=title,
                    article=link.article,
                    paragraph=link.paragraph,
                    draft_paragraph=link.draft_paragraph,
                    similarity=link.similarity,
                    label=link.label,
                    text=text,
                    status=status,
                    pending=pending,
                )
            )
        return infos

    def warnings(self) -> list[str]:
        return [
            f"参考法规“{ref}”已不在法规库中，对照表只列出其编号和采纳时保存的条文"
            for ref in sorted(self.missing)
        ]
