"""The window on the 1366×768 screens of many office PCs: it fits, and the 参考法规 search
box shows what is typed in it.

The tests' offscreen screen is 1920×1080 (conftest.py); a smaller one is given to the
window by answering its `screen()` with a screen of that size.
"""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication

from drafter.gui import main_window as main_window_module
from drafter.gui.main_window import MainWindow
from drafter.gui.reference_choices import ReferenceChooser
from drafter.library import ReferenceLibrary

QUERY = "首席数据官"


class _SmallScreen:
    """What MainWindow asks a screen: its room without the taskbar."""

    def availableGeometry(self) -> QRect:  # noqa: N802 (Qt's name)
        return QRect(0, 0, 1366, 728)


@pytest.fixture
def settings_dir(isolated_user_data, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(isolated_user_data / "config"))


def _window(qtbot) -> MainWindow:
    main = MainWindow(ReferenceLibrary())
    qtbot.addWidget(main)
    qtbot.waitUntil(lambda: len(main.references) == 5, timeout=15000)
    return main


def test_the_first_start_fits_a_desktop_screen_at_its_usual_size(qtbot, settings_dir):
    main = _window(qtbot)
    assert not main.isMaximized()
    assert (main.width(), main.height()) == main_window_module.FIRST_SIZE


def test_the_first_start_on_a_1366_by_768_screen_is_maximised(qtbot, settings_dir, monkeypatch):
    # 1280×800 ran past the bottom of such a screen: the 检查 panel's last rows and
    # the status bar were off it.
    monkeypatch.setattr(MainWindow, "screen", lambda self: _SmallScreen())
    main = _window(qtbot)
    assert main.windowState() & Qt.WindowState.WindowMaximized
    # Un-maximised, it keeps within that screen too.
    main.show()
    main.showNormal()
    qtbot.waitUntil(lambda: not main.isMaximized())
    assert main.height() <= 728 - 60 and main.width() <= 1366 - 60, main.size()


def test_the_search_box_shows_the_whole_query_on_a_narrow_window(qtbot, settings_dir):
    main = _window(qtbot)
    main.resize(1366, 728)
    main.show()
    qtbot.waitExposed(main)
    outline_width = main.outline_dock.width()
    main.tabs.setCurrentWidget(main.reference_browser)
    QApplication.processEvents()
    # Showing the tab does not push the docks aside (its toolbar once widened the middle).
    assert main.outline_dock.width() == outline_width
    browser = main.reference_browser
    browser.search_box.setFocus()
    QApplication.processEvents()
    box = QApplication.focusWidget()
    assert box is browser.search_box
    for character in QUERY:  # as an input method commits it
        event = QInputMethodEvent()
        event.setCommitString(character)
        QApplication.sendEvent(box, event)
    QApplication.processEvents()
    assert box.text() == QUERY
    assert box.cursorPosition() == len(QUERY)
    # With the caret after the last character, the first is still at the box's left
    # edge: the text is not scrolled, so nothing of it is hidden.
    left = box.cursorRect().height() // 2
    assert box.cursorPositionAt(QPoint(box.textMargins().left() + left, box.height() // 2)) == 0
    # And a longer query fits too: twelve characters beside the clear button. The box
    # beside the hit count and five buttons had room for four on Xvfb (seven offscreen).
    room = box.width() - box.height() - box.textMargins().left() - box.textMargins().right()
    assert room >= box.fontMetrics().horizontalAdvance("数" * 12), (room, box.width())
    qtbot.waitUntil(lambda: browser.hit_label.text().startswith("2 条含"), timeout=15000)
    label = browser.hit_label
    assert label.isVisible()
    assert label.height() >= label.heightForWidth(label.width())  # no line of it cut off
    box.clear()
    QApplication.processEvents()
    assert not label.isVisible()  # no empty line kept under the box


def test_on_a_768_high_screen_the_suggestions_get_the_room(qtbot, settings_dir, monkeypatch):
    # The list of references to search, open, left the suggestions 150 px: one at a time.
    monkeypatch.setattr(MainWindow, "screen", lambda self: _SmallScreen())
    monkeypatch.setattr(ReferenceChooser, "screen", lambda self: _SmallScreen())
    main = _window(qtbot)
    main.resize(1366, 728)
    main.show()
    qtbot.waitExposed(main)
    panel = main.panels.suggestions
    chooser = panel.ref_chooser
    assert not chooser.body.isVisible()
    qtbot.waitUntil(lambda: chooser.header.text() == "参考法规：全部 5 部", timeout=30000)
    assert panel.results_view.height() >= 300, panel.results_view.height()
    qtbot.mouseClick(chooser.header, Qt.MouseButton.LeftButton)
    assert chooser.body.isVisible() and chooser.filter_box.isVisible()
    # The drafter's choice is kept for the next start, whatever the screen.
    again = MainWindow(ReferenceLibrary())
    qtbot.addWidget(again)
    assert again.panels.suggestions.ref_chooser.header.isChecked()


def test_the_tall_windows_fit_a_768_high_screen(qtbot, monkeypatch):
    # A version's text (760×800) and 修改对照 (1100×760) ran past the bottom of it.
    from drafter.draft.document import Draft
    from drafter.draft.versions import mark_version
    from drafter.gui.revision_view import RevisionView
    from drafter.gui.versions_dialog import VersionTextView

    for widget_class in (VersionTextView, RevisionView):
        monkeypatch.setattr(widget_class, "screen", lambda self: _SmallScreen())
    draft = Draft.with_chapters("某市数据条例", "某市", ["总则"])
    version = mark_version(draft, "征求意见稿", "2026-12-04", "")
    views = [VersionTextView(version), RevisionView(lambda: draft)]
    for view in views:
        qtbot.addWidget(view)
        assert view.height() <= 728 - 60 and view.width() <= 1366 - 60, type(view).__name__


def test_on_a_768_high_screen_the_sources_are_beside_their_note(qtbot, settings_dir):
    # Docked under the editor, the 来源 panel is wide and low: with the 说明 box above
    # them, its sources had one line (about 60 px) of a 190 px panel.
    from drafter.draft.source_links import SUGGESTED, SourceLink
    from drafter.gui.session import DraftSession
    from tests.gui_window_support import sample_draft

    main = _window(qtbot)
    main.resize(1366, 728)
    main.show()
    qtbot.waitExposed(main)
    draft = sample_draft()
    article = draft.chapters[0].articles[0]
    draft.provenance[article.uid] = [
        SourceLink("yingtan", 1, 0, article.text(), state=SUGGESTED),
        SourceLink("haikou", 1, 0, article.text(), state=SUGGESTED),
    ]
    session = DraftSession(draft)
    main.set_session(session)
    main.provenance_dock.raise_()
    QApplication.processEvents()
    panel = main.panels.provenance
    view, note = panel.view, panel.note_edit
    qtbot.waitUntil(lambda: "可能的来源" in view.toPlainText(), timeout=15000)
    assert panel.height() < 300, panel.height()  # the low dock this is about
    assert note.isVisible() and view.isVisible()
    beside = note.mapTo(panel, QPoint(0, 0)).x() >= view.mapTo(panel, QPoint(view.width(), 0)).x()
    assert beside, (note.geometry(), view.geometry())
    assert view.height() >= panel.height() - 60, (view.height(), panel.height())
    assert note.height() >= view.height() - 10  # as tall as the sources, room to write
    # Floated and made tall and narrow, the note goes back above the sources.
    main.provenance_dock.setFloating(True)
    main.provenance_dock.resize(420, 600)
    QApplication.processEvents()
    assert note.mapTo(panel, QPoint(0, note.height())).y() <= view.mapTo(panel, QPoint(0, 0)).y()
    assert view.width() >= panel.width() - 20
