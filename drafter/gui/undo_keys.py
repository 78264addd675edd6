"""Undo and redo keys go to the draft's one QUndoStack, wherever the keyboard focus is;
so do the window's other shortcuts that a text box would take for itself.

Qt's text widgets claim Ctrl+Z / Ctrl+Y / Ctrl+Shift+Z for their own edit history by
accepting the ShortcutOverride event, so the window's 撤销/重做 actions never saw them:
Ctrl+Z in a 款 box deleted one typed character and recorded that as a new edit. This
filter declines the override for those keys in every widget of the window, so the
shortcut reaches the QAction and the session's stack; the 款 boxes' own histories are off.

On Linux a line edit also takes Ctrl+E (Emacs's end of line): in the 章名 or 条旨 box,
导出 Word 文档 (Ctrl+E) did nothing on UOS and Kylin, while it worked on Windows. The
window names its shortcuts (`pass_on`), and those are declined the same way; the
clipboard keys and 全选 are not among them, as the text boxes own those.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QWidget

# Ctrl+Y is Word's and WPS's redo; Ctrl+Shift+Z is the platform's on Linux and macOS.
REDO_EXTRA = ("Ctrl+Y", "Ctrl+Shift+Z")


@cache
def _redo_extra_combinations() -> frozenset[int]:
    # Parsed once: the filter sees every key press of the application.
    # (PySide6's stubs lack QKeySequence.__getitem__, Qt's operator[], which exists.)
    return frozenset(
        QKeySequence(text)[0].toCombined()  # type: ignore[index]
        for text in REDO_EXTRA
    )


def is_undo_or_redo(event: QKeyEvent) -> bool:
    if event.matches(QKeySequence.StandardKey.Undo) or event.matches(QKeySequence.StandardKey.Redo):
        return True
    return event.keyCombination().toCombined() in _redo_extra_combinations()


class UndoKeyRouter(QObject):
    """An application event filter for the widgets of one window (see the module doc)."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        self._window_keys: frozenset[int] = frozenset()
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def pass_on(self, sequences: list[QKeySequence]) -> None:
        """The window's own shortcuts, which no text box may keep from it."""
        self._window_keys = frozenset(
            sequence[0].toCombined()  # type: ignore[index]
            for sequence in sequences
            if sequence.count() == 1
        )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(watched, QWidget)
            and isinstance(event, QKeyEvent)
            and watched.window() is self._window
            and (is_undo_or_redo(event) or event.keyCombination().toCombined() in self._window_keys)
        ):
            # Not accepted: the shortcut map then triggers the window's action.
            event.ignore()
            return True
        return False

    def detach(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
