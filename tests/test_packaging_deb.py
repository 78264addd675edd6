"""tools/build_deb.py on a tiny fake app folder: the .deb's control, files and metadata.

Runs in seconds: no PyInstaller, no installation. The real build and an install into a
clean Debian root are tools/test_deb_install.sh's job.
"""

from __future__ import annotations

import configparser
import importlib.util
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.skipif(
    shutil.which("dpkg-deb") is None, reason="dpkg-deb is not installed (not a Debian system)"
)


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(name, module)
    spec.loader.exec_module(module)
    return module


build_deb = _load("build_deb")
VERSION = build_deb.project_metadata()["version"]
ICON_SIZES = {16, 24, 32, 48, 64, 128, 256}
MIME_NS = "{http://www.freedesktop.org/standards/shared-mime-info}"


@pytest.fixture(scope="module")
def package(tmp_path_factory) -> Path:
    """A .deb built from a fake app folder (shell scripts stand in for the executables)."""
    base = tmp_path_factory.mktemp("deb")
    dist = base / "dist" / "drafter"
    (dist / "_internal" / "resources").mkdir(parents=True)
    (dist / "_internal" / "resources" / "manifest.json").write_text("{}", encoding="utf-8")
    for name in ("drafter", "drafter-gui"):
        (dist / name).write_text("#!/bin/sh\necho drafter 0\n", encoding="utf-8")
        (dist / name).chmod(0o700)  # the package must still make it 0755
    return build_deb.build(dist, base / "out", arch="amd64", compression="gzip")


@pytest.fixture(scope="module")
def unpacked(package: Path, tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("unpacked")
    subprocess.run(["dpkg-deb", "-x", str(package), str(root)], check=True)
    return root


def _field(package: Path, name: str) -> str:
    result = subprocess.run(
        ["dpkg-deb", "--field", str(package), name], capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def _contents(package: Path) -> dict[str, tuple[str, str]]:
    """path → (mode string, owner/group) from `dpkg-deb --contents`."""
    result = subprocess.run(
        ["dpkg-deb", "--contents", str(package)], capture_output=True, text=True, check=True
    )
    entries = {}
    for line in result.stdout.splitlines():
        mode, owner, _size, _date, _time, path = line.split(None, 5)
        entries[path.split(" -> ")[0].lstrip(".")] = (mode, owner)
    return entries


def test_name_and_control_fields(package: Path):
    assert package.name == f"drafter_{VERSION}_amd64.deb"
    assert _field(package, "Package") == "drafter"
    assert _field(package, "Version") == VERSION
    assert _field(package, "Architecture") == "amd64"
    depends = {d.strip() for d in _field(package, "Depends").split(",")}
    for library in ("libxcb-cursor0", "libxcb-icccm4", "libxkbcommon-x11-0", "libegl1",
                    "libgl1", "libfontconfig1", "libdbus-1-3", "libc6"):  # fmt: skip
        assert library in depends
    assert "fonts-noto-cjk | fonts-wqy-microhei" in _field(package, "Recommends")
    assert int(_field(package, "Installed-Size")) > 0
    assert _field(package, "Description").startswith("立法起草助手")


def test_files_are_root_owned_with_sane_modes(package: Path):
    entries = _contents(package)
    expected = {
        "/opt/drafter/drafter": "-rwxr-xr-x",
        "/opt/drafter/drafter-gui": "-rwxr-xr-x",
        "/opt/drafter/_internal/resources/manifest.json": "-rw-r--r--",
        "/usr/bin/drafter": "-rwxr-xr-x",
        "/usr/share/applications/drafter.desktop": "-rw-r--r--",
        "/usr/share/mime/packages/drafter.xml": "-rw-r--r--",
        "/usr/share/doc/drafter/copyright": "-rw-r--r--",
        "/usr/share/man/man1/drafter.1.gz": "-rw-r--r--",
    }
    for path, mode in expected.items():
        assert entries[path][0] == mode, path
    for size in ICON_SIZES:
        assert f"/usr/share/icons/hicolor/{size}x{size}/apps/drafter.png" in entries
    assert {owner for _mode, owner in entries.values()} == {"root/root"}
    assert all(mode[0] != "d" or mode == "drwxr-xr-x" for mode, _owner in entries.values())


def test_launcher_runs_the_console_executable(unpacked: Path):
    launcher = (unpacked / "usr/bin/drafter").read_text(encoding="utf-8")
    assert launcher.startswith("#!/bin/sh\n")
    assert 'exec /opt/drafter/drafter "$@"' in launcher
    subprocess.run(["sh", "-n", str(unpacked / "usr/bin/drafter")], check=True)


def test_desktop_entry(unpacked: Path):
    path = unpacked / "usr/share/applications/drafter.desktop"
    entry = configparser.ConfigParser(interpolation=None)
    entry.optionxform = str  # keys are case-sensitive
    entry.read(path, encoding="utf-8")
    desktop = entry["Desktop Entry"]
    assert desktop["Name"] == "立法起草助手"
    assert desktop["Name[zh_CN]"] == "立法起草助手"
    assert desktop["Comment"]
    assert desktop["Exec"] == "drafter %f"
    assert desktop["Icon"] == "drafter"
    assert "Office" in desktop["Categories"].split(";")
    assert "application/x-drafter-draft" in desktop["MimeType"].split(";")
    if shutil.which("desktop-file-validate"):
        result = subprocess.run(["desktop-file-validate", str(path)], capture_output=True,
                                text=True)  # fmt: skip
        assert result.returncode == 0 and not result.stdout.strip(), result.stdout


def test_mime_type_beats_json(unpacked: Path, tmp_path: Path):
    xml = unpacked / "usr/share/mime/packages/drafter.xml"
    mime_type = ET.parse(xml).getroot().find(f"{MIME_NS}mime-type")
    assert mime_type.get("type") == "application/x-drafter-draft"
    glob = mime_type.find(f"{MIME_NS}glob")
    assert glob.get("pattern") == "*.drafter.json"
    assert int(glob.get("weight")) > 50  # *.json has the default weight 50
    assert mime_type.find(f"{MIME_NS}sub-class-of").get("type") == "application/json"
    if shutil.which("update-mime-database"):  # the database the desktops read
        (tmp_path / "packages").mkdir()
        shutil.copy(xml, tmp_path / "packages")
        subprocess.run(["update-mime-database", str(tmp_path)], check=True,
                       capture_output=True)  # fmt: skip
        globs = (tmp_path / "globs2").read_text(encoding="utf-8")
        assert "80:application/x-drafter-draft:*.drafter.json" in globs


def test_icons_are_the_app_icon_at_each_size(unpacked: Path):
    images = build_deb.ico_images()
    assert set(images) == ICON_SIZES
    for size in ICON_SIZES:
        folder = unpacked / f"usr/share/icons/hicolor/{size}x{size}"
        png = (folder / "apps/drafter.png").read_bytes()
        assert png == images[size]
        width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
        assert (width, height) == (size, size)
        assert (folder / "mimetypes/application-x-drafter-draft.png").is_file()


def test_maintainer_scripts_never_touch_user_data(package: Path, tmp_path: Path):
    subprocess.run(["dpkg-deb", "-e", str(package), str(tmp_path)], check=True)
    for name in ("postinst", "postrm"):
        script = tmp_path / name
        assert script.stat().st_mode & 0o777 == 0o755
        subprocess.run(["sh", "-n", str(script)], check=True)
        text = script.read_text(encoding="utf-8")
        assert "rm " not in text and "HOME" not in text and ".local" not in text
        assert "command -v update-desktop-database" in text
    md5sums = (tmp_path / "md5sums").read_text(encoding="utf-8")
    assert "  opt/drafter/drafter\n" in md5sums and "DEBIAN" not in md5sums


def test_optional_qt_plugins_are_left_out_of_depends(tmp_path: Path):
    dist = tmp_path / "drafter"
    plugins = dist / "_internal/PySide6/Qt/plugins"
    assert build_deb.is_optional(plugins / "platforms/libqwayland.so", dist)
    assert build_deb.is_optional(plugins / "platformthemes/libqgtk3.so", dist)
    assert build_deb.is_optional(dist / "_internal/PySide6/Qt/lib/libQt6WaylandClient.so.6", dist)
    assert not build_deb.is_optional(plugins / "platforms/libqxcb.so", dist)
    assert not build_deb.is_optional(dist / "_internal/libQt6XcbQpa.so.6", dist)


def _real_elf() -> Path:
    """A shared library of the running Python (an ELF that needs versioned glibc symbols)."""
    import _ctypes

    return Path(_ctypes.__file__)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ELF files are Linux's")
def test_glibc_versions_read_from_a_real_elf():
    needs = build_deb.version_needs(_real_elf())
    glibc = {name for name in needs if name.startswith("GLIBC_")}
    assert glibc and all(name == "GLIBC_PRIVATE" or build_deb.glibc_version(name)
                         for name in glibc)  # fmt: skip
    if shutil.which("objdump"):  # the same "Version References" objdump -p shows
        result = subprocess.run(["objdump", "-p", str(_real_elf())], capture_output=True,
                                text=True, check=True)  # fmt: skip
        shown = {line.split()[-1] for line in result.stdout.splitlines()
                 if line.strip().startswith("0x") and "GLIBC_" in line}  # fmt: skip
        assert glibc == shown
    assert build_deb.glibc_version("GLIBC_2.2.5") == (2, 2, 5)
    assert build_deb.glibc_version("GLIBC_2.34") == (2, 34)
    assert build_deb.glibc_version("GLIBC_ABI_DT_RELR") == (2, 36)
    assert build_deb.glibc_version("GLIBC_PRIVATE") is None
    assert build_deb.glibc_version("GLIBCXX_3.4.29") is None
    assert build_deb.version_needs(ROOT / "pyproject.toml") == set()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="ELF files are Linux's")
def test_glibc_floor_goes_into_depends_and_max_glibc_fails(tmp_path: Path, capsys):
    dist = tmp_path / "drafter"
    (dist / "_internal").mkdir(parents=True)
    (dist / "drafter").write_text("#!/bin/sh\n", encoding="utf-8")
    shutil.copy(_real_elf(), dist / "_internal" / "_ctypes.so")
    floor, files = build_deb.glibc_floor(dist)
    assert floor >= (2, 2) and files == [dist / "_internal" / "_ctypes.so"]
    text = build_deb.format_version(floor)

    common = ["--dist", str(dist), "--out", str(tmp_path / "out"), "--arch", "amd64",
              "--compression", "gzip", "--skip-depends-check"]  # fmt: skip
    assert build_deb.main([*common, "--max-glibc", "2.0"]) == 1
    error = capsys.readouterr().err.strip().splitlines()
    assert error == [f"build_deb: the app needs glibc {text}, above --max-glibc 2.0 "
                     "(_internal/_ctypes.so)"]  # fmt: skip

    assert build_deb.main([*common, "--max-glibc", "99.0"]) == 0
    assert f"glibc: the app needs {text} (_ctypes.so)" in capsys.readouterr().out
    depends = _field(tmp_path / "out" / f"drafter_{VERSION}_amd64.deb", "Depends")
    assert f"libc6 (>= {text})" in [d.strip() for d in depends.split(",")]
