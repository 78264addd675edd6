"""What build.spec bundles into the standalone app, checked without running PyInstaller."""

from __future__ import annotations

import ast
import importlib.util
import json
import re
import struct
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "build.spec"


def _load_build_support():
    spec = importlib.util.spec_from_file_location(
        "build_support", ROOT / "tools" / "build_support.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("build_support", module)
    spec.loader.exec_module(module)
    return module


build_support = _load_build_support()


def _bundled(datas: list[tuple[str, str]]) -> set[str]:
    """Destination paths inside the app, with forward slashes."""
    return {Path(destination, Path(source).name).as_posix() for source, destination in datas}


def test_resources_and_templates_are_bundled():
    bundled = _bundled(build_support.project_datas())
    manifest = json.loads((ROOT / "resources/references/manifest.json").read_text("utf-8"))
    for entry in manifest["references"]:
        assert f"resources/references/{entry['file']}" in bundled
    assert "resources/references/manifest.json" in bundled
    assert "resources/icons/drafter.ico" in bundled
    assert "templates/regulation.docx" in bundled
    assert not [path for path in bundled if path.endswith(".py") or "__pycache__" in path]


def test_opencc_data_named_by_the_t2s_config_is_bundled():
    bundled = _bundled(build_support.package_datas())
    assert "opencc/config/t2s.json" in bundled
    # drafter.matching.normalize reads these two by name.
    assert {"opencc/dictionary/TSCharacters.txt", "opencc/dictionary/TWVariantsRev.txt"} <= bundled
    config_path = next(
        Path(source) for source, _ in build_support.package_datas() if source.endswith("t2s.json")
    )
    named = re.findall(r'"file":\s*"([^"]+)"', config_path.read_text("utf-8"))
    assert named
    for name in named:
        assert f"opencc/dictionary/{name}" in bundled


def test_python_docx_templates_are_bundled():
    bundled = _bundled(build_support.package_datas())
    assert {"docx/templates/default.docx", "docx/templates/default-footer.xml"} <= bundled


def test_only_simplified_chinese_qt_catalogues_are_kept():
    unused = build_support.is_unused_qt_translation
    assert not unused("PySide6/Qt/translations/qtbase_zh_CN.qm")
    assert not unused("PySide6\\Qt\\translations\\qtbase_zh_CN.qm")
    assert unused("PySide6/Qt/translations/qtbase_de.qm")
    assert unused("PySide6\\Qt\\translations\\qtbase_zh_TW.qm")
    assert not unused("resources/references/manifest.json")


def test_name_and_version_come_from_pyproject_and_match_the_package():
    import drafter

    metadata = build_support.project_metadata()
    assert metadata["name"] == "drafter"
    assert metadata["version"] == drafter.__version__
    # The Python 3.10 fallback (no tomllib) reads the same keys.
    text = (ROOT / "pyproject.toml").read_text("utf-8")
    assert build_support._project_keys_by_regex(text) == metadata


def test_windows_version_numbers():
    assert build_support.numeric_version("0.1.0") == (0, 1, 0, 0)
    assert build_support.numeric_version("1.2.0rc1") == (1, 2, 0, 0)
    assert build_support.numeric_version("2024.10.3.7.9") == (2024, 10, 3, 7)


def test_windows_version_resource_builds():
    # PyInstaller's version-resource module imports pefile and pywin32: Windows only.
    pytest.importorskip("PyInstaller.utils.win32.versioninfo", exc_type=ImportError)
    info = build_support.windows_version_info(build_support.project_metadata(), "立法起草助手")
    assert "立法起草助手" in str(info)
    assert info.toRaw()


def test_spec_uses_no_literal_paths():
    tree = ast.parse(SPEC.read_text("utf-8"))
    body = tree.body[1:] if ast.get_docstring(tree) else tree.body
    strings = [
        node.value
        for statement in body
        for node in ast.walk(statement)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    ]
    assert strings
    # Paths are joined from SPECPATH; a "/" or "\\" in a literal would tie it to one OS.
    assert not [s for s in strings if "/" in s or "\\" in s]
    assert "SPECPATH" in {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}


def test_icon_is_a_multi_size_windows_icon():
    data = (ROOT / "resources/icons/drafter.ico").read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", data)
    assert (reserved, kind) == (0, 1)
    sizes = set()
    for index in range(count):
        width, _, _, _, _, _, length, offset = struct.unpack_from("<BBBBHHII", data, 6 + 16 * index)
        sizes.add(width or 256)
        assert data[offset : offset + 8] == b"\x89PNG\r\n\x1a\n"
        assert offset + length <= len(data)
    assert {16, 32, 48, 256} <= sizes
