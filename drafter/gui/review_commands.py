"""The review work on the session's one QUndoStack.

A `ReviewCommand` snapshots `draft.review` before and after its action (the core `Change`
of an accepted change covers the text, not the review items), so undo and redo put both
back; the window is told through the session's `changed`, like for any edit.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QUndoCommand

from drafter.draft import changes
from drafter.draft.changes import Change
from drafter.draft.document import Draft
from drafter.gui.session import DONE, REDONE, UNDONE
from drafter.review import store

if TYPE_CHECKING:
    from drafter.gui.session import DraftSession


class ReviewCommand(QUndoCommand):
    """One change of the review work (and, for an accepted change, of the text)."""

    def __init__(
        self, session: DraftSession, text: str, action: Callable[[Draft], Change | None]
    ) -> None:
        super().__init__(text)
        self._session = session
        self._action = action
        self._before: dict | None = None
        self._after: dict | None = None
        self._skip_next_redo = False
        self.change: Change | None = None

    def _announce(self, origin: str) -> None:
        change = self.change or Change(kind="review", summary=self.text())
        self._session.emit_change(change, origin)

    def redo(self) -> None:
        if self._skip_next_redo:
            # QUndoStack.push() calls redo(); the command already ran.
            self._skip_next_redo = False
            return
        draft = self._session.draft
        if self._before is None:
            self._before = store.snapshot(draft)
            try:
                self.change = self._action(draft)
            except BaseException:
                store.restore(draft, self._before)
                raise
            self._after = store.snapshot(draft)
            self._announce(DONE)
            return
        if self.change is not None:
            changes.redo(draft, self.change)
        store.restore(draft, self._after or {})
        self._announce(REDONE)

    def undo(self) -> None:
        draft = self._session.draft
        if self.change is not None:
            changes.undo(draft, self.change)
        store.restore(draft, self._before or {})
        self._announce(UNDONE)


def run_review_command(
    session: DraftSession, text: str, action: Callable[[Draft], Change | None]
) -> ReviewCommand:
    """Run `action` now (errors propagate, nothing is pushed) and push it for undo."""
    command = ReviewCommand(session, text, action)
    command.redo()
    command._skip_next_redo = True
    session.undo_stack.push(command)
    return command
