"""End to end on a real X display: `drafter FILE` as its own process, typed into with xdotool.

The app runs under Xvfb with a window manager (openbox), exactly as a drafter starts it
from a file manager; every key is a real X key event delivered to whatever has keyboard
focus. The test inserts, types, splits, merges, adds a 项, undoes and redoes, saves with
Ctrl+S, quits with Ctrl+Q and reads the file back with `drafter show --json`. `.ci/run`
installs xvfb, openbox and xdotool; elsewhere the test is skipped with the reason.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from drafter.draft import operations
from drafter.draft.document import Draft
from drafter.draft.project_file import save_project
from tests.xvfb_session import XSession, missing_tools

pytestmark = pytest.mark.skipif(
    bool(missing_tools()), reason=f"needs {', '.join(missing_tools())} (installed by .ci/run)"
)

PURPOSE = "为了促进智慧城市建设，制定本条例。"


def _draft_file(tmp_path):
    draft = Draft.with_chapters("某市智慧城市促进条例", "某市", ["总则"])
    operations.insert_article(draft, draft.chapters[0].uid, PURPOSE, caption="立法目的")
    path = tmp_path / "e2e.drafter.json"
    save_project(draft, path)
    return path


def _show(path) -> dict:
    result = subprocess.run(
        [sys.executable, "-m", "drafter", "show", str(path), "--json"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return json.loads(result.stdout)


def _paragraphs(shown: dict) -> list[list[str]]:
    articles = [a for c in shown["chapters"] for a in c["articles"]]
    return [[p["text"] for p in a["paragraphs"]] for a in articles]


def _start(x: XSession, path, tmp_path) -> subprocess.Popen:
    """`drafter FILE` on the session's display, with its own user data and settings."""
    env_extra = {
        "DRAFTER_DATA_DIR": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),  # QSettings: no window state carried in
        # The user's path: suggestions come from the engine's child process.
        "DRAFTER_SUGGEST_IN_PROCESS": "",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "drafter", str(path)],
        env={**x.env, **env_extra},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@contextmanager
def _window_on_screen(path, tmp_path) -> Iterator[tuple[XSession, subprocess.Popen, list[str]]]:
    """`drafter FILE` shown and active on its own X display; once the block ends, the
    process is ended if need be and what it wrote to stderr is put in the list."""
    with XSession() as x:
        app = _start(x, path, tmp_path)
        ended: list[str] = []
        try:
            window = x.wait_for_window("drafter", timeout=60)
            x.xdotool("windowactivate", "--sync", window)
            time.sleep(1.5)  # the first 款 takes the focus once the window is active
            yield x, app, ended
        finally:
            if app.poll() is None:
                app.kill()
            ended.append(app.communicate(timeout=10)[1])


def test_type_split_merge_undo_save_and_quit_with_real_keys(tmp_path):
    path = _draft_file(tmp_path)
    with _window_on_screen(path, tmp_path) as (x, app, ended):

        def keys(*names: str) -> None:
            for name in names:
                x.xdotool("key", "--clearmodifiers", name)
                time.sleep(0.15)

        def type_text(text: str) -> None:
            x.xdotool("type", "--delay", "60", text)
            time.sleep(0.3)

        keys("End")
        type_text("XY")  # into 第一条: the caret is in its first 款 on opening
        keys("ctrl+Return")  # 在后面插入条
        # Latin letters: xdotool types a character missing from the keymap by rebinding a
        # spare keycode, and fast CJK typing then races the keymap change (a drafter's
        # input method commits text instead; the offscreen tests type CJK that way).
        type_text("Scope 1.")
        keys("Return")  # a new 款
        type_text("Second")
        keys("Home", "BackSpace")  # merged back into the first 款
        type_text("Z")
        keys("Return")  # split again before 第二款
        keys("ctrl+z", "ctrl+y")  # undo and redo the split
        type_text("Q")
        keys("shift+Return")  # a 项 on the second 款
        type_text("item one")
        x.screenshot(tmp_path / "e2e.png")
        keys("ctrl+s")
        time.sleep(1.0)
        keys("ctrl+q")
        app.wait(30)
    err = ended[0]
    assert app.returncode == 0, err
    assert "Traceback" not in err and "Error" not in err, err
    shown = _show(path)
    assert _paragraphs(shown) == [
        [PURPOSE + "XY"],
        ["Scope 1.Z", "QSecond"],
    ], (shown, err)
    second = [a for c in shown["chapters"] for a in c["articles"]][1]
    assert second["paragraphs"][1]["items"] == ["item one"]
    assert not os.path.exists(str(path) + ".lock")
    # The suggestion engine's child process ended with the window.
    children = subprocess.run(
        ["pgrep", "-f", "--", "--suggest-service"], capture_output=True, text=True
    ).stdout.split()
    assert not [pid for pid in children if str(tmp_path) in _environ_of(pid)]


def _environ_of(pid: str) -> str:
    try:
        with open(f"/proc/{pid}/environ", "rb") as source:
            return source.read().decode("utf-8", "replace")
    except OSError:
        return ""


@pytest.mark.parametrize("ending", ["SIGTERM", "SIGINT"])
def test_the_system_ending_the_window_keeps_what_was_typed(tmp_path, monkeypatch, ending):
    # Shutdown, logout or `kill` send SIGTERM. Its default action ended the process at
    # once: up to a minute of typing since the last autosave was lost, and the lock left
    # behind made the next start say the draft was open elsewhere.
    import signal

    path = _draft_file(tmp_path)
    before = path.read_bytes()
    with _window_on_screen(path, tmp_path) as (x, app, ended):
        x.xdotool("key", "--clearmodifiers", "End")
        x.xdotool("type", "--delay", "60", "Typed")
        time.sleep(0.5)
        # The window is asking whether to save (a dialog's own event loop) when the
        # system ends it.
        x.xdotool("key", "--clearmodifiers", "ctrl+q")
        time.sleep(1.0)
        assert app.poll() is None
        app.send_signal(getattr(signal, ending))
        app.wait(20)
    err = ended[0]
    assert app.returncode == 128 + getattr(signal, ending), err
    assert "Traceback" not in err, err
    assert path.read_bytes() == before  # not saved over: the drafter did not choose to
    assert not os.path.exists(str(path) + ".lock")
    monkeypatch.setenv("DRAFTER_DATA_DIR", str(tmp_path / "data"))
    from drafter.draft.autosave import find_recoverable_autosaves

    kept = find_recoverable_autosaves()
    assert len(kept) == 1, kept
    assert kept[0].newer_than_project
    texts = [a.text() for a in kept[0].recover().articles()]
    assert texts == [PURPOSE + "Typed"], texts
    children = subprocess.run(
        ["pgrep", "-f", "--", "--suggest-service"], capture_output=True, text=True
    ).stdout.split()
    assert not [pid for pid in children if str(tmp_path) in _environ_of(pid)]


def test_ctrl_e_exports_from_the_caption_box(tmp_path):
    # On X11 a line edit takes Ctrl+E for itself (Emacs's end of line): in the 条旨 box,
    # 导出 Word 文档 did nothing on UOS and Kylin. The offscreen platform has no such
    # binding, so only a real X display shows it.
    path = _draft_file(tmp_path)
    with _window_on_screen(path, tmp_path) as (x, app, ended):
        x.xdotool("key", "--clearmodifiers", "shift+Tab")  # from the first 款 to its 条旨
        x.xdotool("type", "--delay", "60", "Aim")
        time.sleep(0.3)
        x.xdotool("key", "--clearmodifiers", "ctrl+e")
        deadline = time.monotonic() + 15
        shown: list[str] = []
        while time.monotonic() < deadline and len(shown) < 2:
            shown = x.xdotool("search", "--onlyvisible", "--class", "drafter").split()
            time.sleep(0.2)
        assert len(shown) >= 2, "no export dialog came up"
        x.screenshot(tmp_path / "ctrl-e.png")
        x.xdotool("key", "--clearmodifiers", "Escape")
        time.sleep(0.5)
        x.xdotool("key", "--clearmodifiers", "ctrl+s")
        time.sleep(1.0)
        x.xdotool("key", "--clearmodifiers", "ctrl+q")
        app.wait(30)
    err = ended[0]
    assert app.returncode == 0, err
    article = next(a for c in _show(path)["chapters"] for a in c["articles"])
    assert article["caption"] == "Aim"  # typed over it: Tab into a line edit selects its text
