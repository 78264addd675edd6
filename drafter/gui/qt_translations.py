"""Qt's own dialogs in Simplified Chinese: the shipped catalogue plus what it lacks.

PySide6 ships qtbase_zh_CN.qm (the standard dialogs, buttons, context menus), but that
catalogue lags behind Qt's source texts: Qt 6 renamed QFileDialog's "Look in:" and
"Files of type:" to "&Look in:" and "Files of &type:" (adding shortcuts), and the Chinese
file still translates only the old texts, so Qt's own file dialog (used on Linux, and
wherever no native one exists) shows English labels. Comparing it with the up-to-date
German catalogue finds a handful of such texts; `SupplementTranslator` translates them,
texts Qt moved to another context (by the catalogue's translation in the old one), and
any other text whose only change is an added "&" shortcut, by the catalogue's own
translation of the text without it, with the shortcut added the Chinese way: "(&L)".
"""

from __future__ import annotations

import re

from PySide6.QtCore import QLibraryInfo, QLocale, QObject, QTranslator

# (context, source text) → Chinese, for texts qtbase_zh_CN.qm does not translate.
MISSING_TRANSLATIONS: dict[tuple[str, str], str] = {
    ("QFileDialog", "&Look in:"): "查找范围(&L)：",
    ("QFileDialog", "Files of &type:"): "文件类型(&T)：",
    ("QErrorMessage", "An error occurred"): "发生错误",
    ("QShortcut", "Keyboard"): "键盘",
}
# Contexts Qt 6 moved texts into, and where the catalogue still has them: the file
# dialog's type column ("Folder", "Drive", "File") is QAbstractFileIconProvider's now.
MOVED_CONTEXTS: dict[str, str] = {"QAbstractFileIconProvider": "QFileDialog"}
_SHORTCUT = re.compile(r"&([^&\s])")
_TRAILING_COLON = re.compile(r"[:：]\s*$")


def load_catalogue(name: str, parent: QObject | None = None) -> QTranslator | None:
    """Qt's zh_CN catalogue `name` (e.g. "qtbase") from Qt's translations folder, if there."""
    translator = QTranslator(parent)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    return translator if translator.load(QLocale("zh_CN"), name, "_", folder) else None


class SupplementTranslator(QTranslator):
    """Translates what `catalogue` leaves in English; install it before the catalogue.

    Qt asks the most recently installed translator first, so with this one installed
    first it is only asked about texts the catalogue has no translation for.
    """

    def __init__(self, catalogue: QTranslator | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.catalogue = catalogue

    def isEmpty(self) -> bool:  # noqa: N802 - Qt's name
        return False

    def translate(
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str | None:
        """The Chinese of `source`, or None (a null string: Qt then shows the source)."""
        known = MISSING_TRANSLATIONS.get((context, source))
        if known is not None:
            return known
        if self.catalogue is not None and context in MOVED_CONTEXTS:
            moved = self.catalogue.translate(MOVED_CONTEXTS[context], source, disambiguation, n)
            if moved:
                return moved
        return self._without_shortcut(context, source, disambiguation, n)

    def _without_shortcut(
        self, context: str, source: str, disambiguation: str | None, n: int
    ) -> str | None:
        shortcut = _SHORTCUT.search(source)
        if self.catalogue is None or shortcut is None:
            return None
        plain = source.replace("&", "", 1)
        translated = self.catalogue.translate(context, plain, disambiguation, n)
        if not translated or "&" in translated:
            return None
        key = f"(&{shortcut.group(1).upper()})"
        colon = _TRAILING_COLON.search(translated)
        if colon is None:
            return translated + key
        return translated[: colon.start()] + key + translated[colon.start() :]
