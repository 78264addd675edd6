"""Message boxes that say what went wrong and what to do, in Chinese."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from drafter.errors import DrafterError


def show_error(parent: QWidget | None, title: str, error: BaseException | str) -> None:
    """A modal error box; user errors show their message, bugs a short notice with details."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(title)
    if isinstance(error, DrafterError) or isinstance(error, str):
        box.setText(str(error))
    else:
        box.setText(f"操作未能完成：{type(error).__name__}: {error}")
        details = getattr(error, "formatted_traceback", "")
        if details:
            box.setDetailedText(details)
    box.setObjectName("errorDialog")
    box.exec()
