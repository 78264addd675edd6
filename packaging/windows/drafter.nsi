; Windows installer for drafter (立法起草助手), built from the PyInstaller folder.
;
;   pyinstaller --noconfirm build.spec                  → dist\drafter\
;   makensis packaging\windows\drafter.nsi              → dist\drafter-<version>-setup.exe
;
; NSIS 3 (Unicode). The version is read from pyproject.toml; /DVERSION=… overrides it,
; /DDIST=… names another app folder and /DOUTDIR=… another output folder (paths relative
; to this file). makensis also runs on Linux (apt-get install nsis), which is how the
; script is compiled in tests/test_packaging_windows.py.
;
; What it does:
; - installs the folder to C:\Program Files\drafter (64-bit; administrator rights), with a
;   Start-menu entry 立法起草助手 and, optionally, a desktop shortcut, both to the windowed
;   drafter-gui.exe; registers an uninstaller in 设置 → 应用 (Add/Remove Programs);
; - file association. A draft is NAME.drafter.json, and Windows decides a file's type by
;   its last extension only, .json: a key for ".drafter.json" would never be consulted.
;   Taking over .json would hijack every JSON file, and since Windows 8 a program cannot
;   set itself as a type's default anyway (the user's choice is hash-protected). So the
;   installer registers the ProgID drafter.Draft (open command, icon) and lists it in
;   .json's OpenWithProgids and the application's SupportedTypes: right-click a draft →
;   打开方式 shows 立法起草助手 (tick 始终使用此应用 to make it the .json default). A
;   double click opens a draft with whatever opens .json files (often Notepad) until then.
;   Drafts are also opened from the window (文件 → 打开, recent files) and by drag-and-drop
;   onto the shortcut or drafter-gui.exe.
; - the uninstaller removes the program folder's own files, the shortcuts and the
;   registry entries above, and nothing else: user data (%LOCALAPPDATA%\drafter —
;   imported references, corrections, autosaves, settings) and the drafts themselves stay.

Unicode true
!ifdef AMD64  ; a 64-bit installer (the default is NSIS's usual 32-bit one); Wine64 runs it
  Target amd64-unicode
!endif
SetCompressor /SOLID lzma
ManifestDPIAware true
RequestExecutionLevel admin

!include "MUI2.nsh"
!include "x64.nsh"
!include "LogicLib.nsh"

!define APP_NAME "drafter"
!define DISPLAY_NAME "立法起草助手"
!define PROG_ID "drafter.Draft"
!define GUI_EXE "drafter-gui.exe"
!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\${APP_NAME}"

!ifndef VERSION
  !searchparse /file "../../pyproject.toml" 'version = "' VERSION '"'
!endif
!ifndef VERSION4  ; the four numbers of the version resource
  !define VERSION4 "${VERSION}.0"
!endif
!ifndef DIST
  !define DIST "../../dist/drafter"
!endif
!ifndef OUTDIR
  !define OUTDIR "../../dist"
!endif

Name "${DISPLAY_NAME} ${VERSION}"
OutFile "${OUTDIR}/${APP_NAME}-${VERSION}-setup.exe"
InstallDir "$PROGRAMFILES64\${APP_NAME}"
InstallDirRegKey HKLM "${UNINSTALL_KEY}" "InstallLocation"
BrandingText "${DISPLAY_NAME} ${VERSION}"

VIProductVersion "${VERSION4}"
VIAddVersionKey /LANG=2052 "ProductName" "${DISPLAY_NAME}"
VIAddVersionKey /LANG=2052 "FileDescription" "${DISPLAY_NAME} 安装程序"
VIAddVersionKey /LANG=2052 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=2052 "CompanyName" "${APP_NAME}"
VIAddVersionKey /LANG=2052 "LegalCopyright" "MIT License"

!define MUI_ICON "../../resources/icons/drafter.ico"
!define MUI_UNICON "../../resources/icons/drafter.ico"
!define MUI_ABORTWARNING
!define MUI_FINISHPAGE_RUN "$INSTDIR\${GUI_EXE}"
!define MUI_FINISHPAGE_RUN_TEXT "运行 ${DISPLAY_NAME}"
!define MUI_UNCONFIRMPAGE_TEXT_TOP "将从计算机中删除 ${DISPLAY_NAME} 程序。您的草案文件和用户数据（%LOCALAPPDATA%\drafter：导入的参考法规、更正、自动保存和设置）不会被删除。"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_COMPONENTS
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "SimpChinese"

Function .onInit
  ${IfNot} ${RunningX64}
    MessageBox MB_ICONSTOP "${DISPLAY_NAME} 需要 64 位 Windows 10 或 11。"
    Abort
  ${EndIf}
  SetRegView 64
  SetShellVarContext all
FunctionEnd

Function un.onInit
  SetRegView 64
  SetShellVarContext all
FunctionEnd

Section "${DISPLAY_NAME}（必需）" SecApp
  SectionIn RO
  ; An upgrade replaces the bundled runtime whole, so no file of an older version stays.
  RMDir /r "$INSTDIR\_internal"
  SetOutPath "$INSTDIR"
  File /r "${DIST}/*.*"
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateShortcut "$SMPROGRAMS\${DISPLAY_NAME}.lnk" "$INSTDIR\${GUI_EXE}" "" "$INSTDIR\${GUI_EXE}" 0

  ; 打开方式 for drafts (*.drafter.json; Windows sees .json — see the header).
  WriteRegStr HKLM "Software\Classes\${PROG_ID}" "" "法规草案"
  WriteRegStr HKLM "Software\Classes\${PROG_ID}" "FriendlyTypeName" "法规草案（${DISPLAY_NAME}）"
  WriteRegStr HKLM "Software\Classes\${PROG_ID}\DefaultIcon" "" '"$INSTDIR\${GUI_EXE}",0'
  WriteRegStr HKLM "Software\Classes\${PROG_ID}\shell\open" "FriendlyAppName" "${DISPLAY_NAME}"
  WriteRegStr HKLM "Software\Classes\${PROG_ID}\shell\open\command" "" '"$INSTDIR\${GUI_EXE}" "%1"'
  WriteRegStr HKLM "Software\Classes\.json\OpenWithProgids" "${PROG_ID}" ""
  WriteRegStr HKLM "Software\Classes\Applications\${GUI_EXE}" "FriendlyAppName" "${DISPLAY_NAME}"
  WriteRegStr HKLM "Software\Classes\Applications\${GUI_EXE}\SupportedTypes" ".json" ""
  WriteRegStr HKLM "Software\Classes\Applications\${GUI_EXE}\shell\open\command" "" '"$INSTDIR\${GUI_EXE}" "%1"'

  ; 设置 → 应用 (Add/Remove Programs).
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayName" "${DISPLAY_NAME}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "DisplayIcon" '"$INSTDIR\${GUI_EXE}",0'
  WriteRegStr HKLM "${UNINSTALL_KEY}" "Publisher" "${APP_NAME}"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKLM "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKLM "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "NoRepair" 1
  SectionGetSize ${SecApp} $0
  WriteRegDWORD HKLM "${UNINSTALL_KEY}" "EstimatedSize" $0

  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'  ; SHCNE_ASSOCCHANGED
SectionEnd

Section "桌面快捷方式" SecDesktop
  CreateShortcut "$DESKTOP\${DISPLAY_NAME}.lnk" "$INSTDIR\${GUI_EXE}" "" "$INSTDIR\${GUI_EXE}" 0
SectionEnd

!insertmacro MUI_FUNCTION_DESCRIPTION_BEGIN
  !insertmacro MUI_DESCRIPTION_TEXT ${SecApp} "程序文件、开始菜单项、“打开方式”中的草案关联。"
  !insertmacro MUI_DESCRIPTION_TEXT ${SecDesktop} "在桌面上放一个 ${DISPLAY_NAME} 的快捷方式。"
!insertmacro MUI_FUNCTION_DESCRIPTION_END

Section "Uninstall"
  ; Only what the installer put there: a folder chosen by the user may hold other files.
  RMDir /r "$INSTDIR\_internal"
  Delete "$INSTDIR\drafter.exe"
  Delete "$INSTDIR\${GUI_EXE}"
  Delete "$INSTDIR\uninstall.exe"
  RMDir "$INSTDIR"

  Delete "$SMPROGRAMS\${DISPLAY_NAME}.lnk"
  Delete "$DESKTOP\${DISPLAY_NAME}.lnk"

  DeleteRegKey HKLM "Software\Classes\${PROG_ID}"
  DeleteRegValue HKLM "Software\Classes\.json\OpenWithProgids" "${PROG_ID}"
  DeleteRegKey /ifempty HKLM "Software\Classes\.json\OpenWithProgids"
  DeleteRegKey HKLM "Software\Classes\Applications\${GUI_EXE}"
  DeleteRegKey HKLM "${UNINSTALL_KEY}"
  System::Call 'shell32::SHChangeNotify(i 0x08000000, i 0, p 0, p 0)'
  ; User data (%LOCALAPPDATA%\drafter) and drafts are left alone on purpose.
SectionEnd
