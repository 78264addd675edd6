"""Start the application: QApplication, Chinese translations, fonts, the main window."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLocale, QTimer, QTranslator
from PySide6.QtGui import QFont, QIcon
from PySide6.QtWidgets import QApplication

from drafter import __version__
from drafter.gui.qt_translations import SupplementTranslator, load_catalogue
from drafter.gui.settings import configure_settings
from drafter.paths import resources_dir

if TYPE_CHECKING:
    from drafter.gui.main_window import MainWindow

ORGANISATION = "drafter"
APPLICATION = "drafter"
APPLICATION_DISPLAY_NAME = "立法起草助手"

# Fonts tried in order for the interface; Windows offices have 微软雅黑, Linux Noto CJK.
UI_FONT_FAMILIES = ["Microsoft YaHei UI", "Microsoft YaHei", "Noto Sans CJK SC", "PingFang SC"]


def create_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication, with Qt's own dialogs translated to Simplified Chinese."""
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv[:1])
    # instance() is typed as a QCoreApplication; the drafter (and pytest-qt) only ever
    # create a QApplication.
    assert isinstance(app, QApplication)
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName(APPLICATION_DISPLAY_NAME)
    app.setApplicationVersion(__version__)
    configure_settings()
    icon = resources_dir() / "icons" / "drafter.png"
    if icon.is_file():
        app.setWindowIcon(QIcon(str(icon)))
    _install_translations(app)
    font = QFont(app.font())
    font.setFamilies([*UI_FONT_FAMILIES, *font.families()])
    app.setFont(font)
    return app


def _install_translations(app: QApplication) -> None:
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    # qtbase holds the standard dialogs and buttons; the "qt" meta-catalogue also needs
    # modules PySide6-Essentials does not ship, so it is not loaded. Qt asks the last
    # installed translator first: the supplement goes first, so it only gets the texts
    # qtbase leaves in English (see qt_translations).
    catalogue = load_catalogue("qtbase", app)
    translators: list[QTranslator] = [SupplementTranslator(catalogue, app)]
    if catalogue is not None:
        translators.append(catalogue)
    for translator in translators:
        app.installTranslator(translator)
    # Keep references: a collected translator is silently uninstalled.
    app.setProperty("drafter_translators", translators)


def open_window(path: Path | str | None = None) -> MainWindow:
    """Show the main window; once it is on screen, offer what autosave kept, then open `path`.

    The recovery offer comes first: the draft being opened may be the one that was left
    unsaved by a crash, and once it is open (and locked) its autosave is no longer offered.
    """
    from drafter.gui.main_window import MainWindow

    window = MainWindow()
    window.show()

    def after_shown() -> None:
        window.files.autosave.offer_recovery()
        if path is not None:
            window.files.open_path(Path(path))

    QTimer.singleShot(0, after_shown)
    return window


def run_app(argv: list[str] | None = None, path: Path | str | None = None) -> int:
    """Open the main window (with the draft `path`, if given) and run the event loop."""
    from drafter.gui import termination

    app = create_application(argv)
    window = open_window(path)  # held here: the window lives as long as the event loop
    watch = termination.install(window)
    try:
        return app.exec()
    finally:
        watch.uninstall()


def run_self_test(path: Path | str | None = None, timeout_seconds: float = 60.0) -> int:
    """`drafter --self-test [FILE]`: open the window, wait for the references, open `path`
    as `drafter FILE` would (the packaged app's file association), close; 0 if all is well.
    """
    import time

    from PySide6.QtCore import QEventLoop

    from drafter.draft.project_file import load_project
    from drafter.errors import DrafterError

    if path is not None:
        try:  # read first: the window would report a bad file in a modal box nobody closes
            load_project(Path(path))
        except DrafterError as error:
            print(f"自检失败：无法打开草案：{error}", file=sys.stderr)
            return 1

    app = create_application([sys.argv[0] if sys.argv else "drafter"])
    from drafter.gui.main_window import MainWindow
    from drafter.gui.workers import wait_for_background_jobs

    started = time.perf_counter()
    window = MainWindow()
    window.show()
    while len(window.references) < 5 and time.perf_counter() - started < timeout_seconds:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
    elapsed = time.perf_counter() - started
    loaded = len(window.references)
    # The suggestion engine (a child process, drafter.matching.service) must answer too:
    # a frozen app that cannot start it would otherwise pass with an empty panel.
    panel = window.panels.suggestions
    while (
        panel is not None
        and not panel.engine_ready
        and time.perf_counter() - started < timeout_seconds
    ):
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
    engine_ready = panel is not None and panel.engine_ready
    searchable = len(panel.engine_refs()) if engine_ready and panel is not None else 0
    opened = ""
    if path is not None and loaded >= 5:
        window.activateWindow()
        if window.files.open_path(Path(path)) and window.session is not None:
            app.processEvents()
            draft = window.session.draft
            typing_into = QApplication.focusWidget() in window.editor.paragraph_edits
            opened = (
                f"，已打开草案《{draft.title}》（{sum(1 for _ in draft.articles())}条"
                f"{'，光标在第一条第一款' if typing_into else ''}）"
            )
    window.set_session(None)
    window.close()
    wait_for_background_jobs()
    if loaded < 5:
        print(f"自检失败：{elapsed:.1f} 秒内只载入了 {loaded} 部参考法规", file=sys.stderr)
        return 1
    if not engine_ready:
        print(f"自检失败：{timeout_seconds:.0f} 秒内条文检索未就绪", file=sys.stderr)
        return 1
    if path is not None and not opened:
        print(f"自检失败：无法打开草案 {path}", file=sys.stderr)
        return 1
    print(
        f"自检通过：窗口已打开，载入参考法规 {loaded} 部，用时 {elapsed:.2f} 秒；"
        f"条文检索就绪（{searchable} 部，用时 {time.perf_counter() - started:.2f} 秒）{opened}"
    )
    return 0
