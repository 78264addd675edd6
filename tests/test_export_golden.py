"""Golden file: word/document.xml of a small fixed draft, volatile parts ignored.

After an intended change of the layout, regenerate with
``DRAFTER_UPDATE_GOLDEN=1 pytest tests/test_export_golden.py`` and review the diff.
"""

from __future__ import annotations

import os
import re
import zipfile
from pathlib import Path

from lxml import etree

from drafter.export import export_draft
from tests.test_export_samples import fixed_draft

GOLDEN = Path(__file__).parent / "data" / "export" / "fixed-draft.document.xml"
# Revision ids and dates change from save to save and mean nothing for the layout.
_VOLATILE = re.compile(r'\s(?:w:rsid\w*|w:date|w14:paraId|w14:textId)="[^"]*"')


def normalised_document_xml(path: Path) -> str:
    """document.xml pretty-printed, without rsids, dates and paragraph ids."""
    with zipfile.ZipFile(path) as package:
        raw = package.read("word/document.xml")
    parser = etree.XMLParser(remove_blank_text=True)
    pretty = etree.tostring(etree.fromstring(raw, parser), pretty_print=True, encoding="unicode")
    return _VOLATILE.sub("", pretty)


def test_document_xml_matches_the_golden_file(tmp_path):
    path = tmp_path / "draft.docx"
    export_draft(fixed_draft(), path)
    actual = normalised_document_xml(path)
    if os.environ.get("DRAFTER_UPDATE_GOLDEN"):
        GOLDEN.write_text(actual, encoding="utf-8")
    expected = GOLDEN.read_text(encoding="utf-8")
    assert actual.splitlines() == expected.splitlines()


def test_the_comparison_ignores_only_volatile_parts(tmp_path):
    path = tmp_path / "draft.docx"
    export_draft(fixed_draft(), path)
    text = normalised_document_xml(path)
    assert "第一章\u3000总\u3000\u3000则" in text and 'w:val="条号"' in text
    assert "rsid" not in text
