"""The export API the CLI and the window share: a draft → the .docx files asked for."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from docx.document import Document
from docx.enum.section import WD_SECTION

from drafter.draft.document import Draft
from drafter.draft.export_readiness import damaged_text, empty_chapter_labels
from drafter.draft.source_links import SUGGESTED
from drafter.errors import DrafterError
from drafter.export import layout as lay
from drafter.export import styles as st
from drafter.export.comparison_table import write_table
from drafter.export.context import ExportContext
from drafter.export.draft_document import write_draft
from drafter.export.explanation import explanation_warnings
from drafter.export.explanation_writer import write_explanation
from drafter.export.opinions_table import write_opinions
from drafter.export.sanitize import Sanitizer
from drafter.export.sources import MARK, SourceResolver
from drafter.export.writer import check_targets, document_bytes, set_properties, write_all
from drafter.review.stamp import stamp_document

Part = Callable[[ExportContext], object]
# Each part of an export and whether its pages are landscape.
PARTS: dict[str, tuple[Part, bool]] = {
    "draft": (write_draft, False),
    "explanation": (write_explanation, False),
    "table": (write_table, True),
    "opinions": (write_opinions, True),
}


@dataclass
class ExportResult:
    """What was written, and what the drafter should know about it."""

    written: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _new_document(template: Path | str | None, draft: Draft) -> Document:
    document = st.load_template(template)
    document.settings.odd_and_even_pages_header_footer = True
    set_properties(document, draft.title, draft.status)
    return document


def _start_section(ctx: ExportContext, landscape: bool, first: bool) -> None:
    if first:
        section = ctx.document.sections[0]
    else:
        section = ctx.document.add_section(WD_SECTION.NEW_PAGE)
        lay.restart_page_numbers(section)
    lay.setup_page(section, landscape=landscape)
    if first:
        lay.add_page_numbers(section, ctx.style(st.PAGE_NUMBER))


def build_document(
    draft: Draft,
    parts: list[str],
    *,
    template: Path | str | None = None,
    comments: bool = False,
    library=None,
    sanitizer: Sanitizer | None = None,
    resolver: SourceResolver | None = None,
    unconfirmed: str = MARK,
) -> Document:
    """One document holding the given parts ("draft", "explanation", "table"), each in its
    own section with page numbers restarting at 1."""
    ctx = ExportContext(
        document=_new_document(template, draft),
        draft=draft,
        resolver=resolver or SourceResolver(library, unconfirmed),
        sanitizer=sanitizer or Sanitizer(),
        comments=comments,
    )
    for index, name in enumerate(parts):
        write, landscape = PARTS[name]
        _start_section(ctx, landscape, first=index == 0)
        write(ctx)
    return ctx.document


def export_draft(
    draft: Draft,
    output: Path | str,
    *,
    explanation: Path | str | None = None,
    table: Path | str | None = None,
    all_in_one: bool = False,
    comments: bool = False,
    template: Path | str | None = None,
    library=None,
    source: Path | str | None = None,
    unconfirmed: str = MARK,
) -> ExportResult:
    """Export the draft to `output` (and the 起草说明 / 对照表 beside it, or all in one file).

    `unconfirmed` says what the documents make of sources still 待确认 (sources.MARK:
    shown marked 来源待确认; sources.CONFIRM: taken as confirmed); never "new".

    Nothing is written unless every document was built; a bad template or target raises
    a `DrafterError` before any work.
    """
    if all_in_one and (explanation or table):
        raise DrafterError(
            "--all-in-one 把三份文件合为一份，不能再另外指定 --explanation 或 --table"
        )
    plan: dict[Path, list[str]] = {Path(output): ["draft"]}
    if all_in_one:
        plan[Path(output)] = ["draft", "explanation", "table"]
    if explanation:
        plan.setdefault(Path(explanation), []).append("explanation")
    if table:
        plan.setdefault(Path(table), []).append("table")
    targets = [Path(output)] + [Path(p) for p in (explanation, table) if p]
    check_targets(targets, Path(source) if source else None)
    st.load_template(template)  # a bad template is reported before any work
    if library is None and _has_sources(draft):
        from drafter.library import ReferenceLibrary

        library = ReferenceLibrary()
    sanitizer = Sanitizer()
    resolver = SourceResolver(library, unconfirmed)
    files: dict[Path, bytes] = {}
    for target, parts in plan.items():
        document = build_document(
            draft,
            parts,
            template=template,
            comments=comments and "draft" in parts,
            sanitizer=sanitizer,
            resolver=resolver,
        )
        if "draft" in parts:
            # What reviewers get back to us: the text it was exported from is recorded.
            stamp_document(document, draft)
        files[target] = document_bytes(document)
    write_all(files)
    warnings = _unique(sanitizer.warnings()) + resolver.warnings()
    empty = empty_chapter_labels(draft)
    if empty:
        warnings.append(f"{'、'.join(empty)}没有条文；目录和章数仍计入，请补上条文或删去该章")
    damaged = damaged_text(draft)
    if damaged:
        warnings.append(f"{damaged.line()}原样印在 Word 文件中，请更正")
    if any("explanation" in parts for parts in plan.values()):
        warnings += explanation_warnings(draft, resolver)
    return ExportResult(written=list(files), warnings=warnings)


def _has_sources(draft: Draft) -> bool:
    # Sources still 待确认 are named in the documents too, so they need the library as well.
    return any(
        link.active or link.state == SUGGESTED
        for links in draft.provenance.values()
        for link in links
    )


def _unique(lines: list[str]) -> list[str]:
    return list(dict.fromkeys(lines))
