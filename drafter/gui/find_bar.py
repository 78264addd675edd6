"""查找: a bar above the editor that steps through every occurrence in the draft's 款 and 项."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QWidget

from drafter.draft.document import Draft


@dataclass(frozen=True, order=True)
class Hit:
    """One occurrence: article order, then 款, 项 (-1: the 款 text), offset."""

    order: int
    paragraph: int
    item: int
    start: int
    uid: str


def find_all(draft: Draft, needle: str) -> list[Hit]:
    """Every occurrence of `needle` in the draft's 款 and 项, in reading order."""
    hits: list[Hit] = []
    if not needle:
        return hits
    for order, article in enumerate(draft.articles()):
        for p, item in draft.locations(article):
            text = draft.get_text(article, (p, item))
            start = text.find(needle)
            while start >= 0:
                hits.append(Hit(order, p, item, start, article.uid))
                start = text.find(needle, start + len(needle))
    return hits


class FindBar(QWidget):
    """Hidden until 查找 (Ctrl+F); Enter / F3 next, Shift+Enter / Shift+F3 previous."""

    def __init__(
        self,
        draft_provider: Callable[[], Draft | None],
        go_to: Callable[[Hit, int], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("findBar")
        self._draft = draft_provider
        self._go_to = go_to
        self._last: Hit | None = None
        self.field = QLineEdit()
        self.field.setObjectName("findField")
        self.field.setPlaceholderText("在草案中查找")
        self.field.setClearButtonEnabled(True)
        self.field.textChanged.connect(self._text_changed)
        self.result_label = QLabel()
        self.result_label.setObjectName("findResult")
        previous = QPushButton("上一个")
        previous.clicked.connect(self.find_previous)
        following = QPushButton("下一个")
        following.clicked.connect(self.find_next)
        close = QPushButton("关闭")
        close.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.addWidget(QLabel("查找："))
        layout.addWidget(self.field, 1)
        layout.addWidget(self.result_label)
        layout.addWidget(previous)
        layout.addWidget(following)
        layout.addWidget(close)
        self.hide()

    def open(self) -> None:
        """Show the bar with the field focused."""
        self.show()
        self.field.setFocus()
        self.field.selectAll()

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

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 (Qt override)
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            shift = event.modifiers() & Qt.KeyboardModifier.ShiftModifier
            self.find_previous() if shift else self.find_next()
            return
        if event.key() == Qt.Key.Key_Escape:
            self.hide()
            return
        super().keyPressEvent(event)
