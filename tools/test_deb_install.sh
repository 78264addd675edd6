#!/usr/bin/env bash
# Install test of drafter's .deb in a clean Debian root (issue 16).
#
#   sudo tools/test_deb_install.sh [DEB]     # default: the newest dist/drafter_*_<arch>.deb
#
# Needs root, debootstrap (apt-get install debootstrap) and the package registry (apt
# resolves the package's Depends from it, as on a user's machine). The first run builds a
# minimal root of the host's own suite (/etc/os-release's VERSION_CODENAME, or
# DRAFTER_TEST_SUITE) with debootstrap and caches it as a tarball, together with the
# .debs the test downloads, under $DRAFTER_DEB_TEST_CACHE (default
# ~/.cache/drafter-deb-test); later runs unpack that tarball. Delete the folder to start
# afresh. DRAFTER_TEST_MIRROR picks another mirror (default http://deb.debian.org/debian).
# An Ubuntu root (a mirror with "ubuntu" in its URL):
#   sudo DRAFTER_TEST_SUITE=focal DRAFTER_TEST_MIRROR=http://archive.ubuntu.com/ubuntu \
#     tools/test_deb_install.sh
# takes the components main and universe (some xcb libraries are in universe) and checks
# debootstrap's download against /usr/share/keyrings/ubuntu-archive-keyring.gpg when the
# host has it, otherwise not (Debian hosts lack it; apt inside the root then checks every
# later download with the root's own ubuntu-keyring).
#
# In a fresh copy of the root, chrooted, with /proc, /sys, /dev and a private /tmp:
#  1. `apt-get install -y ./drafter_*.deb` (with Recommends, as `sudo apt install` does);
#  2. Qt's xcb platform plugin finds every library (ldd) with what the package brought
#     (Depends and Recommends), before any test tool is installed;
#  3. as a user (alice): `drafter --version`; then, with xvfb, xauth and xdg-utils added
#     for the test, under Xvfb on Qt's xcb platform: `drafter --self-test`, `drafter
#     --self-test` on a sample draft (tests/data/drafts/format-v1.drafter.json, saved
#     under a Chinese name), the menu entry's Exec line (with the draft, self-testing; and
#     bare, which must keep a window open); `xdg-mime query default
#     application/x-drafter-draft` answers drafter.desktop and the MIME database maps
#     *.drafter.json to the type;
#  4. alice's data dir (~/.local/share/drafter, written by `drafter refs list`) and a
#     draft in her home (`drafter new … -o ~/草案/…`) survive `apt-get remove -y drafter`
#     and, after a reinstall, `apt-get purge -y drafter`, byte for byte; /opt/drafter,
#     /usr/bin/drafter and the menu entry are gone.
# The last line is `deb-install: N passed, M failed`; the exit code is 1 if any failed,
# 2 if the test could not run.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
ARCH=$(dpkg --print-architecture)
DEB=${1:-$(ls -t "$REPO"/dist/drafter_*_"$ARCH".deb 2>/dev/null | head -n 1 || true)}
SAMPLE="$REPO/tests/data/drafts/format-v1.drafter.json"

if [ "$(id -u)" != 0 ]; then
  echo "deb-install: needs root (chroot, mount)" >&2; exit 2
fi
if ! command -v debootstrap >/dev/null 2>&1; then
  echo "deb-install: needs debootstrap (apt-get install debootstrap)" >&2; exit 2
fi
if [ -z "$DEB" ] || [ ! -f "$DEB" ]; then
  echo "deb-install: no .deb given or in dist/; build it with python tools/build_deb.py" >&2
  exit 2
fi
DEB=$(readlink -f "$DEB")

# shellcheck disable=SC1091
. /etc/os-release
SUITE=${DRAFTER_TEST_SUITE:-${VERSION_CODENAME:-bookworm}}
MIRROR=${DRAFTER_TEST_MIRROR:-http://deb.debian.org/debian}
CACHE=${DRAFTER_DEB_TEST_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/drafter-deb-test}
BASE="$CACHE/$SUITE-$ARCH-minbase.tar"
TEST_TOOLS=(xvfb xauth xdg-utils)  # for the test only, installed after the package
DEBOOTSTRAP_OPTIONS=(--variant=minbase --arch "$ARCH")
case "$MIRROR" in
  *ubuntu*)
    DEBOOTSTRAP_OPTIONS+=(--components=main,universe)
    if [ -f /usr/share/keyrings/ubuntu-archive-keyring.gpg ]; then
      DEBOOTSTRAP_OPTIONS+=(--keyring /usr/share/keyrings/ubuntu-archive-keyring.gpg)
    else
      DEBOOTSTRAP_OPTIONS+=(--no-check-gpg)
    fi ;;
esac
ENV_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

WORK=$(mktemp -d /var/tmp/drafter-deb-test.XXXXXX)
ROOTFS="$WORK/root"
XVFB_PID=""

cleanup() {
  if [ -n "$XVFB_PID" ]; then kill "$XVFB_PID" 2>/dev/null || true; wait "$XVFB_PID" 2>/dev/null || true; fi
  # Anything else this test started inside the root (a window left open) is ended too.
  local proc
  for proc in /proc/[0-9]*; do
    if [ "$(readlink "$proc/root" 2>/dev/null)" = "$ROOTFS" ]; then kill "${proc#/proc/}" 2>/dev/null || true; fi
  done
  for mount in tmp dev/pts dev sys proc; do
    if mountpoint -q "$ROOTFS/$mount" 2>/dev/null; then umount -l "$ROOTFS/$mount" || true; fi
  done
  # Only once nothing is mounted inside: never delete through a bind mount.
  if ! grep -q " $ROOTFS/" /proc/mounts; then rm -rf --one-file-system "$WORK"; fi
}
trap cleanup EXIT

in_root() {  # as root inside the chroot, with a clean environment
  chroot "$ROOTFS" /usr/bin/env -i PATH="$ENV_PATH" HOME=/root LANG=C.UTF-8 \
    DEBIAN_FRONTEND=noninteractive "$@"
}
as_alice() {  # as the user alice, on the virtual display
  chroot "$ROOTFS" /usr/sbin/runuser -u alice -- /usr/bin/env -i PATH="$ENV_PATH" \
    HOME=/home/alice USER=alice LANG=C.UTF-8 DISPLAY=:99 "$@"
}

mount_root() {
  cp /etc/resolv.conf "$ROOTFS/etc/resolv.conf"
  mount -t proc proc "$ROOTFS/proc"
  mount -t sysfs sysfs "$ROOTFS/sys"
  mount --bind /dev "$ROOTFS/dev"
  mount --bind /dev/pts "$ROOTFS/dev/pts"
  mount -t tmpfs -o mode=1777 tmpfs "$ROOTFS/tmp"
  printf '#!/bin/sh\nexit 101\n' > "$ROOTFS/usr/sbin/policy-rc.d"  # start no services
  chmod 755 "$ROOTFS/usr/sbin/policy-rc.d"
}

# --- the cached base root ---------------------------------------------------------------
started=$SECONDS
mkdir -p "$ROOTFS" "$CACHE"
if [ ! -f "$BASE" ]; then
  echo "deb-install: building the $SUITE/$ARCH root with debootstrap (cached in $BASE)"
  debootstrap "${DEBOOTSTRAP_OPTIONS[@]}" "$SUITE" "$ROOTFS" "$MIRROR" >"$WORK/debootstrap.log" 2>&1 \
    || { tail -20 "$WORK/debootstrap.log" >&2; exit 2; }
  mount_root
  cp "$DEB" "$ROOTFS/root/"
  # Download (not install) what the test will install, so reruns take it from the cache;
  # the root itself stays bare.
  in_root apt-get update -qq
  in_root apt-get install -y -qq --download-only "/root/$(basename "$DEB")" "${TEST_TOOLS[@]}" >/dev/null
  rm -f "$ROOTFS/root/$(basename "$DEB")" "$ROOTFS/usr/sbin/policy-rc.d"
  for mount in tmp dev/pts dev sys proc; do umount "$ROOTFS/$mount"; done
  tar --numeric-owner -cf "$BASE.part.$$" -C "$ROOTFS" . && mv "$BASE.part.$$" "$BASE"
  echo "deb-install: base root built in $((SECONDS - started)) s"
else
  tar --numeric-owner -xpf "$BASE" -C "$ROOTFS"
  echo "deb-install: base root unpacked from the cache in $((SECONDS - started)) s"
fi
mount_root
echo "deb-install: $SUITE root with $(in_root ldd --version | head -n 1); the package: Depends $(dpkg-deb --field "$DEB" Depends | grep -o 'libc6[^,]*')"
cp "$DEB" "$ROOTFS/root/"
DEB_IN_ROOT="/root/$(basename "$DEB")"

# --- the checks ---------------------------------------------------------------------------
passed=0
failed=0
check() {  # check NAME COMMAND…: run it, report ok/FAIL with its time and output's tail
  local name=$1; shift
  local began=$SECONDS output status
  set +e
  output=$("$@" 2>&1)
  status=$?
  set -e
  if [ "$status" = 0 ]; then
    passed=$((passed + 1))
    printf 'ok    %s  (%d s)\n' "$name" "$((SECONDS - began))"
  else
    failed=$((failed + 1))
    printf 'FAIL  %s (exit %d)\n' "$name" "$status"
    printf '%s\n' "$output" | tail -n 12 | sed 's/^/      | /'
  fi
}
expect() {  # expect NEEDLE COMMAND…: the command succeeds and prints NEEDLE
  local needle=$1; shift
  local output
  output=$("$@" 2>&1) || { printf '%s\n' "$output"; return 1; }
  printf '%s\n' "$output"
  case "$output" in *"$needle"*) return 0 ;; *) echo "expected: $needle"; return 1 ;; esac
}
absent() {  # absent PATH…: none of the paths exists in the root
  local path
  for path in "$@"; do
    if [ -e "$ROOTFS$path" ] || [ -L "$ROOTFS$path" ]; then echo "still there: $path"; return 1; fi
  done
}
fingerprint() {  # checksums of every file in alice's home
  (cd "$ROOTFS/home/alice" && find . -type f -print0 | sort -z | xargs -0 sha256sum)
}
same_user_files() {
  fingerprint > "$WORK/after"
  diff "$WORK/before" "$WORK/after"
}
no_missing_xcb_libraries() {
  local plugin=/opt/drafter/_internal/PySide6/Qt/plugins/platforms/libqxcb.so output
  output=$(in_root env LD_LIBRARY_PATH=/opt/drafter/_internal ldd "$plugin")
  if printf '%s\n' "$output" | grep 'not found'; then return 1; fi
}
exec_line() {  # the menu entry's Exec line with %f replaced by $1, run as alice
  local exec
  exec=$(sed -n 's/^Exec=//p' "$ROOTFS/usr/share/applications/drafter.desktop")
  as_alice sh -c "${exec//%f/$1}"
}
keeps_a_window_open() {  # the bare Exec line still runs after 15 s: the window is open
  local status=0
  timeout 15 chroot "$ROOTFS" /usr/sbin/runuser -u alice -- /usr/bin/env -i PATH="$ENV_PATH" \
    HOME=/home/alice LANG=C.UTF-8 DISPLAY=:99 \
    sh -c "exec $(sed -n 's/^Exec=//p' "$ROOTFS/usr/share/applications/drafter.desktop" | sed 's/ *%f//')" \
    || status=$?
  [ "$status" = 124 ] || { echo "exited after less than 15 s with $status"; return 1; }
}
reinstall_and_purge() {
  in_root apt-get install -y "$DEB_IN_ROOT" && in_root apt-get purge -y drafter
}
purged() {
  if in_root dpkg -s drafter >/dev/null 2>&1; then echo "dpkg still lists drafter"; return 1; fi
  absent /opt/drafter /usr/bin/drafter /usr/share/applications/drafter.desktop
}
start_xvfb() {  # in this shell, not in check's subshell, so that cleanup knows its pid
  chroot "$ROOTFS" /usr/bin/Xvfb :99 -screen 0 1280x800x24 -nolisten tcp >"$WORK/xvfb.log" 2>&1 &
  XVFB_PID=$!
}
xvfb_ready() {
  for _ in $(seq 50); do [ -S "$ROOTFS/tmp/.X11-unix/X99" ] && return 0; sleep 0.2; done
  cat "$WORK/xvfb.log"; return 1
}

version=$(dpkg-deb --field "$DEB" Version)
check "apt-get install -y ./$(basename "$DEB")" in_root apt-get install -y "$DEB_IN_ROOT"
check "/usr/bin/drafter on PATH, app in /opt/drafter" \
  in_root sh -c 'test "$(command -v drafter)" = /usr/bin/drafter && test -x /opt/drafter/drafter'
check "Qt's xcb plugin finds its libraries (before the test tools)" no_missing_xcb_libraries
in_root useradd -m -s /bin/sh alice
check "drafter --version (as a user)" expect "drafter $version" as_alice drafter --version
check "install the test tools (${TEST_TOOLS[*]})" \
  in_root apt-get install -y --no-install-recommends "${TEST_TOOLS[@]}"
check "xdg-mime query default application/x-drafter-draft" \
  expect drafter.desktop as_alice xdg-mime query default application/x-drafter-draft
check "MIME database: *.drafter.json is application/x-drafter-draft" \
  grep -q 'application/x-drafter-draft:\*\.drafter\.json' "$ROOTFS/usr/share/mime/globs2"
check "icon installed in hicolor" test -f "$ROOTFS/usr/share/icons/hicolor/256x256/apps/drafter.png"
start_xvfb
check "Xvfb :99 in the root" xvfb_ready
check "drafter --self-test (xcb, Xvfb)" as_alice timeout 120 drafter --self-test
mkdir -p "$ROOTFS/home/alice/文档"
cp "$SAMPLE" "$ROOTFS/home/alice/文档/样例草案.drafter.json"
chroot "$ROOTFS" chown -R alice:alice /home/alice/文档
DRAFT=/home/alice/文档/样例草案.drafter.json
check "drafter --self-test ~/文档/样例草案.drafter.json" as_alice timeout 120 drafter --self-test "$DRAFT"
check "menu entry's Exec line, with the draft (%f → --self-test FILE)" exec_line "--self-test $DRAFT"
check "menu entry's Exec line, bare: the window stays open" keeps_a_window_open

# The user's own things: the data dir the app writes, and a draft in the home folder.
check "drafter refs list (writes ~/.local/share/drafter)" \
  expect 'yingtan' as_alice sh -c 'drafter refs list && test -d "$HOME/.local/share/drafter"'
check "drafter new -o ~/草案/测试条例.drafter.json" \
  as_alice sh -c 'mkdir -p "$HOME/草案" && drafter new --title 某市测试条例 --city 某市 -o "$HOME/草案/测试条例.drafter.json"'
fingerprint > "$WORK/before"
echo "      user files: $(wc -l < "$WORK/before") in /home/alice ($(grep -c '\.local/share/drafter/' "$WORK/before") in ~/.local/share/drafter)"
kill "$XVFB_PID" 2>/dev/null || true; wait "$XVFB_PID" 2>/dev/null || true; XVFB_PID=""

check "apt-get remove -y drafter" in_root apt-get remove -y drafter
check "after remove: /opt/drafter, /usr/bin/drafter, the menu entry are gone" \
  absent /opt/drafter /usr/bin/drafter /usr/share/applications/drafter.desktop \
  /usr/share/mime/packages/drafter.xml /usr/share/icons/hicolor/48x48/apps/drafter.png
check "after remove: the type has no handler left" \
  sh -c "! grep -rq drafter.desktop '$ROOTFS/usr/share/applications/mimeinfo.cache'"
check "after remove: alice's data dir and draft untouched" same_user_files
check "reinstall, then apt-get purge -y drafter" reinstall_and_purge
check "after purge: dpkg knows no drafter, /opt/drafter and /usr/bin/drafter gone" purged
check "after purge: alice's data dir and draft untouched" same_user_files

echo "deb-install: $passed passed, $failed failed ($((SECONDS - started)) s)"
[ "$failed" = 0 ]
