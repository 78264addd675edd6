"""One 款 in the article editor: its text on the first line, each 项 on a line below.

Keys: Enter on the 款 text splits it (or starts a new 款 at its end); Enter on a 项 line
starts the next 项; Shift+Enter adds a 项; Backspace at the very start merges the 款 into
the one above. The widget only reports these; the editor turns them into operations.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QTextCharFormat, QTextCursor, QTextFormat
from PySide6.QtWidgets import QFrame, QPlainTextEdit, QSizePolicy, QTextEdit, QWidget

from drafter.statute.model import Paragraph
from drafter.statute.numerals import item_label

_ITEM_LABEL = re.compile(r"^\s*[（(][一二三四五六七八九十百]+[）)]\s*")
HIGHLIGHT = QColor("#ffe58f")


def render(paragraph: Paragraph) -> str:
    """The editor text of a 款: its text, then its 项 labelled （一）… one per line."""
    lines = [paragraph.text]
    lines += [item_label(i) + item for i, item in enumerate(paragraph.items, 1)]
    return "\n".join(lines)


def parse(text: str) -> tuple[str, list[str]]:
    """(款 text, 项) from the editor text; labels typed or shown on 项 lines are dropped."""
    first, *rest = text.split("\n")
    return first, [_ITEM_LABEL.sub("", line, count=1) for line in rest]


def item_offset(paragraph: Paragraph, item: int) -> int:
    """Where the text of 项 `item` (-1: the 款 text) starts in the rendered editor text."""
    if item < 0:
        return 0
    offset = len(paragraph.text) + 1
    for i in range(item):
        offset += len(item_label(i + 1)) + len(paragraph.items[i]) + 1
    return offset + len(item_label(item + 1))


class ParagraphEdit(QPlainTextEdit):
    """The editor of one 款; `index` is its 0-based position in the article."""

    edited = Signal(int)  # the user changed the text of 款 index
    split_requested = Signal(int, int)  # 款 index, offset in its text (0..len)
    merge_requested = Signal(int)  # merge 款 index into the one above
    focused = Signal(int)

    def __init__(self, index: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.index = index
        self.setObjectName(f"paragraphEdit{index}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setTabChangesFocus(True)
        self._loading = False
        self.textChanged.connect(self._on_text_changed)
        self.document().documentLayout().documentSizeChanged.connect(
            lambda _size: self.updateGeometry()
        )

    def load(self, paragraph: Paragraph) -> None:
        """Show a 款 without reporting it as an edit; the cursor stays where it was if it can."""
        text = render(paragraph)
        if text == self.toPlainText():
            return
        position = self.textCursor().position()
        self._loading = True
        try:
            self.setPlainText(text)
        finally:
            self._loading = False
        cursor = self.textCursor()
        cursor.setPosition(min(position, len(text)))
        self.setTextCursor(cursor)

    def content(self) -> tuple[str, list[str]]:
        """(款 text, 项) as typed."""
        return parse(self.toPlainText())

    def _on_text_changed(self) -> None:
        if not self._loading:
            self.edited.emit(self.index)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        lines = max(1, int(self.document().size().height()))
        height = lines * self.fontMetrics().lineSpacing()
        margins = self.contentsMargins()
        extra = 2 * int(self.document().documentMargin()) + margins.top() + margins.bottom()
        return QSize(super().sizeHint().width(), height + extra + 4)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return self.sizeHint()

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        self.setFixedHeight(self.sizeHint().height())

    def focusInEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().focusInEvent(event)
        self.focused.emit(self.index)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        cursor = self.textCursor()
        enter = event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        shift = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
        if enter and (shift or cursor.blockNumber() > 0):
            self._new_item_after(cursor)
            return
        if enter:
            self.split_requested.emit(self.index, cursor.position())
            return
        if (
            event.key() == Qt.Key.Key_Backspace
            and not cursor.hasSelection()
            and cursor.position() == 0
            and self.index > 0
        ):
            self.merge_requested.emit(self.index)
            return
        super().keyPressEvent(event)

    def _new_item_after(self, cursor: QTextCursor) -> None:
        number = max(1, cursor.blockNumber() + 1)
        cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
        cursor.insertText("\n" + item_label(number))
        self.setTextCursor(cursor)

    def highlight(self, start: int, length: int) -> None:
        """Select and mark a span of the editor text (find results)."""
        cursor = self.textCursor()
        cursor.setPosition(start)
        cursor.setPosition(start + length, QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)
        selection = QTextEdit.ExtraSelection()
        selection.cursor = cursor
        marked = QTextCharFormat()
        marked.setBackground(HIGHLIGHT)
        marked.setProperty(QTextFormat.Property.FullWidthSelection, False)
        selection.format = marked
        self.setExtraSelections([selection])

    def clear_highlight(self) -> None:
        self.setExtraSelections([])
