"""Importing an earlier draft (.txt/.docx), exporting Word documents, editing the draft's details.

Reading, provenance discovery and export run in the background on snapshots; their
results come back to the UI thread, and a failure is a message box that leaves the open
draft as it was.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDialog, QFileDialog, QInputDialog

from drafter.draft import operations
from drafter.draft.export_readiness import (
    PENDING_KIND,
    export_problems,
    has_unconfirmed_sources_only,
)
from drafter.draft.skeleton import ImportedText, draft_from_import, read_draft_file
from drafter.errors import DrafterError
from drafter.gui.dialogs import show_error
from drafter.gui.export_dialog import ExportChoice, ExportDialog, ExportDoneBox
from drafter.gui.new_draft_wizard import DraftInfoDialog
from drafter.gui.prompts import ask
from drafter.gui.session import DraftSession
from drafter.gui.workers import BackgroundJob

if TYPE_CHECKING:
    from drafter.gui.main_window import MainWindow

IMPORT_FILTER = "草案文本 (*.txt *.docx);;所有文件 (*)"
EXPORT_DIR_KEY = "files/export_dir"
_UNTOUCHED = "\n\n当前打开的草案没有受到影响。"
EXPORT_ANYWAY, GO_BACK = "仍然导出", "返回修改"
# With sources still 待确认: how the 起草说明 and 对照表 show them (never as 新增).
EXPORT_MARKED, EXPORT_CONFIRMED = "导出，注明来源待确认", "导出，按最可能的来源确认"
UNCONFIRMED_MODES = {EXPORT_MARKED: "mark", EXPORT_CONFIRMED: "confirm"}


class TransferFlows:
    """Import, export and 草案信息 for one window."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.last_export = None  # ExportResult of the last export (tests, status)
        self.unconfirmed = "mark"  # what the last export warning chose for 待确认 sources

    # -- import -----------------------------------------------------------------------

    def import_draft(self, path: Path | str | None = None) -> BackgroundJob | None:
        """Read an earlier draft in the background, then open it as a new unsaved draft."""
        if path is None:
            chosen, _ = QFileDialog.getOpenFileName(
                self.window, "导入已有草案", self.window.files.start_dir(), IMPORT_FILTER
            )
            if not chosen:
                return None
            path = chosen
        path = Path(path)
        self.window.statusBar().showMessage(f"正在读取 {path.name}…")
        job = BackgroundJob(lambda: read_draft_file(path))
        job.finished.connect(self._imported)
        job.failed.connect(self._import_failed)
        return job.start()

    def _import_failed(self, error: BaseException) -> None:
        self.window.statusBar().clearMessage()
        hint = "请确认文件是草案全文（含“第一条”“第二条”……），必要时另存为 .txt 后再导入。"
        shown: BaseException | str = error
        if isinstance(error, DrafterError):
            shown = f"{error}\n\n{hint}{_UNTOUCHED}"
        show_error(self.window, "无法导入草案", shown)

    def _imported(self, imported: ImportedText) -> None:
        self.window.statusBar().clearMessage()
        title = imported.title
        if not title:
            title, ok = QInputDialog.getText(
                self.window, "导入草案", "未能识别草案标题，请输入：", text=imported.path.stem
            )
            if not ok or not title.strip():
                return
        city = imported.city
        if not city:
            city, ok = QInputDialog.getText(self.window, "导入草案", "未能识别本市名称，请输入：")
            if not ok or not city.strip():
                return
        try:
            draft = draft_from_import(imported, title.strip(), city.strip())
        except DrafterError as error:
            show_error(self.window, "无法导入草案", f"{error}{_UNTOUCHED}")
            return
        if not self.window.files.confirm_discard():
            return
        draft.modified = True  # not saved anywhere yet
        session = DraftSession(draft)
        self.window.set_session(session)
        self.discover_sources(session)

    def discover_sources(self, session: DraftSession) -> BackgroundJob:
        """Look for each article's likely sources in the library (off the UI thread)."""
        from drafter.draft.provenance import discover_sources
        from drafter.library import ReferenceLibrary

        snapshot, data_dir = session.snapshot(), self.window.library.data_dir
        self.window.statusBar().showMessage("正在查找各条的可能来源…")
        job = BackgroundJob(lambda: discover_sources(snapshot, ReferenceLibrary(data_dir)))
        job.finished.connect(lambda found: self._discovered(session, found))
        job.failed.connect(lambda error: show_error(self.window, "查找来源失败", error))
        return job.start()

    def _discovered(self, session: DraftSession, found: dict) -> None:
        from drafter.draft.provenance import propose_sources

        if self.window.session is not session:
            return
        found = {u: c for u, c in found.items() if c and session.draft.has_article(u)}
        if found:
            session.apply(propose_sources, found)
        self.window.statusBar().showMessage(
            f"{len(found)} 条找到可能的来源，请在“来源”面板中确认或排除", 10000
        )

    # -- export -----------------------------------------------------------------------

    def export_documents(self, choice: ExportChoice | None = None) -> BackgroundJob | None:
        """Warn about errors left in the draft, ask what to export, then write the .docx files
        in the background."""
        session = self.window.session
        if session is None or not self._confirm_export(session):
            return None
        if choice is None:
            folder = str(
                QSettings().value(EXPORT_DIR_KEY, "")
                or (str(session.path.parent) if session.path else self.window.files.start_dir())
            )
            dialog = ExportDialog(session.draft.title, Path(folder), self.window)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            choice = dialog.choice()
        QSettings().setValue(EXPORT_DIR_KEY, str(choice.draft.parent))
        from drafter.export import export_draft

        snapshot, source, unconfirmed = session.snapshot(), session.path, self.unconfirmed
        self.window.statusBar().showMessage("正在导出…")
        job = BackgroundJob(
            lambda: export_draft(
                snapshot,
                choice.draft,
                explanation=choice.explanation,
                table=choice.table,
                all_in_one=choice.all_in_one,
                comments=choice.comments,
                source=source,
                unconfirmed=unconfirmed,
            )
        )
        job.finished.connect(self._exported)
        job.failed.connect(self._export_failed)
        return job.start()

    def _confirm_export(self, session: DraftSession) -> bool:
        """True if the draft has nothing to fix, or the drafter chooses 仍然导出."""
        self.unconfirmed = "mark"
        problems = export_problems(session.draft)
        if not problems:
            return True
        lines = "\n".join(f"• {problem.line()}" for problem in problems)
        pending = any(problem.kind == PENDING_KIND for problem in problems)
        choices = (
            [EXPORT_MARKED, EXPORT_CONFIRMED, GO_BACK] if pending else [EXPORT_ANYWAY, GO_BACK]
        )
        how = (
            "\n\n待确认的来源不会写成“新增”：起草说明和对照表可以注明“来源待确认”，"
            "或把每条最可能的来源视为已确认（只影响这次导出，草案本身不变）。"
            if pending
            else ""
        )
        answer = ask(
            self.window,
            "导出前请检查",
            f"《{session.draft.title}》还有以下问题，导出的文件会原样带上它们：",
            choices,
            default=GO_BACK,
            object_name="exportWarningDialog",
            informative=f"{lines}{how}\n\n可在“检查”和“来源”面板中逐一处理，单击一项即跳到所在位置。",
        )
        if answer in UNCONFIRMED_MODES:
            self.unconfirmed = UNCONFIRMED_MODES[answer]
            return True
        if answer == EXPORT_ANYWAY:
            return True
        # Back to where the problems are listed.
        window = self.window
        dock = (
            window.provenance_dock if has_unconfirmed_sources_only(problems) else window.checks_dock
        )
        dock.show()
        dock.raise_()
        return False

    def _export_failed(self, error: BaseException) -> None:
        self.window.statusBar().clearMessage()
        shown: BaseException | str = error
        if isinstance(error, DrafterError):
            shown = f"{error}\n\n请换一个可写入的文件夹（或关闭正在 Word 中打开的同名文件）再导出。"
        show_error(self.window, "导出失败", shown)

    def _exported(self, result) -> None:
        self.last_export = result
        self.window.statusBar().showMessage(f"已导出 {len(result.written)} 个文件", 10000)
        box = ExportDoneBox(result.written, result.warnings, self.window)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()  # not modal-blocking: the drafter can go on working

    # -- 草案信息 ---------------------------------------------------------------------

    def edit_draft_info(self) -> None:
        """Title, city and status of the draft, as one undoable edit."""
        session = self.window.session
        if session is None:
            return
        draft = session.draft
        dialog = DraftInfoDialog(draft.title, draft.city, draft.status, self.window)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        title, city, status = dialog.values()
        if (title, city, status) == (draft.title, draft.city, draft.status):
            return
        try:
            session.apply(operations.edit_meta, title=title, city=city, status=status)
        except DrafterError as error:
            show_error(self.window, "无法修改草案信息", error)
