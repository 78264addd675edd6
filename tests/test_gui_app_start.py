"""Starting the app: `drafter FILE` opens the window with that draft."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QWidget

from drafter.cli.main import command_names, main
from drafter.draft.document import Draft
from drafter.draft.project_file import save_project
from drafter.gui.app import create_application, open_window
from tests.gui_window_support import on_modal, sample_draft


@pytest.fixture
def app(tmp_path):
    application = create_application()
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    QSettings().clear()
    return application


def close(window) -> None:
    window.files.autosave.timer.stop()
    window.set_session(None)
    window.close()
    window.deleteLater()


def test_open_window_shows_the_draft_named_on_the_command_line(app, qtbot, tmp_path):
    path = tmp_path / "条例.drafter.json"
    draft = sample_draft()
    save_project(draft, path)
    window = open_window(path)
    try:
        assert window.isVisible()
        qtbot.waitUntil(lambda: window.session is not None, timeout=5000)
        assert window.session.path == path
        assert window.session.draft.to_json() == draft.to_json()
        assert window.windowTitle().startswith(draft.title)
        assert not window.session.is_modified
        assert window.files.recent_files() == [str(path.resolve())]
    finally:
        close(window)


def test_open_window_with_a_missing_file_says_so_in_a_dialog(app, qtbot, tmp_path):
    # The windowed Windows build has no console: there the window reports the file.
    seen: list[str] = []

    def read_and_close(box: QWidget) -> None:
        seen.append(box.text())
        box.accept()

    on_modal(read_and_close, "errorDialog")
    window = open_window(tmp_path / "不存在.drafter.json")
    try:
        qtbot.waitUntil(lambda: bool(seen), timeout=5000)
        assert "不存在" in seen[0] and "不存在.drafter.json" in seen[0]
        assert window.session is None
    finally:
        close(window)


# -- drafter FILE: the command line hands the file to the window ----------------------------


@pytest.fixture
def window_calls(monkeypatch):
    """Replace the window by a record of how it would have been opened."""
    import drafter.gui.app

    calls: list[dict] = []
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")  # never a real display in tests
    monkeypatch.setattr(
        drafter.gui.app, "run_app", lambda argv=None, path=None: calls.append({"path": path}) or 0
    )
    monkeypatch.setattr(
        drafter.gui.app,
        "run_self_test",
        lambda path=None: calls.append("self-test" if path is None else {"self-test": path}) or 0,
    )
    return calls


def saved(path: Path) -> Path:
    save_project(Draft.with_chapters("某市数据条例", "某市", ["总则"]), path)
    return path


def test_a_draft_file_opens_in_the_window(window_calls, tmp_path, monkeypatch):
    draft = saved(tmp_path / "条例.drafter.json")
    assert main([str(draft)]) == 0
    monkeypatch.chdir(tmp_path)
    assert main(["条例.drafter.json"]) == 0  # relative, as a terminal gives it
    assert window_calls == [{"path": draft}, {"path": draft}]


def test_any_existing_file_that_is_no_command_goes_to_the_window(
    window_calls, tmp_path, monkeypatch
):
    # An "open with" may hand over a copy without the usual suffix.
    other = saved(tmp_path / "草案副本.json")
    assert main([str(other)]) == 0
    # A file named like a command does not shadow the command.
    monkeypatch.chdir(tmp_path)
    (tmp_path / "check").write_text("", encoding="utf-8")
    assert "check" in command_names()
    with pytest.raises(SystemExit) as exit_info:
        main(["check"])
    assert exit_info.value.code == 2
    assert main([]) == 0
    assert window_calls == [{"path": other}, {"path": None}]


def test_missing_or_extra_draft_files_are_one_line_errors(window_calls, tmp_path, capsys):
    missing = tmp_path / "不存在.drafter.json"
    assert main([str(missing)]) == 2
    err = capsys.readouterr().err
    assert err == f"drafter: 错误: {missing}: 草案文件不存在\n"
    folder = tmp_path / "目录.drafter.json"
    folder.mkdir()
    assert main([str(folder)]) == 2
    assert "这是一个文件夹" in capsys.readouterr().err
    first, second = saved(tmp_path / "a.drafter.json"), saved(tmp_path / "b.drafter.json")
    assert main([str(first), str(second)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("drafter: 错误: 一次只能打开一份草案") and err.count("\n") == 1
    assert window_calls == []


def test_self_test_still_reaches_the_window_offscreen(window_calls):
    assert main(["--self-test"]) == 0
    assert window_calls == ["self-test"]


def test_self_test_with_a_draft_opens_it_as_the_file_association_would(window_calls, tmp_path):
    draft = saved(tmp_path / "条例.drafter.json")
    assert main(["--self-test", str(draft)]) == 0
    assert window_calls == [{"self-test": draft}]


def test_the_window_starts_without_the_search_engine(tmp_path):
    """The window's process does not load the search engine (or numpy: the engine runs
    in a process of its own) nor the Word export (python-docx) to start: they were 0.45 s
    of a 0.65 s import of the main window. They load when a search, a comparison or an
    export first needs them."""
    import os
    import subprocess
    import sys

    from tests.helpers import REPO_ROOT

    code = (
        "import sys\n"
        "from drafter.gui.app import create_application\n"
        "from drafter.gui.main_window import MainWindow\n"
        "create_application()\n"
        "window = MainWindow()\n"
        "heavy = ('numpy', 'docx', 'drafter.matching.engine', 'drafter.export.exporter')\n"
        "print('LOADED:' + ','.join(m for m in heavy if m in sys.modules))\n"
        "import os\n"
        "os._exit(0)  # not a close: the window's background loading is not awaited here\n"
    )
    environment = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        DRAFTER_DATA_DIR=str(tmp_path / "data"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
    )
    environment.pop("DRAFTER_SUGGEST_IN_PROCESS", None)  # the suite's setting, not a user's
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        env=environment,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "LOADED:\n" in result.stdout + "\n", result.stdout
