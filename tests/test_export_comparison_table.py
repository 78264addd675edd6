"""The 条文对照表 a reviewer works with, written to a real .docx and read back with python-docx
and the raw XML: columns and header, change marks against the source, several sources in
one row, the drafter's 说明, rows kept whole, sources still 待确认 marked as such."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pytest
from docx.shared import Mm
from lxml import etree

from drafter.draft import operations as ops
from drafter.draft.adoption import adopt
from drafter.draft.project_file import load_project, save_project
from drafter.export import export_draft
from drafter.export.comparison_table import COLUMN_WIDTHS_MM, HEADERS
from drafter.export.sources import PENDING_MARK, pending_link
from drafter.library import ReferenceLibrary
from drafter.matching.diffing import DELETED, EQUAL, INSERTED, char_diff, readable_diff
from drafter.statute.numerals import to_chinese_numeral as cn
from tests.helpers import run_cli
from tests.test_export_libreoffice import SOFFICE, to_pdf
from tests.test_export_samples import adopted_draft, clause, fixed_draft

REALISTIC = Path(__file__).parent / "data" / "drafts" / "realistic_draft.txt"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def library(tmp_path_factory):
    return ReferenceLibrary(data_dir=tmp_path_factory.mktemp("user-data"))


def _export(draft, folder: Path, library) -> Path:
    path = folder / "table.docx"
    export_draft(draft, folder / "draft.docx", table=path, library=library)
    return path


def _table(path: Path):
    (table,) = docx.Document(str(path)).tables
    return table


def _article_rows(table) -> dict[str, object]:
    """Rows of articles (four cells of their own) by the draft article's label."""
    rows = {}
    for row in table.rows[1:]:
        if len({id(c._tc) for c in row.cells}) == len(HEADERS):
            rows[row.cells[0].paragraphs[0].runs[0].text.strip()] = row
    return rows


def _runs(cell, flag: str) -> list[str]:
    """The text of the cell's runs carrying w:u (underline) or w:strike, in order."""
    texts = []
    for paragraph in cell.paragraphs:
        for run in paragraph.runs:
            if (run.font.underline if flag == "u" else run.font.strike) and run.text:
                texts.append(run.text)
    return texts


# -- diff granularity -----------------------------------------------------------------------


def test_readable_diff_takes_single_shared_characters_between_changes_into_the_change():
    old, new = "应当统筹规划的协调机制", "应当加强建设的工作体系"
    assert any(p.kind == EQUAL and len(p.text) == 1 for p in char_diff(old, new)[1:-1])
    pieces = readable_diff(old, new)
    assert pieces == [
        pieces[0].__class__(EQUAL, "应当"),
        pieces[0].__class__(DELETED, old[2:]),
        pieces[0].__class__(INSERTED, new[2:]),
    ]
    # Two shared characters stay shared; so does one at either end.
    kept = readable_diff("甲乙规划丙丁", "戊己规划庚辛")
    assert [p.text for p in kept if p.kind == EQUAL] == ["规划"]
    edge = readable_diff("的甲乙", "的丙丁")
    assert edge[0].kind == EQUAL and edge[0].text == "的"
    for a, b in ((old, new), ("甲乙规划丙丁", "戊己规划庚辛"), ("", "新"), ("旧", "")):
        pieces = readable_diff(a, b)
        assert "".join(p.text for p in pieces if p.kind != INSERTED) == a
        assert "".join(p.text for p in pieces if p.kind != DELETED) == b


# -- columns, header, rows kept whole ----------------------------------------------------------


def test_columns_header_and_rows_kept_whole_in_the_raw_xml(tmp_path, library):
    draft = adopted_draft(library)
    path = _export(draft, tmp_path, library)
    document = docx.Document(str(path))
    table = _table(path)
    header = table.rows[0]
    assert [c.text.replace("\n", "") for c in header.cells] == list(HEADERS)
    assert HEADERS == ("草案条文", "参考条文（来源）", "处理方式/相似度", "说明")
    # The narrow column's header wraps after its slash, not inside a word.
    assert [p.text for p in header.cells[2].paragraphs] == ["处理方式/", "相似度"]
    section = document.sections[0]
    block = section.page_width - section.left_margin - section.right_margin
    assert abs(sum(Mm(w) for w in COLUMN_WIDTHS_MM) - block) < Mm(1)
    with zipfile.ZipFile(path) as package:
        root = etree.fromstring(package.read("word/document.xml"))
    rows = root.findall(f".//{W}tbl/{W}tr")
    assert len(rows) == 1 + len(draft.chapters) + len(list(draft.articles()))
    for row in rows:
        assert row.find(f"{W}trPr/{W}cantSplit") is not None
    assert [r.find(f"{W}trPr/{W}tblHeader") is not None for r in rows] == [True] + [False] * (
        len(rows) - 1
    )


# -- change marks --------------------------------------------------------------------------------


def test_an_adopted_clause_edited_mid_sentence_is_marked_word_by_word(tmp_path, library):
    draft = fixed_draft()
    general = draft.chapters[0].uid
    source = clause(library, "haikou", 4)
    uid = adopt(draft, source, "article", chapter_uid=general).inserted[0]
    adopted = draft.article(uid).paragraphs[0].text
    removed, added = "组织协调机制", "工作推进机制"
    assert adopted.count(removed) == 1
    ops.edit_paragraph(draft, uid, 0, adopted.replace(removed, added))
    draft_text = draft.article(uid).paragraphs[0].text
    row = _article_rows(_table(_export(draft, tmp_path, library)))[draft.article(uid).label]
    # Only what differs is marked: the new words under the draft, the old struck in the source.
    underlined = _runs(row.cells[0], "u")
    struck = _runs(row.cells[1], "strike")
    assert "".join(underlined) in added and len("".join(underlined)) >= len(added) - 2
    assert "".join(struck) in removed and len("".join(struck)) >= len(removed) - 2
    assert len(underlined) == len(struck) == 1
    # The marked run sits where the edit is: the text before it is the draft's own prefix.
    first_paragraph = row.cells[0].paragraphs[0]
    before = ""
    for run in first_paragraph.runs[1:]:
        if run.font.underline:
            break
        before += run.text
    assert draft_text.startswith(before) and draft_text.index(added) - len(before) in (0, 1, 2)
    # The unedited second 款 carries no mark, nor does the source's second 款.
    assert not _runs_in(row.cells[0].paragraphs[1:], "u")
    assert not _runs_in(row.cells[1].paragraphs[2:], "strike")


def _runs_in(paragraphs, flag: str) -> list[str]:
    return [
        r.text
        for p in paragraphs
        for r in p.runs
        if (r.font.underline if flag == "u" else r.font.strike)
    ]


def test_sample_draft_marks_the_rewritten_tail_and_leaves_copies_and_new_articles_plain(
    tmp_path, library
):
    draft = adopted_draft(library)
    rows = _article_rows(_table(_export(draft, tmp_path, library)))
    edited = draft.chapters[0].articles[-1]  # haikou 4 cut after 20 characters, a tail added
    links = [link for link in draft.provenance[edited.uid] if link.active]
    source_first = links[0].source_text.split("\n")[0]
    kept = edited.paragraphs[0].text.split("，并定期")[0]
    row = rows[edited.label]
    underlined = "".join(_runs(row.cells[0], "u"))
    assert "并定期向社会公布" in underlined and underlined in edited.paragraphs[0].text[len(kept) :]
    struck = "".join(_runs(row.cells[1], "strike"))
    assert struck and struck in source_first[len(kept) :]
    assert len(struck) >= len(source_first) - len(kept) - 3
    for article in draft.articles():
        active = [link for link in draft.provenance.get(article.uid, []) if link.active]
        if not active or all(link.similarity == 100 for link in active):
            row = rows[article.label]
            assert not _runs(row.cells[0], "u") and not _runs(row.cells[1], "strike")


# -- several sources, one row --------------------------------------------------------------------


def test_several_sources_stay_in_one_row_numbered_in_source_and_treatment(tmp_path, library):
    draft = adopted_draft(library)
    rows = _article_rows(_table(_export(draft, tmp_path, library)))
    assert len(rows) == len(list(draft.articles()))
    article = next(
        a
        for a in draft.articles()
        if len([s for s in draft.provenance.get(a.uid, []) if s.active]) == 2
    )
    links = [s for s in draft.provenance[article.uid] if s.active]
    row = rows[article.label]
    paragraphs = [p.text for p in row.cells[1].paragraphs]
    labels = []
    for mark, link in zip("①②", links, strict=True):
        location = f"第{cn(link.article)}条" + (
            f"第{cn(link.paragraph)}款" if link.paragraph else ""
        )
        label = f"{mark}{library.get(link.ref).city}·{location}"
        assert label in paragraphs
        index = paragraphs.index(label)
        labels.append(index)
        # The source's own text follows its label, one paragraph per 款.
        texts = link.source_text.split("\n")
        assert paragraphs[index + 1 : index + 1 + len(texts)] == texts
    assert labels == sorted(labels)
    treatments = [p.text for p in row.cells[2].paragraphs]
    for mark, link in zip("①②", links, strict=True):
        assert f"{mark}{link.label}" in treatments
        assert f"相似度{link.similarity:.0f}%" in treatments
    appended = next(link for link in links if link.draft_paragraph is not None)
    assert f"草案第{cn(appended.draft_paragraph + 1)}款" in treatments
    assert treatments.index(f"②{links[1].label}") > treatments.index(f"①{links[0].label}")


# -- 说明 ----------------------------------------------------------------------------------------


def test_the_drafters_note_is_the_last_column_and_follows_undo(tmp_path, library):
    draft = adopted_draft(library)
    first, second = list(draft.articles())[:2]
    ops.set_note(draft, first.uid, "依据上位法，明确立法目的。\n第二行说明。")
    change = ops.set_note(draft, second.uid, "借鉴海口市做法。")
    ops.undo(draft, change)
    rows = _article_rows(_table(_export(draft, tmp_path, library)))
    assert [p.text for p in rows[first.label].cells[3].paragraphs] == [
        "依据上位法，明确立法目的。",
        "第二行说明。",
    ]
    assert rows[second.label].cells[3].text == ""
    ops.redo(draft, change)
    (tmp_path / "again").mkdir()
    rows = _article_rows(_table(_export(draft, tmp_path / "again", library)))
    assert rows[second.label].cells[3].text == "借鉴海口市做法。"


def test_note_set_from_the_cli_reaches_the_exported_table(tmp_path, library):
    path = tmp_path / "d.drafter.json"
    save_project(adopted_draft(library), path)
    data_dir = tmp_path / "data"
    result = run_cli("edit", str(path), "note", "3", "根据本市机构设置调整。", data_dir=data_dir)
    assert result.returncode == 0, result.stderr
    table_path = tmp_path / "t.docx"
    result = run_cli(
        "export", str(path), "-o", str(tmp_path / "d.docx"), "--table", str(table_path),
        data_dir=data_dir,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    label = load_project(path).article_by_number(3).label
    assert _article_rows(_table(table_path))[label].cells[3].text == "根据本市机构设置调整。"


# -- sources still 待确认 --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    """A draft made the way `drafter new --from` makes it: every source discovered, none
    confirmed."""
    folder = tmp_path_factory.mktemp("imported")
    path = folder / "imported.drafter.json"
    result = run_cli(
        "new", "--from", str(REALISTIC), "--city", "某市", "-o", str(path),
        data_dir=folder / "data",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return load_project(path)


def test_unconfirmed_sources_are_marked_never_new(tmp_path, imported, library):
    draft = imported
    assert not any(link.active for links in draft.provenance.values() for link in links)
    rows = _article_rows(_table(_export(draft, tmp_path, library)))
    pending = [a for a in draft.articles() if pending_link(draft, a) is not None]
    assert len(pending) >= len(list(draft.articles())) // 2
    for article in draft.articles():
        treatment = rows[article.label].cells[2].text
        link = pending_link(draft, article)
        if link is None:
            assert treatment == "新增"
            continue
        assert treatment.startswith(PENDING_MARK) and "新增" not in treatment
        assert f"相似度{link.similarity:.0f}%" in treatment
        city = library.get(link.ref).city
        assert rows[article.label].cells[1].paragraphs[0].text == f"{city}·第{cn(link.article)}条"
    # A copied article (100%) has no marks; a discovered one with edits has them.
    copied = [a for a in pending if pending_link(draft, a).similarity == 100]
    assert copied
    for article in copied:
        assert not _runs(rows[article.label].cells[0], "u")


def test_the_legend_names_each_cited_reference_and_the_marks(tmp_path, library):
    draft = adopted_draft(library)
    document = docx.Document(str(_export(draft, tmp_path, library)))
    texts = [p.text for p in document.paragraphs]
    refs = {link.ref for links in draft.provenance.values() for link in links if link.active}
    legend = next(t for t in texts if t.startswith("参考条文出处："))
    for ref in refs:
        reference = library.get(ref)
        assert f"{reference.city}《{reference.title}》" in legend
    assert any("下划线" in t and "删除线" in t for t in texts)
    assert json.dumps(texts, ensure_ascii=False).count("参考条文出处") == 1


# -- rendered by LibreOffice ---------------------------------------------------------------------


@pytest.mark.skipif(
    not (SOFFICE and shutil.which("pdftotext")),
    reason="LibreOffice (soffice) and poppler-utils are not installed",
)
def test_rendered_pages_repeat_the_header_and_never_start_inside_a_row(tmp_path, library):
    draft = adopted_draft(library)
    ops.set_note(draft, next(draft.articles()).uid, "依据上位法，明确立法目的。")
    (pdf,) = to_pdf([_export(draft, tmp_path, library)], tmp_path)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = [[re.sub(r"\s+", "", line) for line in page.splitlines()] for page in text.split("\f")]
    pages = [[line for line in page if line] for page in pages if any(page)]
    assert len(pages) >= 3
    row_start = re.compile(r"^第[一二三四五六七八九十]+[条章]")
    for page in pages[1:]:
        # The header row comes first on every page, wrapped after its slash...
        assert page[0] == "草案条文参考条文（来源）处理方式/说明" and page[1] == "相似度"
        # ...and the next line opens a row: no row that fits on a page was split.
        assert row_start.match(page[2]), page[2]
    starts = [line for page in pages for line in page if row_start.match(line)]
    for article in draft.articles():
        assert sum(line.startswith(article.label) for line in starts) == 1
