"""What build.spec bundles, kept out of the spec so tests can check it without PyInstaller.

Everything here is plain Python (no PyInstaller, no Qt): the project's name and version
from pyproject.toml, the data files the frozen app needs, and the Windows version
resource. Paths are built with pathlib only, so the same code runs on Windows.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path, PurePosixPath

ROOT = Path(__file__).resolve().parent.parent

# Bundled folders of the project: (folder, destination inside the app). drafter.paths
# looks them up under sys._MEIPASS by these names.
PROJECT_FOLDERS = [("resources", "resources"), ("templates", "templates")]
# Source files next to the data (templates/build_template.py) are for developers only.
SKIPPED_SUFFIXES = {".py", ".pyc", ".pyo"}
SKIPPED_DIRS = {"__pycache__"}

# Package data that PyInstaller does not see through imports: (package, folder, glob).
# OpenCC reads its config and dictionaries with open() next to its module, so without
# them the app starts and then fails at the first traditional character.
PACKAGE_DATA = [
    ("opencc", "config", "*.json"),
    ("opencc", "dictionary", "*.txt"),
    # python-docx's default document parts (the contrib hook collects them too).
    ("docx", "templates", "*"),
]

# The interface is Simplified Chinese only; other Qt catalogues are dead weight.
KEPT_QT_LOCALES = ("zh_CN",)


def project_metadata(root: Path = ROOT) -> dict[str, str]:
    """`name`, `version` and `description` from pyproject.toml's [project] table."""
    text = (root / "pyproject.toml").read_text(encoding="utf-8")
    try:
        import tomllib  # Python 3.11+
    except ModuleNotFoundError:  # Python 3.10: the three keys are plain strings
        return _project_keys_by_regex(text)
    project = tomllib.loads(text)["project"]
    return {key: project[key] for key in ("name", "version", "description")}


def _project_keys_by_regex(text: str) -> dict[str, str]:
    section = re.search(r"^\[project\]\s*$(.*?)(?=^\[|\Z)", text, re.M | re.S)
    if section is None:
        raise ValueError("pyproject.toml has no [project] table")
    keys = {}
    for key in ("name", "version", "description"):
        match = re.search(rf'^{key}\s*=\s*"([^"]*)"', section.group(1), re.M)
        if match is None:
            raise ValueError(f"pyproject.toml's [project] has no {key}")
        keys[key] = match.group(1)
    return keys


def numeric_version(version: str) -> tuple[int, int, int, int]:
    """`0.1.0` → (0, 1, 0, 0), for the Windows version resource (four 16-bit numbers)."""
    release = re.match(r"\d+(?:\.\d+)*", version)  # 1.2.0rc1 → 1.2.0
    numbers = [int(part) for part in release.group(0).split(".")] if release else []
    return tuple([*numbers, 0, 0, 0, 0][:4])  # type: ignore[return-value]


def project_datas(root: Path = ROOT) -> list[tuple[str, str]]:
    """(source file, destination folder) for every file of resources/ and templates/."""
    datas = []
    for folder, destination in PROJECT_FOLDERS:
        base = root / folder
        for path in sorted(base.rglob("*")):
            relative = path.relative_to(base)
            if not path.is_file() or path.suffix in SKIPPED_SUFFIXES:
                continue
            if SKIPPED_DIRS.intersection(relative.parts):
                continue
            datas.append((str(path), str(Path(destination, *relative.parent.parts))))
    return datas


def package_datas() -> list[tuple[str, str]]:
    """(source file, destination folder) for the packages' data files in PACKAGE_DATA."""
    datas = []
    for package, folder, pattern in PACKAGE_DATA:
        spec = importlib.util.find_spec(package)
        if spec is None or spec.origin is None:
            raise ModuleNotFoundError(f"{package} is not installed; it must be bundled")
        source = Path(spec.origin).parent / folder
        files = sorted(p for p in source.glob(pattern) if p.is_file())
        if not files:
            raise FileNotFoundError(f"no {pattern} in {source}: {package} is incomplete")
        datas += [(str(path), str(Path(package, folder))) for path in files]
    return datas


def is_unused_qt_translation(destination: str) -> bool:
    """Whether a collected file is a Qt .qm catalogue for a language the app never shows."""
    parts = PurePosixPath(destination.replace("\\", "/")).parts
    if "translations" not in parts or not destination.endswith(".qm"):
        return False
    return not any(parts[-1].endswith(f"_{locale}.qm") for locale in KEPT_QT_LOCALES)


def windows_version_info(metadata: dict[str, str], display_name: str):
    """The version resource shown in Explorer's Properties → Details (PyInstaller object)."""
    from PyInstaller.utils.win32 import versioninfo as vi

    numbers = numeric_version(metadata["version"])
    strings = [
        vi.StringStruct("CompanyName", metadata["name"]),
        vi.StringStruct("FileDescription", display_name),
        vi.StringStruct("FileVersion", metadata["version"]),
        vi.StringStruct("InternalName", metadata["name"]),
        vi.StringStruct("OriginalFilename", f"{metadata['name']}.exe"),
        vi.StringStruct("ProductName", display_name),
        vi.StringStruct("ProductVersion", metadata["version"]),
    ]
    return vi.VSVersionInfo(
        ffi=vi.FixedFileInfo(filevers=numbers, prodvers=numbers),
        kids=[
            # 0804 = zh-CN, 04B0 = 1200 = UTF-16.
            vi.StringFileInfo([vi.StringTable("080404B0", strings)]),
            vi.VarFileInfo([vi.VarStruct("Translation", [0x0804, 1200])]),
        ],
    )


if __name__ == "__main__":  # print what would be bundled, for a quick look
    print(project_metadata())
    for source, destination in project_datas() + package_datas():
        print(f"{destination:30} {source}")
    sys.exit(0)
