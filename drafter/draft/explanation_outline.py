"""The 起草说明's outline: the five sections of the genre, what kind each of the drafter's
sections is, and which are still unwritten.

A section's kind survives renaming ("制定的必要性" → "立法背景") because it is stored with
the section; older files without it get the kind their title suggests.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

NECESSITY = "necessity"
PROCESS = "process"
BASIS = "basis"
CONTENT = "content"
ISSUES = "issues"


@dataclass(frozen=True)
class OutlineEntry:
    kind: str
    title: str  # the default title, without its number
    keys: tuple[str, ...]  # words of a title that make a section this kind


# 立法法 art. 58 and the three real 起草说明 in the references (docs: documents.md).
OUTLINE: tuple[OutlineEntry, ...] = (
    OutlineEntry(NECESSITY, "制定的必要性", ("必要", "背景")),
    OutlineEntry(PROCESS, "起草过程", ("过程", "经过")),
    OutlineEntry(BASIS, "主要依据", ("依据",)),
    OutlineEntry(CONTENT, "主要内容", ("内容",)),
    OutlineEntry(ISSUES, "需要说明的问题", ("说明的问题", "问题", "特点")),
)
KINDS = tuple(entry.kind for entry in OUTLINE)
# The 主要内容 is generated from the articles; every other kind needs the drafter's words.
GENERATED_KINDS = frozenset({CONTENT})

_NUMBER = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十]+[）)]|\d+[、.．])\s*"
)
PLACEHOLDER_OPEN = "【待填写："


def section_kind(title: str) -> str:
    """The outline kind a title names (立法背景 → necessity), or "" for a section of its own."""
    for entry in OUTLINE:
        if any(key in title for key in entry.keys):
            return entry.kind
    return ""


def bare_title(title: str) -> str:
    """The title without the number the drafter may have typed ("一、立法背景" → "立法背景")."""
    return _NUMBER.sub("", title).strip()


def default_title(kind: str) -> str:
    return next(entry.title for entry in OUTLINE if entry.kind == kind)


def placeholder(title: str) -> str:
    """The visible mark an unwritten section leaves in the document: 【待填写：制定的必要性】."""
    return f"{PLACEHOLDER_OPEN}{bare_title(title) or '本部分'}】"


def effective_sections(sections: list) -> list[tuple[str, str, str]]:
    """(title, text, kind) of the 起草说明 as it is written out: the drafter's sections in
    their order, with each outline section they have not got put where the outline has it."""
    result = [(s.title, s.text, s.kind) for s in sections]
    present = {kind for _, _, kind in result}
    for rank, entry in enumerate(OUTLINE):
        if entry.kind in present:
            continue
        earlier = {e.kind for e in OUTLINE[:rank]}
        # After the last section of an earlier outline kind (or first when there is none).
        at = max((i + 1 for i, s in enumerate(result) if s[2] in earlier), default=0)
        result.insert(at, (entry.title, "", entry.kind))
        present.add(entry.kind)
    return result


def unwritten_sections(draft) -> list[str]:
    """Titles of the sections that would go out as a 【待填写】 placeholder."""
    unwritten = []
    seen: set[str] = set()
    for title, text, kind in effective_sections(draft.explanation):
        first_of_kind = kind not in seen
        seen.add(kind)
        if kind in GENERATED_KINDS and first_of_kind:
            continue
        if kind == BASIS and first_of_kind and any(b.strip() for b in draft.basis):
            continue
        if not text.strip() or PLACEHOLDER_OPEN in text:
            unwritten.append(bare_title(title) or (default_title(kind) if kind else "其他"))
    return unwritten
