"""The side panels (suggestions, checks, provenance, 起草说明) and the wiring between them.

The panels are separate modules; a panel that is not installed leaves its dock with a
short notice instead. Their requests come back here: adopt a suggestion (one undoable
core operation), view a source in the reference browser, jump to a check's place.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from drafter.draft.adoption import adopt
from drafter.errors import DrafterError
from drafter.gui.dialogs import show_error

if TYPE_CHECKING:
    from drafter.gui.checks_panel import ChecksPanel
    from drafter.gui.explanation_tab import ExplanationTab
    from drafter.gui.main_window import MainWindow
    from drafter.gui.provenance_panel import ProvenancePanel
    from drafter.gui.session import DraftSession
    from drafter.gui.suggestion_panel import SuggestionPanel

# The suggestion panel's modes → the core's adoption modes.
ADOPT_MODES = {
    "new_article": "article",
    "article": "article",
    "replace": "replace",
    "append": "append",
}


def _load(module: str, name: str, make: Callable[[type], QWidget]) -> QWidget | None:
    try:
        cls = getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        return None
    return make(cls)


def _placeholder(text: str) -> QLabel:
    label = QLabel(text)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setWordWrap(True)
    return label


class Panels:
    """The window's panels, whichever are installed."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        library = lambda: window.library  # noqa: E731 (the library is replaced on reload)
        # Each panel is the class named here when its module is installed (casts: the class
        # is looked up by name at run time).
        self.suggestions = cast(
            "SuggestionPanel | None",
            _load("drafter.gui.suggestion_panel", "SuggestionPanel", lambda cls: cls(library)),
        )
        self.checks = cast(
            "ChecksPanel | None",
            _load("drafter.gui.checks_panel", "ChecksPanel", lambda cls: cls()),
        )
        self.provenance = cast(
            "ProvenancePanel | None",
            _load("drafter.gui.provenance_panel", "ProvenancePanel", lambda cls: cls(library)),
        )
        self.explanation = cast(
            "ExplanationTab | None",
            _load("drafter.gui.explanation_tab", "ExplanationTab", lambda cls: cls(library)),
        )
        if self.suggestions is not None:
            self.suggestions.adopt_requested.connect(self.adopt_suggestion)
            self.suggestions.view_source_requested.connect(window.view_source)
        if self.provenance is not None and hasattr(self.provenance, "view_source_requested"):
            self.provenance.view_source_requested.connect(window.view_source)
            self.provenance.jump_requested.connect(window.jump_to)
        if self.checks is not None:
            self.checks.jump_requested.connect(window.jump_to)
            if hasattr(self.checks, "highlight_requested"):
                self.checks.highlight_requested.connect(self.select_words)
        if self.explanation is not None:
            window.tabs.addTab(self.explanation, "起草说明")
        # An import, removal or correction in the browser: the suggestion index is rebuilt.
        window.reference_browser.library_changed.connect(self.library_changed)

    def suggestions_widget(self) -> QWidget:
        return self.suggestions or _placeholder("条文建议面板未安装。")

    def checks_widget(self) -> QWidget:
        return self.checks or _placeholder("检查面板未安装。")

    def provenance_widget(self) -> QWidget:
        return self.provenance or _placeholder("来源面板未安装。")

    # -- following the window ---------------------------------------------------------

    def set_session(self, session: DraftSession | None) -> None:
        for panel in (self.checks, self.provenance, self.explanation):
            if panel is not None:
                panel.set_session(session)
        if self.suggestions is not None and hasattr(self.suggestions, "set_session"):
            self.suggestions.set_session(session)

    def show_article(self, uid: str | None) -> None:
        if self.provenance is not None:
            self.provenance.show_article(uid)

    def set_context(self, session: DraftSession | None, article_uid: str, paragraph: int) -> None:
        if self.suggestions is not None and session is not None:
            self.suggestions.set_context(session, article_uid, paragraph)

    def library_changed(self) -> None:
        for panel in (self.suggestions, self.provenance):
            refresh = getattr(panel, "library_changed", None) if panel is not None else None
            if callable(refresh):
                refresh()

    # -- requests from the panels -----------------------------------------------------

    def select_words(self, uid: str, paragraph: int, item: int, start: int, length: int) -> None:
        """Select a check's words in the editor (after `jump_to` showed their article)."""
        editor = self.window.editor
        if editor.article_uid == uid:  # the jump did not land elsewhere (a deleted article)
            editor.highlight(paragraph, item, start, length)

    def adopt_suggestion(self, suggestion, mode: str) -> None:
        """插入为新条文 / 替换本款 / 追加为新款 at the editor's place, as one undo step."""
        window, session = self.window, self.window.session
        if session is None:
            return
        editor = window.editor
        uid, paragraph = editor.article_uid, editor.current_paragraph
        core_mode = ADOPT_MODES.get(mode, mode)
        kwargs: dict = {}
        if core_mode == "article":
            draft = session.draft
            if uid:
                chapter = draft.chapter_of(uid)
                index = [a.uid for a in chapter.articles].index(uid) + 1
            elif editor.chapter_uid:
                chapter, index = draft.chapter(editor.chapter_uid), None
            elif draft.chapters:
                chapter, index = draft.chapters[-1], None
            else:
                show_error(window, "无法采纳", "草案还没有章，请先插入一章。")
                return
            kwargs = {"chapter_uid": chapter.uid, "index": index}
        else:
            if not uid:
                show_error(window, "无法采纳", "请先在左侧目录中选择要替换或追加的条。")
                return
            article = session.draft.article(uid)
            if core_mode == "replace" and paragraph >= len(article.paragraphs):
                core_mode = "append"  # an empty 款 being written: the clause becomes it
            kwargs = {"article_uid": uid, "paragraph": paragraph}
        # The window then makes an inserted article current with the caret after the
        # adopted text (MainWindow.place_caret), as for every other change.
        try:
            session.apply(adopt, suggestion, core_mode, **kwargs)
        except DrafterError as error:
            show_error(window, "无法采纳", error)
