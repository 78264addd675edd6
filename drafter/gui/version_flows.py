"""The 版本 menu: 标记版本…, 版本列表…, 修改对照…, and what they do to the open draft.

Marking a version is one undo step (the version is a change to the file, so the window
shows it unsaved and asks before closing); restoring a version is a core operation through
the session (`restore_version`), one undo step that gives every article back its uid.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QUndoCommand
from PySide6.QtWidgets import QDialog, QMenu, QWidget

from drafter.draft.versions import (
    Version,
    VersionError,
    find_version,
    mark_version,
    put_back_version,
    restore_version,
    unmark_version,
)
from drafter.errors import DrafterError
from drafter.gui.dialogs import show_error
from drafter.gui.key_labels import set_label
from drafter.gui.prompts import ask
from drafter.gui.session import DraftSession, follow_changes
from drafter.gui.versions_dialog import MarkVersionDialog, VersionsDialog, VersionTextView

if TYPE_CHECKING:
    from drafter.gui.main_window import MainWindow
    from drafter.gui.revision_view import RevisionView

RESTORE, CANCEL = "恢复", "取消"


class MarkVersionCommand(QUndoCommand):
    """标记版本 as one undo step: undo removes the version, redo puts the same one back."""

    def __init__(self, session: DraftSession, version: Version, index: int) -> None:
        super().__init__(f"标记版本“{version.name}”")
        self._session = session
        self.version = version
        self._index = index
        self._skip_next_redo = True  # marked already, before the push

    def redo(self) -> None:
        if self._skip_next_redo:
            self._skip_next_redo = False
            return
        put_back_version(self._session.draft, self.version, self._index)

    def undo(self) -> None:
        self._index = unmark_version(self._session.draft, self.version.name)


class VersionFlows:
    """The window's versions: the menu's actions and the windows they open."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.session: DraftSession | None = None
        self.list_dialog: VersionsDialog | None = None
        self.revision_view: RevisionView | None = None
        self.text_views: list[VersionTextView] = []
        self.mark_action = self._action("标记版本(&M)…", self.mark, "把当前文本标记为一个版本")
        self.list_action = self._action("版本列表(&L)…", self.show_list, "查看、恢复、比较版本")
        self.compare_action = self._action(
            "修改对照(&C)…", self.compare_latest, "最近的版本与当前文本对照，导出修改对照稿"
        )
        self.menu = QMenu("版本(&B)", window)
        self.menu.setObjectName("versionsMenu")
        self.menu.addActions([self.mark_action, self.list_action, self.compare_action])

    def _action(self, text: str, handler, tip: str) -> QAction:
        action = QAction(text, self.window)
        set_label(action)
        action.setStatusTip(tip)
        action.triggered.connect(lambda _checked=False: handler())
        return action

    @property
    def actions(self) -> list[QAction]:
        return [self.mark_action, self.list_action, self.compare_action]

    def add_menu(self) -> None:
        """Put 版本 in the menu bar, before 视图 (after 插入)."""
        bar = self.window.menuBar()
        view = next((a for a in bar.actions() if a.text().startswith("视图")), None)
        if view is not None:
            bar.insertMenu(view, self.menu)
        else:
            bar.addMenu(self.menu)

    def set_session(self, session: DraftSession | None) -> None:
        """Follow the window's draft: the actions need one, the views show only its versions."""
        follow_changes(self.session, session, self._draft_changed)
        if self.session is not None:
            try:
                self.session.undo_stack.indexChanged.disconnect(self._stack_moved)
            except (RuntimeError, TypeError):
                pass  # the old session's stack is gone already
        if session is not None:
            # Undoing or redoing 标记版本 changes the list.
            session.undo_stack.indexChanged.connect(self._stack_moved)
        self.session = session
        for action in self.actions:
            action.setEnabled(session is not None)
        for widget in [self.list_dialog, self.revision_view, *self.text_views]:
            if widget is not None:
                widget.close()
        self.text_views = []

    def _draft(self):
        return self.session.draft if self.session is not None else None

    def _stack_moved(self, _index: int) -> None:
        dialog = self.list_dialog
        if dialog is not None and dialog.isVisible() and self.session is not None:
            chosen = dialog.selected_name()
            dialog.set_versions(self.session.draft)
            if chosen is not None:
                dialog.select(chosen)

    def _draft_changed(self, _change) -> None:
        if self.revision_view is not None:
            self.revision_view.follow_edit()

    # -- marking -----------------------------------------------------------------------

    def mark(self, values: tuple[str, str, str] | None = None) -> Version | None:
        """标记版本: ask a name, date and note (unless given), then mark, as one undo step."""
        session = self.session
        if session is None:
            return None
        if values is None:
            dialog = MarkVersionDialog([v.name for v in session.draft.versions], self.window)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            values = dialog.values()
        name, when, note = values
        try:
            version = mark_version(session.draft, name, when, note)
        except VersionError as error:
            show_error(self.window, "无法标记版本", error)
            return None
        index = session.draft.versions.index(version)
        session.undo_stack.push(MarkVersionCommand(session, version, index))
        self.window.statusBar().showMessage(f"已标记版本：{version.label}", 10000)
        if self.list_dialog is not None and self.list_dialog.isVisible():
            self.list_dialog.set_versions(session.draft)
        return version

    # -- the list ----------------------------------------------------------------------

    def show_list(self) -> VersionsDialog | None:
        """版本列表 (not modal: a version's text or the comparison can stay open beside it)."""
        session = self.session
        if session is None:
            return None
        if self.list_dialog is None:
            dialog = VersionsDialog(session.draft, self.window)
            dialog.view_requested.connect(self.view)
            dialog.restore_requested.connect(self.restore)
            dialog.compare_requested.connect(lambda name: self.compare(name, None))
            self.list_dialog = dialog
        else:
            self.list_dialog.set_versions(session.draft)
        self.list_dialog.show()
        self.list_dialog.raise_()
        return self.list_dialog

    def view(self, name: str) -> VersionTextView | None:
        draft = self._draft()
        if draft is None:
            return None
        view = VersionTextView(find_version(draft, name), self.window)
        self.text_views.append(view)
        view.show()
        return view

    def restore(self, name: str, confirm: bool = True) -> None:
        """恢复为当前文本: after asking, one undoable step through the session."""
        session = self.session
        if session is None:
            return
        parent: QWidget = self.list_dialog if self.list_dialog is not None else self.window
        if confirm:
            answer = ask(
                parent,
                "恢复版本",
                f"把“{name}”的条文恢复为当前文本吗？",
                [RESTORE, CANCEL],
                default=CANCEL,
                object_name="restoreVersionDialog",
                informative="当前的条文会被替换（起草说明和已标记的版本保留）；"
                "恢复后可用“撤销”回到恢复前的文本。",
            )
            if answer != RESTORE:
                return
        try:
            change = session.apply(restore_version, name)
        except DrafterError as error:
            show_error(parent, "无法恢复版本", error)
            return
        self.window.statusBar().showMessage(f"已{change.summary}（可撤销）", 10000)

    # -- comparing ---------------------------------------------------------------------

    def compare(self, old: str, new: str | None = None) -> RevisionView | None:
        """The 修改对照 view of `old` against `new` (the current text when None)."""
        if self.session is None:
            return None
        if self.revision_view is None:
            # Imported on first use: the 修改对照稿's export code (and python-docx) would
            # otherwise load with every window.
            from drafter.gui.revision_view import RevisionView

            self.revision_view = RevisionView(self._draft, self.window)
        self.revision_view.compare(old, new)
        self.revision_view.show()
        self.revision_view.raise_()
        return self.revision_view

    def compare_latest(self) -> RevisionView | None:
        """The latest version against the current text (or say how to mark one)."""
        draft = self._draft()
        if draft is None:
            return None
        if not draft.versions:
            show_error(
                self.window,
                "尚无版本",
                "还没有标记任何版本。请先用“版本 → 标记版本”把一稿标记为征求意见稿、送审稿等，"
                "修改之后再来对照。",
            )
            return None
        return self.compare(draft.versions[-1].name, None)
