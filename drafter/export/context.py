"""What every part of an export shares: the document, its styles, the sanitiser, the sources."""

from __future__ import annotations

from dataclasses import dataclass, field

from docx.document import Document
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from drafter.draft.document import Draft
from drafter.export.layout import title_chars_per_line, title_lines
from drafter.export.sanitize import Sanitizer
from drafter.export.sources import SourceResolver
from drafter.export.styles import TITLE


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
        names the place in warnings).

        The elements are made directly: python-docx's add_paragraph/add_run search the
        parent's children and set text character by character, which dominates a large
        export. The result is the same XML.
        """
        parent = self.document if container is None else container
        p = OxmlElement("w:p")
        ppr = OxmlElement("w:pPr")
        style_element = OxmlElement("w:pStyle")
        style_element.set(qn("w:val"), self.style(style).style_id)
        ppr.append(style_element)
        p.append(ppr)
        element = parent._element if container is not None else self.document.element.body
        sect_pr = element.find(qn("w:sectPr")) if container is None else None
        if sect_pr is not None:
            sect_pr.addprevious(p)
        else:
            element.append(p)
        paragraph = Paragraph(p, parent._body if container is None else container)
        if text and style == TITLE and container is None:
            # A title longer than a line breaks at a word boundary, in one paragraph.
            width = title_chars_per_line(self.document.sections[-1])
            text = "\n".join(title_lines(text, width))
        if text:
            self.run(paragraph, text, where or style)
        return paragraph

    def run(self, paragraph, text: str, where: str, style: str | None = None):
        """Add a sanitised run, optionally in a character style."""
        text = self.sanitizer.clean(text, where)
        if "\n" in text or "\t" in text or "\r" in text:
            run = paragraph.add_run(text)  # python-docx turns these into breaks and tabs
            if style:
                self.set_style(run, style)
            return run
        r = OxmlElement("w:r")
        if style:
            rpr = OxmlElement("w:rPr")
            style_element = OxmlElement("w:rStyle")
            style_element.set(qn("w:val"), self.style(style).style_id)
            rpr.append(style_element)
            r.append(rpr)
        t = OxmlElement("w:t")
        t.text = text
        if text != text.strip():
            t.set(qn("xml:space"), "preserve")
        r.append(t)
        paragraph._p.append(r)
        return Run(r, paragraph)

    def blank(self, style: str = "Normal"):
        """An empty line of the grid."""
        return self.paragraph(style)

    def page_break(self) -> None:
        self.document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
