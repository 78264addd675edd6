"""Importing references from the reference browser: one file with its fields asked, or
many files and folders in the background with progress, cancel, duplicate questions and a
summary of what was skipped.

A mixin of ReferenceBrowser (the imported references' rows are added to its list in
place, `reference_changes.update_listing`); the import itself is the core's
(`drafter.library.batch_import`), run on a snapshot of paths with the worker's own library
object.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox, QProgressDialog, QWidget

from drafter.gui.dialogs import show_error
from drafter.gui.import_reference_dialog import ImportReferenceDialog
from drafter.gui.workers import BackgroundJob
from drafter.library import ReferenceLibrary, batch_import

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance

IMPORT_FILTER = "法规文本 (*.txt *.docx *.html *.htm);;所有文件 (*)"
PROGRESS_AFTER_MS = 300  # a one-file import quicker than this shows no progress dialog


class ReferenceImports:
    """The browser's import flows. The browser provides what is declared here."""

    library: ReferenceLibrary
    library_changed: SignalInstance
    batch_progress: QProgressDialog | None
    batch_summary: QMessageBox | None
    _job: BackgroundJob | None
    _pending: tuple[str, int] | None

    if TYPE_CHECKING:  # ReferenceChanges's, next in the browser's bases

        def update_listing(
            self,
            *,
            added: Sequence[str] = (),
            removed: Sequence[str] = (),
            changed: Sequence[str] = (),
        ) -> BackgroundJob | None: ...

    def _widget(self) -> QWidget:
        assert isinstance(self, QWidget)
        return self

    def choose_and_import(self) -> None:
        paths, _ = QFileDialog.getOpenFileNames(self._widget(), "导入参考法规", "", IMPORT_FILTER)
        if len(paths) == 1:
            self.ask_and_import(Path(paths[0]))  # one file: city, title and id are asked
        elif paths:
            self.import_batch([Path(path) for path in paths])

    def choose_folder_and_import(self) -> None:
        folder = QFileDialog.getExistingDirectory(self._widget(), "导入文件夹中的参考法规")
        if folder:
            self.import_batch([Path(folder)])

    def import_batch(self, paths: list[Path]) -> BackgroundJob:
        """Import many files (folders searched for .txt/.docx/.html) in the background, city,
        title and id guessed as `drafter refs import` does; a progress dialog with 取消 stops
        after the current file, keeping those done; a summary lists what was skipped and why."""
        data_dir = self.library.data_dir
        paths = [Path(path) for path in paths]  # a snapshot: the worker sees plain paths
        cancel = threading.Event()
        bridge = _BatchBridge()
        progress = QProgressDialog("正在查找要导入的文件…", "取消", 0, 0, self._widget())
        progress.setObjectName("batchImportProgress")
        progress.setWindowTitle("导入参考法规")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(0)
        progress.setAutoClose(False)
        progress.setAutoReset(False)
        progress.setMinimumWidth(420)
        progress.canceled.connect(cancel.set)
        bridge.progress.connect(
            lambda done, total, name: _show_progress(progress, done, total, name)
        )
        self.batch_progress = progress
        ask = self._asking_through(bridge, many=True)

        def run() -> batch_import.BatchResult:
            return batch_import.import_many(
                ReferenceLibrary(data_dir),
                paths,
                on_duplicate=ask,
                progress=bridge.progress.emit,
                cancelled=cancel.is_set,
            )

        job = BackgroundJob(run)
        job.finished.connect(lambda result: self._batch_done(progress, bridge, result))
        job.failed.connect(lambda error: self._import_failed(progress, error))
        progress.show()
        self._job = job.start()
        return job

    def _asking_through(
        self, bridge: _BatchBridge, *, many: bool
    ) -> Callable[[batch_import.Duplicate], str]:
        """A worker's on_duplicate: it asks the drafter on the UI thread and waits."""

        def answer(question: _DuplicateQuestion) -> None:
            bridge.asking = True
            try:
                question.answer = self.ask_duplicate(question.duplicate, many)
            finally:
                bridge.asking = False
                question.answered.set()  # never leave the worker waiting

        bridge.duplicate.connect(answer)

        def ask(duplicate: batch_import.Duplicate) -> str:
            question = _DuplicateQuestion(duplicate)
            bridge.duplicate.emit(question)
            question.answered.wait()
            return question.answer

        return ask

    def ask_duplicate(self, duplicate: batch_import.Duplicate, many: bool = True) -> str:
        """跳过 / 仍然导入 / 全部跳过 (of many files) for a regulation that is already in
        the library."""
        box = QMessageBox(self._widget())
        box.setWindowTitle("重复的参考法规")
        box.setIcon(QMessageBox.Icon.Question)
        box.setText(f"“{duplicate.title}”可能已在库中。")
        box.setInformativeText(duplicate.describe())
        skip = box.addButton("跳过", QMessageBox.ButtonRole.RejectRole)
        anyway = box.addButton("仍然导入", QMessageBox.ButtonRole.AcceptRole)
        skip_all = None
        if many:
            skip_all = box.addButton("全部跳过", QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(skip)
        box.exec()
        clicked = box.clickedButton()
        box.deleteLater()
        if clicked is anyway:
            return batch_import.IMPORT
        return batch_import.SKIP_ALL if skip_all and clicked is skip_all else batch_import.SKIP

    def _batch_done(
        self, progress: QProgressDialog, _bridge: QObject, result: batch_import.BatchResult
    ) -> None:
        progress.close()
        box = QMessageBox(self._widget())
        box.setObjectName("batchImportSummary")
        box.setWindowTitle("导入参考法规")
        box.setIcon(QMessageBox.Icon.Information if result.imported else QMessageBox.Icon.Warning)
        head = f"已导入 {len(result.imported)} 部"
        if result.skipped:
            head += f"，跳过 {len(result.skipped)} 个文件"
        if result.cancelled:
            head += "（已取消，其余文件未导入）"
        box.setText(head + "。")
        if result.skipped:
            lines = [f"{s.name}：{s.reason}" for s in result.skipped]
            box.setInformativeText("跳过的文件：\n" + "\n".join(lines[:10]))
            if len(lines) > 10:
                box.setDetailedText("\n".join(lines))
        self.batch_summary = box
        box.open()  # not exec: the reload below goes on while the drafter reads
        if result.imported:
            self._pending = (result.imported[0]["id"], 1)
            self.update_listing(added=[summary["id"] for summary in result.imported])

    def ask_and_import(self, path: Path) -> BackgroundJob | None:
        """Ask for the city, title, id and status (pre-filled from the file), then import."""
        dialog = ImportReferenceDialog(path, self.library, self._widget())
        try:
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return None
            values = dialog.values()
        finally:
            dialog.deleteLater()
        return self.import_path(path, **values)

    def import_path(
        self,
        path: Path,
        *,
        city: str | None = None,
        title: str | None = None,
        ref_id: str | None = None,
        status: str | None = None,
    ) -> BackgroundJob:
        """Import a file in the background with a progress dialog; the library reloads after.

        Fields left out are guessed from the file, as `drafter refs import` does.
        """
        # No cancel button (None); PySide6's stubs type the button text as str only.
        progress = QProgressDialog(f"正在导入 {path.name}…", None, 0, 0, self._widget())  # type: ignore[call-overload]
        progress.setWindowTitle("导入参考法规")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        # Shown by the timer below, not by itself: showing itself after its minimum
        # duration it came up over the duplicate question and took its keys.
        progress.reset()
        data_dir = self.library.data_dir
        # The worker uses its own library object: nothing the UI holds is touched off-thread.
        # The batch import's path, for its duplicate check: the one file imported here
        # was stored without it, a renamed copy of a reference included.
        bridge = _BatchBridge()
        ask = self._asking_through(bridge, many=False)
        job = BackgroundJob(
            lambda: batch_import.import_many(
                ReferenceLibrary(data_dir),
                [path],
                on_duplicate=ask,
                city=city,
                title=title,
                ref_id=ref_id,
                status=status,
            )
        )
        job.finished.connect(lambda result: self._import_done(progress, bridge, result))
        QTimer.singleShot(  # with progress as context: not called once it is deleted
            PROGRESS_AFTER_MS,
            progress,
            lambda: None if job.done or bridge.asking else progress.show(),
        )
        job.failed.connect(lambda error: self._import_failed(progress, error))
        self._job = job.start()
        return job

    def _import_done(
        self, progress: QProgressDialog, _bridge: QObject, result: batch_import.BatchResult
    ) -> None:
        progress.close()
        if not result.imported:
            [skipped] = result.skipped
            if skipped.duplicate:  # the drafter chose 跳过: say what was kept instead
                QMessageBox.information(
                    self._widget(), "导入参考法规", f"未导入 {skipped.name}：{skipped.reason}。"
                )
            else:
                show_error(self._widget(), "导入失败", f"{skipped.name}：{skipped.reason}")
            return
        summary = result.imported[0]
        self._pending = (summary["id"], 1)
        self.update_listing(added=[summary["id"]])

    def _import_failed(self, progress: QProgressDialog, error: BaseException) -> None:
        progress.close()
        show_error(self._widget(), "导入失败", error)


class _BatchBridge(QObject):
    """Carries a batch import's progress and questions from the worker to the UI thread."""

    progress = Signal(int, int, str)
    duplicate = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.asking = False  # a duplicate question is up (set and read on the UI thread)


class _DuplicateQuestion:
    """A duplicate the worker asks about; it waits on `answered`."""

    def __init__(self, duplicate: batch_import.Duplicate) -> None:
        self.duplicate = duplicate
        self.answer = batch_import.SKIP
        self.answered = threading.Event()


def _show_progress(progress: QProgressDialog, done: int, total: int, name: str) -> None:
    if progress.wasCanceled():
        return
    progress.setMaximum(max(1, total))
    progress.setValue(done)
    if name:
        progress.setLabelText(f"导入 {done + 1}/{total}：{name}")
