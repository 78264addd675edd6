#!/usr/bin/env bash
# Build drafter's .deb in an old Debian root, so that it runs on old glibc (issue 16).
#
#   sudo tools/build_in_old_root.sh            # → dist/drafter_<version>_<arch>.deb
#
# A .deb built on Debian 12 needs glibc 2.36 (docs/packaging.md). This script builds the
# same package inside a Debian 11 (bullseye, glibc 2.31) root instead, the base of the
# offices' Kylin V10 (Ubuntu 20.04, glibc 2.31):
#  1. debootstrap bullseye (minbase) with the compiler, CPython's build dependencies and
#     the system libraries the app loads (build_deb.py's DEPENDS), once, cached as a
#     tarball;
#  2. build CPython 3.11.2 there with --enable-shared (PyInstaller needs libpython*.so),
#     without PGO, from Debian's own source tarball of python3.11 (checked against its
#     SHA-256), once, cached as a tarball of /opt/python3.11;
#  3. in a fresh copy of that root: the checkout's HEAD commit (`git archive`; commit
#     first — uncommitted edits are left out), a venv, `pip install ".[build]"` with
#     PySide6-Essentials<6.10 (6.10 and later are built for glibc 2.34, 6.7–6.9 for
#     2.28), `pyinstaller --noconfirm build.spec`,
#     `tools/smoke_frozen.py` and `tools/build_deb.py --max-glibc …`, which fails if any
#     ELF file of the app needs a newer glibc than that;
#  4. the .deb is copied to dist/ of the checkout (it replaces one built on the host).
#
# Needs root (chroot, mount), debootstrap, deb.debian.org and PyPI. Cache:
# $DRAFTER_BUILD_ROOT_CACHE (default ~/.cache/drafter-build-root), also pip's cache; delete
# it to start afresh. DRAFTER_BUILD_SUITE (bullseye), DRAFTER_BUILD_MIRROR and
# DRAFTER_MAX_GLIBC (the suite's own glibc, 2.31 for bullseye) choose otherwise; the
# bullseye build needs glibc 2.30 (docs/packaging.md), so UOS 20 (2.28) would need
# DRAFTER_BUILD_SUITE=buster DRAFTER_BUILD_MIRROR=http://archive.debian.org/debian,
# which was not reachable where this was written and is untested.
# Exit code: 0 built, 1 the build failed, 2 it could not start.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
ARCH=$(dpkg --print-architecture)
SUITE=${DRAFTER_BUILD_SUITE:-bullseye}
MIRROR=${DRAFTER_BUILD_MIRROR:-http://deb.debian.org/debian}
CACHE=${DRAFTER_BUILD_ROOT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/drafter-build-root}
case "$SUITE" in
  bullseye) DEFAULT_MAX_GLIBC=2.31 ;;
  buster) DEFAULT_MAX_GLIBC=2.28 ;;  # UOS 20's base; not tried (archive.debian.org)
  *) DEFAULT_MAX_GLIBC="" ;;
esac
MAX_GLIBC=${DRAFTER_MAX_GLIBC:-$DEFAULT_MAX_GLIBC}
# Debian 12's python3.11 source: the upstream tarball, as its .dsc lists it.
PY_VERSION=3.11.2
PY_TARBALL=python3.11_$PY_VERSION.orig.tar.gz
PY_URL=http://deb.debian.org/debian/pool/main/p/python3.11/$PY_TARBALL
PY_SHA256=2411c74bda5bbcfcddaf4531f66d1adc73f247f529aee981b029513aefdbf849
PY_PREFIX=/opt/python3.11
BASE="$CACHE/$SUITE-$ARCH-build.tar"
PYTHON="$CACHE/python-$PY_VERSION-$SUITE-$ARCH.tar"
CONSTRAINTS='PySide6-Essentials<6.10'
BUILD_DEPS=(build-essential pkg-config ca-certificates curl xz-utils binutils file
  libssl-dev libffi-dev zlib1g-dev libbz2-dev liblzma-dev libsqlite3-dev libreadline-dev
  libncursesw5-dev libgdbm-dev uuid-dev libexpat1-dev)
ENV_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

if [ "$(id -u)" != 0 ]; then echo "old-root: needs root (chroot, mount)" >&2; exit 2; fi
if ! command -v debootstrap >/dev/null 2>&1; then
  echo "old-root: needs debootstrap (apt-get install debootstrap)" >&2; exit 2
fi
# The system libraries the app loads, so that PyInstaller bundles what it bundles on a
# newer host and build_deb.py's depends check can map every library to its package.
mapfile -t APP_LIBS < <(cd "$REPO/tools" && python3 -c \
  'import build_deb; print("\n".join(build_deb.DEPENDS))')

WORK=$(mktemp -d /var/tmp/drafter-old-root.XXXXXX)
ROOTFS="$WORK/root"
MOUNTS=(tmp root/.cache/pip dev/pts dev sys proc)

cleanup() {
  local proc mount
  for proc in /proc/[0-9]*; do
    if [ "$(readlink "$proc/root" 2>/dev/null)" = "$ROOTFS" ]; then kill "${proc#/proc/}" 2>/dev/null || true; fi
  done
  for mount in "${MOUNTS[@]}"; do
    if mountpoint -q "$ROOTFS/$mount" 2>/dev/null; then umount -l "$ROOTFS/$mount" || true; fi
  done
  # Only once nothing is mounted inside: never delete through a bind mount.
  if ! grep -q " $ROOTFS/" /proc/mounts; then rm -rf --one-file-system "$WORK"; fi
}
trap cleanup EXIT

in_root() {  # as root inside the chroot, with a clean environment, at low priority
  chroot "$ROOTFS" /usr/bin/env -i PATH="$ENV_PATH" HOME=/root LANG=C.UTF-8 \
    DEBIAN_FRONTEND=noninteractive PIP_CERT=/build/ca-certificates.crt nice -n 10 "$@"
}
mount_root() {
  cp /etc/resolv.conf "$ROOTFS/etc/resolv.conf"
  mount -t proc proc "$ROOTFS/proc"
  mount -t sysfs sysfs "$ROOTFS/sys"
  mount --bind /dev "$ROOTFS/dev"
  mount --bind /dev/pts "$ROOTFS/dev/pts"
  mkdir -p "$CACHE/pip" "$ROOTFS/root/.cache/pip"
  mount --bind "$CACHE/pip" "$ROOTFS/root/.cache/pip"
  mount -t tmpfs -o mode=1777 tmpfs "$ROOTFS/tmp"
  printf '#!/bin/sh\nexit 101\n' > "$ROOTFS/usr/sbin/policy-rc.d"  # start no services
  chmod 755 "$ROOTFS/usr/sbin/policy-rc.d"
}
umount_root() {
  local mount
  for mount in "${MOUNTS[@]}"; do umount "$ROOTFS/$mount"; done
}
save() {  # save TARBALL DIR…: tar the given folders of the root into the cache
  local target=$1; shift
  tar --numeric-owner -cf "$target.part.$$" -C "$ROOTFS" "$@" && mv "$target.part.$$" "$target"
}
step() { echo "old-root: $* ($((SECONDS - started)) s)"; }

started=$SECONDS
mkdir -p "$ROOTFS" "$CACHE"

# --- 1. the cached build root ----------------------------------------------------------
if [ ! -f "$BASE" ]; then
  step "debootstrap $SUITE/$ARCH (cached in $BASE)"
  debootstrap --variant=minbase --arch "$ARCH" "$SUITE" "$ROOTFS" "$MIRROR" >"$WORK/debootstrap.log" 2>&1 \
    || { tail -20 "$WORK/debootstrap.log" >&2; exit 2; }
  mount_root
  in_root apt-get update -qq
  step "installing the compiler, CPython's build dependencies and ${#APP_LIBS[@]} app libraries"
  in_root apt-get install -y -qq --no-install-recommends "${BUILD_DEPS[@]}" "${APP_LIBS[@]}" \
    >"$WORK/apt.log" 2>&1 || { tail -20 "$WORK/apt.log" >&2; exit 2; }
  in_root apt-get clean
  rm -f "$ROOTFS/usr/sbin/policy-rc.d"
  umount_root
  save "$BASE" .
  step "build root saved"
else
  tar --numeric-owner -xpf "$BASE" -C "$ROOTFS"
  step "build root unpacked from the cache"
fi
mount_root
in_root sh -c 'echo "glibc in the build root: $(ldd --version | head -n 1)"'

# --- 2. CPython 3.11, shared, built in the root ----------------------------------------
if [ ! -f "$PYTHON" ]; then
  if [ ! -f "$CACHE/$PY_TARBALL" ]; then
    step "downloading $PY_URL"
    curl -fsS -o "$CACHE/$PY_TARBALL.part" "$PY_URL"
    mv "$CACHE/$PY_TARBALL.part" "$CACHE/$PY_TARBALL"
  fi
  echo "$PY_SHA256  $CACHE/$PY_TARBALL" | sha256sum -c --quiet \
    || { echo "old-root: $PY_TARBALL does not match its SHA-256; delete it" >&2; exit 2; }
  mkdir -p "$ROOTFS/build/python"
  tar -xzf "$CACHE/$PY_TARBALL" -C "$ROOTFS/build/python" --strip-components=1
  step "building CPython $PY_VERSION --enable-shared (no PGO) in the root"
  in_root sh -c "cd /build/python && ./configure --prefix=$PY_PREFIX --enable-shared \
      --with-ensurepip=install LDFLAGS=-Wl,-rpath,$PY_PREFIX/lib >/build/python-configure.log 2>&1 \
    && make -j$(nproc) >/build/python-make.log 2>&1 && make install >/build/python-install.log 2>&1" \
    || { tail -30 "$ROOTFS"/build/python-*.log >&2; exit 1; }
  # The modules a frozen drafter needs must all have been built.
  in_root "$PY_PREFIX/bin/python3.11" -c 'import ssl, ctypes, sqlite3, lzma, bz2, zlib, uuid, readline, pyexpat; print("python:", __import__("sys").version)' \
    || { grep -A5 'necessary bits' "$ROOTFS/build/python-make.log" >&2; exit 1; }
  save "$PYTHON" ".$PY_PREFIX"
  rm -rf "$ROOTFS/build/python"
  step "CPython built and saved in $PYTHON"
else
  tar --numeric-owner -xpf "$PYTHON" -C "$ROOTFS"
  step "CPython $PY_VERSION unpacked from the cache"
fi

# --- 3. the app, its venv, PyInstaller and the package, in the root --------------------
mkdir -p "$ROOTFS/build/src"
# The committed state only: what is built is what a commit names.
step "the app at $(git -C "$REPO" log -1 --format='%h %s' | cut -c1-70)"
git -C "$REPO" archive --format=tar HEAD | tar -xf - -C "$ROOTFS/build/src"
echo "$CONSTRAINTS" > "$ROOTFS/build/constraints.txt"
# pip inside the root trusts what the host's pip trusts (a proxy's certificate, say).
cp "${PIP_CERT:-/etc/ssl/certs/ca-certificates.crt}" "$ROOTFS/build/ca-certificates.crt"
step "venv and pip install .[build] with $CONSTRAINTS"
in_root "$PY_PREFIX/bin/python3.11" -m venv /build/venv
in_root /build/venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip \
  || { echo "old-root: pip cannot reach PyPI from the root" >&2; exit 1; }
in_root sh -c 'cd /build/src && /build/venv/bin/python -m pip install --disable-pip-version-check \
    --prefer-binary -c /build/constraints.txt ".[build]" >/build/pip.log 2>&1' \
  || { tail -30 "$ROOTFS/build/pip.log" >&2; exit 1; }
# Nothing but drafter itself may have been compiled here (an sdist would mean a wheel
# that the old root's glibc is too old for: pin that package instead).
if grep -E '^\s*Building wheel for ' "$ROOTFS/build/pip.log" | grep -v 'for drafter '; then
  echo "old-root: pip compiled a dependency from source (above); pin a version with a wheel" >&2
fi
in_root /build/venv/bin/python -m pip list --disable-pip-version-check 2>/dev/null \
  | grep -i -E '^(pyside6[-_]essentials|shiboken6|pyinstaller|numpy|rapidfuzz|lxml) ' | sed 's/^/old-root:   /'

step "pyinstaller --noconfirm build.spec"
in_root sh -c 'cd /build/src && /build/venv/bin/pyinstaller --noconfirm build.spec >/build/pyinstaller.log 2>&1' \
  || { tail -30 "$ROOTFS/build/pyinstaller.log" >&2; exit 1; }
step "tools/smoke_frozen.py (offline smoke test of the frozen app, offscreen)"
in_root sh -c 'cd /build/src && QT_QPA_PLATFORM=offscreen /build/venv/bin/python tools/smoke_frozen.py' \
  | tail -n 3 | sed 's/^/old-root:   /'
step "tools/build_deb.py${MAX_GLIBC:+ --max-glibc $MAX_GLIBC}"
in_root sh -c "cd /build/src && /build/venv/bin/python tools/build_deb.py ${MAX_GLIBC:+--max-glibc $MAX_GLIBC}"

# --- 4. the package, out of the root ---------------------------------------------------
mkdir -p "$REPO/dist"
for deb in "$ROOTFS"/build/src/dist/drafter_*.deb; do
  cp "$deb" "$REPO/dist/"
  step "built $REPO/dist/$(basename "$deb") ($(du -m "$deb" | cut -f1) MiB, Depends $(dpkg-deb --field "$deb" Depends | grep -o 'libc6 ([^)]*)'))"
done
