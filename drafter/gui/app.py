"""Start the application: QApplication, Chinese translations, fonts, the main window."""

from __future__ import annotations

import sys

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

from drafter import __version__

ORGANISATION = "drafter"
APPLICATION = "drafter"
APPLICATION_DISPLAY_NAME = "立法起草助手"

# Fonts tried in order for the interface; Windows offices have 微软雅黑, Linux Noto CJK.
UI_FONT_FAMILIES = ["Microsoft YaHei UI", "Microsoft YaHei", "Noto Sans CJK SC", "PingFang SC"]


def create_application(argv: list[str] | None = None) -> QApplication:
    """The QApplication, with Qt's own dialogs translated to Simplified Chinese."""
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv[:1])
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName(APPLICATION_DISPLAY_NAME)
    app.setApplicationVersion(__version__)
    _install_translations(app)
    font = QFont(app.font())
    font.setFamilies([*UI_FONT_FAMILIES, *font.families()])
    app.setFont(font)
    return app


def _install_translations(app: QApplication) -> None:
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    path = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for catalogue in ("qtbase", "qt"):
        translator = QTranslator(app)
        if translator.load(QLocale("zh_CN"), catalogue, "_", path):
            app.installTranslator(translator)
            # Keep a reference: a collected translator is silently uninstalled.
            app.setProperty(f"translator_{catalogue}", translator)


def run_app(argv: list[str] | None = None) -> int:
    """Open the main window and run the event loop; returns the exit code."""
    app = create_application(argv)
    from drafter.gui.main_window import MainWindow

    window = MainWindow()
    window.show()
    return app.exec()
