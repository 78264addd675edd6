"""Starting a draft: a chapter skeleton, or an earlier draft read from a .txt/.docx file.

Shared by `drafter new` and the window's new-draft wizard and import flow.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from drafter.draft.document import Draft, ExplanationSection
from drafter.errors import DrafterError
from drafter.statute.local_terms import CITY_NAMES
from drafter.statute.model import Statute

STANDARD_SKELETON = ["总则", "保障措施", "法律责任", "附则"]
_CITY_IN_TITLE = re.compile(r"^(.{1,8}?[市州盟])")


def city_of(title: str) -> str:
    """The city a regulation's title names (“某市智慧城市促进条例” → “某市”), or ""."""
    for full in CITY_NAMES:
        if title.startswith(full):
            return full
    match = _CITY_IN_TITLE.match(title)
    return match.group(1) if match else ""


def chapter_titles(statute: Statute) -> list[str]:
    """The titled chapters of a statute, as a skeleton for a new draft."""
    return [c.title for c in statute.chapters if c.title]


def reference_skeleton(library, ref_id: str) -> list[str]:
    """The chapter titles of a reference in the library (UnknownReferenceError if absent)."""
    return chapter_titles(library.get(ref_id).statute)


def skeleton_titles(name: str | None, library=None) -> list[str]:
    """`standard` (or None): 总则……附则; otherwise a reference id whose chapter titles are used."""
    if name in (None, "standard"):
        return list(STANDARD_SKELETON)
    if library is None:
        from drafter.library import ReferenceLibrary

        library = ReferenceLibrary()
    return reference_skeleton(library, name)


@dataclass
class ImportedText:
    """An earlier draft read from a file, before the drafter confirms its title and city."""

    path: Path
    title: str
    city: str
    status: str
    statute: Statute
    explanation: str = ""
    explanation_title: str = ""


def read_draft_file(path: Path | str) -> ImportedText:
    """Read and parse a .txt/.docx draft; a DrafterError (InputFileError, ParseError) if not."""
    from drafter.library.importers import read_document
    from drafter.parsing import parse_regulation_text

    path = Path(path)
    # A .docx this app exported says by its paragraph styles which line is a 款.
    text, roles = read_document(path)
    parsed = parse_regulation_text(text, roles)
    title = parsed.title or ""
    return ImportedText(
        path=path,
        title=title,
        city=city_of(title),
        status="征求意见稿" if "征求意见" in (parsed.status or "") else "草案",
        statute=parsed.statute,
        explanation=parsed.explanation,
        explanation_title=parsed.explanation_title,
    )


def draft_from_import(
    imported: ImportedText, title: str = "", city: str = "", status: str = ""
) -> Draft:
    """The draft over an imported text, with its references bound; title/city override the guess."""
    title = title or imported.title
    if not title:
        raise DrafterError(f"{imported.path}: 未能识别草案标题，请指定标题")
    city = city or imported.city or city_of(title)
    if not city:
        raise DrafterError(f"{imported.path}: 未能从标题识别城市，请指定城市")
    draft = Draft.from_statute(
        imported.statute, title=title, city=city, status=status or imported.status
    )
    if imported.explanation:
        draft.explanation = [
            ExplanationSection(imported.explanation_title or "起草说明", imported.explanation)
        ]
    return draft
