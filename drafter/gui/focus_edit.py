"""剪切 / 复制 / 粘贴 / 全选 in the 编辑 menu, acting on the text box the drafter is working in.

The keys themselves never reach these actions while a text box has the focus (text widgets
claim Ctrl+X/C/V/A through ShortcutOverride), so this only serves the menu entries: they
call the same slots the keys do, on the last focused text box.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QApplication,
    QLineEdit,
    QMenu,
    QMenuBar,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)
from shiboken6 import isValid

TextWidget = QLineEdit | QTextEdit | QPlainTextEdit  # QTextBrowser is a QTextEdit
CUT, COPY, PASTE, SELECT_ALL = "cut", "copy", "paste", "selectAll"


class FocusEdit(QObject):
    """Remembers the text box with the keyboard focus and runs clipboard slots on it."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self._target: QWidget | None = None
        self.actions: dict[str, QAction] = {}
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        app.focusChanged.connect(self._focus_changed)
        QApplication.clipboard().dataChanged.connect(self.refresh)

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        # Opening the menu bar with Alt moves the focus to it; a modal box takes it for a
        # while: the text box the drafter was in stays the target then.
        if isinstance(new, TextWidget):
            self._target = new
        elif new is not None and not isinstance(new, QMenuBar | QMenu):
            self._target = None
        self.refresh()

    def target(self) -> QWidget | None:
        """The text box the menu entries act on (None once it has been deleted)."""
        if self._target is not None and not isValid(self._target):
            self._target = None
        return self._target

    def run(self, slot: str) -> None:
        widget = self.target()
        method = getattr(widget, slot, None)
        if widget is not None and callable(method) and self.can(slot, widget):
            method()

    def can(self, slot: str, widget: QWidget | None = None) -> bool:
        """Whether `slot` would do something on the target now."""
        widget = widget or self.target()
        if not isinstance(widget, TextWidget) or not widget.isEnabled():
            return False
        if isinstance(widget, QLineEdit):
            selected, empty = widget.hasSelectedText(), not widget.text()
            # A password field never gives its text away.
            secret = widget.echoMode() != QLineEdit.EchoMode.Normal
        else:
            selected, empty, secret = (
                widget.textCursor().hasSelection(),
                widget.document().isEmpty(),
                False,
            )
        writable = not widget.isReadOnly()
        if slot == CUT:
            return selected and writable and not secret
        if slot == COPY:
            return selected and not secret
        if slot == PASTE:
            return writable and bool(QApplication.clipboard().text())
        if slot == SELECT_ALL:
            return not empty
        return False

    def refresh(self) -> None:
        """Enable each entry exactly when it would act (called as the 编辑 menu opens)."""
        widget = self.target()
        for slot, action in self.actions.items():
            action.setEnabled(self.can(slot, widget))
