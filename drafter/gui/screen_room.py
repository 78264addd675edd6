"""Window sizes that fit the screen the window is on.

The window and the dialogs ask for sizes made for an ordinary desktop screen; on the
1366×768 screens of many office PCs an 800-high window ran past the bottom of the
screen, its last rows and buttons off it.
"""

from __future__ import annotations

from PySide6.QtCore import QSize
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

# What a window frame (title bar, borders) takes besides the size asked for.
FRAME_ALLOWANCE = 60


def available_room(widget: QWidget) -> QSize | None:
    """The room the widget's screen leaves for windows (without taskbars and a frame)."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        return None
    room = screen.availableGeometry()
    return QSize(room.width() - FRAME_ALLOWANCE, room.height() - FRAME_ALLOWANCE)


def fits(widget: QWidget, width: int, height: int) -> bool:
    """Whether width×height, with its frame, fits on the widget's screen."""
    room = available_room(widget)
    return room is None or (width <= room.width() and height <= room.height())


def resize_to_fit(widget: QWidget, width: int, height: int) -> None:
    """Resize to width×height, or smaller where the screen has less room."""
    room = available_room(widget)
    if room is not None:
        width, height = min(width, room.width()), min(height, room.height())
    widget.resize(width, height)
