"""Cross-references inside a draft: recognising them in text and binding them to target identity.

A binding (`CrossRef`) records where a reference sits (款 index, 项 index, character span)
and what it points at (the target article's uid and, optionally, its 款 and 项). Numbers in
the text are derived from the bindings: after every renumbering `rewrite_references`
renders each bound reference again, so the text always matches the numbering.

Forms recognised:
- "本条例第二十条", "违反本条例第十六条规定", "第十条第二款", "第十条第二款第三项": `article`
- "本条第二款", a bare "第二款": `self` (the containing article)
- "前款", "前两款", "前三款": `relative` — bound to the 款 they meant when written; when a 款
  is inserted, deleted, split or merged so that they no longer sit right before the citing
  款, the text becomes explicit ("本条第一款", "本条第一款、第二款")
- "《某某法》第二十条", "某某法第二十条": `external` (another law; never bound)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from drafter.statute.numerals import CHINESE_NUMERAL_CHARS, from_chinese_numeral
from drafter.statute.numerals import to_chinese_numeral as cn

_NUM = f"[{CHINESE_NUMERAL_CHARS}]+"
_REF_RE = re.compile(rf"(?P<art>第(?P<a>{_NUM})条)?(?:第(?P<p>{_NUM})款)?(?:第(?P<i>{_NUM})项)?")
_RELATIVE_RE = re.compile(rf"前(?P<n>{_NUM})?款")

BOUND = "bound"
UNRESOLVED = "unresolved"  # the target is not known (adopted from a source, or no such article)
DANGLING = "dangling"  # the target was deleted


@dataclass
class RefMatch:
    """One reference found in a text."""

    kind: str  # article | self | relative | external
    start: int
    end: int
    article: int | None = None
    paragraph: int | None = None
    item: int | None = None
    count: int = 0  # for relative references: how many preceding 款 (前两款 → 2)

    @property
    def text_span(self) -> tuple[int, int]:
        return self.start, self.end


def _value(text: str | None) -> int | None:
    if not text:
        return None
    try:
        return from_chinese_numeral(text)
    except ValueError:
        return None


def _is_external(text: str, start: int) -> bool:
    """A 第X条 right after another law's name (《…》, …法, …条例 but not 本条例/本法)."""
    before = text[max(0, start - 4) : start]
    if before.endswith("》"):
        return True
    if before.endswith("本条例") or before.endswith("本法") or before.endswith("本办法"):
        return False
    return before.endswith(("法", "条例", "办法", "规定", "决定"))


def find_references(text: str) -> list[RefMatch]:
    """Every cross-reference in a text, in order."""
    found: list[RefMatch] = []
    for match in _REF_RE.finditer(text):
        if match.start() == match.end():
            continue
        article = _value(match.group("a"))
        paragraph = _value(match.group("p"))
        item = _value(match.group("i"))
        start, end = match.span()
        if match.group("art"):
            if article is None:
                continue
            kind = "external" if _is_external(text, start) else "article"
            found.append(RefMatch(kind, start, end, article, paragraph, item))
        elif paragraph is not None:
            # 本条第二款 and a bare 第二款 mean this article; a lone 第X项 is too vague to bind.
            found.append(RefMatch("self", start, end, None, paragraph, item))
    for match in _RELATIVE_RE.finditer(text):
        count = _value(match.group("n")) if match.group("n") else 1
        found.append(RefMatch("relative", match.start(), match.end(), count=count or 1))
    found.sort(key=lambda m: m.start)
    return found


@dataclass
class CrossRef:
    """A binding of one reference in an article's text to its target."""

    paragraph: int  # 0-based 款 of the containing article
    item: int  # 0-based 项, or -1 for the 款 text itself
    start: int
    end: int
    form: str  # article | self
    target: str | None  # uid of the target article
    target_paragraph: int | None = None  # 1-based 款 of the target
    target_item: int | None = None  # 1-based 项 of the target
    status: str = BOUND
    source_ref: str = ""  # for citations adopted from a reference: its id
    source_article: int | None = None  # … and the article number it cited there
    count: int = 0  # relative references: how many 款 (前两款 → 2)

    @property
    def location(self) -> tuple[int, int]:
        return self.paragraph, self.item

    def render(self, target_number: int) -> str:
        """The reference as text for the target's current number."""
        if self.form == "relative":
            return self._render_relative()
        text = f"第{cn(target_number)}条" if self.form == "article" else ""
        if self.target_paragraph:
            text += f"第{cn(self.target_paragraph)}款"
        if self.target_item:
            text += f"第{cn(self.target_item)}项"
        return text

    def _render_relative(self) -> str:
        first = self.target_paragraph or 1
        citing = self.paragraph + 1
        if first + self.count == citing:
            return {1: "前款", 2: "前两款"}.get(self.count, f"前{cn(self.count)}款")
        if self.count == 1:
            return f"本条第{cn(first)}款"
        if self.count == 2:
            return f"本条第{cn(first)}款、第{cn(first + 1)}款"
        return f"本条第{cn(first)}款至第{cn(first + self.count - 1)}款"

    def to_json(self) -> dict:
        data: dict = {
            "paragraph": self.paragraph,
            "item": self.item,
            "start": self.start,
            "end": self.end,
            "form": self.form,
            "target": self.target,
            "target_paragraph": self.target_paragraph,
            "target_item": self.target_item,
            "status": self.status,
        }
        if self.source_ref:
            data["source_ref"] = self.source_ref
            data["source_article"] = self.source_article
        if self.count:
            data["count"] = self.count
        return data

    @classmethod
    def from_json(cls, data: dict) -> CrossRef:
        return cls(
            paragraph=data["paragraph"],
            item=data["item"],
            start=data["start"],
            end=data["end"],
            form=data["form"],
            target=data.get("target"),
            target_paragraph=data.get("target_paragraph"),
            target_item=data.get("target_item"),
            status=data.get("status", BOUND),
            source_ref=data.get("source_ref", ""),
            source_article=data.get("source_article"),
            count=data.get("count", 0),
        )


@dataclass
class Binder:
    """Resolves article numbers to uids for one state of the draft."""

    uid_by_number: dict[int, str] = field(default_factory=dict)

    def bind(
        self,
        match: RefMatch,
        own_uid: str,
        location: tuple[int, int],
        source_ref: str = "",
    ) -> CrossRef | None:
        """A binding for a reference found in text (None for a 前款 with no 款 before it).

        With `source_ref` the text was adopted from that reference, so its 第X条 cite the
        source's own articles: they stay unresolved until the drafter links them.
        """
        paragraph, item = location
        if match.kind == "relative":
            # 前款 in the first 款 points at nothing; the checks report it.
            if paragraph - match.count < 0:
                return None
            return CrossRef(
                paragraph,
                item,
                match.start,
                match.end,
                "relative",
                own_uid,
                paragraph - match.count + 1,
                None,
                BOUND,
                source_ref,
                None,
                count=match.count,
            )
        if match.kind == "self":
            status = BOUND if not source_ref else UNRESOLVED
            return CrossRef(
                paragraph,
                item,
                match.start,
                match.end,
                "self",
                own_uid if status == BOUND else None,
                match.paragraph,
                match.item,
                status,
                source_ref,
                None,
            )
        target = None if source_ref else self.uid_by_number.get(match.article or 0)
        return CrossRef(
            paragraph,
            item,
            match.start,
            match.end,
            "article",
            target,
            match.paragraph,
            match.item,
            BOUND if target else UNRESOLVED,
            source_ref,
            match.article if source_ref else None,
        )


def bind_text(
    text: str,
    own_uid: str,
    location: tuple[int, int],
    binder: Binder,
    previous: list[CrossRef] | None = None,
    old_text: str = "",
    source_ref: str = "",
) -> list[CrossRef]:
    """Bindings for every article/self reference in `text`.

    A reference whose literal text equals one of the `previous` bindings (taken in order
    from `old_text`) keeps that binding, so editing around an unresolved or dangling
    citation does not silently rebind it to whatever article now has that number.
    """
    unused = list(previous or [])
    result: list[CrossRef] = []
    for match in find_references(text):
        if match.kind not in ("article", "self", "relative"):
            continue
        literal = text[match.start : match.end]
        reused = next(
            (b for b in unused if old_text[b.start : b.end] == literal and b.form == match.kind),
            None,
        )
        if reused is not None:
            unused.remove(reused)
            reused.start, reused.end = match.start, match.end
            reused.paragraph, reused.item = location
            result.append(reused)
        else:
            binding = binder.bind(match, own_uid, location, source_ref)
            if binding is not None:
                result.append(binding)
    return result


def rewrite_text(text: str, bindings: list[CrossRef], number_of: dict[str, int]) -> str:
    """Render every bound reference in one text again; shifts the spans of later bindings."""
    for binding in sorted(bindings, key=lambda b: b.start, reverse=True):
        if binding.status != BOUND or binding.target not in number_of:
            continue
        wanted = binding.render(number_of[binding.target])
        if text[binding.start : binding.end] == wanted:
            continue
        delta = len(wanted) - (binding.end - binding.start)
        text = text[: binding.start] + wanted + text[binding.end :]
        for other in bindings:
            if other is not binding and other.start >= binding.end:
                other.start += delta
                other.end += delta
        binding.end += delta
    return text
