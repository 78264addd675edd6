"""Where an article of the draft came from, described for the 对照表 and the comments."""

from __future__ import annotations

from dataclasses import dataclass

from drafter.draft.document import Draft
from drafter.draft.source_links import SourceLink
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
        if self.draft_paragraph is not None:
            text = f"草案第{cn(self.draft_paragraph + 1)}款：" + text
        return text


class SourceResolver:
    """Looks references up once each; a reference no longer in the library is named by id."""

    def __init__(self, library=None) -> None:
        self._library = library
        self._refs: dict[str, object | None] = {}
        self._name_cache: dict[str, tuple[str, str]] = {}
        self.missing: set[str] = set()

    def _names(self, ref_id: str) -> tuple[str, str]:
        """City and title without parsing the reference (bundled: manifest; imported: store)."""
        if ref_id not in self._name_cache:
            names = None
            if self._library is not None:
                from drafter.library.library import load_manifest

                entry = next((e for e in load_manifest() if e["id"] == ref_id), None)
                if entry is not None:
                    names = (entry["city"], entry["title"])
                else:
                    record = next(
                        (r for r in self._library.store.imported() if r.id == ref_id), None
                    )
                    names = (record.city, record.title) if record else None
                if names is None:
                    self.missing.add(ref_id)
            self._name_cache[ref_id] = names or ("", "")
        return self._name_cache[ref_id]

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
        """The article's adopted or confirmed sources, in the order they were recorded."""
        links = [link for link in draft.provenance.get(article.uid, []) if link.active]
        infos = []
        for link in links:
            city, title = self._names(link.ref)
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
                )
            )
        return infos

    def warnings(self) -> list[str]:
        return [
            f"参考法规“{ref}”已不在法规库中，对照表只列出其编号和采纳时保存的条文"
            for ref in sorted(self.missing)
        ]
