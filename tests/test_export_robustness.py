"""Bad input and hostile text: sanitising, rare characters, templates, atomic output, the CLI."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import zipfile

import docx
import pytest
from docx.oxml.ns import qn

from drafter.cli.main import main
from drafter.draft import operations as ops
from drafter.draft.document import ExplanationSection
from drafter.draft.project_file import save_project
from drafter.errors import DrafterError, InputFileError
from drafter.export import export_draft
from drafter.export import styles as st
from drafter.export.sanitize import Sanitizer
from tests.helpers import run_cli
from tests.test_export_samples import fixed_draft


def test_sanitizer_removes_what_xml_cannot_hold_and_says_where():
    sanitizer = Sanitizer()
    assert sanitizer.clean("甲\x00乙\x0b丙\x1f丁\ufffe", "第一条第一款") == "甲乙丙丁"
    assert sanitizer.clean("坏\ud800字", "起草说明") == "坏字"
    # A surrogate pair left in a str is the character it encodes, not damage.
    assert sanitizer.clean("\ud840\udc00鋆旸\x01", "第二条") == "𠀀鋆旸"
    assert sanitizer.clean("正常\t文本\n", "第三条") == "正常\t文本\n"
    assert sanitizer.warnings() == [
        "第一条第一款：删除了无法写入 Word 的字符 U+0000、U+000B、U+001F、U+FFFE",
        "起草说明：删除了无法写入 Word 的字符 U+D800",
        "第二条：删除了无法写入 Word 的字符 U+0001",
    ]


def test_export_of_hostile_text_succeeds_with_a_warning_and_keeps_rare_cjk(tmp_path):
    draft = fixed_draft()
    first = next(draft.articles())
    ops.edit_paragraph(draft, first.uid, 0, "为了规范\x07管理，保护𠀀鋆旸等字，制定本条例。")
    draft.explanation.append(ExplanationSection("需要说明的问题", "控制字符\x1b在此"))
    result = export_draft(draft, tmp_path / "d.docx", explanation=tmp_path / "e.docx")
    assert any(w.startswith("第一条第一款：") and "U+0007" in w for w in result.warnings)
    assert any("起草说明·需要说明的问题" in w and "U+001B" in w for w in result.warnings)
    document = docx.Document(str(tmp_path / "d.docx"))
    texts = "\n".join(p.text for p in document.paragraphs)
    assert "为了规范管理，保护𠀀鋆旸等字，制定本条例。" in texts
    explanation = docx.Document(str(tmp_path / "e.docx"))
    assert "控制字符在此" in [p.text for p in explanation.paragraphs]


# -- templates ---------------------------------------------------------------------------


def _template_bytes() -> bytes:
    buffer = io.BytesIO()
    st.build_template_document().save(buffer)
    return buffer.getvalue()


def test_an_offices_template_styles_are_used(tmp_path):
    template = st.build_template_document()
    fonts = template.styles[st.ARTICLE].element.rPr.find(qn("w:rFonts"))
    fonts.set(qn("w:eastAsia"), "仿宋")
    template.save(str(tmp_path / "office.docx"))
    export_draft(fixed_draft(), tmp_path / "d.docx", template=tmp_path / "office.docx")
    document = docx.Document(str(tmp_path / "d.docx"))
    used = document.styles[st.ARTICLE].element.rPr.find(qn("w:rFonts"))
    assert used.get(qn("w:eastAsia")) == "仿宋"
    assert document.paragraphs[0].text == "某市智慧城市促进条例"  # template body not carried


def test_a_dotx_template_is_accepted(tmp_path):
    source = zipfile.ZipFile(io.BytesIO(_template_bytes()))
    with zipfile.ZipFile(tmp_path / "office.dotx", "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(b"document.main+xml", b"template.main+xml")
            target.writestr(item, data)
    export_draft(fixed_draft(), tmp_path / "d.docx", template=tmp_path / "office.dotx")
    assert docx.Document(str(tmp_path / "d.docx")).paragraphs[0].style.name == st.TITLE


def test_template_without_the_required_styles_is_refused_by_name(tmp_path):
    docx.Document().save(str(tmp_path / "plain.docx"))
    with pytest.raises(InputFileError) as caught:
        export_draft(fixed_draft(), tmp_path / "d.docx", template=tmp_path / "plain.docx")
    assert "模板缺少必需的样式：法规标题、草案标注" in str(caught.value)
    assert not (tmp_path / "d.docx").exists()


# -- atomic output -----------------------------------------------------------------------


def test_a_failed_export_leaves_existing_files_untouched_and_no_temporaries(tmp_path, monkeypatch):
    import errno
    import tempfile

    from drafter import safe_write

    existing = tmp_path / "d.docx"
    existing.write_bytes(b"previous export")
    # The explanation's temporary file cannot be created: the whole export must fail.
    real_mkstemp = tempfile.mkstemp

    def failing_mkstemp(prefix: str = "", **kwargs):
        if "e.docx" in prefix:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_mkstemp(prefix=prefix, **kwargs)

    monkeypatch.setattr(safe_write.tempfile, "mkstemp", failing_mkstemp)
    with pytest.raises(DrafterError, match="写入失败（磁盘空间不足）"):
        export_draft(fixed_draft(), existing, explanation=tmp_path / "e.docx")
    assert existing.read_bytes() == b"previous export"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.docx"]


def test_an_export_over_an_existing_file_replaces_it_whole(tmp_path):
    target = tmp_path / "d.docx"
    target.write_bytes(b"old")
    export_draft(fixed_draft(), target)
    assert zipfile.is_zipfile(target)
    assert not (tmp_path / "d.docx.tmp").exists()


# -- the CLI -------------------------------------------------------------------------------


@pytest.fixture
def project(tmp_path):
    path = tmp_path / "draft.drafter.json"
    save_project(fixed_draft(), path)
    return path


def test_cli_writes_the_three_documents(project, tmp_path, capsys):
    outputs = [tmp_path / "d.docx", tmp_path / "e.docx", tmp_path / "t.docx"]
    code = main(
        [
            "export",
            str(project),
            "-o",
            str(outputs[0]),
            "--explanation",
            str(outputs[1]),
            "--table",
            str(outputs[2]),
            "--comments",
        ]
    )
    assert code == 0
    out = capsys.readouterr().out
    for path in outputs:
        assert f"已导出：{path}" in out
        assert docx.Document(str(path)).paragraphs[0].style.name == st.TITLE


def _refused(capsys, argv: list[str], expected: str, folder) -> None:
    before = sorted(p.name for p in folder.iterdir())
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("drafter: 错误: ") and expected in err
    assert sorted(p.name for p in folder.iterdir()) == before


def test_cli_refuses_bad_input_with_exit_2_and_writes_nothing(project, tmp_path, capsys):
    out = str(tmp_path / "d.docx")
    _refused(
        capsys, ["export", str(tmp_path / "none.drafter.json"), "-o", out], "文件不存在", tmp_path
    )
    damaged = tmp_path / "damaged.drafter.json"
    damaged.write_text('{"format": "drafter-draft", "version": 1, "draft": {', encoding="utf-8")
    _refused(capsys, ["export", str(damaged), "-o", out], "JSON 内容已损坏", tmp_path)
    not_docx = tmp_path / "template.docx"
    not_docx.write_text("这不是 Word 文档", encoding="utf-8")
    _refused(
        capsys,
        ["export", str(project), "-o", out, "--template", str(not_docx)],
        "模板不是 Word 文档",
        tmp_path,
    )
    docx.Document().save(str(tmp_path / "plain.docx"))
    _refused(
        capsys,
        ["export", str(project), "-o", out, "--template", str(tmp_path / "plain.docx")],
        "模板缺少必需的样式",
        tmp_path,
    )
    missing = str(tmp_path / "no-such-folder" / "d.docx")
    _refused(capsys, ["export", str(project), "-o", missing], "所在的文件夹不存在", tmp_path)
    _refused(capsys, ["export", str(project), "-o", str(tmp_path / "d.txt")], ".docx", tmp_path)
    _refused(
        capsys,
        ["export", str(project), "-o", out, "--all-in-one", "--table", str(tmp_path / "t.docx")],
        "--all-in-one",
        tmp_path,
    )


def _make_read_only(folder) -> bool:
    if os.geteuid() != 0:
        folder.chmod(0o555)
        return True
    # root ignores permission bits; the immutable attribute stops it too.
    chattr = shutil.which("chattr")
    if chattr and subprocess.run([chattr, "+i", str(folder)], capture_output=True).returncode == 0:
        return True
    return False


def _make_writable(folder) -> None:
    if os.geteuid() == 0:
        subprocess.run([shutil.which("chattr") or "chattr", "-i", str(folder)], capture_output=True)
    folder.chmod(0o755)


def test_cli_refuses_a_read_only_folder(project, tmp_path, capsys):
    folder = tmp_path / "read-only"
    folder.mkdir()
    (folder / "d.docx").write_bytes(b"previous")
    if not _make_read_only(folder):
        pytest.skip("cannot make a folder read-only for this user here")
    try:
        assert main(["export", str(project), "-o", str(folder / "d.docx")]) == 2
        err = capsys.readouterr().err
        assert "不可写入" in err or "写入失败" in err
        assert sorted(p.name for p in folder.iterdir()) == ["d.docx"]
        assert (folder / "d.docx").read_bytes() == b"previous"
    finally:
        _make_writable(folder)


def test_cli_in_a_fresh_process(project, tmp_path):
    result = run_cli(
        "export",
        str(project),
        "-o",
        str(tmp_path / "all.docx"),
        "--all-in-one",
        data_dir=tmp_path / "data",
    )
    assert result.returncode == 0, result.stderr
    assert len(docx.Document(str(tmp_path / "all.docx")).sections) == 3


def test_a_source_no_longer_in_the_library_is_named_by_id_with_a_warning(tmp_path):
    from drafter.draft.source_links import SourceLink
    from drafter.library import ReferenceLibrary

    draft = fixed_draft()
    article = next(draft.articles())
    link = SourceLink("removed-ref", 3, 0, "被删除法规的原文。", similarity=40.0, label="参考")
    draft.provenance[article.uid] = [link]
    library = ReferenceLibrary(data_dir=tmp_path / "data")
    result = export_draft(draft, tmp_path / "d.docx", table=tmp_path / "t.docx", library=library)
    assert result.warnings == [
        "参考法规“removed-ref”已不在法规库中，对照表只列出其编号和采纳时保存的条文"
    ]
    (table,) = docx.Document(str(tmp_path / "t.docx")).tables
    row = table.rows[2]  # header, chapter row, 第一条
    expected = ["removed-ref第三条\n被删除法规的原文。", "参考\n相似度40%", ""]
    assert [c.text for c in row.cells[1:]] == expected


def test_bidi_overrides_never_reach_the_document(tmp_path):
    # U+202E would print the rest of the line reversed in Word; check flags it in the draft.
    draft = fixed_draft()
    uid = draft.article_by_number(1).uid
    ops.edit_paragraph(draft, uid, 0, "本条例\u202e例条本\u202c自公布之日起施行。")
    path = tmp_path / "d.docx"
    result = export_draft(draft, path)
    body = "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    assert "本条例例条本自公布之日起施行。" in body
    assert not any(ch in body for ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
    assert any("U+202E" in warning for warning in result.warnings)
