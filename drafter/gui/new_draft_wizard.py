"""新建草案: title, city, status and a chapter skeleton (standard, or a reference's chapters)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QVBoxLayout,
    QWidget,
)

from drafter.draft.document import STATUSES, Draft
from drafter.draft.skeleton import STANDARD_SKELETON, chapter_titles, city_of
from drafter.errors import DrafterError
from drafter.gui.searchable_combo import make_searchable
from drafter.library import Reference, ReferenceLibrary, ReferenceSummary


class NewDraftWizard(QDialog):
    """Asks for what a new draft needs; `draft()` builds it with the core."""

    def __init__(
        self,
        references: Sequence[Reference | ReferenceSummary],
        parent: QWidget | None = None,
        library: ReferenceLibrary | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("newDraftWizard")
        self.setWindowTitle("新建草案")
        self.resize(520, 460)
        self._city_typed = False

        self.title_edit = QLineEdit()
        self.title_edit.setObjectName("titleEdit")
        self.title_edit.setPlaceholderText("如：某市智慧城市促进条例")
        self.city_edit = QLineEdit()
        self.city_edit.setObjectName("cityEdit")
        self.city_edit.setPlaceholderText("如：某市")
        self.status_box = QComboBox()
        self.status_box.addItems(list(STATUSES))
        self.skeleton_box = QComboBox()
        self.skeleton_box.setObjectName("skeletonBox")
        # Every reference with chapters is offered: thousands in a large library, all
        # opening 沿用《, which a plain combo box can only search by. Typing a city or a
        # title lists those that contain it.
        make_searchable(self.skeleton_box)
        self.skeleton_box.addItem("标准框架（总则……法律责任、附则）", list(STANDARD_SKELETON))
        # A listed reference's chapters are read when it is chosen (the list may be long).
        self._library = library
        for reference in references:
            if isinstance(reference, Reference):
                titles = chapter_titles(reference.statute)
                if titles:
                    self.skeleton_box.addItem(f"沿用《{reference.title}》的章节", titles)
            elif reference.chapter_count > 0:
                self.skeleton_box.addItem(f"沿用《{reference.title}》的章节", reference.id)
        self.preview = QListWidget()
        self.preview.setObjectName("skeletonPreview")

        form = QFormLayout()
        form.addRow("草案标题：", self.title_edit)
        form.addRow("本市名称：", self.city_edit)
        form.addRow("文本状态：", self.status_box)
        form.addRow("章节框架：", self.skeleton_box)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel("将创建以下各章（创建后可随时增删、改名）："))
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.buttons)

        self.title_edit.textChanged.connect(self._title_changed)
        self.city_edit.textEdited.connect(self._city_edited)
        self.city_edit.textChanged.connect(self._validate)
        self.skeleton_box.currentIndexChanged.connect(self._show_skeleton)
        self._show_skeleton()
        self._validate()

    def _title_changed(self, title: str) -> None:
        if not self._city_typed:
            self.city_edit.setText(city_of(title.strip()))
        self._validate()

    def _city_edited(self, _text: str) -> None:
        self._city_typed = True

    def _validate(self) -> None:
        ok = bool(self.title_edit.text().strip() and self.city_edit.text().strip())
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)

    def _show_skeleton(self) -> None:
        self.preview.clear()
        self.preview.addItems(self.skeleton())

    def skeleton(self) -> list[str]:
        """The chapter titles chosen."""
        data = self.skeleton_box.currentData()
        if isinstance(data, str):  # a reference's id: its chapters, read once
            library = self._library or ReferenceLibrary()
            try:
                data = chapter_titles(library.get(data).statute)
            except DrafterError:
                data = []  # removed meanwhile: nothing to copy
            self.skeleton_box.setItemData(self.skeleton_box.currentIndex(), data)
        return list(data or [])

    def draft(self) -> Draft:
        """The new draft with its chapter skeleton."""
        return Draft.with_chapters(
            self.title_edit.text().strip(),
            self.city_edit.text().strip(),
            self.skeleton(),
            self.status_box.currentText(),
        )


class DraftInfoDialog(QDialog):
    """草案信息: the title, city and status of an open draft."""

    def __init__(self, title: str, city: str, status: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("draftInfoDialog")
        self.setWindowTitle("草案信息")
        self.title_edit = QLineEdit(title)
        self.city_edit = QLineEdit(city)
        self.status_box = QComboBox()
        self.status_box.addItems(list(STATUSES))
        self.status_box.setCurrentText(status)
        form = QFormLayout()
        form.addRow("草案标题：", self.title_edit)
        form.addRow("本市名称：", self.city_edit)
        form.addRow("文本状态：", self.status_box)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def values(self) -> tuple[str, str, str]:
        return (
            self.title_edit.text().strip(),
            self.city_edit.text().strip(),
            self.status_box.currentText(),
        )
