"""Render the exports with LibreOffice and check pages, lines per page and characters per line.

Skipped where LibreOffice or poppler is not installed. To run it (Debian/Ubuntu):

    apt-get install libreoffice-writer-nogui poppler-utils fonts-noto-cjk fonts-arphic-ukai

The office fonts are mapped to Noto CJK / AR PL UKai by tests/data/export/fonts.conf,
passed as FONTCONFIG_FILE to the conversion only.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from drafter.export import export_draft
from drafter.library import ReferenceLibrary
from tests.test_export_samples import adopted_draft, large_draft

FONTS_CONF = Path(__file__).parent / "data" / "export" / "fonts.conf"
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
pytestmark = pytest.mark.skipif(
    not (SOFFICE and shutil.which("pdftotext") and shutil.which("pdfinfo")),
    reason="LibreOffice (soffice) and poppler-utils are not installed",
)
_PAGE_NUMBER = re.compile(r"^—\s*\d+\s*—$")


def to_pdf(docx_paths: list[Path], folder: Path) -> list[Path]:
    """Convert with a private LibreOffice profile and the font stand-ins."""
    env = dict(os.environ, FONTCONFIG_FILE=str(FONTS_CONF), HOME=str(folder))
    profile = (folder / "lo-profile").as_uri()
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            *map(str, docx_paths),
        ],
        check=True,
        capture_output=True,
        env=env,
        timeout=240,
    )
    return [folder / (p.stem + ".pdf") for p in docx_paths]


def page_count(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    return int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))


def page_lines(pdf: Path) -> list[list[str]]:
    """Non-empty text lines of each page, spaces removed, the page number left out."""
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = []
    for page in text.split("\f"):
        lines = [re.sub(r"\s+", "", line) for line in page.splitlines()]
        pages.append([line for line in lines if line and not _PAGE_NUMBER.match(line)])
    return [p for p in pages if p]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    folder = tmp_path_factory.mktemp("render")
    library = ReferenceLibrary(data_dir=folder / "data")
    long_draft = large_draft(library, articles=60)
    export_draft(long_draft, folder / "long.docx", library=library)
    sample = adopted_draft(library)
    export_draft(
        sample,
        folder / "draft.docx",
        explanation=folder / "explanation.docx",
        table=folder / "table.docx",
        comments=True,
        library=library,
    )
    names = ["long", "draft", "explanation", "table"]
    pdfs = to_pdf([folder / f"{n}.docx" for n in names], folder)
    return dict(zip(names, pdfs, strict=True))


def test_every_document_converts(rendered):
    for pdf in rendered.values():
        assert pdf.is_file() and page_count(pdf) >= 1


def test_full_pages_hold_22_lines_of_28_characters(rendered):
    pages = page_lines(rendered["long"])
    assert len(pages) == page_count(rendered["long"]) > 3
    # Every page but the last is full: 22 lines (blank grid lines do not show in text).
    counts = [len(p) for p in pages[1:-1]]
    assert max(counts) == 22 and all(c <= 22 for c in counts)
    # Continuation lines of body text run the full 28 characters, never more.
    widths = [len(line) for page in pages[1:] for line in page]
    assert max(widths) <= 28 + 1  # a closing mark may hang
    assert widths.count(28) > len(widths) / 4


def test_page_numbers_are_printed_as_dashes_around_the_number(rendered):
    text = subprocess.run(
        ["pdftotext", "-layout", str(rendered["long"]), "-"], capture_output=True, text=True
    ).stdout
    numbers = [int(m) for m in re.findall(r"—\s*(\d+)\s*—", text)]
    assert numbers == list(range(1, page_count(rendered["long"]) + 1))


def test_table_pages_are_landscape(rendered):
    info = subprocess.run(
        ["pdfinfo", str(rendered["table"])], capture_output=True, text=True
    ).stdout
    width, height = map(float, re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())
    assert width > height
