"""Files: new, open (with the lock), save, save as, recent files, the unsaved-changes prompt.

Every failure ends in a Chinese message box saying what is wrong and what to do, and the
draft that was open stays open and untouched. Import and export are in `transfer_flows`,
autosave and recovery in `autosave_flow`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QDialog, QFileDialog

from drafter.draft.lock import DraftLockedError, ProjectLock
from drafter.draft.project_file import FILE_SUFFIX, load_project
from drafter.errors import DrafterError
from drafter.gui.autosave_flow import AutosaveKeeper
from drafter.gui.dialogs import show_error
from drafter.gui.new_draft_wizard import NewDraftWizard
from drafter.gui.prompts import CANCEL, SAVE, ask, ask_unsaved_changes
from drafter.gui.session import DraftSession
from drafter.gui.transfer_flows import TransferFlows

if TYPE_CHECKING:
    from drafter.gui.main_window import MainWindow

RECENT_KEY = "files/recent"
LAST_DIR_KEY = "files/last_dir"
RECENT_KEPT = 8
DRAFT_FILTER = f"立法起草助手草案 (*{FILE_SUFFIX});;所有文件 (*)"
FORCE_OPEN = "强制打开"


class FileFlows:
    """The 文件 menu's flows for one window."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.autosave = AutosaveKeeper(window)
        self.transfer = TransferFlows(window)
        self.import_draft = self.transfer.import_draft
        self.export_documents = self.transfer.export_documents
        self.edit_draft_info = self.transfer.edit_draft_info

    # -- recent files and folders -----------------------------------------------------

    def recent_files(self) -> list[str]:
        value = QSettings().value(RECENT_KEY, [])
        if isinstance(value, str):  # QSettings gives a lone string for a one-item list
            value = [value]
        return [str(v) for v in value] if isinstance(value, list) else []

    def remember(self, path: Path) -> None:
        resolved = str(Path(path).resolve())
        paths = [resolved] + [p for p in self.recent_files() if p != resolved]
        settings = QSettings()
        settings.setValue(RECENT_KEY, paths[:RECENT_KEPT])
        settings.setValue(LAST_DIR_KEY, str(Path(resolved).parent))

    def start_dir(self) -> str:
        return str(QSettings().value(LAST_DIR_KEY, "") or Path.home())

    # -- closing the current draft ----------------------------------------------------

    def confirm_discard(self) -> bool:
        """Before the draft is replaced or the window closes: True when it may go."""
        session = self.window.session
        if session is None or not session.is_modified:
            return True
        answer = ask_unsaved_changes(self.window, session.draft.title)
        if answer == CANCEL:
            return False
        if answer == SAVE:
            return self.save()
        self.autosave.discard(session)  # the drafter chose to drop these changes
        return True

    # -- new and open -----------------------------------------------------------------

    def new_draft(self) -> bool:
        """The new-draft wizard; the draft opens unsaved (autosave keeps it safe)."""
        if not self.confirm_discard():
            return False
        wizard = NewDraftWizard(self.window.references, self.window, self.window.library)
        if wizard.exec() != QDialog.DialogCode.Accepted:
            return False
        self.window.set_session(DraftSession(wizard.draft()))
        return True

    def open_draft(self) -> bool:
        """Choose a draft file and open it."""
        path, _ = QFileDialog.getOpenFileName(
            self.window, "打开草案", self.start_dir(), DRAFT_FILTER
        )
        return bool(path) and self.open_path(Path(path))

    def open_path(self, path: Path | str) -> bool:
        """Open a draft file: it is read and locked first, so a failure leaves the window as is."""
        path = Path(path)
        current = self.window.session
        if current is not None and current.path is not None and _same(current.path, path):
            return True
        try:
            draft = load_project(path)
        except DrafterError as error:
            show_error(self.window, "无法打开草案", f"{error}\n\n当前打开的草案没有受到影响。")
            return False
        lock = self._lock(path)
        if lock is None:
            return False
        if not self.confirm_discard():
            lock.release()
            return False
        self.window.set_session(DraftSession(draft, path, lock))
        self.remember(path)
        return True

    def _lock(self, path: Path) -> ProjectLock | None:
        lock = ProjectLock(path)
        try:
            lock.acquire()
            return lock
        except DraftLockedError as error:
            answer = ask(
                self.window,
                "草案已被占用",
                str(error),
                [FORCE_OPEN, CANCEL],
                default=CANCEL,
                object_name="lockedDialog",
                informative="如果对方仍在编辑，强制打开后双方的修改会互相覆盖。",
            )
            if answer != FORCE_OPEN:
                return None
        try:
            lock.acquire(force=True)
        except DrafterError as error:
            show_error(self.window, "无法打开草案", error)
            return None
        return lock

    # -- save -------------------------------------------------------------------------

    def save(self) -> bool:
        """Save to the draft's file (asking for one the first time)."""
        session = self.window.session
        if session is None:
            return False
        if session.path is None:
            return self.save_as()
        return self._save_to(session, None)

    def save_as(self) -> bool:
        """Save under a new name; the new file is locked, the old one released."""
        session = self.window.session
        if session is None:
            return False
        suggested = str(Path(self.start_dir()) / f"{session.draft.title}{FILE_SUFFIX}")
        path, _ = QFileDialog.getSaveFileName(self.window, "草案另存为", suggested, DRAFT_FILTER)
        if not path:
            return False
        target = Path(path)
        if not target.name.endswith(FILE_SUFFIX):
            target = target.with_name(target.name.removesuffix(".json") + FILE_SUFFIX)
        return self._save_to(session, target)

    def _save_to(self, session: DraftSession, target: Path | None) -> bool:
        try:
            session.save(target)
        except DrafterError as error:
            show_error(self.window, "保存失败", f"{error}\n\n请另存到其他可写的位置。")
            return False
        except OSError as error:
            show_error(
                self.window, "保存失败", f"无法写入：{error.strerror or error}；请另存到其他位置。"
            )
            return False
        assert session.path is not None  # save() succeeded: the session has its file
        self.remember(session.path)
        self.window.statusBar().showMessage(f"已保存到 {session.path}", 5000)
        return True


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False
