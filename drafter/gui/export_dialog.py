"""导出 Word 文档: which documents, where, and whether to annotate the adopted clauses; and the
box that says what was written, with buttons to open it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from drafter.gui.dialogs import show_error

OPEN_FILE, OPEN_FOLDER, CLOSE = "打开文件", "打开所在文件夹", "关闭"
_UNSAFE = str.maketrans({c: "_" for c in '\\/:*?"<>|'})


@dataclass
class ExportChoice:
    """The files to write and how."""

    draft: Path
    explanation: Path | None
    table: Path | None
    all_in_one: bool
    comments: bool

    @property
    def paths(self) -> list[Path]:
        return [p for p in (self.draft, self.explanation, self.table) if p is not None]


class ExportDialog(QDialog):
    """The draft is always exported; the 起草说明 and 对照表 beside it or in the same file."""

    def __init__(self, title: str, folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.setWindowTitle("导出 Word 文档")
        self.folder_edit = QLineEdit(str(folder))
        self.folder_edit.setObjectName("exportFolder")
        browse = QPushButton("浏览…")
        browse.clicked.connect(self._browse)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_edit, 1)
        folder_row.addWidget(browse)
        self.name_edit = QLineEdit(title.translate(_UNSAFE))
        self.name_edit.setObjectName("exportName")
        self.draft_box = QCheckBox("草案文本")
        self.draft_box.setChecked(True)
        self.draft_box.setEnabled(False)
        self.explanation_box = QCheckBox("起草说明")
        self.explanation_box.setChecked(True)
        self.table_box = QCheckBox("条文对照表")
        self.table_box.setChecked(True)
        self.all_in_one_box = QCheckBox("合为一个文件（分节，页码各自从 1 起）")
        self.comments_box = QCheckBox("在采纳的条文上加批注，注明来源和相似度")

        form = QFormLayout()
        form.addRow("保存到文件夹：", folder_row)
        form.addRow("文件名：", self.name_edit)
        documents = QVBoxLayout()
        for box in (self.draft_box, self.explanation_box, self.table_box):
            documents.addWidget(box)
        form.addRow("导出：", documents)
        form.addRow("", self.all_in_one_box)
        form.addRow("", self.comments_box)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("导出")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.all_in_one_box.toggled.connect(self._all_in_one_toggled)

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "选择导出文件夹", self.folder_edit.text())
        if folder:
            self.folder_edit.setText(folder)

    def _all_in_one_toggled(self, on: bool) -> None:
        for box in (self.explanation_box, self.table_box):
            box.setEnabled(not on)

    def choice(self) -> ExportChoice:
        """The target files: 《name》.docx, 《name》-起草说明.docx, 《name》-条文对照表.docx."""
        folder = Path(self.folder_edit.text().strip() or ".")
        name = (self.name_edit.text().strip() or "草案").translate(_UNSAFE)
        all_in_one = self.all_in_one_box.isChecked()
        want_explanation = self.explanation_box.isChecked() and not all_in_one
        want_table = self.table_box.isChecked() and not all_in_one
        return ExportChoice(
            draft=folder / f"{name}.docx",
            explanation=folder / f"{name}-起草说明.docx" if want_explanation else None,
            table=folder / f"{name}-条文对照表.docx" if want_table else None,
            all_in_one=all_in_one,
            comments=self.comments_box.isChecked(),
        )


class ExportDoneBox(QMessageBox):
    """导出完成: the files written, the exporter's warnings, and 打开文件 / 打开所在文件夹.

    打开文件 opens the draft (the first file); the others lie beside it in the same folder.
    """

    def __init__(self, written: list[Path], warnings: list[str], parent: QWidget | None) -> None:
        super().__init__(parent)
        self.written = written
        self.setObjectName("exportDoneDialog")
        self.setIcon(QMessageBox.Icon.Information)
        self.setWindowTitle("导出完成")
        names = "\n".join(str(p) for p in written)
        self.setText(f"已导出：\n{names}")
        if warnings:
            self.setInformativeText("请注意：\n" + "\n".join(warnings))
        self.open_file = self.addButton(OPEN_FILE, QMessageBox.ButtonRole.ActionRole)
        self.open_folder = self.addButton(OPEN_FOLDER, QMessageBox.ButtonRole.ActionRole)
        self.open_file.setToolTip(f"用 Word 或 WPS 打开 {written[0].name}" if written else "")
        close = self.addButton(CLOSE, QMessageBox.ButtonRole.RejectRole)
        self.setEscapeButton(close)
        self.setDefaultButton(self.open_file)
        self.buttonClicked.connect(self._clicked)

    def _clicked(self, button: QAbstractButton) -> None:
        if not self.written:
            return
        if button is self.open_file:
            target = self.written[0]
        elif button is self.open_folder:
            target = self.written[0].parent
        else:
            return
        if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(target))):
            what = "文件" if target == self.written[0] else "文件夹"
            show_error(
                self.parentWidget(),
                f"无法打开{what}",
                f"系统没有能打开“{target}”的程序。\n请在文件管理器中找到它后打开。",
            )
