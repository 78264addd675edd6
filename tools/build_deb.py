"""Build drafter_<version>_<arch>.deb from the PyInstaller one-folder app, with dpkg-deb.

    .venv/bin/pyinstaller --noconfirm build.spec       # → dist/drafter/
    python tools/build_deb.py                          # → dist/drafter_0.1.0_amd64.deb
    python tools/build_deb.py --dist DIR --out DIR [--arch ARCH] [--check-depends]
                              [--max-glibc X.Y]

Any Python 3.10+ runs it (standard library only; dpkg-deb from the dpkg package). The
architecture is `dpkg --print-architecture` of the machine it runs on: PyInstaller does
not cross-compile, so the arm64 package (Kylin on Phytium/Kunpeng) is built the same way
on an arm64 machine, from an arm64 `dist/drafter/`.

What the package installs:
- /opt/drafter/ — the whole app folder, as PyInstaller made it (the app never writes there);
- /usr/bin/drafter — a two-line shell launcher that execs /opt/drafter/drafter, the console
  executable: `drafter` alone opens the window, `drafter FILE` opens a draft in it, and
  `drafter COMMAND` is the command line (on Linux the console and the windowed executables
  behave alike, so one serves the terminal and the menu);
- /usr/share/applications/drafter.desktop — the menu entry 立法起草助手 (Exec=drafter %f)
  and its MimeType;
- /usr/share/mime/packages/drafter.xml — the type application/x-drafter-draft for
  `*.drafter.json` (a sub-class of application/json; its glob is longer than `*.json` and
  weighs more, so file managers tell a draft from other JSON);
- /usr/share/icons/hicolor/NxN/{apps,mimetypes}/ — the icon at every size
  resources/icons/drafter.ico holds (16…256 px; tools/make_icon.py draws it; there is no
  SVG, so no scalable/ icon);
- /usr/share/doc/drafter/ (copyright, changelog) and the manual page drafter.1.

The menu entry is the only handler of application/x-drafter-draft, so once the desktop
database is updated every desktop (and `xdg-mime query default`) picks it; the package
does not write mimeapps.list, which belongs to the administrator and the users. The
caches are refreshed by dpkg triggers of desktop-file-utils, shared-mime-info and the
icon-cache tools on Debian and its derivatives; postinst and postrm call the same tools
too (each guarded with `command -v`), for systems whose packages lack those triggers.

Depends: how the list was derived. `DEPENDS` below is written by hand; `--check-depends`
(and every build from a real app folder on a Debian-family machine) re-derives it:
1. every ELF file of the app folder is run through `ldd` with LD_LIBRARY_PATH set to
   _internal/, as PyInstaller's bootloader sets it, so libraries bundled in the folder
   resolve there;
2. each library resolved outside the folder is mapped to its package with `dpkg -S`
   (libc6, libgl1, libegl1, libdrm2, libxcb1 on Debian 12, and libglx0 and libglvnd0,
   which ldd lists because libGL loads them); plugins Qt only tries and
   skips when their libraries are missing (Wayland, the GTK theme, EGLFS, Vulkan) are
   left out;
3. the build fails if a derived package is missing from DEPENDS.
DEPENDS also names the packages of Qt's xcb platform (libxcb-cursor0 … libxkbcommon-x11-0)
and of fontconfig and D-Bus even though PyInstaller bundles their libraries from the build
machine: they carry the data those libraries read at run time (/etc/fonts,
/usr/share/X11/xkb) and keep the package working when a later build stops bundling them.
A CJK font is recommended (fonts-noto-cjk | fonts-wqy-microhei | fonts-wqy-zenhei);
without one Chinese shows as boxes.

glibc: every build reads the symbol versions each ELF file of the app folder needs
(.gnu.version_r, as `objdump -p` lists them), prints the newest GLIBC_x.y and writes it
into Depends as `libc6 (>= x.y)`; `--max-glibc X.Y` makes the build fail above X.Y. Built
on Debian 12 the app needs 2.36; tools/build_in_old_root.sh builds it in a Debian 11 root
for 2.30 (docs/packaging.md).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import os
import re
import shutil
import stat
import struct
import subprocess
import sys
import tempfile
import time
from email.utils import formatdate
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_support import ROOT, project_metadata

PACKAGE = "drafter"
DISPLAY_NAME = "立法起草助手"
INSTALL_DIR = Path("opt") / PACKAGE
MIME_TYPE = "application/x-drafter-draft"
MIME_GLOB = "*.drafter.json"
MIME_GLOB_WEIGHT = 80  # application/json's *.json weighs the default 50
ICON_FILE = ROOT / "resources" / "icons" / "drafter.ico"
DEFAULT_DIST = ROOT / "dist" / PACKAGE
DEFAULT_OUT = ROOT / "dist"
MAINTAINER = "drafter maintainers <maintainers@drafter.invalid>"

# Written by hand; --check-depends re-derives the part ldd can see (see the docstring).
DEPENDS = [
    "libc6",
    "libgl1",
    "libglx0",
    "libglvnd0",
    "libegl1",
    "libdrm2",
    "libxcb1",
    "libxcb-cursor0",
    "libxcb-icccm4",
    "libxcb-keysyms1",
    "libxcb-image0",
    "libxcb-render-util0",
    "libxcb-shape0",
    "libxcb-randr0",
    "libxcb-xkb1",
    "libxkbcommon-x11-0",
    "libxkbcommon0",
    "libfontconfig1",
    "libfreetype6",
    "libdbus-1-3",
]
RECOMMENDS = [
    "fonts-noto-cjk | fonts-wqy-microhei | fonts-wqy-zenhei",
    "desktop-file-utils",
    "shared-mime-info",
    "hicolor-icon-theme",
    "xdg-utils",
]
# Plugin folders (and the libraries only they load) that Qt tries and skips without harm;
# matched case-insensitively against paths inside the app folder.
OPTIONAL_PARTS = (
    "wayland",  # the Wayland platform and its plugins: xcb (XWayland) serves instead
    "libqt6wlshellintegration",
    "platformthemes/libqgtk3",  # the GTK theme; Qt's own style otherwise
    "egldeviceintegrations",
    "libqeglfs",
    "libqt6eglfs",
    "libqvkkhrdisplay",
)

DESCRIPTION = """\
立法起草助手 — drafting Chinese local regulations
 Assemble a draft of a local regulation (地方性法规) chapter by chapter, see how
 other cities wrote the same clause, adopt or adapt it while every clause keeps
 its provenance, and export a Word draft with its 起草说明 and 条文对照表.
 .
 The standalone app (Python and Qt included) installs under /opt/drafter;
 `drafter` opens the window, `drafter FILE.drafter.json` opens a draft and
 `drafter COMMAND` is the command line."""

LAUNCHER = f"""\
#!/bin/sh
# drafter (立法起草助手): `drafter` opens the window, `drafter FILE` opens a draft,
# `drafter COMMAND` is the command line. The app lives in /{INSTALL_DIR}.
exec /{INSTALL_DIR}/drafter "$@"
"""

DESKTOP_ENTRY = f"""\
[Desktop Entry]
Type=Application
Version=1.0
Name={DISPLAY_NAME}
Name[zh_CN]={DISPLAY_NAME}
Name[en]=Drafter
GenericName=法规起草
GenericName[zh_CN]=法规起草
GenericName[en]=Regulation Drafting
Comment=起草地方性法规：参考其他城市的条文，检查草案，导出 Word 草案、起草说明和条文对照表
Comment[zh_CN]=起草地方性法规：参考其他城市的条文，检查草案，导出 Word 草案、起草说明和条文对照表
Comment[en]=Draft Chinese local regulations from other cities' clauses and export them to Word
Keywords=法规;条例;起草;立法;草案;drafter;regulation;
Exec=drafter %f
TryExec=drafter
Icon={PACKAGE}
Terminal=false
StartupNotify=true
StartupWMClass={PACKAGE}
Categories=Office;
MimeType={MIME_TYPE};
"""

MIME_XML = f"""\
<?xml version="1.0" encoding="UTF-8"?>
<mime-info xmlns="http://www.freedesktop.org/standards/shared-mime-info">
  <mime-type type="{MIME_TYPE}">
    <comment>drafter draft</comment>
    <comment xml:lang="zh_CN">法规草案（立法起草助手）</comment>
    <sub-class-of type="application/json"/>
    <generic-icon name="x-office-document"/>
    <glob pattern="{MIME_GLOB}" weight="{MIME_GLOB_WEIGHT}"/>
  </mime-type>
</mime-info>
"""

# The caches are also refreshed by dpkg triggers on Debian; see the module docstring.
_REFRESH_CACHES = """\
if command -v update-mime-database >/dev/null 2>&1; then
    update-mime-database /usr/share/mime || true
fi
if command -v update-desktop-database >/dev/null 2>&1; then
    update-desktop-database -q /usr/share/applications || true
fi
if command -v gtk-update-icon-cache >/dev/null 2>&1 \\
        && [ -f /usr/share/icons/hicolor/index.theme ]; then
    gtk-update-icon-cache -q -t -f /usr/share/icons/hicolor || true
fi
"""

POSTINST = f"""\
#!/bin/sh
set -e
if [ "$1" = "configure" ]; then
{_REFRESH_CACHES}fi
exit 0
"""

# User data (~/.local/share/drafter) and drafts are never touched, not even on purge.
POSTRM = f"""\
#!/bin/sh
set -e
if [ "$1" = "remove" ] || [ "$1" = "purge" ]; then
{_REFRESH_CACHES}fi
exit 0
"""

MANUAL = f"""\
.TH DRAFTER 1 "" "drafter {{version}}" "User Commands"
.SH NAME
drafter \\- {DISPLAY_NAME}, drafting Chinese local regulations
.SH SYNOPSIS
.B drafter
.br
.B drafter
.I FILE.drafter.json
.br
.B drafter
.RB [ \\-\\-version ]
.RB [ \\-\\-self\\-test
.RI [ FILE ]]
.br
.B drafter
.I COMMAND
.RI [ ARGS ...]
.SH DESCRIPTION
Without arguments
.B drafter
opens the window; given a draft file it opens the window with that draft; given a
command (refs, suggest, eval, new, show, check, edit, export) it runs it on the command
line.
.B drafter \\-\\-help
and
.B drafter COMMAND \\-\\-help
list the options.
.SH FILES
.TP
.I /{INSTALL_DIR}/
the application.
.TP
.I ~/.local/share/drafter/
user data: imported references, corrections, indexes, autosaves, backups and settings
(DRAFTER_DATA_DIR overrides it). Removing or purging the package leaves it in place.
"""

COPYRIGHT = """\
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: drafter
Comment: /opt/drafter/_internal holds the Python runtime and the libraries PyInstaller
 bundled (Qt via PySide6, numpy, rapidfuzz, python-docx, OpenCC, platformdirs), each
 under its own licence.

Files: *
Copyright: 2026 drafter maintainers
License: MIT
 Permission is hereby granted, free of charge, to any person obtaining a copy of this
 software and associated documentation files (the "Software"), to deal in the Software
 without restriction, including without limitation the rights to use, copy, modify,
 merge, publish, distribute, sublicense, and/or sell copies of the Software, and to
 permit persons to whom the Software is furnished to do so, subject to the following
 conditions:
 .
 The above copyright notice and this permission notice shall be included in all copies
 or substantial portions of the Software.
 .
 THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR IMPLIED,
 INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY, FITNESS FOR A
 PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE AUTHORS OR COPYRIGHT
 HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER LIABILITY, WHETHER IN AN ACTION OF
 CONTRACT, TORT OR OTHERWISE, ARISING FROM, OUT OF OR IN CONNECTION WITH THE SOFTWARE OR
 THE USE OR OTHER DEALINGS IN THE SOFTWARE.
"""


# What lintian reports about any app folder PyInstaller makes, and why it stays so.
LINTIAN_OVERRIDES = f"""\
# A self-contained third-party application lives in /opt (FHS 3.13), not in Debian's paths.
{PACKAGE}: dir-or-file-in-opt
# The folder is PyInstaller's output, shipped as built: its own Python, Qt and libraries
# (bundled, found through RUNPATH/LD_LIBRARY_PATH), unstripped — the executables carry
# their Python archive at the end of the ELF file, and stripping the libraries is not
# worth a difference from the tested build.
{PACKAGE}: embedded-library
{PACKAGE}: unstripped-binary-or-object
{PACKAGE}: custom-library-search-path
{PACKAGE}: shared-library-is-executable
{PACKAGE}: shared-library-lacks-prerequisites
{PACKAGE}: library-not-linked-against-libc
{PACKAGE}: hardening-no-pie
# Strings inside the bundled libblkid/libmount, which the app never makes call a pager.
{PACKAGE}: missing-depends-on-sensible-utils
"""


def dpkg_architecture() -> str:
    """This machine's Debian architecture (amd64, arm64, …)."""
    result = subprocess.run(
        ["dpkg", "--print-architecture"], capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def ico_images(path: Path = ICON_FILE) -> dict[int, bytes]:
    """The PNG images inside a .ico written by tools/make_icon.py, by pixel size."""
    data = path.read_bytes()
    _reserved, kind, count = struct.unpack_from("<HHH", data, 0)
    if kind != 1:
        raise ValueError(f"{path} is not an icon file")
    images = {}
    for index in range(count):
        width, _h, _c, _r, _p, _b, size, offset = struct.unpack_from(
            "<BBBBHHII", data, 6 + 16 * index
        )
        image = data[offset : offset + size]
        if not image.startswith(b"\x89PNG\r\n\x1a\n"):
            raise ValueError(f"{path}: the {width or 256}px image is not PNG")
        images[width or 256] = image
    return images


def elf_files(dist: Path) -> list[Path]:
    """Every ELF file (executable or shared library) in the app folder."""
    found = []
    for path in sorted(dist.rglob("*")):
        if path.is_file() and not path.is_symlink():
            with path.open("rb") as handle:
                if handle.read(4) == b"\x7fELF":
                    found.append(path)
    return found


def is_optional(path: Path, dist: Path) -> bool:
    """Whether Qt only tries this file and carries on without it (see OPTIONAL_PARTS)."""
    relative = path.relative_to(dist).as_posix().lower()
    return any(part in relative for part in OPTIONAL_PARTS)


def system_libraries(dist: Path) -> dict[str, str | None]:
    """Libraries the app's required ELF files load from outside the folder: name → path.

    Resolved with ldd and LD_LIBRARY_PATH=_internal, as at run time; None = not found.
    """
    env = dict(os.environ, LD_LIBRARY_PATH=str(dist / "_internal"))
    libraries: dict[str, str | None] = {}
    pattern = re.compile(r"^\s*(\S+) => (?:(not found)|(\S+) \(0x)", re.M)
    for path in elf_files(dist):
        if is_optional(path, dist):
            continue
        result = subprocess.run(["ldd", str(path)], capture_output=True, text=True, env=env)
        for name, missing, resolved in pattern.findall(result.stdout):
            if missing:
                libraries[name] = None
            elif not Path(resolved).resolve().is_relative_to(dist.resolve()):
                libraries[name] = resolved
    return libraries


# Section type of the version needs (.gnu.version_r), and the needs that name no GLIBC_x.y.
SHT_GNU_VERNEED = 0x6FFFFFFE
GLIBC_VERSION = re.compile(r"GLIBC_(\d+)\.(\d+)(?:\.(\d+))?$")
GLIBC_MARKERS = {"GLIBC_ABI_DT_RELR": (2, 36)}  # packed relocations: glibc 2.36 and later


def version_needs(path: Path) -> set[str]:
    """The symbol versions an ELF file needs from other files (its .gnu.version_r).

    What `objdump -T` shows in brackets, read with the standard library only: the section
    of type SHT_GNU_VERNEED lists, per needed file, the versions used from it (Verneed and
    Vernaux entries, names in the section its sh_link points at). Empty for a file
    without that section (a static executable, or no ELF at all).
    """
    data = path.read_bytes()
    if data[:4] != b"\x7fELF" or data[4] not in (1, 2) or data[5] not in (1, 2):
        return set()
    wide = data[4] == 2
    order = "<" if data[5] == 1 else ">"
    if wide:
        (shoff,) = struct.unpack_from(order + "Q", data, 0x28)
        shentsize, shnum = struct.unpack_from(order + "HH", data, 0x3A)
        header = order + "IIQQQQIIQQ"
    else:
        (shoff,) = struct.unpack_from(order + "I", data, 0x20)
        shentsize, shnum = struct.unpack_from(order + "HH", data, 0x2E)
        header = order + "IIIIIIIIII"
    sections = [struct.unpack_from(header, data, shoff + i * shentsize) for i in range(shnum)]
    needs: set[str] = set()
    for _name, kind, _flags, _addr, offset, _size, link, info, _align, _entsize in sections:
        if kind != SHT_GNU_VERNEED:
            continue
        strings = sections[link][4]

        def text(at: int, _strings: int = strings) -> str:
            start = _strings + at
            return data[start : data.index(b"\0", start)].decode("ascii", "replace")

        entry = offset
        for _ in range(info):  # sh_info = the number of Verneed entries
            _version, count, _file, aux, following = struct.unpack_from(
                order + "HHIII", data, entry
            )
            at = entry + aux
            for _ in range(count):
                _hash, _vflags, _other, name, next_aux = struct.unpack_from(
                    order + "IHHII", data, at
                )
                needs.add(text(name))
                at += next_aux
            if not following:
                break
            entry += following
    return needs


def glibc_version(name: str) -> tuple[int, ...] | None:
    """(2, 34) for GLIBC_2.34, (2, 36) for GLIBC_ABI_DT_RELR; None for other names."""
    if name in GLIBC_MARKERS:
        return GLIBC_MARKERS[name]
    match = GLIBC_VERSION.match(name)
    return tuple(int(part) for part in match.groups() if part is not None) if match else None


def glibc_floor(dist: Path) -> tuple[tuple[int, ...] | None, list[Path]]:
    """The newest glibc version any ELF file of the app folder needs, and those files.

    (None, []) when no file needs a versioned glibc symbol (or there is no ELF file).
    """
    floor: tuple[int, ...] | None = None
    files: list[Path] = []
    for path in elf_files(dist):
        versions = [v for v in map(glibc_version, version_needs(path)) if v is not None]
        if not versions:
            continue
        newest = max(versions)
        if floor is None or newest > floor:
            floor, files = newest, [path]
        elif newest == floor:
            files.append(path)
    return floor, files


def format_version(version: tuple[int, ...]) -> str:
    return ".".join(map(str, version))


def parse_version(text: str) -> tuple[int, ...]:
    """'2.31' → (2, 31), for --max-glibc."""
    if not re.fullmatch(r"\d+(\.\d+)+", text):
        raise argparse.ArgumentTypeError(f"not a version like 2.31: {text!r}")
    return tuple(int(part) for part in text.split("."))


def owning_package(path: str) -> str | None:
    """The installed package that owns a library file (`dpkg -S`), without `:arch`."""
    candidates = [path, str(Path(path).resolve())]
    if path.startswith("/lib/"):  # merged /usr: dpkg may know it under /usr/lib
        candidates.append("/usr" + path)
    for candidate in candidates:
        result = subprocess.run(["dpkg", "-S", candidate], capture_output=True, text=True)
        if result.returncode == 0:
            return result.stdout.split(":", 1)[0].split(",")[0].strip()
    return None


def derive_depends(dist: Path) -> tuple[dict[str, list[str]], list[str]]:
    """(package → the libraries it provides, libraries not found or owned by no package)."""
    packages: dict[str, list[str]] = {}
    unknown = []
    for name, path in sorted(system_libraries(dist).items()):
        package = owning_package(path) if path else None
        if package is None:
            unknown.append(f"{name} ({path or 'not found'})")
        else:
            packages.setdefault(package, []).append(name)
    return packages, unknown


def check_depends(dist: Path, verbose: bool = True) -> list[str]:
    """Problems with DEPENDS against what the app folder loads (empty when it covers it)."""
    packages, unknown = derive_depends(dist)
    if verbose:
        for package, libraries in sorted(packages.items()):
            mark = "ok " if package in DEPENDS else "MISSING"
            print(f"depends: {mark} {package}: {', '.join(libraries)}")
    problems = [f"{package} is not in DEPENDS" for package in packages if package not in DEPENDS]
    problems += [f"cannot map {library} to a package" for library in unknown]
    return problems


def _write(path: Path, content: str | bytes, mode: int = 0o644) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    path.chmod(mode)


def _normalise_modes(root: Path) -> None:
    """Folders 0755, executables 0755, other files 0644 (owners are set by dpkg-deb)."""
    for path in [root, *root.rglob("*")]:
        if path.is_symlink():
            continue
        if path.is_dir():
            path.chmod(0o755)
        else:
            executable = path.stat().st_mode & stat.S_IXUSR
            path.chmod(0o755 if executable else 0o644)


def _installed_size_kib(root: Path) -> int:
    total = 0
    for path in root.rglob("*"):
        if path.is_relative_to(root / "DEBIAN"):
            continue
        total += 1 if path.is_symlink() or path.is_dir() else -(-path.stat().st_size // 1024)
    return total


def _md5sums(root: Path) -> str:
    lines = []
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink() and not path.is_relative_to(root / "DEBIAN"):
            digest = hashlib.md5(path.read_bytes()).hexdigest()  # dpkg's md5sums format
            lines.append(f"{digest}  {path.relative_to(root).as_posix()}\n")
    return "".join(lines)


def _gzip(text: str) -> bytes:
    return gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)


def depends(glibc: tuple[int, ...] | None = None) -> list[str]:
    """DEPENDS, with libc6 versioned as `libc6 (>= 2.31)` when the glibc floor is known."""
    if glibc is None:
        return list(DEPENDS)
    return [f"libc6 (>= {format_version(glibc)})" if name == "libc6" else name
            for name in DEPENDS]  # fmt: skip


def control(
    version: str, arch: str, installed_size: int, maintainer: str,
    glibc: tuple[int, ...] | None = None,
) -> str:  # fmt: skip
    """The DEBIAN/control file."""
    return (
        f"Package: {PACKAGE}\n"
        f"Version: {version}\n"
        f"Architecture: {arch}\n"
        f"Maintainer: {maintainer}\n"
        f"Installed-Size: {installed_size}\n"
        f"Depends: {', '.join(depends(glibc))}\n"
        f"Recommends: {', '.join(RECOMMENDS)}\n"
        "Section: editors\n"
        "Priority: optional\n"
        f"Description: {DESCRIPTION}\n"
    )


def stage(
    dist: Path, root: Path, version: str, arch: str, maintainer: str,
    glibc: tuple[int, ...] | None = None,
) -> None:  # fmt: skip
    """Lay out the package's files under root (the future /) with DEBIAN/."""
    if not (dist / PACKAGE).is_file():
        raise FileNotFoundError(f"no app in {dist}: run `pyinstaller --noconfirm build.spec`")
    shutil.copytree(dist, root / INSTALL_DIR, symlinks=True)
    share = root / "usr" / "share"
    _write(root / "usr" / "bin" / PACKAGE, LAUNCHER, 0o755)
    _write(share / "applications" / f"{PACKAGE}.desktop", DESKTOP_ENTRY)
    _write(share / "mime" / "packages" / f"{PACKAGE}.xml", MIME_XML)
    mime_icon = MIME_TYPE.replace("/", "-")
    for size, image in sorted(ico_images().items()):
        folder = share / "icons" / "hicolor" / f"{size}x{size}"
        _write(folder / "apps" / f"{PACKAGE}.png", image)
        _write(folder / "mimetypes" / f"{mime_icon}.png", image)
    _write(share / "man" / "man1" / f"{PACKAGE}.1.gz", _gzip(MANUAL.format(version=version)))
    doc = share / "doc" / PACKAGE
    _write(doc / "copyright", COPYRIGHT)
    when = formatdate(float(os.environ.get("SOURCE_DATE_EPOCH", time.time())))
    changelog = (
        f"{PACKAGE} ({version}) unstable; urgency=medium\n\n  * Release {version}.\n\n"
        f" -- {maintainer}  {when}\n"
    )
    _write(doc / "changelog.gz", _gzip(changelog))
    _write(share / "lintian" / "overrides" / PACKAGE, LINTIAN_OVERRIDES)
    _normalise_modes(root)

    debian = root / "DEBIAN"
    debian.mkdir(mode=0o755)
    _write(debian / "postinst", POSTINST, 0o755)
    _write(debian / "postrm", POSTRM, 0o755)
    _write(debian / "md5sums", _md5sums(root))
    size = _installed_size_kib(root)
    _write(debian / "control", control(version, arch, size, maintainer, glibc))


def build(
    dist: Path = DEFAULT_DIST,
    out: Path = DEFAULT_OUT,
    arch: str | None = None,
    version: str | None = None,
    maintainer: str = MAINTAINER,
    compression: str = "xz",
    glibc: tuple[int, ...] | None = None,
) -> Path:
    """Build the .deb in out/ and return its path (glibc: the floor for libc6's Depends)."""
    version = version or project_metadata()["version"]
    arch = arch or dpkg_architecture()
    out.mkdir(parents=True, exist_ok=True)
    target = out / f"{PACKAGE}_{version}_{arch}.deb"
    with tempfile.TemporaryDirectory(prefix="drafter-deb-") as temporary:
        root = Path(temporary) / "root"
        root.mkdir()
        stage(dist, root, version, arch, maintainer, glibc)
        subprocess.run(
            ["dpkg-deb", "--root-owner-group", f"-Z{compression}", "--build", str(root),
             str(target)],
            check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
    return target


def main(argv: list[str] | None = None) -> int:
    """Build the package; returns the exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=DEFAULT_DIST, help="the app folder")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where the .deb goes")
    parser.add_argument("--arch", help="Debian architecture (default: this machine's)")
    parser.add_argument("--maintainer", default=os.environ.get("DEBMAINTAINER", MAINTAINER))
    parser.add_argument(
        "--compression", default="xz", choices=["xz", "gzip", "zstd", "none"],
        help="member compression (xz, the default, is read by every dpkg in use)",
    )  # fmt: skip
    parser.add_argument(
        "--check-depends", action="store_true",
        help="only derive the system libraries the app loads and compare with DEPENDS",
    )  # fmt: skip
    parser.add_argument(
        "--skip-depends-check", action="store_true",
        help="build without re-deriving the dependencies (a fake or foreign app folder)",
    )  # fmt: skip
    parser.add_argument(
        "--max-glibc", type=parse_version, metavar="X.Y",
        help="fail if any ELF file of the app needs a newer glibc (e.g. 2.31 for Kylin V10)",
    )  # fmt: skip
    args = parser.parse_args(argv)
    dist = args.dist.resolve()
    glibc, newest = glibc_floor(dist) if dist.is_dir() else (None, [])
    if glibc is not None:
        names = ", ".join(path.name for path in newest[:4]) + (" …" if len(newest) > 4 else "")
        print(f"glibc: the app needs {format_version(glibc)} ({names})")
    if args.max_glibc and glibc is not None and glibc > args.max_glibc:
        print(f"build_deb: the app needs glibc {format_version(glibc)}, above --max-glibc "
              f"{format_version(args.max_glibc)} ({newest[0].relative_to(dist)}"
              f"{f' and {len(newest) - 1} more' if len(newest) > 1 else ''})",
              file=sys.stderr)  # fmt: skip
        return 1
    can_derive = shutil.which("ldd") and shutil.which("dpkg") and elf_files(dist)
    if args.check_depends or (can_derive and not args.skip_depends_check):
        problems = check_depends(dist, verbose=True)
        for problem in problems:
            print(f"build_deb: {problem}", file=sys.stderr)
        if problems:
            print("build_deb: update DEPENDS in tools/build_deb.py", file=sys.stderr)
            return 1
        if args.check_depends:
            return 0
    target = build(dist, args.out, args.arch, maintainer=args.maintainer,
                   compression=args.compression, glibc=glibc)  # fmt: skip
    print(f"built {target} ({target.stat().st_size / 2**20:.0f} MiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
