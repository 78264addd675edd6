"""查找 and 替换: a bar above the editor that steps through every occurrence in the draft's
章名, 条旨, 款 and 项 (draft/find_replace.py), and replaces the one shown or all of them
(each one undo step)."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from drafter.draft.document import Draft
from drafter.draft.find_replace import Hit, NothingToReplaceError, find_all, replace_text
from drafter.errors import DrafterError
from drafter.gui.dialogs import show_error

if TYPE_CHECKING:
    from drafter.gui.session import DraftSession


class FindBar(QWidget):
    """Hidden until 查找 (Ctrl+F) or 替换 (Ctrl+H); Enter / F3 next, Shift+Enter / Shift+F3
    previous; Enter in the 替换为 box replaces the occurrence shown and goes to the next."""

    def __init__(
        self,
        session_provider: Callable[[], DraftSession | None],
        go_to: Callable[[Hit, int], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("findBar")
        self._session = session_provider
        self._go_to = go_to
        self._last: Hit | None = None
        self.field = QLineEdit()
        self.field.setObjectName("findField")
        self.field.setPlaceholderText("在草案中查找")
        self.field.setClearButtonEnabled(True)
        self.field.textChanged.connect(self._text_changed)
        self.result_label = QLabel()
        self.result_label.setObjectName("findResult")
        # Room for the longest of its texts, so the fields do not jump as it changes.
        self.result_label.setMinimumWidth(
            self.result_label.fontMetrics().horizontalAdvance("第 9999/9999 处") + 12
        )
        self.result_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        previous = QPushButton("上一个")
        previous.clicked.connect(self.find_previous)
        following = QPushButton("下一个")
        following.clicked.connect(self.find_next)
        close = QPushButton("关闭")
        close.clicked.connect(self.hide)
        self.replace_field = QLineEdit()
        self.replace_field.setObjectName("replaceField")
        self.replace_field.setPlaceholderText("替换为（可为空）")
        self.replace_field.setClearButtonEnabled(True)
        self.replace_button = QPushButton("替换")
        self.replace_button.setToolTip("替换当前找到的一处，并转到下一处")
        self.replace_button.clicked.connect(self.replace_current)
        self.replace_all_button = QPushButton("全部替换")
        self.replace_all_button.setToolTip("替换草案各条中的每一处（可一次撤销）")
        self.replace_all_button.clicked.connect(self.replace_all)
        self.replace_label = QLabel("替换为：")
        self._replace_row = [
            self.replace_label,
            self.replace_field,
            self.replace_button,
            self.replace_all_button,
        ]
        layout = QGridLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.setVerticalSpacing(2)
        layout.addWidget(QLabel("查找："), 0, 0)
        layout.addWidget(self.field, 0, 1)
        finding = QHBoxLayout()
        for widget in (self.result_label, previous, following, close):
            finding.addWidget(widget)
        layout.addLayout(finding, 0, 2)
        layout.addWidget(self.replace_label, 1, 0)
        layout.addWidget(self.replace_field, 1, 1)
        replacing = QHBoxLayout()
        replacing.addWidget(self.replace_button)
        replacing.addWidget(self.replace_all_button)
        replacing.addStretch(1)
        layout.addLayout(replacing, 1, 2)
        layout.setColumnStretch(1, 1)
        # Tab goes from the words to find to what replaces them, then to the buttons.
        chain = [
            self.field,
            self.replace_field,
            self.replace_button,
            self.replace_all_button,
            previous,
            following,
            close,
        ]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)
        self._show_replace(False)
        self.hide()

    def _draft(self) -> Draft | None:
        session = self._session()
        return session.draft if session is not None else None

    def open(self) -> None:
        """Show the bar for finding, with the field focused."""
        self._show_replace(False)
        self._open()

    def open_replace(self) -> None:
        """Show the bar with its 替换为 row; the find field is focused unless it has text."""
        self._show_replace(True)
        self._open()
        if self.field.text():
            self.replace_field.setFocus()
            self.replace_field.selectAll()

    def _open(self) -> None:
        self.show()
        self.field.setFocus()
        self.field.selectAll()

    def _show_replace(self, shown: bool) -> None:
        for widget in self._replace_row:
            widget.setVisible(shown)

    def _text_changed(self, _text: str) -> None:
        self._last = None
        self.result_label.setText("")

    def find_next(self) -> Hit | None:
        return self._step(1)

    def find_previous(self) -> Hit | None:
        return self._step(-1)

    def _step(self, direction: int) -> Hit | None:
        draft = self._draft()
        needle = self.field.text()
        if draft is None or not needle:
            if not self.isVisible():
                self.open()
            return None
        hits = find_all(draft, needle)
        if not hits:
            self.result_label.setText("未找到")
            self._last = None
            return None
        if self._last is None:
            position = 0 if direction > 0 else len(hits) - 1
        elif direction > 0:
            position = next((i for i, h in enumerate(hits) if h > self._last), 0)
        else:
            earlier = [i for i, h in enumerate(hits) if h < self._last]
            position = earlier[-1] if earlier else len(hits) - 1
        hit = hits[position]
        self._last = hit
        self.result_label.setText(f"第 {position + 1}/{len(hits)} 处")
        self._go_to(hit, len(needle))
        return hit

    # -- replacing -------------------------------------------------------------------------

    def replace_current(self) -> Hit | None:
        """Replace the occurrence shown (finding the first if none is), then show the next."""
        session, needle = self._session(), self.field.text()
        if session is None or not needle:
            return None
        shown = self._last
        if shown is None:
            return self.find_next()  # first show what would be replaced
        replacement = self.replace_field.text()
        try:
            session.apply(replace_text, needle, replacement, at=shown)
        except NothingToReplaceError:  # the text moved on: show the next one instead
            return self.find_next()
        except DrafterError as error:
            show_error(self, "无法替换", error)
            return None
        # Go on after the replacement: text it put in is not found again.
        self._last = Hit(
            shown.order, shown.paragraph, shown.item, shown.start + len(replacement) - 1, shown.uid
        )
        if find_all(session.draft, needle):
            return self.find_next()
        self._last = None
        self.result_label.setText("已全部替换")
        return None

    def replace_all(self) -> int:
        """Replace every occurrence as one undo step; returns how many were replaced."""
        session, needle = self._session(), self.field.text()
        if session is None or not needle:
            return 0
        count = len(find_all(session.draft, needle))
        if not count:
            self.result_label.setText("未找到")
            return 0
        try:
            session.apply(replace_text, needle, self.replace_field.text())
        except DrafterError as error:
            show_error(self, "无法替换", error)
            return 0
        self._last = None
        self.result_label.setText(f"已替换 {count} 处")
        return count

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self.replace_field.hasFocus():
                self.replace_current()
                return
            shift = event.modifiers() & Qt.KeyboardModifier.ShiftModifier
            self.find_previous() if shift else self.find_next()
            return
        if event.key() == Qt.Key.Key_Escape:
            self.hide()
            return
        super().keyPressEvent(event)
