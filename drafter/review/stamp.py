"""What an exported draft records about its text, so a reviewed copy can be compared with it.

The export writes two custom document properties (docProps/custom.xml, which Word, WPS
and LibreOffice keep when they save): ``drafter.text``, a fingerprint of the articles' text
as exported, and ``drafter.version``, the name of the marked version whose text that is
("" when the text was not a marked version). Importing the reviewed file compares it with
that version, or with the current text when the fingerprint says it is the current text.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING
from xml.sax.saxutils import escape

from drafter.draft.document import Draft

if TYPE_CHECKING:  # python-docx loads with the export: reading properties needs none of it
    from docx.document import Document

TEXT_PROPERTY = "drafter.text"
VERSION_PROPERTY = "drafter.version"
CUSTOM_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"


def text_fingerprint(draft: Draft) -> str:
    """The articles' text (labels, captions, 款 and 项), whatever their uids."""
    text = "\n".join(f"{a.label}【{a.caption}】{a.text()}" for a in draft.articles())
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def matching_version(draft: Draft) -> str:
    """The latest marked version whose text is the current text, or ""."""
    from drafter.draft.versions import version_draft

    current = text_fingerprint(draft)
    for version in reversed(getattr(draft, "versions", [])):
        if text_fingerprint(version_draft(version)) == current:
            return version.name
    return ""


def read_properties(blob: bytes) -> dict[str, str]:
    """Custom document properties (name → text) of a docProps/custom.xml; {} if unreadable."""
    from lxml import etree

    try:
        root = etree.fromstring(blob, etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        return {}
    found = {}
    for element in root:
        if isinstance(element.tag, str) and element.tag.endswith("}property"):
            found[element.get("name", "")] = "".join(element.itertext()).strip()
    return found


def _custom_xml(values: dict[str, str]) -> bytes:
    properties = "".join(
        f'<property fmtid="{_FMTID}" pid="{pid}" name="{escape(name)}">'
        f"<vt:lpwstr>{escape(value)}</vt:lpwstr></property>"
        for pid, (name, value) in enumerate(values.items(), 2)
    )
    return (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
        'custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/'
        f'2006/docPropsVTypes">{properties}</Properties>'
    ).encode()


def stamp_document(document: Document, draft: Draft) -> None:
    """Record the exported text's fingerprint and version in the document's properties."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    values = {TEXT_PROPERTY: text_fingerprint(draft), VERSION_PROPERTY: matching_version(draft)}
    package = document.part.package
    part = next(
        (rel.target_part for rel in package.rels.values() if rel.reltype == RT.CUSTOM_PROPERTIES),
        None,
    )
    if part is None:
        part = Part(PackURI("/docProps/custom.xml"), CUSTOM_TYPE, b"", package)
        package.relate_to(part, RT.CUSTOM_PROPERTIES)
    else:
        # A template's own properties are kept (as text).
        values = {**read_properties(part.blob), **values}
    part._blob = _custom_xml(values)
