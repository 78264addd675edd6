"""What every part of an export shares: the document, its styles, the sanitiser, the sources."""

from __future__ import annotations

from dataclasses import dataclass, field

from docx.document import Document
from docx.enum.text import WD_BREAK

from drafter.draft.document import Draft
from drafter.export.sanitize import Sanitizer
from drafter.export.sources import SourceResolver


@dataclass
class ExportContext:
    """One document being written."""

    document: Document
    draft: Draft
    resolver: SourceResolver
    sanitizer: Sanitizer = field(default_factory=Sanitizer)
    comments: bool = False
    _styles: dict = field(default_factory=dict)

    def style(self, name: str):
        """A style object by name (looked up once: lookups by name scan every style)."""
        if name not in self._styles:
            self._styles[name] = self.document.styles[name]
        return self._styles[name]

    def set_style(self, target, name: str) -> None:
        """Give a paragraph or run a style by its id: python-docx's own setter scans every
        style of the template on each call, which dominates a large export."""
        style_id = self.style(name).style_id
        if hasattr(target, "_p"):
            target._p.get_or_add_pPr().style = style_id
        else:
            target._r.get_or_add_rPr().style = style_id

    def paragraph(self, style: str, text: str = "", where: str = "", container=None):
        """Add a paragraph in a style to the body (or a cell), its text sanitised (`where`
        names the place in warnings)."""
        paragraph = (container or self.document).add_paragraph()
        self.set_style(paragraph, style)
        if text:
            paragraph.add_run(self.sanitizer.clean(text, where or style))
        return paragraph

    def run(self, paragraph, text: str, where: str, style: str | None = None):
        """Add a sanitised run, optionally in a character style."""
        run = paragraph.add_run(self.sanitizer.clean(text, where))
        if style:
            self.set_style(run, style)
        return run

    def blank(self, style: str = "Normal"):
        """An empty line of the grid."""
        return self.paragraph(style)

    def page_break(self) -> None:
        self.document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
