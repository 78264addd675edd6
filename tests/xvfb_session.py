"""A real X display for end-to-end runs: Xvfb with the openbox window manager, and xdotool.

Used by tests/test_e2e_xvfb.py (the app launched as a separate process and typed into
with real X key events) and by the screenshot script. Nothing here imports Qt.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

TOOLS = ("Xvfb", "openbox", "xdotool")


def missing_tools() -> list[str]:
    return [tool for tool in TOOLS if shutil.which(tool) is None]


def _free_display() -> int:
    for number in range(91, 200):
        if (
            not Path(f"/tmp/.X11-unix/X{number}").exists()
            and not Path(f"/tmp/.X{number}-lock").exists()
        ):
            return number
    raise RuntimeError("no free X display number")


class XSession:
    """Xvfb + openbox on a free display; `env` is what a program needs to show a window."""

    def __init__(self, width: int = 1280, height: int = 800) -> None:
        self.number = _free_display()
        self.display = f":{self.number}"
        self._server = subprocess.Popen(
            ["Xvfb", self.display, "-screen", "0", f"{width}x{height}x24", "-nolisten", "tcp"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        socket = Path(f"/tmp/.X11-unix/X{self.number}")
        deadline = time.monotonic() + 15
        while not socket.exists():
            if time.monotonic() > deadline or self._server.poll() is not None:
                self.close()
                raise RuntimeError("Xvfb did not start")
            time.sleep(0.05)
        self.env = {**os.environ, "DISPLAY": self.display, "QT_QPA_PLATFORM": "xcb"}
        self.env.pop("WAYLAND_DISPLAY", None)
        self._wm = subprocess.Popen(
            ["openbox"], env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(0.5)  # let the window manager take the screen before a window maps

    def xdotool(self, *args: str, timeout: float = 30) -> str:
        result = subprocess.run(
            ["xdotool", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=True,
        )
        return result.stdout.strip()

    def wait_for_window(self, window_class: str, timeout: float = 60) -> str:
        """The id of the first visible window of a WM_CLASS (titles in Chinese are
        COMPOUND_TEXT in WM_NAME, which xdotool's --name does not match)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = subprocess.run(
                ["xdotool", "search", "--onlyvisible", "--class", window_class],
                env=self.env,
                capture_output=True,
                text=True,
            ).stdout.split()
            if found:
                return found[0]
            time.sleep(0.2)
        raise TimeoutError(f"no window of class {window_class!r} within {timeout} s")

    def screenshot(self, path: Path) -> bool:
        """The whole screen as PNG with ImageMagick's import; False where it is missing."""
        if shutil.which("import") is None:
            return False
        subprocess.run(
            ["import", "-window", "root", str(path)], env=self.env, check=True, timeout=30
        )
        return True

    def close(self) -> None:
        for process in (getattr(self, "_wm", None), self._server):
            if process is not None and process.poll() is None:
                process.terminate()
                try:
                    process.wait(5)
                except subprocess.TimeoutExpired:
                    process.kill()

    def __enter__(self) -> XSession:
        return self

    def __exit__(self, *_exc) -> None:
        self.close()
