"""The structural edits behind the 插入 menu and the outline's context menu.

Each is one core operation through the session (one undo step), placed relative to the
outline's current chapter or article. The window then makes the new node current and puts
the caret into it (`MainWindow.place_caret`, the same rule as for undo and redo); a moved
node stays current.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox

from drafter.draft import operations
from drafter.draft.changes import Change
from drafter.errors import DrafterError
from drafter.gui.dialogs import show_error

if TYPE_CHECKING:
    from drafter.draft.document import Draft
    from drafter.gui.main_window import MainWindow

NEW_CHAPTER_TITLE = "新的一章"


class EditCommands:
    """Insert, delete and move chapters and articles of the window's draft."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window

    def _apply(self, operation, *args, **kwargs) -> Change | None:
        session = self.window.session
        if session is None:
            return None
        try:
            return session.apply(operation, *args, **kwargs)
        except DrafterError as error:
            show_error(self.window, "无法完成操作", error)
            return None

    def _place(self, draft: Draft) -> tuple[int, int | None]:
        """(chapter row, article row or None) of the outline's current node; (-1, None) if none."""
        kind, uid = self.window.outline.current_node()
        for c_row, chapter in enumerate(draft.chapters):
            if kind == "chapter" and chapter.uid == uid:
                return c_row, None
            for a_row, article in enumerate(chapter.articles):
                if article.uid == uid:
                    return c_row, a_row
        return -1, None

    # -- insert -----------------------------------------------------------------------

    def insert_chapter(self, before: bool) -> None:
        """Insert a chapter before/after the current chapter (or at the end)."""
        if self.window.session is None:
            return
        c_row, _ = self._place(self.window.session.draft)
        chapters = self.window.session.draft.chapters
        index = len(chapters) if c_row < 0 else (c_row if before else c_row + 1)
        self._apply(operations.add_chapter, NEW_CHAPTER_TITLE, index)

    def insert_article(self, before: bool) -> None:
        """Insert an empty article before/after the current one (into the current chapter)."""
        session = self.window.session
        if session is None:
            return
        chapters = session.draft.chapters
        c_row, a_row = self._place(session.draft)
        on_chapter = c_row >= 0 and a_row is None
        if not chapters and self._apply(operations.add_chapter, "总则") is None:
            return
        chapters = session.draft.chapters
        chapter = chapters[c_row if c_row >= 0 else len(chapters) - 1]
        if a_row is None:  # a chapter (or nothing) is current: its start or its end
            index = 0 if before and on_chapter else len(chapter.articles)
        else:
            index = a_row if before else a_row + 1
        self._apply(operations.insert_article, chapter.uid, "", index=index)

    # -- delete and move --------------------------------------------------------------

    def delete_current(self) -> None:
        """Delete the current article, or the current chapter (asking first if it has articles)."""
        session = self.window.session
        if session is None:
            return
        kind, uid = self.window.outline.current_node()
        if kind == "article":
            # The window puts the caret into the next article (or the previous one).
            self._apply(operations.delete_article, uid)
        elif kind == "chapter":
            chapter = session.draft.chapter(uid)
            if chapter.articles:
                answer = QMessageBox.question(
                    self.window,
                    "删除章",
                    f"{chapter.label}“{chapter.title}”含 {len(chapter.articles)} 条，"
                    "将一并删除。引用这些条文的地方会被标记出来。\n（删除后可撤销）确定删除吗？",
                )
                if answer != QMessageBox.StandardButton.Yes:
                    return
            self._apply(operations.delete_chapter, uid)

    def move_current(self, step: int) -> None:
        """Move the current article or chapter up (-1) or down (+1); articles cross chapters."""
        session = self.window.session
        if session is None:
            return
        kind, uid = self.window.outline.current_node()
        c_row, a_row = self._place(session.draft)
        chapters = session.draft.chapters
        if kind == "chapter":
            target = c_row + step
            if 0 <= target < len(chapters):
                self._apply(operations.move_chapter, uid, target)
        elif kind == "article":
            assert a_row is not None  # the outline's current article is in the session's draft
            count = len(chapters[c_row].articles)
            target = a_row + step
            if 0 <= target < count:
                self._apply(operations.move_article, uid, chapters[c_row].uid, target)
            elif step < 0 and c_row > 0:
                previous = chapters[c_row - 1]
                self._apply(operations.move_article, uid, previous.uid, len(previous.articles))
            elif step > 0 and c_row + 1 < len(chapters):
                self._apply(operations.move_article, uid, chapters[c_row + 1].uid, 0)
        else:
            return
        self.window.outline.select_uid(uid)
