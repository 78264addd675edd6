"""The library: bundled references, imports (.txt/.docx/.html), removal, corrections, bad input."""

from __future__ import annotations

import sqlite3

import pytest
from docx import Document

from drafter.errors import DrafterError, InputFileError, UnknownReferenceError
from drafter.library import ReferenceLibrary
from drafter.library.importers import MAX_FILE_BYTES
from tests.helpers import BUNDLED_IDS, raw_reference_text

SAMPLE = """深圳市智慧城市条例（草案）
第一章 总则
第一条 为了促进智慧城市建设,根据有关法律、法规,结合本市实际,制定本条例。
第二条 本市行政区域内智慧城市建设适用本条例。
第二章 附则
第三条 本条例自XX年XX月XX日起施行。
"""


def _imported_ids(library: ReferenceLibrary) -> list[str]:
    return [record.id for record in library.store.imported()]


def test_bundled_references_listed_in_order():
    library = ReferenceLibrary()
    assert library.ids() == list(BUNDLED_IDS)
    haikou = library.get("haikou")
    assert (haikou.city, haikou.title, haikou.origin) == (
        "海口市",
        "海口市智慧城市促进条例",
        "bundled",
    )
    assert haikou.dates["effective"] == "2022-02-01"
    assert "鹰潭智慧城市促进条例" in library.get("yingtan").title


def test_unknown_id_names_the_known_ones():
    with pytest.raises(UnknownReferenceError, match="haikou"):
        ReferenceLibrary().get("shenzhen")


def test_import_utf8_text_is_cleaned_stored_and_survives_a_new_library(tmp_path):
    source = tmp_path / "shenzhen.txt"
    source.write_text(SAMPLE, encoding="utf-8")
    reference = ReferenceLibrary().import_file(source)
    assert reference.id == "shenzhen"
    assert reference.city == "深圳市"
    assert reference.title == "深圳市智慧城市条例"
    assert reference.status == "草案"
    assert reference.article_count == 3 and reference.chapter_count == 2
    assert "，根据有关法律、法规，" in reference.statute.article(1).text()
    again = ReferenceLibrary()
    assert "shenzhen" in again.ids()
    assert again.get("shenzhen").statute.article(3).text() == "本条例自XX年XX月XX日起施行。"


def test_import_gb18030_with_traditional_script(tmp_path):
    source = tmp_path / "legacy.txt"
    source.write_bytes(SAMPLE.replace("智慧城市", "智慧城市建設").encode("gb18030"))
    reference = ReferenceLibrary().import_file(source, city="深圳市", title="深圳试验条例")
    assert reference.title == "深圳试验条例"
    assert "智慧城市建设" in reference.statute.article(2).text()


def test_import_a_bundled_reference_as_docx(tmp_path):
    document = Document()
    for line in raw_reference_text("wuxi").splitlines():
        document.add_paragraph(line)
    path = tmp_path / "wuxi-copy.docx"
    document.save(path)
    reference = ReferenceLibrary().import_file(path, ref_id="wuxi-docx")
    assert reference.article_count == 52 and reference.chapter_count == 7
    assert reference.explanation.startswith("一、制定《条例（草案）》的必要性")


def test_import_html_page(tmp_path):
    body = "".join(f"<p>{line}</p>" for line in SAMPLE.splitlines())
    html = (
        "<html><head><meta charset='gbk'><title>x</title><script>var a='第九条';</script></head>"
        f"<body><div class='nav'>首页 &gt; 通知</div>{body}<div>关闭窗口</div></body></html>"
    )
    path = tmp_path / "page.html"
    path.write_bytes(html.encode("gbk"))
    reference = ReferenceLibrary().import_file(path)
    assert reference.article_count == 3
    assert "关闭窗口" in "".join(e["text"] for e in reference.report.removed)


def test_imported_reference_can_be_removed(tmp_path):
    source = tmp_path / "shenzhen.txt"
    source.write_text(SAMPLE, encoding="utf-8")
    library = ReferenceLibrary()
    library.import_file(source)
    library.remove("shenzhen")
    assert "shenzhen" not in ReferenceLibrary().ids()
    with pytest.raises(UnknownReferenceError):
        library.remove("shenzhen")


def test_bundled_reference_cannot_be_removed():
    with pytest.raises(DrafterError, match="内置"):
        ReferenceLibrary().remove("haikou")


def test_second_import_of_same_name_gets_a_new_id(tmp_path):
    source = tmp_path / "shenzhen.txt"
    source.write_text(SAMPLE, encoding="utf-8")
    library = ReferenceLibrary()
    assert library.import_file(source).id == "shenzhen"
    assert library.import_file(source).id == "shenzhen-2"


def test_imported_ids_come_in_the_order_of_their_imports(tmp_path, monkeypatch):
    from drafter.library import store

    library = ReferenceLibrary()
    assert library.store.imported_ids() == []
    path = tmp_path / "shenzhen.txt"
    path.write_text(SAMPLE, encoding="utf-8")
    stamps = iter(["2026-12-04T10:00:01", "2026-12-04T10:00:02", "2026-12-04T10:00:03"])
    monkeypatch.setattr(store, "_now", lambda: next(stamps, "2026-12-04T10:00:03"))
    for ref_id in ("zz-last-by-name", "aa-first-by-name", "深圳", "mm_2"):
        library.import_file(path, ref_id=ref_id)
    # Imported in the same second, 深圳 and mm_2 come in the order of their ids.
    order = ["zz-last-by-name", "aa-first-by-name", "mm_2", "深圳"]
    assert library.store.imported_ids() == order == _imported_ids(library)
    assert library.ids() == [*BUNDLED_IDS, *order]


def test_references_of_a_list_are_read_in_batches_as_get_reads_them(tmp_path, monkeypatch):
    """A search opens the references of its list a batch at a time (one query a batch);
    what it reads is what `get` gives, corrected, in the list's order, and a reference
    removed meanwhile is left out."""
    from drafter.library import library as library_module

    monkeypatch.setattr(library_module, "_READ_TOGETHER", 2)  # several batches
    library = ReferenceLibrary()
    path = tmp_path / "shenzhen.txt"
    path.write_text(SAMPLE, encoding="utf-8")
    for ref_id in ("sz-a", "sz-b", "sz-c"):
        library.import_file(path, ref_id=ref_id)
    library.correct(
        "sz-b", article=1, paragraph=1, original="促进智慧城市建设", corrected="促进数字城市建设"
    )
    wanted = ["sz-c", "haikou", "gone", "sz-b", "sz-a", "wuxi"]

    def seen(reference):
        return reference.id, reference.title, [a.text() for a in reference.statute.articles()]

    fresh = ReferenceLibrary()
    read = [seen(r) for r in fresh.iter_references(wanted)]
    assert [r[0] for r in read] == ["sz-c", "haikou", "sz-b", "sz-a", "wuxi"]
    assert read == [seen(ReferenceLibrary().get(i)) for i in wanted if i != "gone"]
    assert "促进数字城市建设" in read[2][2][0]


def test_a_requested_id_is_refused_when_taken_without_listing_every_id(tmp_path, monkeypatch):
    """An import under a chosen id asks only whether that id is taken: reading all 20,000
    ids on the window's import thread stalled the window."""
    library = ReferenceLibrary()
    path = tmp_path / "shenzhen.txt"
    path.write_text(SAMPLE, encoding="utf-8")
    library.import_file(path, ref_id="shenzhen")

    def every_id():
        raise AssertionError("every imported id was read")

    monkeypatch.setattr(library.store, "imported_ids", every_id)
    for taken in ("shenzhen", "haikou"):  # imported, bundled
        with pytest.raises(DrafterError, match="已被占用"):
            library.import_file(path, ref_id=taken)
    with pytest.raises(DrafterError, match="无效"):
        library.import_file(path, ref_id="Shenzhen!")
    assert library.import_file(path, ref_id="shenzhen-2").id == "shenzhen-2"
    assert _imported_ids(library) == ["shenzhen", "shenzhen-2"]


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("bad.txt", b"\xff\xfe\xfa" * 10 + b"\x81", "编码"),
        ("binary.txt", b"\x00\x01\x02" * 100, "二进制"),
        ("empty.txt", b"", "空"),
        (
            "junk.html",
            "<html><body><p>足球指数比分</p><p>关闭窗口</p></body></html>".encode(),
            "第一条",
        ),
        ("notes.txt", "这是会议纪要，没有条文。".encode(), "第一条"),
        ("fake.docx", b"this is not a zip archive", "zip"),
        ("sheet.xls", b"whatever", "不支持"),
    ],
)
def test_bad_files_are_refused_and_nothing_is_stored(tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)
    library = ReferenceLibrary()
    with pytest.raises(InputFileError, match=reason) as caught:
        library.import_file(path)
    assert name in str(caught.value)
    assert _imported_ids(ReferenceLibrary()) == []


def test_undecodable_utf8_and_gb18030_is_refused(tmp_path):
    path = tmp_path / "broken.txt"
    # A lone GB18030 lead byte at the end cannot decode in either encoding.
    path.write_bytes("第一条 为了规范。".encode() + b"\xc3\x28\xfe")
    with pytest.raises(InputFileError, match="编码"):
        ReferenceLibrary().import_file(path)


def test_huge_file_is_refused_without_reading(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)
    with pytest.raises(InputFileError, match="20 MB"):
        ReferenceLibrary().import_file(path)


def test_damaged_docx_is_refused(tmp_path):
    import zipfile

    path = tmp_path / "damaged.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<not-closed")
    with pytest.raises(InputFileError, match="损坏"):
        ReferenceLibrary().import_file(path)


def test_correction_is_applied_and_the_original_kept():
    library = ReferenceLibrary()
    damaged = library.get("chengdu").statute.article(6).damaged[0].text
    correction = library.correct(
        "chengdu",
        article=6,
        paragraph=6,
        original=damaged,
        corrected="专项行动计划。",
        note="据原件更正",
    )
    fresh = ReferenceLibrary()
    corrected = fresh.get("chengdu")
    assert corrected.statute.article(6).paragraphs[5].text.endswith("本区域专项行动计划。")
    assert corrected.statute.article(6).damaged == []
    assert [c.id for c in corrected.corrections] == [correction.id]
    original = fresh.get("chengdu", corrected=False)
    assert original.statute.article(6).paragraphs[5].text.endswith(damaged)
    fresh.withdraw_correction(correction.id)
    assert ReferenceLibrary().get("chengdu").statute.article(6).damaged


def test_correcting_the_explanation():
    library = ReferenceLibrary()
    span = library.get("yingtan").explanation_damaged[0]
    library.correct(
        "yingtan", article=0, paragraph=span.paragraph, original=span.text, corrected="。《条"
    )
    explanation = ReferenceLibrary().get("yingtan")
    assert (
        len(explanation.explanation_damaged)
        == len(library.get("yingtan", corrected=False).explanation_damaged) - 1
    )


def test_correction_of_missing_text_is_refused():
    library = ReferenceLibrary()
    with pytest.raises(DrafterError, match="没有找到"):
        library.correct("haikou", article=1, paragraph=1, original="不存在的文字", corrected="x")
    with pytest.raises(DrafterError, match="第 99 条"):
        library.correct("haikou", article=99, paragraph=1, original="市", corrected="x")


def test_fingerprint_changes_with_imports_and_corrections(tmp_path):
    library = ReferenceLibrary()
    first = library.fingerprint()
    assert ReferenceLibrary().fingerprint() == first
    source = tmp_path / "shenzhen.txt"
    source.write_text(SAMPLE, encoding="utf-8")
    library.import_file(source)
    second = library.fingerprint()
    library.correct("haikou", article=1, paragraph=1, original="为了", corrected="为")
    assert len({first, second, library.fingerprint()}) == 3


def test_store_lives_in_the_user_data_directory(isolated_user_data, tmp_path):
    source = tmp_path / "shenzhen.txt"
    source.write_text(SAMPLE, encoding="utf-8")
    ReferenceLibrary().import_file(source)
    database = isolated_user_data / "library.sqlite3"
    with sqlite3.connect(database) as connection:
        rows = connection.execute("SELECT id, city FROM imported_reference").fetchall()
    assert rows == [("shenzhen", "深圳市")]


def test_paragraphs_read_from_the_stored_parses_are_those_of_the_references(tmp_path):
    # An index build reads imported references' paragraphs straight from their stored
    # JSON; they must be, text for text, what the model objects give, corrections included.
    from drafter.library.library import paragraph_texts

    library = ReferenceLibrary()
    for ref_id in BUNDLED_IDS:
        source = tmp_path / f"{ref_id}.txt"
        source.write_text(raw_reference_text(ref_id), encoding="utf-8")
        library.import_file(source, ref_id=f"copy-{ref_id}", city=f"{ref_id}市")
    damaged = library.get("copy-chengdu").statute.article(6).damaged[0].text
    library.correct("copy-chengdu", article=6, paragraph=6, original=damaged, corrected="计划。")
    fresh = ReferenceLibrary()
    expected = [
        (reference.id, reference.city, text)
        for reference in fresh.iter_references()
        for text in paragraph_texts(reference)
    ]
    read = list(ReferenceLibrary().iter_paragraphs())
    assert read == expected
    assert len({ref_id for ref_id, _, _ in read}) == 2 * len(BUNDLED_IDS)
    assert any(text.endswith("计划。") for ref, _, (_, _, _, text) in read if ref == "copy-chengdu")
    assert any("\n（一）" in text for _, _, (_, _, _, text) in read)  # 项 lines labelled
