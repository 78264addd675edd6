"""The open draft in the window: the Draft, its file and lock, and the one QUndoStack.

Every edit goes through `DraftSession.apply(operation, …)`: the core operation runs inside
a QUndoCommand, whose undo/redo call the core's exact undo/redo, and `changed` tells the
panels what changed so each refreshes only that.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from drafter.draft import changes
from drafter.draft.autosave import discard_autosave
from drafter.draft.changes import Change
from drafter.draft.document import Draft
from drafter.draft.lock import ProjectLock
from drafter.draft.project_file import SaveResult, save_project

# How the change being announced came about (`DraftSession.origin`): the window moves the
# caret for every change except typing, which already has it where the drafter typed.
TYPING, DONE, UNDONE, REDONE = "typing", "done", "undone", "redone"

# Typing into the same 款 within this many seconds is one undo step.
TYPING_MERGE_SECONDS = 2.0
_TYPING_COMMAND_ID = 1001


class DraftCommand(QUndoCommand):
    """One core operation on the undo stack."""

    def __init__(
        self,
        session: DraftSession,
        operation: Callable[..., Change],
        args: tuple,
        kwargs: dict,
        merge_key: object | None = None,
    ) -> None:
        super().__init__()
        self._session = session
        self._operation = operation
        self._args = args
        self._kwargs = kwargs
        self._merge_key = merge_key
        self._stamp = time.monotonic()
        self._skip_next_redo = False
        self.change: Change | None = None

    def id(self) -> int:
        return _TYPING_COMMAND_ID if self._merge_key is not None else -1

    def redo(self) -> None:
        if self._skip_next_redo:
            # QUndoStack.push() calls redo(); the session already ran the operation.
            self._skip_next_redo = False
            return
        draft = self._session.draft
        if self.change is None:
            # First run: the operation itself (it raises before changing anything on bad input).
            self.change = self._operation(draft, *self._args, **self._kwargs)
            self.setText(self.change.summary)
            origin = TYPING if self._merge_key is not None else DONE
        else:
            changes.redo(draft, self.change)
            origin = REDONE
        self._session.emit_change(self.change, origin)

    def undo(self) -> None:
        assert self.change is not None
        changes.undo(self._session.draft, self.change)
        self._session.emit_change(self.change, UNDONE)

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 (Qt override)
        if not isinstance(other, DraftCommand) or other._merge_key != self._merge_key:
            return False
        if other._stamp - self._stamp > TYPING_MERGE_SECONDS or self.change is None:
            return False
        assert other.change is not None
        self.change = changes.merge(self.change, other.change)
        self._stamp = other._stamp
        return True


class DraftSession(QObject):
    """The draft the window edits, with its path, lock and undo stack."""

    changed = Signal(object)  # a drafter.draft.changes.Change
    path_changed = Signal(object)  # Path | None
    saved = Signal(object)  # SaveResult

    def __init__(
        self,
        draft: Draft,
        path: Path | None = None,
        lock: ProjectLock | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.draft = draft
        self.path = path
        self.lock = lock
        self.undo_stack = QUndoStack(self)
        # Set while `changed` is emitted; read by slots that treat typing or undo apart.
        self.origin = DONE
        # A recovered or imported draft differs from its file before any edit is made.
        self.unsaved_from_start = draft.modified

    def apply(
        self,
        operation: Callable[..., Change],
        *args,
        merge_key: object | None = None,
        **kwargs,
    ) -> Change:
        """Run a core operation as one undoable step; returns its Change.

        `merge_key` (e.g. ("text", uid, paragraph)) merges quick successive edits of the same
        place into one undo step. Errors (DrafterError) propagate and nothing is pushed.
        """
        command = DraftCommand(self, operation, args, kwargs, merge_key)
        command.redo()  # run now so that errors surface before the push
        assert command.change is not None
        change = command.change
        command._skip_next_redo = True
        self.undo_stack.push(command)
        return change

    def emit_change(self, change: Change, origin: str) -> None:
        self.origin = origin
        try:
            self.changed.emit(change)
        finally:
            self.origin = DONE

    @property
    def is_modified(self) -> bool:
        return (
            not self.undo_stack.isClean()
            or self.unsaved_from_start
            or (self.path is None and self.draft.modified)
        )

    def snapshot(self) -> Draft:
        """A deep copy of the draft for background work (never hand out the live one)."""
        return copy.deepcopy(self.draft)

    def save(self, path: Path | None = None) -> SaveResult:
        """Save atomically (to `path` when given: save as); marks the undo stack clean."""
        target = Path(path) if path is not None else self.path
        if target is None:
            raise ValueError("save() needs a path for a draft that has never been saved")
        new_lock = None
        if self.path is None or Path(target).resolve() != Path(self.path).resolve():
            # Lock the new file before writing it: never overwrite a draft open elsewhere.
            new_lock = ProjectLock(target)
            new_lock.acquire()
        try:
            result = save_project(self.draft, target)
        except BaseException:
            if new_lock is not None:
                new_lock.release()
            raise
        if new_lock is not None:
            if self.path is not None:
                # 另存为: the work now lives in the new file, under the new file's autosave key.
                discard_autosave(self.draft, self.path)
            if self.lock is not None:
                self.lock.release()
            self.lock = new_lock
            self.path = target
            self.path_changed.emit(target)
        self.draft.modified = False
        self.unsaved_from_start = False
        self.undo_stack.setClean()
        self.saved.emit(result)
        return result

    def close(self) -> None:
        """Release the lock (the autosave stays if there are unsaved changes)."""
        if self.lock is not None:
            self.lock.release()
            self.lock = None


def follow_changes(old: DraftSession | None, new: DraftSession | None, slot) -> None:
    """Move a widget's subscription to `changed` from one session to the next."""
    if old is not None:
        try:
            old.changed.disconnect(slot)
        except (RuntimeError, TypeError):
            pass  # already disconnected, or the old session's C++ object is gone
    if new is not None:
        new.changed.connect(slot)
