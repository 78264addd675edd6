"""Windows' shutdown and logout: Qt asks the application to commit its data, and the
process is ended soon after. The unsaved draft must be in the autosave folder by then.

(SIGTERM, the same on Linux, is driven end to end in test_e2e_xvfb.py.)"""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import SIGNAL
from PySide6.QtWidgets import QApplication

from drafter.draft import operations
from drafter.draft.autosave import find_recoverable_autosaves
from drafter.draft.project_file import save_project
from drafter.gui import termination
from tests import gui_window_support as support
from tests.gui_window_support import sample_draft

window = support.window  # the fixture


def test_a_request_to_commit_data_keeps_the_unsaved_draft(window, tmp_path, isolated_user_data):
    path = tmp_path / "d.drafter.json"
    draft = sample_draft()
    save_project(draft, path)
    assert window.files.open_path(path)
    session = window.session
    watch = termination.install(window)
    try:
        uid = next(session.draft.articles()).uid
        session.apply(operations.edit_paragraph, uid, 0, "改过的第一款。")
        assert find_recoverable_autosaves() == []
        # The request carries a QSessionManager, which only the platform can make: the
        # connection is checked, and what it calls is run.
        app = QApplication.instance()
        assert app.receivers(SIGNAL("commitDataRequest(QSessionManager&)")) >= 1
        assert termination.keep_unsaved(window) is not None
        kept = find_recoverable_autosaves()
        assert [k.project_path for k in kept] == [path.resolve()]
        assert next(kept[0].recover().articles()).text() == "改过的第一款。"
    finally:
        watch.uninstall()


def test_the_request_is_no_longer_answered_for_a_window_gone(qtbot, window):
    # At logout the application can outlive its window; a slot left connected would call
    # into a deleted window.
    from shiboken6 import delete

    app = QApplication.instance()
    receivers = app.receivers(SIGNAL("commitDataRequest(QSessionManager&)"))
    watch = termination.install(window)
    assert app.receivers(SIGNAL("commitDataRequest(QSessionManager&)")) == receivers + 1
    watch.uninstall()
    delete(watch)  # as when its parent, the window, is destroyed
    assert app.receivers(SIGNAL("commitDataRequest(QSessionManager&)")) == receivers
