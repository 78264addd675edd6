"""packaging/windows/drafter.nsi: it compiles (makensis, where installed) and keeps user data.

Compiles the installer from a tiny fake app folder in about a second; what the installer
does on Windows itself is not tested here (see the README).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "packaging" / "windows" / "drafter.nsi"


def _section(text: str, name: str) -> str:
    match = re.search(rf'^Section "{name}"\n(.*?)^SectionEnd', text, re.M | re.S)
    assert match, name
    return match.group(1)


def test_uninstaller_removes_only_what_it_installed():
    uninstall = _section(SCRIPT.read_text(encoding="utf-8"), "Uninstall")
    commands = [line.strip() for line in uninstall.splitlines() if line.strip()[:1] != ";"]
    assert not any(re.search(r"APPDATA|LOCALAPPDATA|PROFILE|DOCUMENTS", c) for c in commands)
    # The program folder itself only if empty (a folder the user chose may hold more).
    assert 'RMDir "$INSTDIR"' in commands
    assert not any(c.startswith('RMDir /r "$INSTDIR"') for c in commands)


def test_start_menu_entry_and_open_with_registration():
    text = SCRIPT.read_text(encoding="utf-8")
    assert '!define DISPLAY_NAME "立法起草助手"' in text
    assert 'CreateShortcut "$SMPROGRAMS\\${DISPLAY_NAME}.lnk" "$INSTDIR\\${GUI_EXE}"' in text
    assert '"Software\\Classes\\.json\\OpenWithProgids" "${PROG_ID}"' in text
    assert '"$INSTDIR\\${GUI_EXE}" "%1"' in text
    assert "$PROGRAMFILES64" in text


@pytest.mark.skipif(shutil.which("makensis") is None, reason="makensis (NSIS) is not installed")
def test_installer_compiles(tmp_path: Path):
    dist = tmp_path / "drafter"
    (dist / "_internal").mkdir(parents=True)
    (dist / "_internal" / "base_library.zip").write_bytes(b"stand-in")
    for name in ("drafter.exe", "drafter-gui.exe"):
        (dist / name).write_bytes(b"MZ stand-in")
    result = subprocess.run(
        ["makensis", "-V2", "-WX", f"-DDIST={dist.as_posix()}", f"-DOUTDIR={tmp_path.as_posix()}",
         str(SCRIPT)],
        capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    version = re.search(r'^version = "([^"]+)"', (ROOT / "pyproject.toml").read_text("utf-8"), re.M)
    installer = tmp_path / f"drafter-{version.group(1)}-setup.exe"
    assert installer.read_bytes()[:2] == b"MZ"
