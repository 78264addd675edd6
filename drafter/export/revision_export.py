"""Exporting a revision: the 修改对照稿 and the 修改决定 of two texts of a draft.

The texts are named versions (`drafter.draft.versions`) or the current text; both
documents use the 条文对照表's template, styles, page setup and all-or-nothing writing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from docx.document import Document

from drafter.draft.document import Draft
from drafter.draft.revision_diff import RevisionDiff, compare
from drafter.draft.versions import resolve
from drafter.errors import DrafterError
from drafter.export import layout as lay
from drafter.export import styles as st
from drafter.export.amendment import numbered_paragraphs
from drafter.export.context import ExportContext
from drafter.export.draft_document import bare_title
from drafter.export.exporter import ExportResult
from drafter.export.revision_table import RevisionNames, write_revision_table
from drafter.export.sanitize import Sanitizer
from drafter.export.sources import SourceResolver
from drafter.export.writer import check_targets, document_bytes, set_properties, write_all

CURRENT = "当前文本"


def current_name(draft: Draft, old: str) -> str:
    """What the current text is called beside version `old`: the draft's status (草案),
    or, when that is the old version's name, its 修改稿 (草案 → 草案修改稿)."""
    if draft.status and draft.status != old:
        return draft.status
    return (old[:-1] if old.endswith("稿") else old) + "修改稿"


@dataclass
class Revision:
    """Two texts of a draft, compared, and what they are called."""

    diff: RevisionDiff
    names: RevisionNames


def revision(draft: Draft, old: str, new: str | None = None) -> Revision:
    """Version `old` against version `new` (the current text when None)."""
    if new is not None and new == old:
        raise DrafterError(f"比较的两个版本相同：{old}")
    before, after = resolve(draft, old), resolve(draft, new)
    return Revision(compare(before, after), RevisionNames(old, new or current_name(draft, old)))


def _document(template: Path | str | None, title: str, landscape: bool) -> Document:
    document: Document = st.load_template(template)
    document.settings.odd_and_even_pages_header_footer = True
    set_properties(document, title)
    section = document.sections[0]
    lay.setup_page(section, landscape=landscape)
    lay.add_page_numbers(section, document.styles[st.PAGE_NUMBER])
    return document


def revision_table_document(
    rev: Revision, fold_unchanged: bool = False, template: Path | str | None = None
) -> tuple[Document, Sanitizer]:
    """The 修改对照稿 as a document (landscape)."""
    document = _document(template, "修改对照稿", landscape=True)
    ctx = ExportContext(document, rev.diff.new, SourceResolver(None))
    write_revision_table(ctx, rev.diff, rev.names, fold_unchanged)
    return document, ctx.sanitizer


def amendment_title(draft: Draft) -> str:
    """某市人民代表大会常务委员会关于修改《某市智慧城市促进条例》的决定."""
    return f"{draft.city}人民代表大会常务委员会关于修改《{regulation_title(draft)}》的决定"


def regulation_title(draft: Draft) -> str:
    return bare_title(draft.title, draft.status)


def amendment_paragraphs(rev: Revision) -> list[str]:
    """The 修改决定's text below its title: the opening, the instructions, the closing."""
    old = rev.diff.old
    name = regulation_title(old)
    body = numbered_paragraphs(rev.diff)
    if not body:
        raise DrafterError(f"{rev.names.old}与{rev.names.new}的条文相同，没有可写入修改决定的修改")
    return [
        f"{old.city}人民代表大会常务委员会决定对《{name}》作如下修改：",
        *body,
        "本决定自　　年　　月　　日起施行。",
        f"《{name}》根据本决定作相应修改，重新公布。",
    ]


def amendment_document(
    rev: Revision, template: Path | str | None = None
) -> tuple[Document, Sanitizer]:
    """The 修改决定 as an official document (portrait)."""
    document = _document(template, amendment_title(rev.diff.old), landscape=False)
    ctx = ExportContext(document, rev.diff.old, SourceResolver(None))
    ctx.paragraph(st.TITLE, amendment_title(rev.diff.old), "修改决定标题")
    ctx.blank()
    for index, text in enumerate(amendment_paragraphs(rev)):
        ctx.paragraph(st.EXPLANATION_BODY, text, f"修改决定第{index + 1}段")
    return document, ctx.sanitizer


def export_revision(
    draft: Draft,
    output: Path | str,
    old: str,
    new: str | None = None,
    *,
    amendment: bool = False,
    fold_unchanged: bool = False,
    template: Path | str | None = None,
    source: Path | str | None = None,
) -> ExportResult:
    """Write the 修改对照稿 (or, with `amendment`, the 修改决定) of `old` → `new` to `output`."""
    target = Path(output)
    check_targets([target], Path(source) if source else None)
    st.load_template(template)  # a bad template is reported before any work
    rev = revision(draft, old, new)
    if amendment:
        document, sanitizer = amendment_document(rev, template)
    else:
        document, sanitizer = revision_table_document(rev, fold_unchanged, template)
    write_all({target: document_bytes(document)})
    warnings = list(dict.fromkeys(sanitizer.warnings()))
    if rev.diff.empty:
        warnings.append(f"{rev.names.old}与{rev.names.new}的条文相同")
    return ExportResult(written=[target], warnings=warnings)
