"""The dialog that asks for a reference's city, title, id and status before it is imported.

The fields are pre-filled from the file (the library's `preview_import`: read and parsed off
the UI thread, so a large .docx never freezes the window); the id follows the city (苏州 →
苏州, 苏州-2 when taken) until the drafter types one of their own.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from drafter.errors import DrafterError
from drafter.gui.workers import BackgroundJob
from drafter.library import ReferenceLibrary
from drafter.library.library import ImportPreview, check_id

# What the parser recognises under a title, and what the bundled references say.
STATUSES = ("", "已施行", "草案", "征求意见稿", "草案（征求意见）", "修订草案", "送审稿")


class ImportReferenceDialog(QDialog):
    """Ask how to file an imported regulation; `values()` are import_file's keyword arguments."""

    def __init__(self, path: Path, library: ReferenceLibrary, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("importReferenceDialog")
        self.setWindowTitle("导入参考法规")
        self.setMinimumWidth(460)
        self.path = Path(path)
        self.library = library
        self.preview: ImportPreview | None = None
        # The ids taken, read with the preview: the check runs at every keystroke, and
        # reading 20,000 ids each time held the dialog 17-25 ms a key. The import itself
        # refuses an id taken meanwhile.
        self._taken: frozenset[str] = frozenset()
        self._id_edited = False  # the drafter typed an id: stop deriving it from the city

        self.file_label = QLabel(f"文件：{self.path.name}")
        self.info_label = QLabel("正在读取文件…")
        self.city_edit = QLineEdit(placeholderText="如“苏州市”")
        self.title_edit = QLineEdit(placeholderText="法规名称")
        self.id_edit = QLineEdit()
        self.id_edit.setToolTip("在命令行和草案来源中用到的编号：小写字母或汉字开头")
        self.status_combo = QComboBox()
        self.status_combo.setEditable(True)
        self.status_combo.addItems(STATUSES)
        self.error_label = QLabel()
        self.error_label.setStyleSheet("color:#b02a37;")
        self.error_label.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("导入")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow("城市：", self.city_edit)
        form.addRow("标题：", self.title_edit)
        form.addRow("编号：", self.id_edit)
        form.addRow("状态：", self.status_combo)
        layout = QVBoxLayout(self)
        layout.addWidget(self.file_label)
        layout.addWidget(self.info_label)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

        self.city_edit.textEdited.connect(self._city_edited)
        self.id_edit.textEdited.connect(self._id_typed)
        self.title_edit.textChanged.connect(self._validate)
        self.id_edit.textChanged.connect(self._validate)
        self._set_fields_enabled(False)

        data_dir = library.data_dir
        # Its own library object: the worker touches nothing the UI thread holds.
        self.job = BackgroundJob(lambda: _preview_and_ids(ReferenceLibrary(data_dir), self.path))
        self.job.finished.connect(self._previewed)
        self.job.failed.connect(self._preview_failed)
        self.job.start()

    # -- public ------------------------------------------------------------------------

    @property
    def ready(self) -> bool:
        """The file was read (successfully or not) and the fields can be trusted."""
        return self.job.done

    def values(self) -> dict:
        """city, title, ref_id, status for `ReferenceLibrary.import_file`."""
        return {
            "city": self.city_edit.text().strip(),
            "title": self.title_edit.text().strip(),
            "ref_id": self.id_edit.text().strip(),
            "status": self.status_combo.currentText().strip(),
        }

    def accept(self) -> None:
        if self._validate():
            super().accept()

    # -- filling and checking ----------------------------------------------------------

    def _previewed(self, result: tuple[ImportPreview, frozenset[str]]) -> None:
        preview, self._taken = result
        self.preview = preview
        chapters = f"{preview.chapter_count}章" if preview.chapter_count else "不分章，"
        self.info_label.setText(f"识别出 {chapters}{preview.article_count}条。请核对：")
        self.city_edit.setText(preview.city)
        self.title_edit.setText(preview.title)
        self.id_edit.setText(preview.ref_id)
        self.status_combo.setCurrentText(preview.status)
        self._set_fields_enabled(True)
        # 导入 was disabled while the file was read, so the dialog opened with 取消 as its
        # default button and the focus on it: Enter, once the fields were checked,
        # cancelled the import.
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setDefault(True)
        if not preview.city:
            self.city_edit.setFocus()  # the title did not name it: the drafter should
        else:
            self.title_edit.setFocus()
        self._validate()

    def _preview_failed(self, error: BaseException) -> None:
        self.info_label.setText("无法导入这个文件：")
        self.error_label.setText(str(error))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)

    def _city_edited(self, city: str) -> None:
        if not self._id_edited:
            self.id_edit.setText(self.library.free_id(city.strip(), self.path))

    def _id_typed(self, text: str) -> None:
        # Cleared: derive it from the city again.
        self._id_edited = bool(text.strip())
        if not self._id_edited:
            self._city_edited(self.city_edit.text())

    def _set_fields_enabled(self, enabled: bool) -> None:
        for widget in (self.city_edit, self.title_edit, self.id_edit, self.status_combo):
            widget.setEnabled(enabled)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(enabled)

    def _validate(self, *_args) -> bool:
        if self.preview is None:
            return False
        problem = ""
        if not self.title_edit.text().strip():
            problem = "请填写标题"
        else:
            try:
                check_id(self.id_edit.text().strip(), self._taken)
            except DrafterError as error:
                problem = str(error)
        self.error_label.setText(problem)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not problem)
        return not problem


def _preview_and_ids(library: ReferenceLibrary, path: Path) -> tuple[ImportPreview, frozenset[str]]:
    return library.preview_import(path), frozenset(library.ids())
