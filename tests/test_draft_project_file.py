"""The project file: round trip, atomic saves, refusals, migrations, lock and autosave."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from drafter.draft import operations as ops
from drafter.draft.autosave import (
    autosave_due,
    autosave_path,
    find_recoverable_autosaves,
    write_autosave,
)
from drafter.draft.crossrefs import BOUND
from drafter.draft.document import Draft
from drafter.draft.lock import DraftLockedError, ProjectLock, lock_path
from drafter.draft.project_file import (
    FORMAT_VERSION,
    MIGRATIONS,
    ProjectFileError,
    backup_path,
    load_project,
    save_project,
)

FIXTURES = Path(__file__).parent / "data" / "drafts"
REPO = Path(__file__).resolve().parent.parent


def _draft() -> Draft:
    draft = Draft.with_chapters("某市智慧城市促进条例", "某市", ["总则", "附则"])
    first, last = (c.uid for c in draft.chapters)
    ops.insert_article(
        draft, first, "为了促进智慧城市建设，制定本条例。\n本条例所称智慧城市，是指……"
    )
    ops.insert_article(draft, last, "本条例第一条第二款所称智慧城市，包括数字乡村。")
    ops.insert_article(draft, last, "本条例自XX年XX月XX日起施行。")
    return draft


def test_round_trip_keeps_everything(tmp_path):
    draft = _draft()
    path = tmp_path / "draft.drafter.json"
    save_project(draft, path)
    loaded = load_project(path)
    assert loaded.to_json() == draft.to_json()
    assert not loaded.modified
    text = path.read_text(encoding="utf-8")
    assert "某市智慧城市促进条例" in text  # human-readable, not \\u escapes
    # saving again writes the same draft in the same key order
    save_project(loaded, path)
    first = json.loads(text)
    second = json.loads(path.read_text(encoding="utf-8"))
    first.pop("saved_at"), second.pop("saved_at")
    assert json.dumps(first, ensure_ascii=False) == json.dumps(second, ensure_ascii=False)


def test_save_keeps_previous_version_as_backup(tmp_path, isolated_user_data):
    path = tmp_path / "draft.drafter.json"
    draft = _draft()
    save_project(draft, path)
    old = path.read_bytes()
    ops.edit_meta(draft, title="某市数字城市促进条例")
    result = save_project(draft, path)
    assert result.backup == backup_path(path)
    assert backup_path(path).read_bytes() == old
    [stamped] = (isolated_user_data / "backups").glob("*/*.drafter.json")
    assert stamped.read_bytes() == old
    assert load_project(path).title == "某市数字城市促进条例"


def test_failure_after_temp_write_leaves_old_file_intact(tmp_path, monkeypatch):
    path = tmp_path / "draft.drafter.json"
    draft = _draft()
    save_project(draft, path)
    old = path.read_bytes()
    ops.edit_meta(draft, title="改过的标题")

    real_replace = os.replace

    def failing_replace(src, dst):
        if str(dst) == str(path):
            raise OSError(28, "No space left on device")
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(Exception, match=r"无法保存 .*磁盘空间不足；原文件保持不变"):
        save_project(draft, path)
    monkeypatch.undo()
    assert path.read_bytes() == old
    assert sorted(p.name for p in tmp_path.glob("*draft*")) == [path.name, path.name + ".bak"]
    assert draft.modified


def test_process_killed_mid_save_leaves_old_file_intact(tmp_path):
    path = tmp_path / "draft.drafter.json"
    save_project(_draft(), path)
    old = path.read_bytes()
    # A real process saves a changed draft and is killed (SIGKILL) once the temp file is
    # written, right before the replace.
    script = textwrap.dedent(
        f"""
        import os, signal
        from drafter.draft import operations as ops
        from drafter.draft.project_file import load_project, save_project
        path = {str(path)!r}
        draft = load_project(path)
        ops.edit_meta(draft, title="写了一半的标题")
        real_replace = os.replace
        def replace(src, dst):
            if str(dst) == path:
                os.kill(os.getpid(), signal.SIGKILL)
            return real_replace(src, dst)
        os.replace = replace
        save_project(draft, path)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=REPO,
        env={**os.environ},
        capture_output=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert path.read_bytes() == old
    [leftover] = tmp_path.glob(".draft.drafter.json.*.drafter-tmp")  # unique, hidden
    assert "写了一半的标题" in leftover.read_text(encoding="utf-8")
    assert load_project(path).title == "某市智慧城市促进条例"
    save_project(load_project(path), path)  # its process is gone: the next save removes it
    assert not leftover.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'{"format": "drafter-draft", "version": 1, "draft": {"title": "x"', "JSON 内容已损坏"),
        (b"\xff\xfe\x00garbage", "不是 UTF-8"),
        (b'{"format": "drafter-draft", "version": 1, "draft": {"title": "x"}}', "内容不完整"),
        (b'{"hello": "world"}', "不是立法起草助手的草案文件"),
        (b'{"format": "drafter-draft", "version": 7, "draft": {}}', "较新版本"),
    ],
)
def test_damaged_or_newer_files_are_refused_and_left_unchanged(tmp_path, content, message):
    path = tmp_path / "draft.drafter.json"
    path.write_bytes(content)
    stat = path.stat()
    with pytest.raises(ProjectFileError, match=message):
        load_project(path)
    assert path.read_bytes() == content
    assert path.stat().st_mtime_ns == stat.st_mtime_ns
    assert [p.name for p in tmp_path.iterdir() if p.name != "user-data"] == ["draft.drafter.json"]


def test_misplaced_reference_binding_is_refused(tmp_path):
    data = json.loads((FIXTURES / "format-v1.drafter.json").read_text(encoding="utf-8"))
    data["draft"]["chapters"][1]["articles"][0]["refs"][0]["end"] = 999
    path = tmp_path / "draft.drafter.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ProjectFileError, match="引用位置超出文字范围"):
        load_project(path)


def test_every_format_version_has_a_fixture_and_loads():
    for version in range(FORMAT_VERSION + 1):
        assert (FIXTURES / f"format-v{version}.drafter.json").exists(), version
    assert set(MIGRATIONS) == set(range(FORMAT_VERSION))


def test_v0_fixture_is_migrated_with_references_bound():
    path = FIXTURES / "format-v0.drafter.json"
    before = path.read_bytes()
    draft = load_project(path)
    assert path.read_bytes() == before
    assert [c.title for c in draft.chapters] == ["总则", "附则"]
    assert draft.status == "征求意见稿"
    assert [s.title for s in draft.explanation] == ["起草说明"]
    third = draft.article_by_number(3)
    [binding] = draft.refs[third.uid]
    assert binding.status == BOUND and binding.target == draft.article_by_number(2).uid
    assert binding.target_paragraph == 2
    # the migrated draft keeps following renumbering
    ops.insert_article(draft, draft.chapters[0].uid, "新增一条。", index=0)
    assert draft.article(third.uid).text().startswith("本条例第三条第二款")


def test_v1_fixture_loads_with_provenance():
    draft = load_project(FIXTURES / "format-v1.drafter.json")
    second = draft.article_by_number(2)
    [link] = draft.provenance[second.uid]
    assert (link.ref, link.article, link.paragraph, link.label) == ("haikou", 4, 1, "照搬")
    assert draft.refs[draft.article_by_number(3).uid][0].target == second.uid


def test_lock_refuses_a_second_open_and_takes_over_stale_locks(tmp_path):
    path = tmp_path / "draft.drafter.json"
    save_project(_draft(), path)
    with ProjectLock(path):
        with pytest.raises(DraftLockedError, match="已在别处打开"):
            ProjectLock(path).acquire()
    assert not lock_path(path).exists()
    # a lock left by a process that has exited is stale
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    import socket

    lock_path(path).write_text(
        json.dumps({"pid": int(dead.stdout), "host": socket.gethostname(), "since": "x"}),
        encoding="utf-8",
    )
    lock = ProjectLock(path)
    lock.acquire()
    assert json.loads(lock_path(path).read_text(encoding="utf-8"))["pid"] == os.getpid()
    lock.release()
    # a live process on another machine can only be overridden on purpose
    lock_path(path).write_text(
        json.dumps({"pid": 1, "host": "other-pc", "since": "x"}), encoding="utf-8"
    )
    with pytest.raises(DraftLockedError, match="other-pc"):
        ProjectLock(path).acquire()
    ProjectLock(path).acquire(force=True)


def test_autosave_and_recovery(tmp_path, isolated_user_data):
    path = tmp_path / "draft.drafter.json"
    draft = _draft()
    assert autosave_due(draft, None, 0.0)
    save_project(draft, path)
    assert not autosave_due(draft, None, 0.0)
    ops.edit_meta(draft, title="未保存的标题")
    assert autosave_due(draft, 100.0, 161.0) and not autosave_due(draft, 100.0, 130.0)
    written = write_autosave(draft, path)
    assert written == autosave_path(draft, path) and isolated_user_data in written.parents
    [found] = find_recoverable_autosaves()
    assert found.project_path == path.resolve() and found.title == "未保存的标题"
    recovered = found.recover()
    assert recovered.to_json() == draft.to_json() and recovered.modified
    save_project(draft, path)  # a clean save discards the autosave
    assert find_recoverable_autosaves() == []
