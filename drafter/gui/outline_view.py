"""The outline on the left: 章 and 条 with their numbers, drag-and-drop reordering, context menu.

The model reads the session's draft directly; it never edits it. A drop becomes one
`move_article` / `move_chapter` through the session (one undo step), and the session's
`changed` signal tells the model what to refresh: a structural change resets the model
(keeping selection and expansion), a text change repaints only the rows it names.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from PySide6.QtCore import (
    QAbstractItemModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractItemView, QMenu, QTreeView, QWidget

from drafter.draft import operations
from drafter.draft.changes import Change
from drafter.gui.dialogs import show_error
from drafter.gui.session import DraftSession, follow_changes
from drafter.statute.model import Article, Chapter

UID_ROLE = Qt.ItemDataRole.UserRole
KIND_ROLE = Qt.ItemDataRole.UserRole + 1
MIME_TYPE = "application/x-drafter-outline"
CHAPTER, ARTICLE = "chapter", "article"
_SNIPPET = 14  # characters of an uncaptioned article shown after its number

Index = QModelIndex | QPersistentModelIndex
_ROOT = QModelIndex()


def article_title(article: Article) -> str:
    """第X条 followed by its caption, or the start of its text."""
    if article.caption:
        return f"{article.label}　{article.caption}"
    text = article.paragraphs[0].text if article.paragraphs else ""
    snippet = text[:_SNIPPET] + ("…" if len(text) > _SNIPPET else "")
    return f"{article.label}　{snippet}" if snippet else article.label


def chapter_title(chapter: Chapter, chapterless: bool) -> str:
    """第X章　title (or a placeholder for a draft without chapters)."""
    if chapterless:
        return "（不分章）"
    return f"{chapter.label}　{chapter.title}"


class OutlineModel(QAbstractItemModel):
    """Chapters at the top level, their articles below. An article's internal id is its
    chapter's row + 1; a chapter's is 0 (ids, not Python pointers, are safe in PySide)."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.session: DraftSession | None = None

    # -- the draft --------------------------------------------------------------------

    def set_session(self, session: DraftSession | None) -> None:
        self.beginResetModel()
        follow_changes(self.session, session, self.apply_change)
        self.session = session
        self.endResetModel()

    def _chapters(self) -> list[Chapter]:
        return self.session.draft.chapters if self.session is not None else []

    def apply_change(self, change: Change) -> None:
        """Refresh what `change` names: reset on structure, repaint modified/renumbered rows."""
        if change.structure_changed or change.inserted or change.removed:
            self.beginResetModel()
            self.endResetModel()
            return
        for uid in {*change.modified, *change.renumbered}:
            index = self.index_of(uid)
            if index.isValid():
                self.dataChanged.emit(index, index)

    def index_of(self, uid: str) -> QModelIndex:
        """The index of a chapter or article by uid (invalid if absent)."""
        for c_row, chapter in enumerate(self._chapters()):
            if chapter.uid == uid:
                return self.index(c_row, 0)
            for a_row, article in enumerate(chapter.articles):
                if article.uid == uid:
                    return self.index(a_row, 0, self.index(c_row, 0))
        return QModelIndex()

    def node(self, index: Index) -> Chapter | Article | None:
        """The chapter or article behind an index."""
        if not index.isValid():
            return None
        chapters = self._chapters()
        chapter_row = index.internalId() - 1
        if chapter_row < 0:
            return chapters[index.row()] if index.row() < len(chapters) else None
        if chapter_row >= len(chapters):
            return None
        articles = chapters[chapter_row].articles
        return articles[index.row()] if index.row() < len(articles) else None

    # -- QAbstractItemModel -----------------------------------------------------------

    def index(self, row: int, column: int, parent: Index = _ROOT) -> QModelIndex:
        if column != 0 or row < 0:
            return QModelIndex()
        if not parent.isValid():
            if row >= len(self._chapters()):
                return QModelIndex()
            return self.createIndex(row, 0, 0)
        if parent.internalId() != 0:  # articles have no children
            return QModelIndex()
        chapters = self._chapters()
        if parent.row() >= len(chapters) or row >= len(chapters[parent.row()].articles):
            return QModelIndex()
        return self.createIndex(row, 0, parent.row() + 1)

    def parent(self, index: Index = _ROOT) -> QModelIndex:  # type: ignore[override]
        if not index.isValid() or index.internalId() == 0:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, 0)

    def rowCount(self, parent: Index = _ROOT) -> int:  # noqa: N802
        chapters = self._chapters()
        if not parent.isValid():
            return len(chapters)
        if parent.internalId() != 0 or parent.row() >= len(chapters):
            return 0
        return len(chapters[parent.row()].articles)

    def columnCount(self, parent: Index = _ROOT) -> int:  # noqa: N802
        return 1

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        node = self.node(index)
        if node is None:
            return None
        is_chapter = isinstance(node, Chapter)
        if role == Qt.ItemDataRole.DisplayRole:
            if isinstance(node, Chapter):
                assert self.session is not None  # there are nodes only while a draft is shown
                return chapter_title(node, self.session.draft.chapterless)
            return article_title(node)
        if role == Qt.ItemDataRole.ToolTipRole and isinstance(node, Article):
            return node.text()
        if role == UID_ROLE:
            return node.uid
        if role == KIND_ROLE:
            return CHAPTER if is_chapter else ARTICLE
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled
        base |= Qt.ItemFlag.ItemIsDragEnabled
        if index.internalId() == 0:
            base |= Qt.ItemFlag.ItemIsDropEnabled
        return base

    # -- drag and drop ----------------------------------------------------------------

    def supportedDropActions(self) -> Qt.DropAction:  # noqa: N802
        return Qt.DropAction.MoveAction

    def supportedDragActions(self) -> Qt.DropAction:  # noqa: N802
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:  # noqa: N802
        return [MIME_TYPE]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:  # noqa: N802
        data = QMimeData()
        valid = [i for i in indexes if i.isValid()]
        if valid:
            payload = {"kind": self.data(valid[0], KIND_ROLE), "uid": self.data(valid[0], UID_ROLE)}
            data.setData(MIME_TYPE, QByteArray(json.dumps(payload).encode("utf-8")))
        return data

    def removeRows(self, row: int, count: int, parent: Index = _ROOT) -> bool:  # noqa: N802
        # After a MoveAction drop the view asks the source to remove the dragged rows; the
        # move already happened through the session, so there is nothing left to remove.
        return False

    def _payload(self, data: QMimeData) -> dict | None:
        if not data.hasFormat(MIME_TYPE):
            return None
        try:
            return json.loads(bytes(data.data(MIME_TYPE).data()).decode("utf-8"))
        except ValueError:
            return None

    def canDropMimeData(self, data, action, row, column, parent) -> bool:  # noqa: N802
        return self._drop_target(self._payload(data), row, parent) is not None

    def dropMimeData(self, data, action, row, column, parent) -> bool:  # noqa: N802
        """Turn a drop into one move through the session (Qt never removes rows itself)."""
        payload = self._payload(data)
        target = self._drop_target(payload, row, parent)
        if payload is None or target is None or self.session is None:  # no payload: no target
            return False
        try:
            if payload["kind"] == CHAPTER:
                self.session.apply(operations.move_chapter, payload["uid"], target[1])
            else:
                self.session.apply(operations.move_article, payload["uid"], *target)
        except operations.DraftOperationError as error:
            show_error(None, "无法移动", error)
            return False
        return True

    def _drop_target(self, payload: dict | None, row: int, parent: Index):
        """(chapter uid, index counted after removing the moved node), or None."""
        if payload is None or self.session is None:
            return None
        draft = self.session.draft
        chapters = draft.chapters
        if payload["kind"] == CHAPTER:
            if parent.isValid() or draft.chapterless:
                return None
            old = next((i for i, c in enumerate(chapters) if c.uid == payload["uid"]), None)
            if old is None:
                return None
            new = len(chapters) if row < 0 else row
            if new > old:
                new -= 1
            return None if new == old else ("", new)
        if not draft.has_article(payload["uid"]):
            return None
        if parent.isValid():
            chapter = chapters[parent.row()] if parent.internalId() == 0 else None
            if chapter is None:
                return None
            index = len(chapter.articles) if row < 0 else row
        else:  # between chapters: the end of the chapter above, or the start of the first
            if not chapters:
                return None
            if row <= 0:
                chapter, index = chapters[0], 0
            else:
                chapter = chapters[min(row, len(chapters)) - 1]
                index = len(chapter.articles)
        rows = [a.uid for a in chapter.articles]
        if payload["uid"] in rows:
            old = rows.index(payload["uid"])
            if index > old:
                index -= 1
            if index == old:
                return None
        return (chapter.uid, index)


class OutlineView(QTreeView):
    """The outline tree; `current_changed(kind, uid)` follows the selection."""

    current_changed = Signal(str, str)  # kind ("chapter"/"article"/""), uid

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("outlineView")
        self.outline = OutlineModel(self)
        self.setModel(self.outline)
        self.setHeaderHidden(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._show_context_menu)
        self.context_actions: list[QAction | None] = []  # set by the window (None: separator)
        self._collapsed: set[str] = set()
        self._kept_uid = ""
        self._current_uid = ""  # the uid of the current row, as it was when it became current
        self.collapsed.connect(lambda i: self._collapsed.add(self.outline.data(i, UID_ROLE)))
        self.expanded.connect(lambda i: self._collapsed.discard(self.outline.data(i, UID_ROLE)))
        self.outline.modelAboutToBeReset.connect(self._remember_current)
        self.outline.modelReset.connect(self._restore_state)
        self.selectionModel().currentChanged.connect(self._on_current_changed)

    def set_session(self, session: DraftSession | None) -> None:
        self._collapsed.clear()
        # Another draft: nothing of the previous selection is restored (the same uid in a
        # recovered copy would become current silently, before the editor has the draft).
        self._current_uid = ""
        self.outline.set_session(session)

    # -- selection --------------------------------------------------------------------

    def current_node(self) -> tuple[str, str]:
        """(kind, uid) of the current row, or ("", "")."""
        index = self.currentIndex()
        if not index.isValid():
            return "", ""
        return self.outline.data(index, KIND_ROLE), self.outline.data(index, UID_ROLE)

    def select_uid(self, uid: str) -> bool:
        """Make a chapter or article current (and visible)."""
        index = self.outline.index_of(uid)
        if not index.isValid():
            return False
        self.setCurrentIndex(index)
        self.scrollTo(index)
        return True

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            kind = self.outline.data(current, KIND_ROLE)
            self._current_uid = self.outline.data(current, UID_ROLE)
            self.current_changed.emit(kind, self._current_uid)
        else:
            self._current_uid = ""
            self.current_changed.emit("", "")

    def _remember_current(self) -> None:
        # Not read through the current index: the model shows the live draft, which the
        # change has already rearranged, so the old row now holds another node (undoing a
        # move made the article's neighbour current).
        self._kept_uid = self._current_uid

    def _restore_state(self) -> None:
        for row in range(self.outline.rowCount()):
            index = self.outline.index(row, 0)
            self.setExpanded(index, self.outline.data(index, UID_ROLE) not in self._collapsed)
        uid, self._kept_uid = self._kept_uid, ""
        if not (uid and self.select_uid(uid)):
            self.current_changed.emit("", "")

    # -- context menu -----------------------------------------------------------------

    def _show_context_menu(self, position) -> None:
        index = self.indexAt(position)
        if index.isValid():
            self.setCurrentIndex(index)
        menu = QMenu(self)
        for action in self.context_actions:
            if action is None:
                menu.addSeparator()
            else:
                menu.addAction(action)
        menu.exec(self.viewport().mapToGlobal(position))
