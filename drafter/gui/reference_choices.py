"""Which references a suggestion search looks in: a checkable list, filtered by a text.

A model, not a list of items: at 20,000 references, making a QListWidgetItem for each
held the window for 200-290 ms whenever the engine loaded (at start, after each import).
The model answers for rows the view shows, so filling it costs the same for five
references or twenty thousand; a filter by city or title narrows what is shown, and
"仅勾选筛选出的" checks just those (a drafter looks in one province's regulations). The
model filters itself, one pass over the labels: a QSortFilterProxyModel asked this
Python model for every row's label, 70-90 ms a keystroke at 20,000.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QSettings,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLineEdit,
    QListView,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

ROLE_REF = Qt.ItemDataRole.UserRole
AnyIndex = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()
LAYOUT_BATCH = 2000  # rows laid out per turn of the event loop (about 5 ms)
# Whether the list is open is remembered; on a first start it is open where the screen
# is this tall, so that a 768-high screen leaves the suggestions more than one at a time.
OPEN_KEY = "suggestions/references_open"
OPEN_ON_SCREENS_FROM = 1000


class ReferenceChoices(QAbstractListModel):
    """The references, each checked or not, those a filter text matches shown as rows.
    `checks_changed` is emitted when the drafter checks or unchecks one; changes made
    through the methods emit nothing."""

    checks_changed = Signal()

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._refs: list[str] = []
        self._labels: list[str] = []
        self._checked: set[str] | None = None  # None: every reference
        self._filter = ""
        self._shown: list[int] = []  # the rows: positions in _refs that match the filter

    # -- the model ----------------------------------------------------------------------

    def rowCount(self, parent: AnyIndex = _ROOT) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._shown)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        position = self._shown[index.row()]
        ref = self._refs[position]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._labels[position]
        if role == Qt.ItemDataRole.CheckStateRole:
            return Qt.CheckState.Checked if self.is_checked(ref) else Qt.CheckState.Unchecked
        if role == ROLE_REF:
            return ref
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemIsUserCheckable
        )

    def setData(  # noqa: N802
        self, index: AnyIndex, value: object, role: int = Qt.ItemDataRole.EditRole
    ) -> bool:
        if not index.isValid() or role != Qt.ItemDataRole.CheckStateRole:
            return False
        checked = Qt.CheckState(value) == Qt.CheckState.Checked
        ref = self._refs[self._shown[index.row()]]
        if checked == self.is_checked(ref):
            return True
        selected = set(self._refs) if self._checked is None else self._checked
        if checked:
            selected.add(ref)
        else:
            selected.discard(ref)
        self._checked = None if len(selected) == len(self._refs) else selected
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.CheckStateRole])
        self.checks_changed.emit()
        return True

    # -- the references -----------------------------------------------------------------

    def set_references(self, refs: Sequence[str], labels: Sequence[str]) -> None:
        """Show these references. A restriction the drafter made is kept for those still
        listed; a reference new to the list is checked only when all were."""
        self.beginResetModel()
        self._refs, self._labels = list(refs), list(labels)
        if self._checked is not None:
            self._checked &= set(self._refs)
            if len(self._checked) == len(self._refs):
                self._checked = None
        self._shown = self._matching(self._filter)
        self.endResetModel()

    def set_filter(self, text: str) -> None:
        """Show only the references whose label (city and title) contains `text`."""
        self.beginResetModel()
        self._filter = text.strip().casefold()
        self._shown = self._matching(self._filter)
        self.endResetModel()

    def _matching(self, text: str) -> list[int]:
        if not text:
            return list(range(len(self._refs)))
        return [i for i, label in enumerate(self._labels) if text in label.casefold()]

    def shown_refs(self) -> list[str]:
        """The references the filter shows, in list order."""
        return [self._refs[i] for i in self._shown]

    def counts(self) -> tuple[int, int]:
        """(references checked, references listed)."""
        total = len(self._refs)
        return (total if self._checked is None else len(self._checked)), total

    def is_checked(self, ref: str) -> bool:
        return self._checked is None or ref in self._checked

    def checked(self) -> tuple[str, ...] | None:
        """The checked references in list order, or None when all are (no restriction)."""
        if self._checked is None:
            return None
        return tuple(ref for ref in self._refs if ref in self._checked)

    def set_checked(self, refs: Sequence[str] | None) -> None:
        """Check exactly `refs` (None: every reference)."""
        wanted = None if refs is None else set(refs) & set(self._refs)
        self._checked = None if wanted is None or len(wanted) == len(self._refs) else wanted
        if self._shown:
            last = self.index(len(self._shown) - 1)
            self.dataChanged.emit(self.index(0), last, [Qt.ItemDataRole.CheckStateRole])

    def ref(self, row: int) -> str:
        """The reference on a row as shown."""
        return self._refs[self._shown[row]]

    def label(self, row: int) -> str:
        return self._labels[self._shown[row]]


class ReferenceChooser(QWidget):
    """The list with its filter box and two buttons: check all, or only those shown,
    under a header that says how many are checked and opens or closes them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = ReferenceChoices(self)
        self.header = QToolButton()
        self.header.setObjectName("referencesHeader")
        self.header.setCheckable(True)
        self.header.setAutoRaise(True)
        self.header.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.header.setToolTip("展开或收起参考法规列表")
        for signal in (self.model.modelReset, self.model.dataChanged, self.model.checks_changed):
            signal.connect(self._say_counts)
        self.filter_box = QLineEdit(placeholderText="筛选：城市或标题")
        self.filter_box.setClearButtonEnabled(True)
        self.filter_box.textChanged.connect(self.model.set_filter)
        self.all_button = QPushButton("全部勾选")
        self.all_button.clicked.connect(self.check_all)
        self.only_button = QPushButton("仅勾选筛选出的")
        self.only_button.setToolTip("只在筛选框筛选出的参考法规中查找")
        self.only_button.clicked.connect(self.check_only_shown)
        self.view = QListView()
        self.view.setModel(self.model)
        self.view.setUniformItemSizes(True)  # rows of one height: no layout pass over all
        # Laid out a batch per turn of the event loop: after the library changed, the
        # layout of 20,000 rows at once held the window 47-52 ms (1.6 ms a batch).
        self.view.setLayoutMode(QListView.LayoutMode.Batched)
        self.view.setBatchSize(LAYOUT_BATCH)
        self.view.setMaximumHeight(110)
        self.view.setToolTip("勾选要查找的参考法规")
        # The dock is narrow: the filter has a row of its own, the buttons share one.
        buttons = QHBoxLayout()
        buttons.addWidget(self.all_button)
        buttons.addWidget(self.only_button)
        buttons.addStretch(1)
        self.body = QWidget()
        body = QVBoxLayout(self.body)
        body.setContentsMargins(0, 0, 0, 0)
        body.addLayout(buttons)
        body.addWidget(self.filter_box)
        body.addWidget(self.view)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.header, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.body)
        remembered = QSettings().value(OPEN_KEY)
        if remembered is None:
            screen = self.screen()
            tall = screen is not None and screen.availableGeometry().height() >= (
                OPEN_ON_SCREENS_FROM
            )
            self.header.setChecked(tall)
        else:
            self.header.setChecked(str(remembered).lower() == "true")
        self._open(self.header.isChecked(), remember=False)
        self.header.toggled.connect(self._open)  # the drafter's choice from now on

    def _open(self, opened: bool, remember: bool = True) -> None:
        self.body.setVisible(opened)
        self.header.setArrowType(Qt.ArrowType.DownArrow if opened else Qt.ArrowType.RightArrow)
        if remember:
            QSettings().setValue(OPEN_KEY, opened)
        self._say_counts()

    def _say_counts(self) -> None:
        checked, total = self.model.counts()
        if not total:  # not listed yet (the index is loading)
            self.header.setText("参考法规")
            return
        which = f"全部 {total} 部" if checked == total else f"已选 {checked} 部（共 {total} 部）"
        self.header.setText(f"参考法规：{which}")

    def shown_refs(self) -> list[str]:
        """The references the filter shows, in list order."""
        return self.model.shown_refs()

    def check_all(self) -> None:
        self.model.set_checked(None)
        self.model.checks_changed.emit()

    def check_only_shown(self) -> None:
        self.model.set_checked(self.shown_refs())
        self.model.checks_changed.emit()
