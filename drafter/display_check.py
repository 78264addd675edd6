"""Before the window opens on Linux: is there a display, and can Qt's platform plugin load?

Without them Qt prints English ("could not load the Qt platform plugin xcb") and aborts
with a core dump. This check runs first and says, in one Chinese line, what is missing
and which packages install it. It never loads Qt (it runs before Qt is imported), and it
only objects when every platform Qt would try is known to fail: a check that cannot tell
(no ldd, no plugin file) lets Qt try.
"""

from __future__ import annotations

import ctypes
import importlib.util
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

# The system libraries Qt's xcb and wayland platform plugins (and QtGui below them) link
# against, with the Debian/Ubuntu/UOS/Kylin package that installs each. A fresh desktop
# has most of them; the xcb-util ones are the usual gap (the NEEDED entries of libqxcb.so,
# libqwayland.so and the Qt libraries they load, as PySide6 6.11 ships them).
LIBRARY_PACKAGES: dict[str, str] = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb.so.1": "libxcb1",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libX11.so.6": "libx11-6",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libGLX.so.0": "libglx0",
    "libOpenGL.so.0": "libopengl0",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libdbus-1.so.3": "libdbus-1-3",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libz.so.1": "zlib1g",
    "libzstd.so.1": "libzstd1",
    "libstdc++.so.6": "libstdc++6",
    "libgcc_s.so.1": "libgcc-s1",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libwayland-client.so.0": "libwayland-client0",
    "libwayland-cursor.so.0": "libwayland-cursor0",
    "libwayland-egl.so.1": "libwayland-egl1",
}
# What the README's set-up asks a fresh desktop to install for the window.
DESKTOP_PACKAGES = [
    "libxcb-cursor0", "libxcb-icccm4", "libxcb-image0", "libxcb-keysyms1", "libxcb-randr0",
    "libxcb-render-util0", "libxcb-shape0", "libxcb-xkb1", "libxkbcommon-x11-0",
    "libegl1", "libgl1", "libfontconfig1", "libdbus-1-3",
]  # fmt: skip

GET_A_DISPLAY = "请在桌面环境中运行；通过 ssh 连接时请加 -X。命令行功能不需要窗口，见 drafter -h"
_NOT_FOUND = re.compile(r"^\s*(\S+)\s+=>\s+not found", re.MULTILINE)
MissingLibraries = Callable[[Path], "list[str] | None"]


def platform_plugin(name: str) -> Path | None:
    """Qt's platform plugin file `libq<name>.so` of the installed PySide6, if present."""
    spec = importlib.util.find_spec("PySide6")  # finds the package without loading Qt
    roots = [Path(p) for p in (spec.submodule_search_locations or [])] if spec else []
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        roots.append(Path(frozen) / "PySide6")
    for root in roots:
        plugin = root / "Qt" / "plugins" / "platforms" / f"libq{name}.so"
        if plugin.is_file():
            return plugin
    return None


def missing_libraries(plugin: Path) -> list[str] | None:
    """The shared libraries `plugin` needs that the system lacks; None if that is unknown."""
    ldd = shutil.which("ldd")
    if ldd:
        try:
            result = subprocess.run(
                [ldd, str(plugin)], capture_output=True, text=True, timeout=10, check=False
            )
        except (OSError, subprocess.SubprocessError):
            result = None
        if result is not None and (result.returncode == 0 or "not found" in result.stdout):
            return sorted(set(_NOT_FOUND.findall(result.stdout)))
    if "libqxcb" not in plugin.name:
        return None
    # No ldd (a minimal system): try the libraries the xcb plugin is known to need.
    missing = []
    for soname in LIBRARY_PACKAGES:
        if soname.startswith("libwayland"):
            continue
        try:
            ctypes.CDLL(soname)
        except OSError:
            missing.append(soname)
    return missing


def x_display_reachable(display: str) -> bool | None:
    """Whether the X server `display` accepts a connection; None if libxcb is not there."""
    try:
        xcb = ctypes.CDLL("libxcb.so.1")
    except OSError:
        return None
    xcb.xcb_connect.restype = ctypes.c_void_p
    xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
    xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
    xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
    connection = xcb.xcb_connect(display.encode(), None)  # never NULL: an error object
    try:
        return xcb.xcb_connection_has_error(connection) == 0
    finally:
        xcb.xcb_disconnect(connection)


def display_problem(
    environ: Mapping[str, str] | None = None,
    platform: str | None = None,
    find_plugin: Callable[[str], Path | None] = platform_plugin,
    find_missing: MissingLibraries = missing_libraries,
    has_apt: bool | None = None,
    reachable: Callable[[str], bool | None] = x_display_reachable,
) -> str | None:
    """Why the window cannot open here, as one Chinese sentence; None when it should open."""
    environ = os.environ if environ is None else environ
    platform = sys.platform if platform is None else platform
    if not platform.startswith("linux"):
        return None  # Windows and macOS always have their platform plugin and a screen
    requested = environ.get("QT_QPA_PLATFORM", "").strip()
    if requested:
        # "xcb", "offscreen", "wayland;xcb", "vnc:size=800x600": only xcb is checked here.
        if requested.split(";")[0].split(":")[0].strip() != "xcb":
            return None
        candidates = ["xcb"]
    else:
        candidates = [
            name
            for name, variable in (("wayland", "WAYLAND_DISPLAY"), ("xcb", "DISPLAY"))
            if environ.get(variable)
        ]
    if not environ.get("DISPLAY") and "wayland" not in candidates:
        unset = "未设置环境变量 DISPLAY 或 WAYLAND_DISPLAY"
        return f"无法打开窗口：没有图形显示（{unset}）。{GET_A_DISPLAY}"
    missing: list[str] = []
    for name in candidates:
        plugin = find_plugin(name)
        found = find_missing(plugin) if plugin is not None else None
        if not found:
            if name == "xcb" and reachable(environ["DISPLAY"]) is False:
                # A stale DISPLAY (an ssh session without -X, a closed X server).
                return (
                    f"无法打开窗口：连接不上图形显示 DISPLAY={environ['DISPLAY']}。{GET_A_DISPLAY}"
                )
            return None  # this platform loads (or cannot be checked): let Qt start
        missing.extend(soname for soname in found if soname not in missing)
    return _missing_message(
        missing, shutil.which("apt-get") is not None if has_apt is None else has_apt
    )


def _missing_message(missing: list[str], has_apt: bool) -> str:
    packages = list(dict.fromkeys(LIBRARY_PACKAGES[s] for s in missing if s in LIBRARY_PACKAGES))
    unknown = [soname for soname in missing if soname not in LIBRARY_PACKAGES]
    message = f"无法打开窗口：缺少系统库 {'、'.join(missing)}"
    if packages and has_apt:
        message += f"；请安装：sudo apt install {' '.join(packages)}"
    elif packages:
        message += f"；请用系统的软件包管理器安装（Debian/Ubuntu 上的包名：{' '.join(packages)}）"
    if unknown:
        message += f"；{'、'.join(unknown)} 请安装提供它的软件包"
    return message
