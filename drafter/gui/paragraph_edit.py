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

from drafter.draft.caret import render_paragraph
from drafter.statute.model import Paragraph
from drafter.statute.numerals import item_label

_ITEM_LABEL = re.compile(r"^\s*[（(][一二三四五六七八九十百]+[）)]\s*")
HIGHLIGHT = QColor("#ffe58f")
DAMAGED = QColor("#ffc7c7")  # damaged text carried over from a reference


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
        self.damage_marks: list[QTextEdit.ExtraSelection] = []
        self.setObjectName(f"paragraphEdit{index}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setTabChangesFocus(True)
        # The draft's QUndoStack is the only history; Ctrl+Z reaches it (gui/undo_keys.py).
        self.setUndoRedoEnabled(False)
        self._loading = False
        self.textChanged.connect(self._on_text_changed)
        # Like a paragraph in Word the box always shows its whole text: refit whenever the
        # layout changes (typing, a 项 added, text replaced, a new width).
        self.document().documentLayout().documentSizeChanged.connect(
            lambda _size: self.fit_height()
        )

    def load(self, paragraph: Paragraph, fresh: bool = False) -> None:
        """Show a 款 without reporting it as an edit.

        The cursor stays where it was if it can; `fresh` (another article) puts it at 0.
        """
        text = render_paragraph(paragraph)  # the same text the core's caret rule counts in
        if text == self.toPlainText():
            if fresh:
                self.moveCursor(QTextCursor.MoveOperation.Start)
            return
        position = 0 if fresh else self.textCursor().position()
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

    def content_height(self) -> int:
        """Pixels the laid-out text needs, frame and margins included.

        Measured from the laid-out blocks, not from lines × lineSpacing(): CJK lines lay
        out taller than the font's line spacing (18–19 px against 17 here), so counting
        lines lost the last line of a long 款.
        """
        document = self.document()
        block = document.firstBlock()
        text_height = 0.0
        while block.isValid():
            text_height += self.blockBoundingRect(block).height()
            block = block.next()
        margins = self.contentsMargins()
        viewport = self.viewportMargins()
        return int(
            text_height
            + 2 * document.documentMargin()
            + margins.top()
            + margins.bottom()
            + viewport.top()
            + viewport.bottom()
            + 1.999  # round the fractional layout height up, never clip
        )

    def fit_height(self) -> None:
        height = self.content_height()
        if height != self.height() or self.minimumHeight() != height:
            self.setFixedHeight(height)
        # While it was too short the box scrolled its own text; everything fits now.
        self.verticalScrollBar().setValue(0)

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(super().sizeHint().width(), self.content_height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return self.sizeHint()

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.fit_height()  # a new width rewraps the text

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
        self.setExtraSelections([*self.damage_marks, selection])

    def clear_highlight(self) -> None:
        self.setExtraSelections(self.damage_marks)

    def mark_damage(self, spans: list[tuple[int, int]]) -> None:
        """Keep (start, length) spans of the editor text on a red background: damaged text
        stays visible until the drafter replaces it."""
        marks = []
        for start, length in spans:
            cursor = QTextCursor(self.document())
            cursor.setPosition(min(start, len(self.toPlainText())))
            cursor.setPosition(
                min(start + length, len(self.toPlainText())), QTextCursor.MoveMode.KeepAnchor
            )
            selection = QTextEdit.ExtraSelection()
            selection.cursor = cursor
            marked = QTextCharFormat()
            marked.setBackground(DAMAGED)
            selection.format = marked
            marks.append(selection)
        self.damage_marks = marks
        self.setExtraSelections(marks)
