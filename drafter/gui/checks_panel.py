"""The checks panel: the core's proofreading results, refreshed after each edit.

Errors come first, then warnings, then hints (the core's order). A click selects the words a
finding is about in the editor; a right-click offers the fix where the core says it is
certain (another city's name → 本市, half-width → full-width punctuation), applied as one
undoable operation through the session.

run_checks takes about half a second on a 300-article draft (its near-duplicate pass is
quadratic), so it runs in the background on a snapshot (the draft's JSON form, taken in
about 2 ms) and only the latest run's results are shown.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QLabel,
    QMenu,
    QStyle,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from drafter.draft.checks import ERROR, INFO, WARNING, CheckResult, run_checks
from drafter.draft.document import Draft
from drafter.draft.local_fixes import apply_text_fix
from drafter.errors import DrafterError
from drafter.gui.dialogs import show_error
from drafter.gui.session import follow_changes
from drafter.gui.workers import BackgroundJob

DEBOUNCE_MS = 400
ROLE_UID = Qt.ItemDataRole.UserRole
ROLE_PARAGRAPH = Qt.ItemDataRole.UserRole + 1
ROLE_INDEX = Qt.ItemDataRole.UserRole + 2  # the row's place in `results`
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
    # After the jump, the words to select: uid, 0-based 款, 项 (-1: the 款 text), start, length.
    highlight_requested = Signal(str, int, int, int, int)
    fixed = Signal(object)  # the Change of a fix applied from the menu
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
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._show_menu)
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
        for index, (result, uid) in enumerate(results):
            severity = SEVERITY_NAMES.get(result.severity, result.severity)
            item = QTreeWidgetItem([severity, result.place(), result.message])
            item.setIcon(0, style.standardIcon(_ICONS.get(result.severity, _ICONS[INFO])))
            colour = QBrush(QColor(SEVERITY_COLOURS.get(result.severity, "#000000")))
            item.setForeground(0, colour)
            item.setData(0, ROLE_UID, uid)
            item.setData(0, ROLE_PARAGRAPH, (result.paragraph or 0) - 1)
            item.setData(0, ROLE_INDEX, index)
            tip = result.message
            if result.fix is not None and uid:
                tip += f"\n右键可一键修正：{result.fix.label}"
            item.setToolTip(2, tip)
            self.tree.addTopLevelItem(item)
        counts = {s: sum(1 for r, _ in results if r.severity == s) for s in SEVERITY_NAMES}
        if results:
            fixable = sum(1 for r, uid in results if r.fix is not None and uid)
            text = "，".join(f"{counts[s]} 个{name}" for s, name in SEVERITY_NAMES.items())
            if fixable:
                text += f"；其中 {fixable} 个可右键一键修正"
            self.summary_label.setText(text)
        else:
            self.summary_label.setText("检查通过：没有发现问题")
        self.refreshed.emit()

    def _on_item(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        uid = item.data(0, ROLE_UID)
        if not uid:
            return
        self.jump_requested.emit(uid, int(item.data(0, ROLE_PARAGRAPH)))
        result = self._result_of(item)
        span = result.span if result is not None else None
        if span is not None:
            self.highlight_requested.emit(uid, *span)

    def _result_of(self, item: QTreeWidgetItem | None) -> CheckResult | None:
        index = item.data(0, ROLE_INDEX) if item is not None else None
        if index is None or not 0 <= int(index) < len(self.results):
            return None
        return self.results[int(index)][0]

    # -- fixes -----------------------------------------------------------------------------

    def menu_for(self, item: QTreeWidgetItem) -> QMenu:
        """The right-click menu of a row: go to the place, and the fix when it is certain."""
        menu = QMenu(self)
        go = menu.addAction("定位到原文")
        go.triggered.connect(lambda: self._on_item(item))
        go.setEnabled(bool(item.data(0, ROLE_UID)))
        result = self._result_of(item)
        if result is not None and result.fix is not None and item.data(0, ROLE_UID):
            fix = menu.addAction(f"修正：{result.fix.label}")
            fix.triggered.connect(lambda: self.apply_fix(item))
        else:
            menu.addAction("此问题需要人工判断，没有自动修正").setEnabled(False)
        return menu

    def _show_menu(self, position: QPoint) -> None:
        item = self.tree.itemAt(position)
        if item is not None:
            self.menu_for(item).exec(self.tree.viewport().mapToGlobal(position))

    def apply_fix(self, item: QTreeWidgetItem):
        """Apply the row's certain fix as one undoable operation; returns its Change."""
        result, uid = self._result_of(item), item.data(0, ROLE_UID)
        if self._session is None or result is None or result.fix is None or not uid:
            return None
        try:
            change = self._session.apply(apply_text_fix, uid, result.fix)
        except DrafterError as error:
            show_error(self, "无法修正", error)
            self.refresh_now()  # the text moved on: show what is there now
            return None
        self.fixed.emit(change)
        return change
