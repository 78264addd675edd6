"""The 起草 tab without a draft: first steps and recent drafts."""

from __future__ import annotations

from drafter.draft.project_file import save_project
from tests.gui_window_support import open_draft, sample_draft, window  # noqa: F401 (fixture)


def test_welcome_page_until_a_draft_is_open_and_recent_drafts_reopen(window, tmp_path):  # noqa: F811
    assert window.draft_stack.currentWidget() is window.welcome_page
    assert not window.welcome_page.recent_list.isVisible()
    assert window.welcome_page.new_button.isEnabled()

    path = tmp_path / "草案.drafter.json"
    session = open_draft(window, sample_draft())
    assert window.draft_stack.currentWidget() is window.draft_page
    session.save(path)
    window.files.remember(path)
    window.set_session(None)
    assert window.draft_stack.currentWidget() is window.welcome_page
    items = window.welcome_page.recent_list
    assert items.count() == 1 and "草案.drafter.json" in items.item(0).text()

    items.itemActivated.emit(items.item(0))
    assert window.session is not None and window.session.path == path
    assert [a.number for a in window.session.draft.articles()] == [1, 2, 3, 4]


def test_missing_recent_drafts_are_not_offered(window, tmp_path):  # noqa: F811
    gone = tmp_path / "gone.drafter.json"
    save_project(sample_draft(), gone)
    window.files.remember(gone)
    gone.unlink()
    window.set_session(None)
    assert window.welcome_page.recent_list.count() == 0
