"""Bounded reads: zip bombs, devices, FIFOs, a hostile batch line, unusual text encodings.

Every input is generated here at test time; nothing hostile is committed. The CLI runs as a
real subprocess so a hang fails on a timeout instead of hanging the suite, and peak memory is
the child's own (measured by a small wrapper process around it, which has no other child).
"""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

DRAFTER = [sys.executable, "-m", "drafter"]
TIMEOUT = 20  # seconds; far above a refusal, far below a hang
MB = 1024 * 1024
BOMB_GB = 1

# Runs the command (capped), then prints the child's peak RSS (KiB on Linux) and its wall time.
_MEASURE = """
import json, resource, subprocess, sys, time
def cap():  # see _cap
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
start = time.monotonic()
done = subprocess.run(sys.argv[1:], capture_output=True, timeout=60, preexec_fn=cap)
print(json.dumps({
    "rc": done.returncode,
    "err": done.stderr.decode("utf-8", "replace"),
    "out": done.stdout.decode("utf-8", "replace"),
    "seconds": time.monotonic() - start,
    "rss_kib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
}))
"""

_CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" '
    b'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/word/document.xml" ContentType="application/'
    b'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
_RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)
_DOC_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    b"<w:body><w:p><w:r><w:t>"
)
_DOC_TAIL = b"</w:t></w:r></w:p></w:body></w:document>"


def _cap() -> None:
    """A guard for the machine if a read does run away (as on the old code): 1 GB of
    address space per child, far above what a refusal needs."""
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


def _env(data_dir: Path) -> dict[str, str]:
    return {**os.environ, "DRAFTER_DATA_DIR": str(data_dir), "QT_QPA_PLATFORM": "offscreen"}


def _measure(args: list[str], data_dir: Path) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, *DRAFTER, *args],
        capture_output=True,
        env=_env(data_dir),
        timeout=90,
    )
    return json.loads(done.stdout)


def _one_error_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("drafter: 错误: "), err
    assert "Traceback" not in err
    return lines[0]


@pytest.fixture(scope="module")
def bomb_dir(tmp_path_factory) -> Path:
    """A 1 GB document.xml in a few MB, written in chunks (never held in memory), and the
    same package with the member's sizes in both headers patched to lie (1,000 bytes)."""
    folder = tmp_path_factory.mktemp("bombs")
    bomb = folder / "bomb.docx"
    chunk = b" " * MB
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        with archive.open("word/document.xml", "w") as member:
            member.write(_DOC_HEAD)
            for _ in range(BOMB_GB * 1024):
                member.write(chunk)
            member.write(_DOC_TAIL)
    (folder / "liar.docx").write_bytes(_lie_about_size(bomb.read_bytes(), "word/document.xml"))
    return folder


def _lie_about_size(raw: bytes, name: str, size: int = 1000) -> bytes:
    """Patch the uncompressed size of `name` in its local header and central directory."""
    data = bytearray(raw)
    encoded = name.encode()
    # (signature, offset of the name's length, of the name, of the uncompressed size)
    for signature, length_at, name_at, size_at in (
        (b"PK\x03\x04", 26, 30, 22),  # local file header
        (b"PK\x01\x02", 28, 46, 24),  # central directory entry
    ):
        found = data.find(signature)
        while found != -1:
            name_len = struct.unpack_from("<H", data, found + length_at)[0]
            if data[found + name_at : found + name_at + name_len] == encoded:
                struct.pack_into("<I", data, found + size_at, size)
            found = data.find(signature, found + 4)
    return bytes(data)


@pytest.fixture(scope="module")
def draft_file(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("draft")
    path = folder / "d.drafter.json"
    done = subprocess.run(
        [*DRAFTER, "new", "--title", "某市数据条例", "--city", "某市", "-o", str(path)],
        capture_output=True,
        env=_env(folder / "data"),
        timeout=TIMEOUT * 3,
    )
    assert done.returncode == 0, done.stderr.decode()
    return path


def _bomb_commands(docx: Path, draft: Path, out: Path) -> dict[str, list[str]]:
    return {
        "refs import": ["refs", "import", str(docx)],
        "new --from": ["new", "--from", str(docx), "-o", str(out / "n.drafter.json")],
        "export --template": [
            "export",
            str(draft),
            "-o",
            str(out / "x.docx"),
            "--template",
            str(docx),
        ],
    }


@pytest.mark.parametrize("kind", ["bomb.docx", "liar.docx"])
@pytest.mark.parametrize("command", ["refs import", "new --from", "export --template"])
def test_zip_bombs_are_refused_fast_and_small(bomb_dir, draft_file, tmp_path, command, kind):
    args = _bomb_commands(bomb_dir / kind, draft_file, tmp_path)[command]
    result = _measure(args, tmp_path / "data")
    # The figures docs/reliability.md records (pytest -s shows them).
    print(f"\n{command} {kind}: {result['seconds']:.2f} s, {result['rss_kib'] / 1024:.0f} MB")
    assert result["rc"] == 2, result
    line = _one_error_line(result["err"])
    assert str(bomb_dir / kind) in line
    assert result["seconds"] < 2.0, result
    assert result["rss_kib"] <= 200 * 1024, result
    assert not (tmp_path / "x.docx").exists() and not (tmp_path / "n.drafter.json").exists()


def _special_commands(target: str, draft: Path, out: Path) -> dict[str, list[str]]:
    return {
        "show": ["show", target],
        "check": ["check", target],
        "export": ["export", target, "-o", str(out / "e.docx")],
        "edit": ["edit", target, "add-chapter", "新章"],
        "suggest --batch": ["suggest", "--batch", target],
        "eval": ["eval", target],
        "--template": ["export", str(draft), "-o", str(out / "t.docx"), "--template", target],
        "refs import": ["refs", "import", target],
        "new --from": ["new", "--from", target, "-o", str(out / "n.drafter.json")],
    }


@pytest.mark.parametrize("special", ["/dev/zero", "/dev/urandom", "fifo"])
def test_devices_and_fifos_are_refused_quickly(special, draft_file, tmp_path):
    if special == "fifo":
        if not hasattr(os, "mkfifo"):
            pytest.skip("no FIFOs here")
        target = tmp_path / "pipe"
        os.mkfifo(target)
        target = str(target)
    else:
        if not Path(special).exists():
            pytest.skip(f"no {special}")
        target = special
    commands = _special_commands(target, draft_file, tmp_path)
    # All at once: nine refusals cost one start-up's time, and a hang still fails (timeout).
    started = time.monotonic()
    running = {
        name: subprocess.Popen(
            [*DRAFTER, *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=_env(tmp_path / f"data-{index}"),
            preexec_fn=_cap,
        )
        for index, (name, args) in enumerate(commands.items())
    }
    failures = []
    for name, process in running.items():
        try:
            _out, err = process.communicate(timeout=max(1, TIMEOUT - (time.monotonic() - started)))
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            failures.append(f"{name}: hung")
            continue
        text = err.decode("utf-8", "replace")
        if process.returncode != 2:
            failures.append(f"{name}: exit {process.returncode}: {text[-300:]}")
            continue
        line = _one_error_line(text)
        if target not in line:
            failures.append(f"{name}: the message does not name the file: {line}")
    assert not failures, failures


def test_one_deeply_nested_line_does_not_stop_a_batch(tmp_path):
    lines = [json.dumps({"query": q, "top": 1}) for q in ["数据共享", "首席数据官", "政务云"]] * 6
    lines.insert(9, "[" * 10_000 + "]" * 10_000)
    assert len(lines) == 19
    batch = tmp_path / "batch.jsonl"
    batch.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = subprocess.run(
        [*DRAFTER, "suggest", "--batch", str(batch)],
        capture_output=True,
        env=_env(tmp_path / "data"),
        timeout=120,
        preexec_fn=_cap,
    )
    assert done.returncode == 0, done.stderr.decode()
    answers = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert len(answers) == 19
    assert answers[9]["line"] == 10 and "嵌套" in answers[9]["error"]
    assert all(isinstance(a, list) for i, a in enumerate(answers) if i != 9)


@pytest.fixture(scope="module")
def haikou_text() -> str:
    done = subprocess.run(
        [*DRAFTER, "refs", "show", "haikou"], capture_output=True, timeout=TIMEOUT * 3
    )
    assert done.returncode == 0
    return done.stdout.decode("utf-8")


@pytest.mark.parametrize("encoding", ["big5", "utf-16-le", "utf-16-be", "gb18030"])
def test_encodings_import_with_every_article(haikou_text, tmp_path, encoding):
    import opencc

    from drafter.library import ReferenceLibrary

    text = haikou_text
    if encoding == "big5":
        # Big5 is written in traditional script; the few characters it lacks become "?".
        text = opencc.OpenCC("s2t").convert(text)
    path = tmp_path / f"haikou-{encoding}.txt"
    path.write_bytes(text.encode(encoding, errors="replace"))
    reference = ReferenceLibrary(tmp_path / "data").import_file(path, city="海口市", ref_id="hk")
    assert sum(1 for _ in reference.statute.articles()) == 42
    assert len([c for c in reference.statute.chapters if c.number > 0]) == 6
    first = next(iter(reference.statute.articles()))
    assert "条例" in "".join(p.text for p in first.paragraphs)  # simplified, readable text


def _template(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def test_broken_templates_are_clear_errors(draft_file, tmp_path):
    no_types = _template(
        tmp_path / "no-types.docx",
        {"_rels/.rels": _RELS, "word/document.xml": _DOC_HEAD + _DOC_TAIL},
    )
    junk_zip = _template(tmp_path / "junk.docx", {"a.bin": os.urandom(4096)})
    not_zip = tmp_path / "plain.docx"
    not_zip.write_text("不是 zip", encoding="utf-8")
    out = str(tmp_path / "o.docx")
    for template in (no_types, junk_zip, not_zip):
        done = subprocess.run(
            [*DRAFTER, "export", str(draft_file), "-o", out, "--template", str(template)],
            capture_output=True,
            env=_env(tmp_path / "data"),
            timeout=TIMEOUT * 3,
            preexec_fn=_cap,
        )
        assert done.returncode == 2, done.stderr.decode()
        assert str(template) in _one_error_line(done.stderr.decode())
        assert not (tmp_path / "o.docx").exists()


def test_empty_query_is_an_error_as_the_readme_says(capsys):
    from drafter.cli.main import main

    for query in ["", "   ", "\u3000"]:
        assert main(["suggest", query]) == 2
        assert _one_error_line(capsys.readouterr().err)


def test_bounded_reader_refuses_oversized_and_counts_bytes(tmp_path):
    from drafter.errors import InputFileError
    from drafter.user_files import iter_user_lines, read_user_file

    big = tmp_path / "big.json"
    big.write_bytes(b" " * 2048)
    with pytest.raises(InputFileError, match="过大"):
        read_user_file(big, "草案文件", limit=1024)
    assert read_user_file(big, limit=4096) == b" " * 2048
    lines = tmp_path / "lines.jsonl"
    lines.write_bytes(b"a\n" + b"x" * 5000 + b"\n\xff\xfe\nb\n")
    assert list(iter_user_lines(lines, line_limit=100)) == [
        (1, "a"),
        (2, None),
        (3, None),
        (4, "b"),
    ]
    with pytest.raises(InputFileError, match="文件夹"):
        read_user_file(tmp_path)
