"""Nothing lost, nothing overwritten: locks, saves and autosaves under attack (issue 13).

Everything is generated at test time: drafts, racing processes, kills, planted links, a
full disk. The figures these tests reach are recorded in docs/reliability.md.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import signal
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from drafter.draft import operations as ops
from drafter.draft.autosave import autosave_dir, autosave_path, write_autosave
from drafter.draft.document import Draft
from drafter.draft.lock import DraftLockedError, ProjectLock, lock_path
from drafter.draft.project_file import load_project, save_project
from drafter.statute.model import Article, Chapter, Paragraph, Statute
from tests.helpers import REPO_ROOT, run_cli

RACE_ROUNDS = 120  # pairs of `drafter edit` started together (two pairs at a time)
FORK_ROUNDS = 200  # rounds of two forked in-process editors
KILLS = 50


def _draft(articles: int = 2, chapters: int = 2) -> Draft:
    statute = Statute(
        title="某市测试条例",
        chapters=[
            Chapter(
                number=c,
                title=f"第{c}章",
                articles=[
                    Article(number=0, paragraphs=[Paragraph(f"第{c}章第{a}条的内容。" * 3)])
                    for a in range(1, articles + 1)
                ],
            )
            for c in range(1, chapters + 1)
        ],
    )
    draft = Draft.from_statute(statute, title="某市测试条例", city="某市")
    draft.modified = False
    return draft


def _texts(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _env(data_dir: Path) -> dict[str, str]:
    return dict(os.environ, DRAFTER_DATA_DIR=str(data_dir), PYTHONIOENCODING="utf-8")


def _leftovers(folder: Path, name: str) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(f".{name}."))


# -- 1. the lock locks --------------------------------------------------------------------


def test_two_drafter_edit_processes_racing_lose_no_update(tmp_path):
    """Two `drafter edit … insert-article` started together, RACE_ROUNDS times.

    Each process that exits 0 must have its article in the file; the other must be refused
    (exit 2, 已在别处打开) or have waited its turn. Pairs run on separate files, two at once.
    """
    data = tmp_path / "data"
    files = [tmp_path / f"race{i}.drafter.json" for i in range(2)]
    for file in files:
        save_project(_draft(), file)
    lost = refused = both = 0
    started = time.monotonic()
    for round_no in range(0, RACE_ROUNDS, len(files)):
        running = []
        for i, file in enumerate(files):
            for side in "AB":
                marker = f"标记{round_no + i}{side}号条文。"
                command = [sys.executable, "-m", "drafter", "edit", str(file), "insert-article"]
                command += ["--chapter", "1", marker]
                process = subprocess.Popen(
                    command,
                    cwd=REPO_ROOT,
                    env=_env(data),
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                    encoding="utf-8",
                )
                running.append((file, marker, process))
        exits = []
        for file, marker, process in running:
            _out, err = process.communicate(timeout=60)
            assert "Traceback" not in err, err
            if process.returncode == 0:
                lost += marker not in _texts(file)
            else:
                assert process.returncode == 2 and "已在别处打开" in err, err
                assert err.strip().count("\n") == 0
                refused += 1
            exits.append(process.returncode)
        both += sum(1 for k in range(0, len(exits), 2) if exits[k] == exits[k + 1] == 0)
    for file in files:
        load_project(file)  # every file still loads
        assert not lock_path(file).exists()
        assert _leftovers(tmp_path, file.name) == []
    print(
        f"race: {RACE_ROUNDS} rounds, {refused} refused, {both} both saved (in turn), "
        f"{lost} lost, {time.monotonic() - started:.1f}s"
    )
    assert lost == 0


def _forked_editor(path: str, side: str, rounds: int, barrier, results) -> None:
    for round_no in range(rounds):
        barrier.wait()
        marker = f"进程{side}第{round_no}轮。"
        lock = ProjectLock(path)
        try:
            lock.acquire()
        except DraftLockedError:
            results.put((round_no, side, marker, "refused"))
            continue
        try:
            draft = load_project(path)
            ops.insert_article(draft, draft.chapters[0].uid, [Paragraph(marker)])
            save_project(draft, path)
        finally:
            lock.release()
        results.put((round_no, side, marker, "saved"))


def test_in_process_editors_in_two_processes_lose_no_update(tmp_path):
    """Two forked editors using the core (lock, load, insert, save) started together."""
    path = tmp_path / "fork.drafter.json"
    save_project(_draft(), path)
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(2)
    results = context.Queue()
    workers = [
        context.Process(target=_forked_editor, args=(str(path), s, FORK_ROUNDS, barrier, results))
        for s in "AB"
    ]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=120) for _ in range(2 * FORK_ROUNDS)]
    for worker in workers:
        worker.join(timeout=60)
        assert worker.exitcode == 0
    text = _texts(path)
    saved = [o for o in outcomes if o[3] == "saved"]
    lost = [o for o in saved if o[2] not in text]
    print(f"fork: {FORK_ROUNDS} rounds, {len(saved)} saved, {len(outcomes) - len(saved)} refused")
    assert not lost, lost
    assert len(saved) >= FORK_ROUNDS  # each round, at least one of the two got through


def test_threads_of_one_process_cannot_both_hold_the_lock(tmp_path):
    import threading

    path = tmp_path / "threads.drafter.json"
    save_project(_draft(), path)
    holders: list[int] = []
    inside = threading.Lock()
    overlap = []
    barrier = threading.Barrier(4)

    def editor() -> None:
        for _ in range(25):
            barrier.wait()
            lock = ProjectLock(path)
            try:
                lock.acquire()
            except DraftLockedError:
                continue
            with inside:
                holders.append(1)
                overlap.append(len(holders))
            time.sleep(0.001)
            with inside:
                holders.pop()
            lock.release()

    threads = [threading.Thread(target=editor) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert overlap and max(overlap) == 1


def test_an_empty_or_partial_lock_is_held_not_stale_and_force_works(tmp_path):
    path = tmp_path / "d.drafter.json"
    save_project(_draft(), path)
    for content in (b"", b'{"pid": 1'):
        lock_path(path).write_bytes(content)
        with pytest.raises(DraftLockedError, match="无法读取"):
            ProjectLock(path).acquire()
        assert lock_path(path).read_bytes() == content
        result = run_cli("edit", str(path), "add-chapter", "新章", data_dir=tmp_path / "data")
        assert result.returncode == 2 and "--force" in result.stderr
        assert "Traceback" not in result.stderr
    forced = run_cli(
        "edit", str(path), "add-chapter", "新章", "--force", data_dir=tmp_path / "data"
    )
    assert forced.returncode == 0, forced.stderr
    assert "新章" in _texts(path) and not lock_path(path).exists()


def test_a_stale_lock_is_taken_over_by_exactly_one_of_many(tmp_path):
    """Many processes find the same dead owner's lock: exactly one takes it over."""
    path = tmp_path / "d.drafter.json"
    save_project(_draft(), path)
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    import socket

    script = textwrap.dedent(
        """
        import sys, time
        from drafter.draft.lock import ProjectLock, DraftLockedError
        lock = ProjectLock(sys.argv[1])
        while time.time() < float(sys.argv[2]):
            pass
        try:
            lock.acquire()
        except DraftLockedError:
            print("refused"); sys.exit(0)
        print("held"); sys.stdout.flush(); time.sleep(0.4)
        """
    )
    for _round in range(5):
        owner = {"pid": int(dead.stdout), "host": socket.gethostname(), "since": "x"}
        lock_path(path).write_text(json.dumps(owner), encoding="utf-8")
        start = time.time() + 0.6
        procs = [
            subprocess.Popen(
                [sys.executable, "-c", script, str(path), str(start)],
                cwd=REPO_ROOT,
                stdout=subprocess.PIPE,
                text=True,
            )
            for _ in range(4)
        ]
        answers = [p.communicate(timeout=30)[0].strip() for p in procs]
        assert answers.count("held") == 1, answers
        lock_path(path).unlink(missing_ok=True)


# -- 2. safe atomic writes ------------------------------------------------------------------

_SAVER = textwrap.dedent(
    """
    import sys
    from drafter.draft.project_file import load_project, save_project
    path = sys.argv[1]
    draft = load_project(path)
    print("ready", flush=True)
    version = 0
    while True:
        version += 1
        draft.title = f"版本{version % 7}"
        save_project(draft, path, clear_autosave=False)
    """
)


def test_sigkill_during_save_leaves_a_complete_old_or_new_version(tmp_path):
    path = tmp_path / "big.drafter.json"
    draft = _draft(articles=60, chapters=5)
    save_project(draft, path)
    path.chmod(0o600)  # a private draft stays private through every save and kill
    expected = draft.to_json()
    versions = {f"版本{v}" for v in range(7)} | {draft.title}
    rng = random.Random(13)
    for _kill in range(KILLS):
        child = subprocess.Popen(
            [sys.executable, "-c", _SAVER, str(path)],
            cwd=REPO_ROOT,
            env=_env(tmp_path / "data"),
            stdout=subprocess.PIPE,
        )
        assert child.stdout is not None and child.stdout.readline().strip() == b"ready"
        time.sleep(rng.uniform(0.0, 0.05))
        child.send_signal(signal.SIGKILL)
        child.wait()
        loaded = load_project(path)  # loadable: never a mix
        assert loaded.title in versions
        assert {**loaded.to_json(), "title": draft.title} == expected
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    save_project(load_project(path), path)  # the next save removes what the kills left
    assert _leftovers(tmp_path, path.name) == []
    assert not (tmp_path / f"{path.name}.tmp").exists()


@pytest.mark.parametrize("name", ["d.drafter.json.tmp", "d.drafter.json.bak.tmp"])
def test_a_planted_symlink_at_an_old_temporary_name_is_never_followed(tmp_path, name):
    path = tmp_path / "d.drafter.json"
    save_project(_draft(), path)
    save_project(_draft(), path)  # a .bak exists too
    victim = tmp_path / "victim.txt"
    victim.write_text("别人的文件", encoding="utf-8")
    (tmp_path / name).symlink_to(victim)
    result = run_cli("edit", str(path), "add-chapter", "新章", data_dir=tmp_path / "data")
    assert result.returncode == 0, result.stderr
    assert victim.read_text(encoding="utf-8") == "别人的文件"
    assert (tmp_path / name).is_symlink() and "新章" in _texts(path)


def test_a_users_own_tmp_files_and_export_tmp_links_are_untouched(tmp_path):
    path = tmp_path / "d.drafter.json"
    save_project(_draft(), path)
    own = tmp_path / "d.drafter.json.tmp"
    own.write_text("用户自己的文件", encoding="utf-8")
    result = run_cli("edit", str(path), "add-chapter", "新章", data_dir=tmp_path / "data")
    assert result.returncode == 0 and own.read_text(encoding="utf-8") == "用户自己的文件"

    victim = tmp_path / "victim.txt"
    victim.write_text("别人的文件", encoding="utf-8")
    (tmp_path / "out.docx.tmp").symlink_to(victim)
    out = tmp_path / "out.docx"
    result = run_cli("export", str(path), "-o", str(out), data_dir=tmp_path / "data")
    assert result.returncode == 0, result.stderr
    assert victim.read_text(encoding="utf-8") == "别人的文件"
    assert out.read_bytes()[:2] == b"PK"
    assert _leftovers(tmp_path, "out.docx") == []


def test_saving_keeps_the_mode_of_the_draft_and_its_backup(tmp_path):
    path = tmp_path / "d.drafter.json"
    save_project(_draft(), path)
    path.chmod(0o600)
    result = run_cli("edit", str(path), "add-chapter", "新章", data_dir=tmp_path / "data")
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "d.drafter.json.bak").stat().st_mode) == 0o600


def test_a_read_only_draft_is_refused_and_untouched(tmp_path):
    path = tmp_path / "d.drafter.json"
    save_project(_draft(), path)
    path.chmod(0o444)
    before = path.read_bytes()
    result = run_cli("edit", str(path), "add-chapter", "新章", data_dir=tmp_path / "data")
    assert result.returncode == 2, result.stdout
    assert result.stderr.startswith("drafter: 错误: ") and "只读" in result.stderr
    assert result.stderr.strip().count("\n") == 0
    assert path.read_bytes() == before and stat.S_IMODE(path.stat().st_mode) == 0o444
    assert not (tmp_path / "d.drafter.json.bak").exists()  # nothing else written either
    assert not lock_path(path).exists()


def test_a_symlinked_draft_stays_a_link_and_its_target_is_updated(tmp_path):
    real = tmp_path / "真实" / "d.drafter.json"
    real.parent.mkdir()
    save_project(_draft(), real)
    link = tmp_path / "link.drafter.json"
    link.symlink_to(real)
    result = run_cli("edit", str(link), "add-chapter", "新章", data_dir=tmp_path / "data")
    assert result.returncode == 0, result.stderr
    assert link.is_symlink() and link.resolve() == real.resolve()
    assert "新章" in _texts(real)


def test_a_full_disk_names_the_file_and_keeps_the_original(tmp_path):
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(disk)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip("cannot mount a small tmpfs here")
    try:
        path = disk / "d.drafter.json"
        save_project(_draft(articles=12, chapters=3), path)  # about 20 KB
        before = path.read_bytes()
        filler = disk / "filler"
        with open(filler, "wb") as handle:  # leave one page: enough for the lock, not a save
            free = os.statvfs(disk).f_bavail * os.statvfs(disk).f_frsize
            handle.write(b"\0" * max(free - 8192, 0))
        result = run_cli(
            "edit",
            str(path),
            "insert-article",
            "--chapter",
            "1",
            "很长的新条文。" * 2000,
            data_dir=tmp_path / "data",
        )
        assert result.returncode == 2, result.stdout
        assert result.stderr.strip().startswith("drafter: 错误: 无法保存 ")
        assert f"无法保存 {path}：磁盘空间不足" in result.stderr, result.stderr
        assert result.stderr.strip().count("\n") == 0
        assert path.read_bytes() == before
        assert _leftovers(disk, path.name) == [] and not lock_path(path).exists()
    finally:
        subprocess.run(["umount", str(disk)], capture_output=True)


# -- 5. the autosave key ---------------------------------------------------------------------


def test_a_crafted_uid_cannot_reach_files_outside_the_data_dir(tmp_path):
    data = tmp_path / "data"
    victim = tmp_path / "x" / "victim.autosave.json"
    victim.parent.mkdir()
    victim.write_text("别人的文件", encoding="utf-8")
    path = tmp_path / "d.drafter.json"
    save_project(_draft(), path)
    raw = json.loads(_texts(path))
    raw["draft"]["uid"] = "../../x/victim"
    path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    run_cli("edit", str(path), "add-chapter", "新章", data_dir=data)
    assert victim.read_text(encoding="utf-8") == "别人的文件"
    # In process: write and discard with that uid stay inside the autosave folder.
    draft = _draft()
    draft.uid = "../../x/victim"
    for project in (None, path):
        written = write_autosave(draft, project)
        assert written.parent == autosave_dir()
        save_project(draft, tmp_path / "other.drafter.json")
        assert victim.read_text(encoding="utf-8") == "别人的文件"


def test_copies_and_save_as_have_their_own_autosave(tmp_path):
    first, copy = tmp_path / "a.drafter.json", tmp_path / "b.drafter.json"
    draft = _draft()
    save_project(draft, first)
    copy.write_bytes(first.read_bytes())  # two copies of one file: one uid
    one, other = load_project(first), load_project(copy)
    assert one.uid == other.uid
    assert autosave_path(one, first) != autosave_path(other, copy)
    ops.edit_meta(one, title="一的未保存修改")
    ops.edit_meta(other, title="二的未保存修改")
    write_autosave(one, first)
    write_autosave(other, copy)
    assert "一的未保存修改" in _texts(autosave_path(one, first))
    assert "二的未保存修改" in _texts(autosave_path(other, copy))
    save_project(other, copy)  # saving one copy leaves the other's unsaved work alone
    assert autosave_path(one, first).exists() and not autosave_path(other, copy).exists()
    # Save as: the autosave of the old name goes; the new name has its own key.
    save_as = tmp_path / "c.drafter.json"
    assert autosave_path(one, save_as) != autosave_path(one, first)


def test_a_recovered_autosave_is_rekeyed_so_the_next_save_discards_it(tmp_path):
    from drafter.draft.autosave import find_recoverable_autosaves

    path = tmp_path / "d.drafter.json"
    draft = _draft()
    save_project(draft, path)
    ops.edit_meta(draft, title="未保存的标题")
    legacy = autosave_dir() / f"{draft.uid}.autosave.json"  # named as older versions did
    write_autosave(draft, path).replace(legacy)
    [found] = find_recoverable_autosaves()
    recovered = found.recover()
    found.rekey(recovered, path)
    assert not legacy.exists() and autosave_path(recovered, path).exists()
    save_project(recovered, path)
    assert find_recoverable_autosaves() == []


def test_save_as_in_the_window_session_moves_the_autosave_key(tmp_path):
    from drafter.gui.session import DraftSession

    first, second = tmp_path / "a.drafter.json", tmp_path / "b.drafter.json"
    draft = _draft()
    save_project(draft, first)
    session = DraftSession(load_project(first), first, ProjectLock(first))
    session.lock.acquire()
    ops.edit_meta(session.draft, title="另存前的修改")
    write_autosave(session.draft, first)
    session.save(second)
    assert not autosave_path(session.draft, first).exists()
    assert not autosave_path(session.draft, second).exists()
    assert session.path == second and lock_path(second).exists()
    assert not lock_path(first).exists()
    session.close()
