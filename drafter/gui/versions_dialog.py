"""标记版本 and 版本列表: naming the current text, and the list of the versions kept in the draft.

The list views a version read-only, restores it as the current text (one undo step,
through the window's session), or compares it with the current text (the 修改对照 view).
The dialogs only ask and show; `VersionFlows` (drafter.gui.version_flows) acts.
"""

from __future__ import annotations

import html
from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from drafter.draft.document import Draft
from drafter.draft.versions import USUAL_NAMES, Version, version_draft
from drafter.gui.screen_room import resize_to_fit
from drafter.gui.statute_html import article_html

COLUMNS = ("名称", "日期", "条数", "备注")


class MarkVersionDialog(QDialog):
    """标记版本: a name (the four usual ones, or any), a date (today) and a note."""

    def __init__(self, taken: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("markVersionDialog")
        self.setWindowTitle("标记版本")
        self.name_box = QComboBox()
        self.name_box.setObjectName("versionName")
        self.name_box.setEditable(True)
        self.name_box.addItems(USUAL_NAMES)
        # The first usual name not used yet is offered first.
        self.name_box.setCurrentText(next((n for n in USUAL_NAMES if n not in taken), ""))
        self.date_edit = QDateEdit(QDate.currentDate())
        self.date_edit.setObjectName("versionDate")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.note_edit = QLineEdit()
        self.note_edit.setObjectName("versionNote")
        self.note_edit.setPlaceholderText("可不填，如“提请市人大常委会审议”")
        form = QFormLayout()
        form.addRow("版本名称：", self.name_box)
        form.addRow("日期：", self.date_edit)
        form.addRow("备注：", self.note_edit)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("标记")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        # Laid out at its fields' own hints the dialog was 200 px wide: the note's example
        # showed "可不填，如“提…" and the window manager cut the title short.
        hint = self.note_edit.placeholderText()
        self.note_edit.setMinimumWidth(self.note_edit.fontMetrics().horizontalAdvance(hint) + 24)

    def values(self) -> tuple[str, str, str]:
        """(name, YYYY-MM-DD, note)."""
        picked = self.date_edit.date()
        when = date(picked.year(), picked.month(), picked.day()).isoformat()
        return self.name_box.currentText().strip(), when, self.note_edit.text().strip()


def version_text_html(draft: Draft) -> str:
    """A version's text, read-only: title, chapters and articles."""
    parts = [f"<h2 align='center'>{html.escape(draft.title)}</h2>"]
    if draft.status:
        parts.append(f"<p align='center'>（{html.escape(draft.status)}）</p>")
    for chapter in draft.chapters:
        if not draft.chapterless:
            heading = f"{chapter.label}　{chapter.title}"
            parts.append(f"<h3 align='center'>{html.escape(heading)}</h3>")
        parts += [article_html(article) for article in chapter.articles]
    return "".join(parts)


class VersionTextView(QTextBrowser):
    """One version's text in a window of its own, read-only."""

    def __init__(self, version: Version, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window)
        self.setObjectName("versionTextView")
        self.setWindowTitle(f"版本：{version.label}（只读）")
        resize_to_fit(self, 760, 800)
        self.setHtml(version_text_html(version_draft(version)))


class VersionsDialog(QDialog):
    """版本列表: the versions, oldest first, with 查看, 恢复为当前文本 and 与当前文本比较."""

    view_requested = Signal(str)
    restore_requested = Signal(str)
    compare_requested = Signal(str)

    def __init__(self, draft: Draft, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("versionsDialog")
        self.setWindowTitle("版本列表")
        self.resize(640, 360)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("versionsTable")
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)
        self.view_button = QPushButton("查看")
        self.restore_button = QPushButton("恢复为当前文本…")
        self.compare_button = QPushButton("与当前文本比较")
        close = QPushButton("关闭")
        self.view_button.clicked.connect(lambda: self._emit(self.view_requested))
        self.restore_button.clicked.connect(lambda: self._emit(self.restore_requested))
        self.compare_button.clicked.connect(lambda: self._emit(self.compare_requested))
        self.table.itemDoubleClicked.connect(lambda _item: self._emit(self.view_requested))
        self.table.itemSelectionChanged.connect(self._update_buttons)
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        for button in (self.view_button, self.restore_button, self.compare_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        # An empty table said nothing of how a version is made.
        self.empty_hint = QLabel(
            "还没有标记任何版本。用“版本 → 标记版本…”把当前文本标记为征求意见稿、送审稿等，"
            "之后可在这里查看、恢复或与当前文本比较。"
        )
        self.empty_hint.setObjectName("versionsEmptyHint")
        self.empty_hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty_hint)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.set_versions(draft)

    def set_versions(self, draft: Draft) -> None:
        """List the draft's versions; the last one is selected."""
        self.table.setRowCount(0)
        for version in draft.versions:
            row = self.table.rowCount()
            self.table.insertRow(row)
            count = version_draft(version).statute.article_count
            for column, text in enumerate((version.name, version.date, f"{count}条", version.note)):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        self.empty_hint.setVisible(not draft.versions)
        if self.table.rowCount():
            self.table.selectRow(self.table.rowCount() - 1)
        self._update_buttons()

    def selected_name(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self._name_at(rows[0].row())

    def select(self, name: str) -> None:
        for row in range(self.table.rowCount()):
            if self._name_at(row) == name:
                self.table.selectRow(row)

    def _name_at(self, row: int) -> str:
        item = self.table.item(row, 0)
        assert item is not None  # set_versions fills every column of every row it inserts
        return item.text()

    def _emit(self, signal) -> None:
        name = self.selected_name()
        if name is not None:
            signal.emit(name)

    def _update_buttons(self) -> None:
        chosen = self.selected_name() is not None
        for button in (self.view_button, self.restore_button, self.compare_button):
            button.setEnabled(chosen)
