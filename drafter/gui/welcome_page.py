"""What the 起草 tab shows while no draft is open: how to start, and the recent drafts."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

ROLE_PATH = Qt.ItemDataRole.UserRole


class WelcomePage(QWidget):
    """Buttons for the first steps and the list of recent drafts."""

    new_requested = Signal()
    open_requested = Signal()
    import_requested = Signal()
    recent_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcomePage")
        title = QLabel("<h2>立法起草助手</h2><p>从新建一部草案开始，或打开已有的草案。</p>")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.new_button = QPushButton("新建草案…")
        self.open_button = QPushButton("打开草案…")
        self.import_button = QPushButton("导入已有草案文本（.txt / .docx）…")
        self.new_button.clicked.connect(self.new_requested)
        self.open_button.clicked.connect(self.open_requested)
        self.import_button.clicked.connect(self.import_requested)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.new_button, self.open_button, self.import_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.recent_label = QLabel("最近打开的草案（双击打开）：")
        self.recent_list = QListWidget()
        self.recent_list.setMaximumWidth(720)
        self.recent_list.itemActivated.connect(
            lambda item: self.recent_requested.emit(item.data(ROLE_PATH))
        )
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(title)
        layout.addLayout(buttons)
        layout.addSpacing(24)
        layout.addWidget(self.recent_label, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.recent_list, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)

    def set_recent(self, paths: list[str]) -> None:
        """Show the recent drafts that still exist."""
        self.recent_list.clear()
        existing = [p for p in paths if Path(p).is_file()]
        for path in existing:
            item = QListWidgetItem(f"{Path(path).name}　—　{Path(path).parent}")
            item.setData(ROLE_PATH, path)  # every item carries its path (PySide6 data() pitfall)
            self.recent_list.addItem(item)
        self.recent_label.setVisible(bool(existing))
        self.recent_list.setVisible(bool(existing))
