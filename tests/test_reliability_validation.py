"""Adversarial inputs for loading, exporting and library commands (issue 13, items 6–8).

Every hostile input is generated here at test time. Wrong-shaped drafts must be refused
with one `drafter: 错误:` line naming the field, exit 2, and the file byte-for-byte as it
was; strings that XML or a terminal cannot take must be cleaned or refused clearly.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.helpers import REPO_ROOT

FIXTURE = REPO_ROOT / "tests" / "data" / "drafts" / "format-v1.drafter.json"

# Runs many CLI invocations through the real entry point in one interpreter: one process
# per case would cost ~0.5 s each. Each result: [exit code, stdout, stderr].
_BATCH = r"""
import contextlib, io, json, sys
from drafter.cli.main import main
results = []
for argv in json.loads(sys.stdin.read()):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as stop:
            code = stop.code
    results.append([code, out.getvalue(), err.getvalue()])
sys.stdout.write(json.dumps(results))
"""


def _env(data_dir: Path) -> dict[str, str]:
    env = {**os.environ, "DRAFTER_DATA_DIR": str(data_dir), "PYTHONIOENCODING": "utf-8"}
    env.pop("DRAFTER_DEBUG", None)
    return env


def run_batch(commands: list[list[str]], data_dir: Path) -> list[tuple[int, str, str]]:
    """Each command's (exit code, stdout, stderr), run by `drafter.cli.main.main`."""
    done = subprocess.run(
        [sys.executable, "-c", _BATCH],
        input=json.dumps(commands),
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=_env(data_dir),
        cwd=REPO_ROOT,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return [tuple(r) for r in json.loads(done.stdout)]


def run_drafter(args: list[str], data_dir: Path, **kwargs) -> subprocess.CompletedProcess:
    """One real `python -m drafter` process."""
    return subprocess.run(
        [sys.executable, "-m", "drafter", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        env=_env(data_dir),
        cwd=REPO_ROOT,
        timeout=120,
        **kwargs,
    )


def assert_clean_refusal(code: int, out: str, err: str, *names: str) -> None:
    """Exit 2, one `drafter: 错误:` line naming the field, no traceback."""
    assert code == 2, (code, out, err)
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("drafter: 错误:"), err
    assert "Traceback" not in err + out and "内部错误" not in err
    for name in names:
        assert name in err, (name, err)


# -- wrong-shaped drafts ----------------------------------------------------------------------


def _base() -> dict:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def _article(data: dict) -> dict:
    return data["draft"]["chapters"][0]["articles"][1]


def _mutated(change) -> str:
    data = _base()
    change(data)
    return json.dumps(data, ensure_ascii=False, indent=1)


def _raw(marker: str, literal: str) -> str:
    """The fixture with a placeholder value written as a raw JSON literal."""
    return _mutated(lambda d: _article(d).__setitem__("number", marker)).replace(
        f'"{marker}"', literal
    )


def wrong_shapes() -> dict[str, tuple[str, str]]:
    """name → (file text, what the message must name)."""
    deep = "[" * 5000 + "]" * 5000
    return {
        "text-number": (
            _mutated(lambda d: _article(d)["paragraphs"][0].__setitem__("text", 5)),
            "paragraphs[0].text",
        ),
        "text-null": (
            _mutated(lambda d: _article(d)["paragraphs"][1].__setitem__("text", None)),
            "paragraphs[1].text",
        ),
        "title-number": (_mutated(lambda d: d["draft"].__setitem__("title", 12)), "title"),
        "item-list": (
            _mutated(lambda d: _article(d)["paragraphs"][0].__setitem__("items", [["x"]])),
            "items[0]",
        ),
        "number-nan": (_raw("@@", "NaN"), "number"),
        "number-infinity": (_raw("@@", "-Infinity"), "number"),
        "number-10e200": (_raw("@@", "1" + "0" * 200), "number"),
        "number-float": (_raw("@@", "2.5"), "number"),
        "number-1e400": (_raw("@@", "1e400"), "number"),
        "number-negative": (
            _mutated(lambda d: d["draft"]["chapters"][1].__setitem__("number", -3)),
            "number",
        ),
        "number-too-big": (_mutated(lambda d: _article(d).__setitem__("number", 10000)), "number"),
        "number-bool": (_mutated(lambda d: _article(d).__setitem__("number", True)), "number"),
        "inferred-number": (
            _mutated(lambda d: d["draft"]["chapters"][0].__setitem__("inferred", 1)),
            "inferred",
        ),
        "similarity-infinity": (
            _mutated(
                lambda d: _article(d)["provenance"][0].__setitem__("similarity", "@@")
            ).replace('"@@"', "Infinity"),
            "provenance[0].similarity",
        ),
        "ref-offset-negative": (
            _mutated(
                lambda d: _article(d)["refs"].append(
                    {"paragraph": 0, "item": -1, "start": -4, "end": 2, "form": "article"}
                )
            ),
            "refs[0].start",
        ),
        "nested-5000": (
            _mutated(lambda d: d["draft"].__setitem__("extra", "@@")).replace('"@@"', deep),
            "嵌套",
        ),
        "lone-surrogate": (
            _mutated(lambda d: d["draft"].__setitem__("title", "@@")).replace('"@@"', '"\\ud800"'),
            "title",
        ),
        "uid-path": (_mutated(lambda d: _article(d).__setitem__("uid", "../../x/victim")), "uid"),
        "chapters-null": (_mutated(lambda d: d["draft"].__setitem__("chapters", None)), "chapters"),
        "version-bool": (_mutated(lambda d: d.__setitem__("version", True)), "版本"),
    }


def test_wrong_shaped_drafts_are_refused_naming_the_field(tmp_path):
    cases = wrong_shapes()
    commands, expected = [], []
    for name, (text, field) in cases.items():
        path = tmp_path / f"{name}.drafter.json"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        for command in (
            ["show", str(path)],
            ["check", str(path)],
            ["export", str(path), "-o", str(tmp_path / f"{name}.docx")],
            ["edit", str(path), "add-chapter", "新章"],
            ["edit", str(path), "set-meta", "--title", "新标题"],
        ):
            commands.append(command)
            expected.append((name, path, path.read_bytes(), field))
    results = run_batch(commands, tmp_path / "data")
    for (name, path, before, field), (code, out, err) in zip(expected, results, strict=True):
        assert_clean_refusal(code, out, err, field)
        assert "文件未作任何修改" in err or "版本" in err, (name, err)
        assert path.read_bytes() == before, name
        assert not path.with_name(path.name + ".bak").exists(), name
    assert not list(tmp_path.glob("*.docx"))


def test_deep_nesting_in_a_real_process(tmp_path):
    """The real entry point with its real stack: no RecursionError, no traceback."""
    text, _ = wrong_shapes()["nested-5000"]
    path = tmp_path / "deep.drafter.json"
    path.write_text(text, encoding="utf-8")
    done = run_drafter(["show", str(path)], tmp_path / "data")
    assert_clean_refusal(done.returncode, done.stdout, done.stderr, "嵌套")


def test_a_draft_with_a_bom_loads_and_edits(tmp_path):
    path = tmp_path / "bom.drafter.json"
    path.write_bytes(b"\xef\xbb\xbf" + FIXTURE.read_bytes())
    results = run_batch(
        [
            ["show", str(path)],
            ["check", str(path)],
            ["edit", str(path), "add-chapter", "罚则"],
        ],
        tmp_path / "data",
    )
    for code, _out, err in results:
        assert code in (0, 1) and "错误" not in err and "Traceback" not in err, err
    assert results[0][0] == 0 and "某市智慧城市促进条例" in results[0][1]
    assert results[2][0] == 0
    assert "罚则" in path.read_text(encoding="utf-8-sig")


# -- clean errors instead of internal ones ------------------------------------------------


def _draft_with(tmp_path: Path, name: str, **fields: str) -> Path:
    data = _base()
    data["draft"].update(fields)
    path = tmp_path / f"{name}.drafter.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8", errors="surrogatepass")
    return path


def test_export_sanitises_or_refuses_titles_and_statuses(tmp_path):
    from docx import Document

    cases = {
        "control": {"title": "某市\x07智慧\x1b[31m城市条例", "status": "草案\x00"},
        "long": {"title": "条" * 300, "status": "征求意见稿" * 60},
        "c1-del": {"title": "某市\x85智慧\x7f城市\u009b条例"},
        "body": {"note": "通过\x0b日期\x1b"},
    }
    commands, outputs = [], []
    for name, fields in cases.items():
        path = _draft_with(tmp_path, name, **fields)
        out = tmp_path / f"{name}.docx"
        commands.append(["export", str(path), "-o", str(out), "--all-in-one"])
        outputs.append(out)
    # A lone surrogate cannot come from a validated file; it reaches the exporter through
    # code (e.g. the window), so it is sanitised there (below) rather than here.
    results = run_batch(commands, tmp_path / "data")
    for out, (code, _stdout, err) in zip(outputs, results, strict=True):
        assert code in (0, 2), (code, err)
        assert "Traceback" not in err and "内部错误" not in err
        if code == 0:
            document = Document(str(out))
            props = document.core_properties
            for value in (props.title, props.subject, props.keywords, props.comments):
                value = value or ""
                assert len(value) <= 255
                assert not any(ord(ch) < 32 or 0x7F <= ord(ch) <= 0x9F for ch in value), value
            body = "\n".join(p.text for p in document.paragraphs)
            assert "\x1b" not in body and "\x7f" not in body


def test_docprops_sanitiser_handles_surrogates_and_length():
    from drafter.export.sanitize import Sanitizer

    sanitizer = Sanitizer()
    value = sanitizer.doc_property("某\ud800市\x1b[2J条例" + "条" * 400, "标题")
    assert "\ud800" not in value and "\x1b" not in value and "[2J" not in value
    assert len(value) <= 255
    assert sanitizer.warnings()


def test_out_of_range_numbers_are_user_errors(tmp_path):
    path = tmp_path / "d.drafter.json"
    path.write_bytes(FIXTURE.read_bytes())
    before = path.read_bytes()
    commands = [
        ["edit", str(path), "caption", "10000", "条旨"],
        ["edit", str(path), "delete-article", "第10000条"],
        ["edit", str(path), "split", "1", "--at", "1" + "0" * 30],
        ["edit", str(path), "move-chapter", "1", "--to", "99999999999999999999"],
        ["refs", "uncorrect", str(10**30)],
        ["refs", "show", "haikou", "--article", str(10**30)],
        ["refs", "correct", "haikou", "--article", str(10**30), "甲", "乙"],
        ["refs", "compare", "haikou", "--article", "-" + str(10**30)],
    ]
    for code, _out, err in run_batch(commands, tmp_path / "data"):
        assert code == 2, (code, err)
        assert "Traceback" not in err and "内部错误" not in err, err
    assert path.read_bytes() == before


# -- the library on a read-only data directory ----------------------------------------------


@pytest.fixture
def read_only_data_dir(tmp_path):
    """A data directory nobody can write: a read-only bind mount (root) or mode 555."""
    data = tmp_path / "ro-data"
    data.mkdir()
    with read_only(data):
        yield data


@contextmanager
def read_only(data: Path) -> Iterator[None]:
    """`data` made read-only meanwhile, whatever it holds."""
    if os.name == "posix" and os.geteuid() == 0:
        # Root ignores file modes; a read-only mount stops root too.
        mounted = subprocess.run(["mount", "--bind", str(data), str(data)], capture_output=True)
        if mounted.returncode != 0:
            pytest.skip("root without mount: cannot make a directory read-only")
        subprocess.run(["mount", "-o", "remount,ro,bind", str(data)], check=True)
        try:
            yield
        finally:
            subprocess.run(["umount", str(data)], check=True)
    else:
        modes = {path: path.stat().st_mode for path in [data, *data.iterdir()]}
        for path in modes:
            path.chmod(0o555)
        try:
            yield
        finally:
            for path, mode in modes.items():
                path.chmod(mode)


def test_library_commands_work_on_a_read_only_data_directory(tmp_path, read_only_data_dir):
    """Reading the library works; commands that must write say why they cannot."""
    with pytest.raises(OSError):
        (read_only_data_dir / "probe").write_text("x")
    reference = tmp_path / "ref.txt"
    reference.write_text("某市测试条例\n第一条　为了测试，制定本条例。\n", encoding="utf-8")
    results = run_batch(
        [
            ["refs", "list"],
            ["refs", "show", "haikou", "--article", "3"],
            ["suggest", "数据安全"],
            ["refs", "import", str(reference), "--id", "ceshi"],
            ["refs", "uncorrect", "1"],
        ],
        read_only_data_dir,
    )
    for code, out, err in results[:3]:
        assert code == 0, err
        assert out.strip()
    assert "haikou" in results[0][1]
    for code, out, err in results[3:]:
        assert_clean_refusal(code, out, err, "无法写入")
    assert not list(read_only_data_dir.iterdir())


@pytest.mark.parametrize(
    "dropped", [["duplicate_anchor"], ["duplicate_anchor", "duplicate_sketch"]]
)
def test_import_into_an_older_read_only_library_says_why_it_cannot(tmp_path, dropped):
    """A library stored by an older version (without the duplicate tables a newer one
    adds when it can write) in a directory nobody can write: an import is refused with the
    store's reason, not an internal error about a missing table."""
    import sqlite3
    from contextlib import closing

    data = tmp_path / "data"
    first = tmp_path / "first.txt"
    first.write_text("某市第一条例\n第一条　为了测试，制定本条例。\n", encoding="utf-8")
    assert run_batch([["refs", "import", str(first), "--id", "first"]], data)[0][0] == 0
    with closing(sqlite3.connect(data / "library.sqlite3")) as connection, connection:
        for table in dropped:
            connection.execute(f"DROP TABLE {table}")
    with closing(sqlite3.connect(data / "library.sqlite3")) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    second = tmp_path / "second.txt"
    second.write_text("某市第二条例\n第一条　为了再测试，制定本条例。\n", encoding="utf-8")
    with read_only(data):
        results = run_batch(
            [["refs", "list"], ["refs", "import", str(second), "--id", "second"]], data
        )
    assert results[0][0] == 0 and "first" in results[0][1], results[0]
    assert_clean_refusal(*results[1], "无法写入")


# -- terminal escapes ---------------------------------------------------------------------------


ESCAPES = "\x1b[2J\x1b]0;pwned\x07\x9b31m\x7f\x1bc"


def test_terminal_escapes_are_cleaned_on_import_and_never_printed(tmp_path):
    from drafter.cleaning.pipeline import clean_text

    text = (
        "某市测试条例\n"
        f"第一条　为了测试{ESCAPES}终端，制定本条例。\n"
        "第二条　本条例自公布之日起施行。\n"
    )
    cleaned = clean_text(text)
    assert not any(ch in "\n".join(cleaned.lines) for ch in "\x1b\x07\x9b\x7f")
    assert any("控制" in line for line in cleaned.report.summary_lines())

    source = tmp_path / "ceshi.txt"
    source.write_text(text, encoding="utf-8")
    results = run_batch(
        [
            ["refs", "import", str(source), "--id", "ceshi"],
            ["refs", "show", "ceshi", "--report"],
            ["refs", "show", "ceshi", "--original"],
            ["refs", "show", "ceshi", "--json"],
        ],
        tmp_path / "data",
    )
    for code, out, err in results:
        assert code == 0, err
        assert not any(ch in out + err for ch in "\x1b\x07\x9b\x7f"), repr(out)
    assert "为了测试" in results[1][1]


def test_printing_filters_controls_from_any_text(capsys):
    from drafter.cli.output import printable

    assert printable("a\x1b[31mb\tc\nd\x9b\x7f") == "ab\tc\nd"


# -- killed index builds ------------------------------------------------------------------------


def test_stale_index_build_folders_are_removed(tmp_path):
    from drafter.matching.index import remove_stale_builds

    root = tmp_path / "suggest-index"
    root.mkdir()
    dead = root / "build-999999999-abc"  # a pid that cannot be alive
    dead.mkdir()
    (dead / "part").write_text("x")
    old = root / f"build-{os.getpid()}-old"
    old.mkdir()
    past = time.time() - 7 * 24 * 3600
    os.utime(old, (past, past))
    live = root / f"build-{os.getpid()}-live"
    live.mkdir()
    keep = root / "current"
    keep.mkdir()
    remove_stale_builds(root)
    assert not dead.exists() and not old.exists()
    assert live.exists() and keep.exists()


@pytest.mark.parametrize("name", ["build-", "build-x", "build-12"])
def test_odd_build_folder_names_are_handled(tmp_path, name):
    from drafter.matching.index import remove_stale_builds

    root = tmp_path / "suggest-index"
    (root / name).mkdir(parents=True)
    remove_stale_builds(root)  # never raises
