"""Adopting a reference clause into the draft: localised, provenance recorded, citations flagged.

Three ways (`mode`): as a new article, replacing a 款 of an article, or appended to an
article as a new 款. The clause's 第X条 citations point at the *source's* articles, so
they are bound as unresolved until the drafter links them (`operations.link_reference`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from drafter.cleaning.mojibake import find_damage
from drafter.draft.changes import Change, apply_change
from drafter.draft.crossrefs import UNRESOLVED, bind_text
from drafter.draft.damage import ORIGIN_SEPARATOR
from drafter.draft.document import Draft, paragraphs_from_text
from drafter.draft.localisation import localise
from drafter.draft.operations import DraftOperationError, _article, _chapter, _check_index
from drafter.draft.source_links import ADOPTED, SourceLink
from drafter.statute.model import Article, DamagedSpan, Paragraph
from drafter.statute.numerals import to_chinese_numeral as cn

MODES = ("article", "replace", "append")


@dataclass
class Clause:
    """What is adopted: a reference's article or one of its 款 (a `Suggestion` fits too)."""

    ref: str
    city: str
    article: int
    paragraph: int  # 1-based 款 in the reference; 0 = the whole article
    text: str


def _bind_paragraph(draft: Draft, article: Article, p: int, source_ref: str) -> None:
    binder = draft.binder()
    bindings = [b for b in draft.refs.get(article.uid, []) if b.paragraph != p]
    for location in draft.locations(article):
        if location[0] == p:
            text = draft.get_text(article, location)
            bindings += bind_text(text, article.uid, location, binder, source_ref=source_ref)
    draft.refs[article.uid] = sorted(bindings, key=lambda b: (b.paragraph, b.item, b.start))


def _carried_damage(clause: Clause, paragraphs: list[Paragraph], first: int) -> list[DamagedSpan]:
    """The clause's damaged spans, found again in the adopted 款 (numbered from `first`, 1-based).

    The reference's spans are what `find_damage` flagged in its text, so the same detector
    finds them in the clause; localisation may have moved them, so each is located by its
    text. The origin travels in the reason, for `check` to name it.
    """
    where = f"{ORIGIN_SEPARATOR}{clause.city}第{cn(clause.article)}条"
    spans: list[DamagedSpan] = []
    for damage in find_damage(clause.text):
        for offset, paragraph in enumerate(paragraphs):
            slots = [(0, paragraph.text), *list(enumerate(paragraph.items, 1))]
            hit = next(((i, t.find(damage.text)) for i, t in slots if damage.text in t), None)
            if hit:
                item, start = hit
                spans.append(
                    DamagedSpan(
                        first + offset,
                        item,
                        start,
                        start + len(damage.text),
                        damage.text,
                        damage.reason + where,
                    )
                )
                break
    return spans


def adopt(
    draft: Draft,
    clause: Clause,
    mode: str,
    *,
    chapter_uid: str | None = None,
    index: int | None = None,
    article_uid: str | None = None,
    paragraph: int | None = None,
) -> Change:
    """Adopt a clause: `article` into `chapter_uid` at `index`; `replace` 款 `paragraph` of
    `article_uid`; or `append` it to `article_uid` as its last 款."""
    if mode not in MODES:
        raise DraftOperationError(f"未知的采纳方式：{mode}（可用：{'、'.join(MODES)}）")
    localised = localise(clause.text, clause.city, draft.title, draft.city)
    paragraphs = paragraphs_from_text(localised.text)
    if not paragraphs:
        raise DraftOperationError("要采纳的条文是空的")
    if mode == "article":
        chapter = _chapter(draft, chapter_uid or "")
        at = len(chapter.articles) if index is None else index
        _check_index(at, len(chapter.articles), "条的")
    else:
        target = _article(draft, article_uid or "")
        if mode == "replace" and not (
            paragraph is not None and 0 <= paragraph < len(target.paragraphs)
        ):
            raise DraftOperationError(f"{target.label}没有要替换的第{cn((paragraph or 0) + 1)}款")
        if len(paragraphs) != 1:  # a 款 is adopted as one 款
            paragraphs = [
                Paragraph(
                    "".join(p.text for p in paragraphs), [i for p in paragraphs for i in p.items]
                )
            ]
    link = SourceLink(
        ref=clause.ref,
        article=clause.article,
        paragraph=clause.paragraph,
        source_text=clause.text,
        adopted_text=localised.text,
        adopted_at=datetime.now().astimezone().isoformat(timespec="seconds"),
        state=ADOPTED,
    )

    def body() -> str:
        if mode == "article":
            article = Article(number=0, paragraphs=paragraphs)
            article.damaged = _carried_damage(clause, paragraphs, 1)
            draft.bind_article(article, source_ref=clause.ref)
            chapter.articles.insert(at, article)
            draft.provenance[article.uid] = [link]
            draft.renumber()
            return f"采纳{clause.ref}第{cn(clause.article)}条为{article.label}"
        if mode == "replace":
            assert paragraph is not None  # checked before the change began
            p = paragraph
            target.paragraphs[p] = paragraphs[0]
            # The replaced 款's damage is gone with it.
            target.damaged = [d for d in target.damaged if d.paragraph != p + 1]
            draft.provenance[target.uid] = [
                x for x in draft.provenance.get(target.uid, []) if x.draft_paragraph != p
            ]
        else:
            p = len(target.paragraphs)
            target.paragraphs.append(paragraphs[0])
        target.damaged += _carried_damage(clause, paragraphs[:1], p + 1)
        link.draft_paragraph = p
        _bind_paragraph(draft, target, p, clause.ref)
        draft.provenance.setdefault(target.uid, []).append(link)
        verb = "替换" if mode == "replace" else "增加"
        return f"采纳{clause.ref}第{cn(clause.article)}条，{verb}{target.label}第{cn(p + 1)}款"

    change = apply_change(draft, "adopt", body)
    change.notes = [flag.message for flag in localised.flags]
    uid = change.inserted[0] if mode == "article" else target.uid
    unresolved = [b for b in draft.refs.get(uid, []) if b.status == UNRESOLVED and b.source_ref]
    if unresolved:
        change.notes.append(
            f"引用了{clause.ref}自身的条文（{len(unresolved)}处），请关联到本草案的条文"
        )
    return change
