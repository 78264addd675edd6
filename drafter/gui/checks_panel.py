"""The checks panel: the core's proofreading results, refreshed after each edit, click to jump.

run_checks takes about half a second on a 300-article draft (its near-duplicate pass is
quadratic), so it runs in the background on a snapshot (the draft's JSON form, taken in
about 2 ms) and only the latest run's results are shown.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QLabel,
    QStyle,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from drafter.draft.checks import ERROR, INFO, WARNING, CheckResult, run_checks
from drafter.draft.document import Draft
from drafter.gui.session import follow_changes
from drafter.gui.workers import BackgroundJob

DEBOUNCE_MS = 400
ROLE_UID = Qt.ItemDataRole.UserRole
ROLE_PARAGRAPH = Qt.ItemDataRole.UserRole + 1
SEVERITY_NAMES = {ERROR: "错误", WARNING: "警告", INFO: "提示"}
SEVERITY_COLOURS = {ERROR: "#b02a37", WARNING: "#997404", INFO: "#31596f"}
_ICONS = {
    ERROR: QStyle.StandardPixmap.SP_MessageBoxCritical,
    WARNING: QStyle.StandardPixmap.SP_MessageBoxWarning,
    INFO: QStyle.StandardPixmap.SP_MessageBoxInformation,
}


def checks_of_snapshot(snapshot: dict) -> list[tuple[CheckResult, str]]:
    """Run the checks on a draft's JSON form; each result with the uid of its article ("" none).

    A result about a chapter points at the chapter's first article.
    """
    draft = Draft.from_json(snapshot)
    by_number = {a.number: a.uid for a in draft.articles()}
    first_of_chapter = {c.number: c.articles[0].uid for c in draft.chapters if c.articles}
    located = []
    for result in run_checks(draft):
        uid = by_number.get(result.article or 0, "")
        if not uid and result.chapter:
            uid = first_of_chapter.get(result.chapter, "")
        located.append((result, uid))
    return located


class ChecksPanel(QWidget):
    """Lists the checks' findings; a click asks the window to jump to the place."""

    jump_requested = Signal(str, int)  # article uid, 0-based 款 (-1: the article as a whole)
    refreshed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._session = None
        self._generation = 0
        self._job: BackgroundJob | None = None
        self.results: list[tuple[CheckResult, str]] = []
        self._timer = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._timer.timeout.connect(self.refresh_now)
        self.summary_label = QLabel("没有打开的草案")
        self.tree = QTreeWidget()
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels(["级别", "位置", "问题"])
        self.tree.setRootIsDecorated(False)
        self.tree.setColumnWidth(0, 70)
        self.tree.setColumnWidth(1, 190)
        self.tree.itemClicked.connect(self._on_item)
        self.tree.itemActivated.connect(self._on_item)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.summary_label)
        layout.addWidget(self.tree, 1)

    def set_session(self, session) -> None:
        """Check this session's draft now and after each of its changes."""
        follow_changes(self._session, session, self._schedule)
        self._session = session
        if session is None:
            self._generation += 1
            self.results = []
            self.tree.clear()
            self.summary_label.setText("没有打开的草案")
            return
        self.refresh_now()

    def _schedule(self, *_args) -> None:
        self._timer.start()

    def refresh_now(self) -> BackgroundJob | None:
        """Run the checks on a snapshot in the background; stale runs are ignored."""
        self._timer.stop()
        if self._session is None:
            return None
        self._generation += 1
        generation = self._generation
        snapshot = self._session.draft.to_json()
        job = BackgroundJob(lambda: checks_of_snapshot(snapshot))
        job.finished.connect(lambda results: self._show(generation, results))
        job.failed.connect(
            lambda error: (
                self.summary_label.setText(f"检查未能完成：{error}")
                if generation == self._generation
                else None
            )
        )
        self._job = job.start()
        return job

    def _show(self, generation: int, results: list[tuple[CheckResult, str]]) -> None:
        if generation != self._generation:
            return
        self.results = results
        self.tree.clear()
        style = self.style()
        for result, uid in results:
            severity = SEVERITY_NAMES.get(result.severity, result.severity)
            item = QTreeWidgetItem([severity, result.place(), result.message])
            item.setIcon(0, style.standardIcon(_ICONS.get(result.severity, _ICONS[INFO])))
            colour = QBrush(QColor(SEVERITY_COLOURS.get(result.severity, "#000000")))
            item.setForeground(0, colour)
            item.setData(0, ROLE_UID, uid)
            item.setData(0, ROLE_PARAGRAPH, (result.paragraph or 0) - 1)
            item.setToolTip(2, result.message)
            self.tree.addTopLevelItem(item)
        counts = {s: sum(1 for r, _ in results if r.severity == s) for s in SEVERITY_NAMES}
        if results:
            self.summary_label.setText(
                "，".join(f"{counts[s]} 个{name}" for s, name in SEVERITY_NAMES.items())
            )
        else:
            self.summary_label.setText("检查通过：没有发现问题")
        self.refreshed.emit()

    def _on_item(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        uid = item.data(0, ROLE_UID)
        if uid:
            self.jump_requested.emit(uid, int(item.data(0, ROLE_PARAGRAPH)))
