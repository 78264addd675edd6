"""审阅意见: reviewers' files back in, beside the article, and 意见处理 in the window.

`ReviewPanel` lists the current article's review items (or, in the draft's order, every
item not yet handled, every item, or every item that could not be placed), with the
item's text, the commented words, the replies, a 处理情况 combo, a 理由 field and
接受修订 / 拒绝修订. `ReviewFlows` carries out the requests: importing reviewed files
(导入审阅稿…), the dispositions, accepting and rejecting changes, and exporting the
意见采纳情况表.

Everything that changes the draft's review work is one `ReviewCommand` on the session's
QUndoStack (drafter.gui.review_commands), so undo puts the text and the review back.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from drafter.draft import changes
from drafter.draft.changes import Change
from drafter.draft.document import Draft
from drafter.errors import DrafterError
from drafter.gui.dialogs import show_error
from drafter.gui.review_commands import run_review_command
from drafter.review import accept as review_accept
from drafter.review import store
from drafter.review.items import KIND_NAMES, OPEN

if TYPE_CHECKING:
    from drafter.gui.main_window import MainWindow
    from drafter.gui.session import DraftSession

# What the list shows: the current article's items (it follows the cursor), or, in the
# draft's order and whatever the cursor does, the items still to be handled (a worklist,
# each double-clicked to its place), all of them, or those that cannot be placed.
THIS_ARTICLE, UNHANDLED, ALL, UNPLACED = "本条的意见", "全部未处理", "全部意见", "无法定位"
FILTERS = (THIS_ARTICLE, UNHANDLED, ALL, UNPLACED)
NO_DISPOSITION = "（未处理）"
DOCX_FILTER = "Word 文档 (*.docx)"


class ReviewPanel(QWidget):
    """The review items of the current article, and what was decided about each."""

    jump_requested = Signal(str, int)

    def __init__(self, flows: ReviewFlows, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.flows = flows
        self.article_uid: str | None = None
        self._listing: tuple[str, str | None] | None = None  # what the list was filled with
        self._filling = False
        self.summary = QLabel()
        self.summary.setObjectName("reviewSummary")
        self.summary.setWordWrap(True)
        self.filter = QComboBox()
        self.filter.setObjectName("reviewFilter")
        self.filter.addItems(FILTERS)
        self.filter.currentIndexChanged.connect(lambda _index: self.refresh())
        self.items = QListWidget()
        self.items.setObjectName("reviewList")
        self.items.setWordWrap(True)
        self.items.currentItemChanged.connect(lambda *_args: self._show_current())
        self.items.itemDoubleClicked.connect(lambda _item: self._jump())
        self.items.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.items.customContextMenuRequested.connect(self._context_menu)
        self.detail = QLabel()
        self.detail.setObjectName("reviewDetail")
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.disposition = QComboBox()
        self.disposition.setObjectName("reviewDisposition")
        self.disposition.addItems([NO_DISPOSITION, *store.DISPOSITIONS])
        self.disposition.activated.connect(lambda _index: self._save_disposition())
        self.reason = QLineEdit()
        self.reason.setObjectName("reviewReason")
        self.reason.setPlaceholderText("理由")
        self.reason.editingFinished.connect(self._save_disposition)
        self.accept_button = QPushButton("接受修订")
        self.accept_button.setObjectName("reviewAccept")
        self.accept_button.clicked.connect(lambda: self._resolve(True))
        self.reject_button = QPushButton("拒绝修订")
        self.reject_button.setObjectName("reviewReject")
        self.reject_button.clicked.connect(lambda: self._resolve(False))
        self.import_button = QPushButton("导入审阅稿…")
        self.import_button.clicked.connect(flows.choose_and_import)
        self.export_button = QPushButton("导出意见采纳情况表…")
        self.export_button.clicked.connect(flows.choose_and_export)
        self._lay_out()
        self.refresh()

    def _lay_out(self) -> None:
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(QLabel("显示："))
        top.addWidget(self.filter, 1)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.items, 2)
        layout.addWidget(self.detail, 1)
        handled = QHBoxLayout()
        handled.addWidget(QLabel("处理情况："))
        handled.addWidget(self.disposition, 1)
        layout.addLayout(handled)
        layout.addWidget(self.reason)
        buttons = QHBoxLayout()
        buttons.addWidget(self.accept_button)
        buttons.addWidget(self.reject_button)
        layout.addLayout(buttons)
        files = QHBoxLayout()
        files.addWidget(self.import_button)
        files.addWidget(self.export_button)
        layout.addLayout(files)

    # -- what is shown ----------------------------------------------------------------

    def _draft(self) -> Draft | None:
        session = self.flows.window.session
        return session.draft if session is not None else None

    def show_article(self, uid: str | None) -> None:
        self.article_uid = uid
        # The whole-draft lists do not follow the cursor: not filled again at each move
        # (None comes with a draft opened or closed, which they do follow).
        if uid is None or self.filter.currentText() == THIS_ARTICLE:
            self.refresh()

    def shown_items(self) -> list[dict]:
        draft = self._draft()
        if draft is None:
            return []
        mode = self.filter.currentText()
        if mode == UNPLACED:
            return store.unplaced_items(draft)
        if mode in (UNHANDLED, ALL):
            return store.items_in_order(draft, open_only=mode == UNHANDLED)
        return store.items_of_article(draft, self.article_uid) if self.article_uid else []

    def refresh(self) -> None:
        """Fill the list again, keeping the selected item where it is still shown; a
        damaged review (a hand-edited file) is said in the panel, which then stays empty."""
        draft = self._draft()
        try:
            if draft is not None:
                store.review_of(draft)
        except DrafterError as error:
            self._filling = True
            self.items.clear()
            self._filling = False
            self.summary.setText(str(error))
            for widget in (*self._controls(), self.import_button, self.export_button):
                widget.setEnabled(False)
            return
        current = self.current_item()
        keep = current["id"] if current else None
        mode = self.filter.currentText()
        listing = (mode, self.article_uid if mode == THIS_ARTICLE else None)
        row = max(self.items.currentRow(), 0) if listing == self._listing else 0
        self._listing = listing
        self._filling = True
        self.items.clear()
        for item in self.shown_items():
            entry = QListWidgetItem(self._line(draft, item))
            entry.setData(Qt.ItemDataRole.UserRole, item["id"])
            self.items.addItem(entry)
            if item["id"] == keep:
                self.items.setCurrentItem(entry)
        self._filling = False
        if self.items.currentItem() is None and self.items.count():
            # An item handled in 全部未处理 leaves the list: the next one takes its row.
            self.items.setCurrentRow(min(row, self.items.count() - 1))
        self.summary.setText(self._summary(draft))
        self._show_current()

    def _summary(self, draft: Draft | None) -> str:
        if draft is None:
            return "未打开草案。"
        every = store.review_of(draft)["items"]
        if not every:
            return "尚未导入审阅稿（文件 → 导入审阅稿…）。"
        open_count = sum(1 for i in every if not i.get("disposition"))
        unplaced = len(store.unplaced_items(draft))
        text = f"共 {len(every)} 条意见，未处理 {open_count} 条"
        if unplaced:
            text += f"，无法定位 {unplaced} 条"
        return text + "。"

    @staticmethod
    def _line(draft: Draft | None, item: dict) -> str:
        place = store.location_text(draft, item) if draft is not None else ""
        who = item.get("unit") or item.get("author") or "—"
        handled = item.get("disposition") or "未处理"
        return f"{place}　{KIND_NAMES[item['kind']]}　{who}\n{item['text']}\n［{handled}］"

    def current_item(self) -> dict | None:
        entry = self.items.currentItem()
        draft = self._draft()
        if entry is None or draft is None:
            return None
        try:
            return store.item_by_id(draft, entry.data(Qt.ItemDataRole.UserRole))
        except DrafterError:
            return None

    def _show_current(self) -> None:
        if self._filling:
            return
        item = self.current_item()
        self._filling = True
        if item is None:
            self.detail.setText("")
            self.disposition.setCurrentIndex(0)
            self.reason.setText("")
        else:
            lines = [item["text"]]
            if item.get("anchor_text") and item["kind"] == "comment":
                lines.append(f"批注的文字：“{item['anchor_text']}”")
            lines += [f"回复 {r['author']}：{r['text']}" for r in item.get("replies", [])]
            if item.get("status") != OPEN:
                lines.append(store.STATUS_NAMES[item["status"]])
            self.detail.setText("\n".join(lines))
            self.disposition.setCurrentText(item.get("disposition") or NO_DISPOSITION)
            self.reason.setText(item.get("reason", ""))
        self._filling = False
        is_open_change = (
            item is not None and store.is_change(item) and item.get("status", OPEN) == OPEN
        )
        self.accept_button.setEnabled(
            is_open_change and item is not None and item.get("article_uid") is not None
        )
        self.reject_button.setEnabled(is_open_change)
        for widget in (self.disposition, self.reason):
            widget.setEnabled(item is not None)
        draft = self._draft()
        self.export_button.setEnabled(bool(draft and store.review_of(draft)["items"]))
        self.import_button.setEnabled(draft is not None)

    def _controls(self) -> list[QWidget]:
        return [self.disposition, self.reason, self.accept_button, self.reject_button]

    # -- requests ---------------------------------------------------------------------

    def _jump(self) -> None:
        item, draft = self.current_item(), self._draft()
        if item is None or draft is None or not item.get("article_uid"):
            return
        if draft.has_article(item["article_uid"]):
            article = draft.article(item["article_uid"])
            paragraph = store.current_paragraph(article, item)
            self.jump_requested.emit(article.uid, -1 if paragraph is None else paragraph)

    def _save_disposition(self) -> None:
        item = self.current_item()
        if self._filling or item is None:
            return
        disposition = self.disposition.currentText()
        disposition = "" if disposition == NO_DISPOSITION else disposition
        reason = self.reason.text().strip()
        if disposition == item.get("disposition", "") and reason == item.get("reason", ""):
            return
        self.flows.set_disposition(item["id"], disposition, reason)

    def reviewer_actions(self) -> list[QAction]:
        """接受/拒绝 every open change of the current item's reviewer."""
        item = self.current_item()
        if item is None:
            return []
        who = item.get("author") or item.get("unit") or ""
        if not who:
            return []
        found = []
        for accepted, verb in ((True, "接受"), (False, "拒绝")):
            action = QAction(f"{verb}“{who}”的全部修订", self)
            action.triggered.connect(lambda _checked=False, a=accepted: self._resolve_all(who, a))
            found.append(action)
        return found

    def _context_menu(self, position) -> None:
        actions = self.reviewer_actions()
        if actions:
            menu = QMenu(self)
            menu.addActions(actions)
            menu.exec(self.items.viewport().mapToGlobal(position))

    def _resolve_all(self, who: str, accepted: bool) -> None:
        skipped = self.flows.resolve_all(who, accepted)
        if skipped:
            QMessageBox.information(self, "部分修订未接受", "\n".join(skipped))

    def _resolve(self, accepted: bool) -> None:
        item = self.current_item()
        if item is not None:
            self.flows.resolve(item["id"], accepted)


class ReviewFlows:
    """The window's review requests, each one undo step."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.panel = ReviewPanel(self)
        self.panel.jump_requested.connect(window.jump_to)
        self._session: DraftSession | None = None

    def set_session(self, session: DraftSession | None) -> None:
        if self._session is not None:
            try:
                self._session.changed.disconnect(self._changed)
            except (RuntimeError, TypeError):
                pass
        self._session = session
        if session is not None:
            session.changed.connect(self._changed)
        self.panel.show_article(None)
        # A draft back from review opens with its comments in front, not behind 条文建议.
        if self._update_dock_title():
            self.raise_dock()

    def _changed(self, _change: Change) -> None:
        self.panel.refresh()
        self._update_dock_title()

    def open_count(self) -> int:
        """Items of the open draft without a disposition (0 when the review is damaged)."""
        session = self.window.session
        if session is None:
            return 0
        try:
            items = store.review_of(session.draft)["items"]
        except DrafterError:
            return 0
        return sum(1 for item in items if not item.get("disposition"))

    def _update_dock_title(self) -> int:
        """The dock's tab says how many items wait: 审阅意见（11 条未处理）."""
        count = self.open_count()
        dock = getattr(self.window, "review_dock", None)
        if dock is not None:
            dock.setWindowTitle(f"审阅意见（{count} 条未处理）" if count else "审阅意见")
        return count

    def raise_dock(self) -> None:
        dock = getattr(self.window, "review_dock", None)
        if dock is not None:
            dock.show()
            dock.raise_()

    def _run(self, text: str, action: Callable[[Draft], Change | None]) -> bool:
        session = self.window.session
        if session is None:
            return False
        try:
            run_review_command(session, text, action)
        except DrafterError as error:
            show_error(self.window, text, error)
            return False
        return True

    def set_disposition(self, item_id: str, disposition: str, reason: str) -> None:
        def action(draft: Draft) -> None:
            item = store.item_by_id(draft, item_id)
            if disposition:
                store.set_disposition(draft, item_id, disposition, reason)
            else:
                item["disposition"], item["reason"] = "", reason
                draft.modified = True

        self._run(f"意见 {item_id} 的处理情况", action)

    def resolve_all(self, author: str, accepted: bool) -> list[str]:
        """Accept or reject every open change of one reviewer (author or 提出单位) as one
        undo step; returns why the changes that could not be applied were skipped."""
        skipped: list[str] = []

        def action(draft: Draft) -> Change | None:
            merged: Change | None = None
            for item_id in review_accept.open_changes(draft, author):
                if not accepted:
                    review_accept.reject(draft, item_id)
                    continue
                try:
                    change = review_accept.accept(draft, item_id).change
                except DrafterError as error:
                    skipped.append(str(error))
                    continue
                if change is not None:
                    merged = change if merged is None else changes.merge(merged, change)
            return merged

        verb = "接受" if accepted else "拒绝"
        self._run(f"{verb}“{author}”的全部修订", action)
        return skipped

    def resolve(self, item_id: str, accepted: bool) -> None:
        if accepted:
            self._run(
                f"接受修订（意见 {item_id}）", lambda d: review_accept.accept(d, item_id).change
            )
        else:
            self._run(
                f"拒绝修订（意见 {item_id}）", lambda d: review_accept.reject(d, item_id).change
            )

    # -- files --------------------------------------------------------------------------

    def import_files(self, paths: list[Path], unit: str = "") -> list[str]:
        """Import reviewed files as one undo step; returns what to tell the drafter."""
        from drafter.review.docx_reader import read_reviewed

        lines: list[str] = []
        documents = []
        for path in paths:
            try:
                documents.append((path, *read_reviewed(path)))
            except DrafterError as error:
                lines.append(f"未导入：{error}")

        def action(draft: Draft) -> None:
            for path, document, raw in documents:
                result = store.import_document(draft, document, raw, path.name, unit)
                if result.already_imported:
                    lines.append(f"{path.name}：已导入过，未重复导入")
                    continue
                text = f"{path.name}：导入 {len(result.added)} 条意见"
                if result.duplicates:
                    text += f"，{result.duplicates} 条与已导入的相同"
                if result.unplaced:
                    text += f"，{len(result.unplaced)} 条无法定位"
                lines.extend([text, f"  {result.baseline}"])

        if documents:
            self._run("导入审阅稿", action)
        return lines

    def choose_and_import(self) -> None:
        window = self.window
        if window.session is None:
            return
        names, _ = QFileDialog.getOpenFileNames(
            window, "导入审阅稿", window.files.start_dir(), DOCX_FILTER
        )
        if not names:
            return
        unit, ok = QInputDialog.getText(
            window, "提出单位", "提出单位（如 市司法局；留空则用批注、修订的作者）："
        )
        if not ok:
            return
        lines = self.import_files([Path(n) for n in names], unit.strip())
        self.raise_dock()
        QMessageBox.information(window, "导入审阅稿", "\n".join(lines) or "没有导入任何意见。")

    def export_to(self, path: Path) -> list[str]:
        """Write the 意见采纳情况表; returns the warnings (DrafterError on failure)."""
        from drafter.export.opinions_table import export_opinions

        session = self.window.session
        assert session is not None
        return export_opinions(session.draft, path, source=session.path)

    def choose_and_export(self) -> None:
        window = self.window
        if window.session is None:
            return
        suggested = str(Path(window.files.start_dir()) / "意见采纳情况表.docx")
        name, _ = QFileDialog.getSaveFileName(window, "导出意见采纳情况表", suggested, DOCX_FILTER)
        if not name:
            return
        try:
            warnings = self.export_to(Path(name))
        except DrafterError as error:
            show_error(window, "无法导出意见采纳情况表", error)
            return
        message = f"已导出：{name}" + ("；" + "；".join(warnings) if warnings else "")
        window.statusBar().showMessage(message, 15000)
