"""Shared set-up for the drafting-window tests: a real window, isolated settings, modal drivers."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from drafter.draft import operations
from drafter.draft.document import Draft
from drafter.gui.app import create_application
from drafter.gui.main_window import MainWindow
from drafter.gui.session import DraftSession
from drafter.library import ReferenceLibrary

CITING = "违反本条例第三条规定的，由有关部门责令改正。"


@pytest.fixture
def window(qtbot, tmp_path):
    """The real window with the five bundled references loaded; settings kept per test."""
    create_application()
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    QSettings().clear()
    main = MainWindow(ReferenceLibrary())
    main.show()
    qtbot.waitUntil(lambda: len(main.references) == 5, timeout=15000)
    yield main
    # Not qtbot.addWidget: its close would come first and meet the unsaved-changes prompt.
    main.files.autosave.timer.stop()
    main.set_session(None)
    main.close()
    main.deleteLater()


def open_draft(window: MainWindow, draft: Draft) -> DraftSession:
    session = DraftSession(draft)
    window.set_session(session)
    return session


def sample_draft() -> Draft:
    """Two chapters, four articles; article 4 cites article 3."""
    draft = Draft.with_chapters("某市智慧城市促进条例", "某市", ["总则", "法律责任"])
    first, second = draft.chapters[0].uid, draft.chapters[1].uid
    operations.insert_article(
        draft, first, "为了促进智慧城市建设，制定本条例。", caption="立法目的"
    )
    operations.insert_article(draft, first, "本条例适用于本市行政区域内的智慧城市建设。")
    operations.insert_article(draft, first, "市人民政府应当加强对智慧城市建设的领导。")
    operations.insert_article(draft, second, CITING)
    draft.modified = False
    return draft


def on_modal(handle: Callable[[QWidget], None], name: str = "", tries: int = 250) -> None:
    """Run `handle` on the next modal dialog (optionally with that object name) once it is up."""

    def attempt(left: int) -> None:
        widget = QApplication.activeModalWidget()
        if widget is None or (name and widget.objectName() != name):
            if left > 0:
                QTimer.singleShot(20, lambda: attempt(left - 1))
            return
        handle(widget)

    QTimer.singleShot(0, lambda: attempt(tries))


def click(label: str, name: str = "") -> list[str]:
    """Press the button `label` of the next message box; returns [its text] once done."""
    seen: list[str] = []

    def press(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        seen.append(box.text())
        next(b for b in box.buttons() if b.text() == label).click()

    on_modal(press, name)
    return seen


def type_text(widget: QWidget, text: str) -> None:
    """Type Chinese as an input method does: one committed string per character."""
    widget.setFocus()
    for character in text:
        event = QInputMethodEvent()
        event.setCommitString(character)
        QApplication.sendEvent(widget, event)


def click_link(qtbot, view, href: str) -> None:
    """Click the anchor `href` in a QTextBrowser where a person would: on its text."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QTextCursor

    document = view.document()
    block = document.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            if fragment.charFormat().anchorHref() == href:
                cursor = QTextCursor(document)
                cursor.setPosition(fragment.position() + 1)
                view.setTextCursor(cursor)
                view.ensureCursorVisible()
                rect = view.cursorRect(cursor)
                qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
                return
            it += 1
        block = block.next()
    raise AssertionError(f"no link {href} in the view")
