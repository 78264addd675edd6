"""Starting the window on a machine without a display or without Qt's system libraries."""

from __future__ import annotations

import ctypes
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from drafter.cli.main import main
from drafter.display_check import display_problem, missing_libraries, x_display_reachable
from tests.helpers import REPO_ROOT


def fake_plugins(missing: dict[str, list[str] | None], x_server: bool | None = True):
    """Doubles: platform name → its missing libraries; whether the X server answers."""
    return {
        "find_plugin": lambda name: Path(f"/qt/platforms/libq{name}.so"),
        "find_missing": lambda plugin: missing[plugin.stem.removeprefix("libq")],
        "reachable": lambda display: x_server,
    }


def test_no_display_is_named():
    message = display_problem({}, "linux", **fake_plugins({}))
    assert message is not None and message.startswith("无法打开窗口：没有图形显示")
    assert "DISPLAY" in message and "\n" not in message
    # xcb asked for by name still needs DISPLAY.
    assert display_problem({"QT_QPA_PLATFORM": "xcb"}, "linux", **fake_plugins({})) == message


def test_missing_libraries_are_named_with_their_packages():
    plugins = fake_plugins({"xcb": ["libxcb-cursor.so.0", "libxcb-icccm.so.4"]})
    message = display_problem({"DISPLAY": ":0"}, "linux", has_apt=True, **plugins)
    assert message == (
        "无法打开窗口：缺少系统库 libxcb-cursor.so.0、libxcb-icccm.so.4；"
        "请安装：sudo apt install libxcb-cursor0 libxcb-icccm4"
    )
    elsewhere = display_problem({"DISPLAY": ":0"}, "linux", has_apt=False, **plugins)
    assert elsewhere is not None and "sudo apt" not in elsewhere
    assert "libxcb-cursor0 libxcb-icccm4" in elsewhere
    unknown = fake_plugins({"xcb": ["libxcb-cursor.so.0", "libfuture.so.9"]})
    message = display_problem({"DISPLAY": ":0"}, "linux", has_apt=True, **unknown)
    assert message is not None and "libfuture.so.9 请安装提供它的软件包" in message
    assert "sudo apt install libxcb-cursor0；" in message


def test_the_window_may_open_when_a_platform_loads_or_cannot_be_checked():
    complete = fake_plugins({"xcb": [], "wayland": ["libwayland-cursor.so.0"]})
    assert display_problem({"DISPLAY": ":0"}, "linux", **complete) is None
    # A Wayland session whose own plugin lacks a library falls back to xcb (XWayland).
    assert display_problem({"DISPLAY": ":0", "WAYLAND_DISPLAY": "w"}, "linux", **complete) is None
    wayland_only = display_problem({"WAYLAND_DISPLAY": "wayland-0"}, "linux", **complete)
    assert wayland_only is not None and "libwayland-cursor.so.0" in wayland_only
    unknown = fake_plugins({"xcb": None})
    assert display_problem({"DISPLAY": ":0"}, "linux", **unknown) is None
    nothing = fake_plugins({})
    assert display_problem({"QT_QPA_PLATFORM": "offscreen"}, "linux", **nothing) is None
    assert display_problem({"QT_QPA_PLATFORM": "wayland;xcb"}, "linux", **nothing) is None
    assert display_problem({}, "win32", **nothing) is None
    assert display_problem({}, "darwin", **nothing) is None


def test_an_x_server_that_does_not_answer_is_named():
    gone = display_problem({"DISPLAY": "remote:10"}, "linux", **fake_plugins({"xcb": []}, False))
    assert gone is not None and gone.startswith("无法打开窗口：连接不上图形显示 DISPLAY=remote:10")
    # Unknown (no libxcb to ask): Qt tries.
    unknown = fake_plugins({"xcb": []}, None)
    assert display_problem({"DISPLAY": "remote:10"}, "linux", **unknown) is None
    # A Wayland session does not need the X server.
    wayland = fake_plugins({"wayland": [], "xcb": []}, False)
    assert display_problem({"DISPLAY": ":0", "WAYLAND_DISPLAY": "w"}, "linux", **wayland) is None


def test_a_real_x_display_that_is_not_there():
    try:
        ctypes.CDLL("libxcb.so.1")
    except OSError:
        pytest.skip("needs libxcb")
    assert x_display_reachable(":4711") is False


@pytest.mark.skipif(os.name != "posix", reason="a fake ldd is a shell script")
def test_ldd_output_is_read_for_what_is_not_found(tmp_path, monkeypatch):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    ldd = bin_dir / "ldd"
    ldd.write_text(
        "#!/bin/sh\n"
        "printf '\\tlinux-vdso.so.1 (0x00007ffd)\\n'\n"
        "printf '\\tlibxcb-cursor.so.0 => not found\\n'\n"
        "printf '\\tlibxcb.so.1 => /lib/x86_64-linux-gnu/libxcb.so.1 (0x00007f30)\\n'\n"
        "printf '\\tlibxkbcommon-x11.so.0 => not found\\n'\n",
        encoding="utf-8",
    )
    ldd.chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir))
    assert missing_libraries(tmp_path / "libqxcb.so") == [
        "libxcb-cursor.so.0",
        "libxkbcommon-x11.so.0",
    ]


def test_real_start_without_display_prints_one_line(tmp_path):
    if not sys.platform.startswith("linux"):
        pytest.skip("the display check is for Linux")
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    env.update(DRAFTER_DATA_DIR=str(tmp_path / "data"), PYTHONIOENCODING="utf-8")
    command = [sys.executable, "-m", "drafter"]
    installed = shutil.which("drafter", path=str(Path(sys.executable).parent))
    for argv in ([*command], [installed] if installed else [*command, "--self-test"]):
        result = subprocess.run(
            argv, capture_output=True, text=True, encoding="utf-8", env=env, cwd=REPO_ROOT,
            timeout=60, check=False,
        )  # fmt: skip
        assert result.returncode == 2, result.stderr
        assert result.stderr.startswith("drafter: 错误: 无法打开窗口：没有图形显示")
        assert len(result.stderr.splitlines()) == 1, result.stderr
        assert result.stdout == ""


def test_this_machines_qt_plugin_is_checked_with_ldd():
    """On Linux with PySide6's plugin: the real check answers, and agrees with ldd."""
    from drafter.display_check import platform_plugin

    plugin = platform_plugin("xcb") if sys.platform.startswith("linux") else None
    if plugin is None or shutil.which("ldd") is None:
        pytest.skip("needs Linux, ldd and PySide6's xcb plugin")
    missing = missing_libraries(plugin)
    assert missing is not None
    listed = subprocess.run(["ldd", str(plugin)], capture_output=True, text=True, check=False)
    assert "libQt6XcbQpa.so.6 => " in listed.stdout  # it really read the plugin
    assert all(f"{soname} => not found" in listed.stdout for soname in missing), missing
    assert listed.stdout.count("=> not found") == len(missing)


def test_main_reports_the_problem_before_qt_loads(monkeypatch, capsys):
    import drafter.display_check
    import drafter.gui.app

    window_calls: list[str] = []
    monkeypatch.setattr(drafter.gui.app, "run_app", lambda **_: window_calls.append("run") or 0)
    monkeypatch.setattr(drafter.gui.app, "run_self_test", lambda: window_calls.append("self") or 0)
    monkeypatch.setattr(drafter.display_check, "display_problem", lambda: "无法打开窗口：测试")
    assert main([]) == 2
    assert capsys.readouterr().err == "drafter: 错误: 无法打开窗口：测试\n"
    assert main(["--self-test"]) == 2
    assert capsys.readouterr().err == "drafter: 错误: 无法打开窗口：测试\n"
    assert window_calls == []


def test_readme_and_ci_install_the_packages_the_window_needs():
    from drafter.display_check import DESKTOP_PACKAGES, LIBRARY_PACKAGES

    assert set(DESKTOP_PACKAGES) <= set(LIBRARY_PACKAGES.values())
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    setup = readme[readme.index("## Set-up") : readme.index("## The window")]
    install = next(line for line in setup.splitlines() if line.startswith("sudo apt install lib"))
    assert install.split()[3:] == DESKTOP_PACKAGES
    ci = (REPO_ROOT / ".ci" / "run").read_text(encoding="utf-8")
    for package in [*DESKTOP_PACKAGES, "xvfb", "xdotool", "openbox"]:
        assert re.search(rf"[\s(]{re.escape(package)}[\s)]", ci), package
    assert ci.count("apt-get install") == 1


def test_real_start_with_a_broken_xcb_library_names_it(tmp_path):
    """libxcb-cursor.so.0 made unloadable in a private mount namespace (needs root)."""
    library = Path("/usr/lib/x86_64-linux-gnu/libxcb-cursor.so.0")
    unshare = shutil.which("unshare")
    if not (sys.platform.startswith("linux") and os.geteuid() == 0 and unshare):
        pytest.skip("needs Linux, root and unshare")
    if not library.exists() or subprocess.run([unshare, "-m", "true"], check=False).returncode:
        pytest.skip("needs libxcb-cursor0 installed and mount namespaces")
    broken = tmp_path / "not-a-library"
    broken.write_text("not a library", encoding="utf-8")
    script = f'mount --bind "{broken}" "{library.resolve()}" && exec "{sys.executable}" -m drafter'
    env = dict(os.environ, DISPLAY=":0", DRAFTER_DATA_DIR=str(tmp_path / "data"))
    env.pop("QT_QPA_PLATFORM", None)
    env.pop("WAYLAND_DISPLAY", None)
    result = subprocess.run(
        [unshare, "-m", "sh", "-c", script], capture_output=True, text=True, encoding="utf-8",
        env=env, cwd=REPO_ROOT, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 2, result.stderr
    assert result.stderr == (
        "drafter: 错误: 无法打开窗口：缺少系统库 libxcb-cursor.so.0；"
        "请安装：sudo apt install libxcb-cursor0\n"
    )
