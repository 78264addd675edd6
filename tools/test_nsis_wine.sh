#!/usr/bin/env bash
# Run the Windows installer under Wine: install, check, uninstall, check user data stays.
#
#   tools/test_nsis_wine.sh [DIST]     # DIST: an app folder (default: a stand-in folder)
#
# Needs makensis (apt-get install nsis) and 64-bit Wine (apt-get install wine64 wine).
# Wine is not Windows: this checks the script's logic — files, Start-menu and desktop
# shortcuts, registry keys, the uninstaller removing exactly those and leaving
# %LOCALAPPDATA%\drafter and a draft alone — not Explorer, 打开方式 or SmartScreen.
# The installer is built with /DAMD64 (a 64-bit NSIS stub), which Wine64 runs without
# 32-bit Wine; the released installer uses NSIS's usual 32-bit stub and the same script.
# Everything lives in a temporary WINEPREFIX and HOME (Wine links the user's Documents
# and Desktop into HOME), removed at the end. The last line is
# `nsis-wine: N passed, M failed`.
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
for tool in makensis wine wineserver; do
  command -v "$tool" >/dev/null 2>&1 || { echo "nsis-wine: needs $tool" >&2; exit 2; }
done

WORK=$(mktemp -d /tmp/drafter-nsis-wine.XXXXXX)
export WINEPREFIX="$WORK/prefix" HOME="$WORK/home" WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml="
cleanup() {
  wineserver -k 2>/dev/null || true  # only this prefix's wineserver
  rm -rf "$WORK"
}
trap cleanup EXIT
mkdir -p "$HOME"

DIST=${1:-}
if [ -z "$DIST" ]; then
  DIST="$WORK/dist/drafter"
  mkdir -p "$DIST/_internal"
  printf 'stand-in' > "$DIST/_internal/base_library.zip"
  printf 'MZ stand-in' > "$DIST/drafter.exe"
  printf 'MZ stand-in' > "$DIST/drafter-gui.exe"
fi
DIST=$(readlink -f "$DIST")
makensis -V1 -DAMD64 "-DDIST=$DIST" "-DOUTDIR=$WORK" "$REPO/packaging/windows/drafter.nsi"
SETUP=$(ls "$WORK"/drafter-*-setup.exe)
wine wineboot --init >/dev/null 2>&1
wineserver -w

C="$WINEPREFIX/drive_c"
APP="$C/Program Files/drafter"
MENU="$C/ProgramData/Microsoft/Windows/Start Menu/Programs/立法起草助手.lnk"
DESKTOP="$C/users/Public/Desktop/立法起草助手.lnk"
UNINSTALL_KEY='HKLM\Software\Microsoft\Windows\CurrentVersion\Uninstall\drafter'
KEYS=("$UNINSTALL_KEY" 'HKLM\Software\Classes\drafter.Draft' 'HKLM\Software\Classes\Applications\drafter-gui.exe')

passed=0
failed=0
check() {
  local name=$1; shift
  if "$@"; then passed=$((passed + 1)); echo "ok    $name"; else failed=$((failed + 1)); echo "FAIL  $name"; fi
}
key_exists() { wine reg query "$1" >/dev/null 2>&1; }
keys_exist() { local key; for key in "${KEYS[@]}"; do key_exists "$key" || return 1; done; }
keys_gone() { local key; for key in "${KEYS[@]}"; do ! key_exists "$key" || return 1; done; }
open_with_listed() { wine reg query 'HKLM\Software\Classes\.json\OpenWithProgids' 2>/dev/null | grep -q drafter.Draft; }
display_name() {  # reg's console output is not UTF-8; its export file is UTF-16
  wine reg export "$UNINSTALL_KEY" "$WORK/uninstall.reg" >/dev/null 2>&1 &&
    iconv -f UTF-16 -t UTF-8 "$WORK/uninstall.reg" | grep -q '"DisplayName"="立法起草助手"'
}
open_command() {
  wine reg query 'HKLM\Software\Classes\drafter.Draft\shell\open\command' 2>/dev/null |
    grep -qF '"C:\Program Files\drafter\drafter-gui.exe" "%1"'
}

wine "$SETUP" /S
wineserver -w
check "installed to C:\\Program Files\\drafter" test -f "$APP/drafter-gui.exe" -a -f "$APP/drafter.exe" -a -d "$APP/_internal" -a -f "$APP/uninstall.exe"
check "Start-menu entry 立法起草助手" test -f "$MENU"
check "desktop shortcut" test -f "$DESKTOP"
check "uninstall entry, ProgID, Applications key" keys_exist
check "uninstall entry's DisplayName 立法起草助手" display_name
check "drafter.Draft opens drafter-gui.exe \"%1\"" open_command
check ".json OpenWithProgids lists drafter.Draft" open_with_listed

# The user's things: user data, and a draft in Documents.
LOCAL=$(wine cmd /c echo %LOCALAPPDATA% 2>/dev/null | tr -d '\r')
DATA="$(winepath -u "$LOCAL" 2>/dev/null)/drafter"
case "$DATA" in "$WINEPREFIX"/*) ;; *) echo "nsis-wine: %LOCALAPPDATA% not found ($DATA)" >&2; exit 2 ;; esac
mkdir -p "$DATA" "$HOME/Documents"
printf 'user data' > "$DATA/library.sqlite3"
printf '{}' > "$HOME/Documents/样例.drafter.json"

wine "C:\\Program Files\\drafter\\uninstall.exe" /S
wineserver -w  # the uninstaller reruns itself from %TEMP%; wait for that copy too
check "uninstalled: the program folder is gone" test ! -e "$APP"
check "uninstalled: the shortcuts are gone" test ! -e "$MENU" -a ! -e "$DESKTOP"
check "uninstalled: the registry keys are gone" keys_gone
check "uninstalled: .json no longer lists drafter.Draft" eval '! open_with_listed'
check "uninstalled: %LOCALAPPDATA%\\drafter kept" test "$(cat "$DATA/library.sqlite3")" = 'user data'
check "uninstalled: the draft in Documents kept" test -f "$HOME/Documents/样例.drafter.json"

echo "nsis-wine: $passed passed, $failed failed"
[ "$failed" = 0 ]
