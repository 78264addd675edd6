"""The core must never import Qt: only drafter/gui may."""

from __future__ import annotations

import subprocess
import sys

from tests.helpers import REPO_ROOT


def _core_modules() -> list[str]:
    modules = []
    for path in sorted((REPO_ROOT / "drafter").rglob("*.py")):
        relative = path.relative_to(REPO_ROOT).with_suffix("")
        parts = relative.parts
        if "gui" in parts:
            continue
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if parts[-1] == "__main__":
            continue
        modules.append(".".join(parts))
    return modules


def test_core_modules_import_without_pyside6():
    modules = _core_modules()
    assert "drafter.library.library" in modules and "drafter.cli.main" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "from drafter.cli.main import build_parser\n"
        "build_parser()\n"
        "from drafter.library import ReferenceLibrary\n"
        "ReferenceLibrary().references()\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6'))\n"
        "print('QT:' + ','.join(loaded))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO_ROOT, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "QT:", result.stdout
