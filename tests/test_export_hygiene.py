"""Package hygiene and titles of the three exported documents, read back from the .docx:
comment styles, docProps, no stale parts, titles broken at word boundaries, empty chapters."""

from __future__ import annotations

import re
import zipfile
from datetime import datetime, timedelta, timezone

import docx
import pytest

from drafter import __version__
from drafter.draft import operations as ops
from drafter.draft.document import Draft
from drafter.draft.export_readiness import EMPTY_CHAPTER_KIND, export_problems
from drafter.export import export_draft
from drafter.export import styles as st
from drafter.export.layout import title_lines

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# 25 + 13 characters: a 起草说明 title of 38 characters, three lines on portrait A4.
LONG_TITLE = "某市数字经济与智慧城市建设及数据要素市场发展促进条例"


def _draft(title: str, empty_chapter: bool = False) -> Draft:
    chapters = ["总则", "数字基础设施", "数字经济", "保障措施", "附则"]
    draft = Draft.with_chapters(title, "某市", chapters)
    for index, chapter in enumerate(draft.chapters):
        if empty_chapter and index == 3:
            continue
        ops.insert_article(draft, chapter.uid, "市人民政府应当加强对数字化转型工作的领导。")
    return draft


def _export(draft: Draft, folder, comments: bool = False):
    paths = {name: folder / f"{name}.docx" for name in ("draft", "explanation", "table")}
    result = export_draft(
        draft,
        paths["draft"],
        explanation=paths["explanation"],
        table=paths["table"],
        comments=comments,
    )
    return result, paths


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hygiene")
    before = datetime.now(timezone.utc).replace(microsecond=0)
    result, paths = _export(_draft("无锡市数字化转型促进条例"), folder)
    return before, result, paths


def _title_paragraph(path):
    document = docx.Document(str(path))
    [title] = [p for p in document.paragraphs if p.style.name == st.TITLE]
    breaks = title._p.findall(f".//{W}br")
    return title, breaks


def test_comment_styles_are_defined_with_their_font(exported):
    _, _, paths = exported
    for path in paths.values():
        styles = zipfile.ZipFile(path).read("word/styles.xml").decode("utf-8")
        for style_id, kind in (("CommentText", "paragraph"), ("CommentReference", "character")):
            match = re.search(
                rf'<w:style w:type="{kind}" w:styleId="{style_id}">(.*?)</w:style>', styles
            )
            assert match, style_id
            body = match.group(1)
            assert 'w:eastAsia="宋体"' in body and '<w:sz w:val="21"/>' in body
    document = docx.Document(str(paths["draft"]))
    assert document.styles["annotation text"].font.size.pt == 10.5


def test_comments_use_the_comment_style(tmp_path):
    from drafter.draft.adoption import Clause, adopt
    from drafter.library import ReferenceLibrary

    library = ReferenceLibrary()
    draft = _draft("某市智慧城市促进条例")
    text = library.get("haikou").statute.article(1).text()
    adopt(
        draft, Clause("haikou", "海口市", 1, 0, text), "article", chapter_uid=draft.chapters[0].uid
    )
    _, paths = _export(draft, tmp_path, comments=True)
    comments = zipfile.ZipFile(paths["draft"]).read("word/comments.xml").decode("utf-8")
    assert 'w:pStyle w:val="CommentText"' in comments
    document = zipfile.ZipFile(paths["draft"]).read("word/document.xml").decode("utf-8")
    assert 'w:rStyle w:val="CommentReference"' in document


def test_doc_props_describe_the_export(exported):
    before, _, paths = exported
    after = datetime.now(timezone.utc) + timedelta(seconds=1)
    for path in paths.values():
        properties = docx.Document(str(path)).core_properties
        assert properties.title == "无锡市数字化转型促进条例"
        for moment in (properties.created, properties.modified):
            moment = moment.replace(tzinfo=timezone.utc)
            assert before <= moment <= after
        assert properties.last_modified_by == "立法起草助手"
        app = zipfile.ZipFile(path).read("docProps/app.xml").decode("utf-8")
        assert f"<Application>立法起草助手 (drafter {__version__})</Application>" in app
        assert "Microsoft" not in app and "Normal.dotm" not in app


def test_no_styles_with_effects_and_no_thumbnail(exported):
    _, _, paths = exported
    for path in [*paths.values(), st.default_template_path()]:
        package = zipfile.ZipFile(path)
        names = package.namelist()
        assert "word/stylesWithEffects.xml" not in names
        assert not [n for n in names if "thumbnail" in n]
        listing = "".join(
            package.read(n).decode("utf-8")
            for n in ("[Content_Types].xml", "_rels/.rels", "word/_rels/document.xml.rels")
        )
        assert "stylesWithEffects" not in listing and "thumbnail" not in listing
        assert "jpeg" not in listing


def test_short_titles_stay_on_one_line_and_long_ones_break_before_the_suffix(exported):
    _, _, paths = exported
    title, breaks = _title_paragraph(paths["draft"])
    assert title.text == "无锡市数字化转型促进条例" and not breaks
    # 25 characters: more than the 20 a 2号 line holds on portrait A4.
    title, breaks = _title_paragraph(paths["explanation"])
    assert title.text == "关于《无锡市数字化转型促进条例（草案）》\n的起草说明"
    assert len(breaks) == 1
    # The 对照表 is landscape: 28 characters a line, its 23 fit.
    title, breaks = _title_paragraph(paths["table"])
    assert title.text == "《无锡市数字化转型促进条例（草案）》条文对照表" and not breaks


def test_a_long_made_up_title_breaks_at_word_boundaries(tmp_path):
    _, paths = _export(_draft(LONG_TITLE), tmp_path)
    title, breaks = _title_paragraph(paths["draft"])
    lines = title.text.split("\n")
    assert lines == ["某市数字经济与智慧城市建设", "及数据要素市场发展促进条例"]
    assert len(breaks) == 1
    title, _ = _title_paragraph(paths["explanation"])
    lines = title.text.split("\n")
    assert all(len(line) <= 20 for line in lines) and len(lines) == 3
    assert lines[1][0] in "与及《（" and lines[-1].endswith("的起草说明")
    title, _ = _title_paragraph(paths["table"])
    lines = title.text.split("\n")
    assert lines[-1].endswith("条文对照表") and all(len(line) <= 28 for line in lines)
    assert len(lines) == 2 and lines[1].startswith("（草案）")


@pytest.mark.parametrize(
    ("title", "width", "lines"),
    [
        ("关于《无锡市数字化转型促进条例（草案）》的起草说明", 20, 2),
        ("关于《鹰潭市智慧城市促进条例（征求意见稿）》的起草说明", 20, 2),
        ("《某市数字经济和智慧城市建设发展促进条例（草案）》条文对照表", 28, 2),
    ],
)
def test_title_breaks_never_split_words(title, width, lines):
    result = title_lines(title, width)
    assert "".join(result) == title and len(result) == lines
    assert all(len(line) <= width for line in result)
    # Every break is at one of the places a title may break.
    for line in result[1:]:
        assert re.match("的起草说明|条文对照表|《|（|促进|条例", line), result


def test_an_empty_chapter_is_warned_about(tmp_path):
    draft = _draft("某市数字化转型促进条例", empty_chapter=True)
    problems = export_problems(draft)
    [empty] = [p for p in problems if p.kind == EMPTY_CHAPTER_KIND]
    assert empty.first_place == "第四章" and empty.count == 1
    result, _ = _export(draft, tmp_path)
    assert any(w.startswith("第四章没有条文") for w in result.warnings)
    full = _draft("某市数字化转型促进条例")
    assert not [p for p in export_problems(full) if p.kind == EMPTY_CHAPTER_KIND]


def test_an_office_template_with_stale_parts_is_cleaned(tmp_path):
    # python-docx's own default package carries stylesWithEffects and a thumbnail.
    template = tmp_path / "office.docx"
    document = docx.Document()
    for spec in st.STYLE_SPECS:
        st._add_style(document, spec)
    document.save(str(template))
    names = zipfile.ZipFile(template).namelist()
    assert "word/stylesWithEffects.xml" in names and "docProps/thumbnail.jpeg" in names
    out = tmp_path / "draft.docx"
    export_draft(_draft("某市数字化转型促进条例"), out, template=template)
    names = zipfile.ZipFile(out).namelist()
    assert "word/stylesWithEffects.xml" not in names and "docProps/thumbnail.jpeg" not in names
    styles = zipfile.ZipFile(out).read("word/styles.xml").decode("utf-8")
    assert 'w:styleId="CommentText"' in styles
