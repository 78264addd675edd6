"""The main window: it arranges the panels and routes core results between them.

Left: the outline. Centre: tabs 起草 (find bar + article editor), 参考法规, 起草说明.
Right: the suggestions. Bottom: checks and provenance. The window holds no business logic:
edits go through the session (one QUndoStack), files through `FileFlows`, structural edits
through `EditCommands`; every panel refreshes itself from the session's `changed` signal.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtGui import QAction, QCloseEvent, QUndoGroup
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QLabel,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from drafter.draft.caret import CaretPlace, caret_after
from drafter.draft.changes import Change
from drafter.gui.actions import WindowActions, build_actions, build_menus
from drafter.gui.article_editor import ArticleEditor
from drafter.gui.dialogs import show_error
from drafter.gui.edit_commands import EditCommands
from drafter.gui.file_flows import FileFlows
from drafter.gui.find_bar import FindBar, Hit
from drafter.gui.heap import freeze_long_lived
from drafter.gui.outline_view import OutlineView
from drafter.gui.panels import Panels
from drafter.gui.reference_browser import ReferenceBrowser
from drafter.gui.review_panel import ReviewFlows
from drafter.gui.screen_room import fits, resize_to_fit
from drafter.gui.session import TYPING, UNDONE, DraftSession
from drafter.gui.settings import configure_settings
from drafter.gui.undo_keys import UndoKeyRouter
from drafter.gui.version_flows import VersionFlows
from drafter.gui.welcome_page import WelcomePage
from drafter.gui.workers import BackgroundJob
from drafter.library import ReferenceLibrary, ReferenceSummary

APP_TITLE = "立法起草助手"
FIRST_SIZE = (1280, 800)  # the window's size at a first start, where it fits


class MainWindow(QMainWindow):
    """立法起草助手's window."""

    # The window's actions by name. The attribute hides QWidget.actions(), which nothing
    # calls on the window; mypy rejects an attribute in place of a method, hence the ignore.
    actions: WindowActions  # type: ignore[assignment]

    def __init__(self, library: ReferenceLibrary | None = None) -> None:
        super().__init__()
        configure_settings()
        self.setWindowTitle(APP_TITLE)
        self._fit_first_size()
        self.library = library or ReferenceLibrary()
        # The listing of every reference (ReferenceSummary: id, city, title, counts); whole
        # references are loaded one at a time, when something needs one.
        self.references: list[ReferenceSummary] = []
        self.session: DraftSession | None = None
        self._load_job: BackgroundJob | None = None
        self.about_text = APP_TITLE
        self.undo_group = QUndoGroup(self)
        self.undo_keys = UndoKeyRouter(self)

        self.reference_browser = ReferenceBrowser(self.library, self)
        # A change made here updates the list in place; one made elsewhere as well (another
        # window, `drafter refs`) has the whole listing read again.
        self.reference_browser.listing_changed.connect(self._listing_changed)
        self.reference_browser.listing_stale.connect(self.reload_library)
        self.reference_browser.adopt_requested.connect(self._adopt_from_reference)
        # The listing and its rows live as long as the window: kept out of full garbage
        # collections once every row is made.
        self.reference_browser.rows_listed.connect(freeze_long_lived)
        self.outline = OutlineView()
        self.editor = ArticleEditor()
        self.find_bar = FindBar(lambda: self.session, self._go_to_hit)
        self._build_centre()
        self.panels = Panels(self)
        suggestions = self.panels.suggestions
        if suggestions is not None:  # 对照 asks the suggestion panel's engine
            self.reference_browser.comparison_view.engine_provider = suggestions.search_engine
        self.review = ReviewFlows(self)
        self._build_docks()
        self._build_status_bar()

        self.files = FileFlows(self)
        self.edits = EditCommands(self)
        self.actions = build_actions(self)
        build_menus(self, self.actions)
        self.versions = VersionFlows(self)
        self.versions.add_menu()
        self._pass_shortcuts_on()
        self.welcome_page.new_requested.connect(self.files.new_draft)
        self.welcome_page.open_requested.connect(self.files.open_draft)
        self.welcome_page.import_requested.connect(self.files.import_draft)
        self.welcome_page.recent_requested.connect(self.files.open_path)

        self.outline.current_changed.connect(self._on_current_node)
        self.editor.context_changed.connect(self._on_editor_context)
        self.set_session(None)
        self._restore_layout()
        # Background work ends with the application, not with a close that may be undone.
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self._stop_background_work)
        self.reload_library()

    # -- building ---------------------------------------------------------------------

    def _build_centre(self) -> None:
        self.draft_page = QWidget()
        self.draft_page.setObjectName("draftPage")
        layout = QVBoxLayout(self.draft_page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.find_bar)
        layout.addWidget(self.editor, 1)
        # With no draft open the 起草 tab shows how to start instead of an empty editor.
        self.welcome_page = WelcomePage()
        self.draft_stack = QStackedWidget()
        self.draft_stack.addWidget(self.welcome_page)
        self.draft_stack.addWidget(self.draft_page)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("centralTabs")
        self.tabs.addTab(self.draft_stack, "起草")
        self.tabs.addTab(self.reference_browser, "参考法规")
        self.setCentralWidget(self.tabs)
        # A tab chosen from the keyboard (Ctrl+Tab) left the keyboard nowhere: what was
        # typed next was lost. In 参考法规 it goes to the search box.
        self.tabs.currentChanged.connect(self._focus_in_tab)

    def turn_page(self, step: int) -> None:
        """The next (1) or previous (-1) of 起草, 参考法规 and 起草说明, round the end."""
        self.tabs.setCurrentIndex((self.tabs.currentIndex() + step) % self.tabs.count())

    def _focus_in_tab(self, index: int) -> None:
        browser = self.reference_browser
        if self.tabs.widget(index) is not browser:
            return
        # Hiding the 起草 page had already passed the keyboard on along the focus chain,
        # to the first button of 参考法规 (导入文件夹…), where typing did nothing. Only the
        # list or the text being read keeps it (查看原文 puts it there).
        focus = QApplication.focusWidget()
        kept = (browser.search_box, browser.tree, browser.tabs)
        if focus is None or not any(w is focus or w.isAncestorOf(focus) for w in kept):
            browser.search_box.setFocus(Qt.FocusReason.OtherFocusReason)

    def _dock(self, title: str, name: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)  # saveState() needs names
        dock.setWidget(widget)
        self.addDockWidget(area, dock)
        return dock

    def _build_docks(self) -> None:
        left, right = Qt.DockWidgetArea.LeftDockWidgetArea, Qt.DockWidgetArea.RightDockWidgetArea
        bottom = Qt.DockWidgetArea.BottomDockWidgetArea
        self.outline_dock = self._dock("目录", "outlineDock", self.outline, left)
        self.suggestion_dock = self._dock(
            "条文建议", "suggestionDock", self.panels.suggestions_widget(), right
        )
        self.checks_dock = self._dock("检查", "checksDock", self.panels.checks_widget(), bottom)
        self.provenance_dock = self._dock(
            "来源", "provenanceDock", self.panels.provenance_widget(), bottom
        )
        self.tabifyDockWidget(self.checks_dock, self.provenance_dock)
        self.review_dock = self._dock("审阅意见", "reviewDock", self.review.panel, right)
        self.tabifyDockWidget(self.suggestion_dock, self.review_dock)
        self.suggestion_dock.raise_()
        self.checks_dock.raise_()
        self.resizeDocks([self.outline_dock], [260], Qt.Orientation.Horizontal)
        self.resizeDocks([self.suggestion_dock], [380], Qt.Orientation.Horizontal)
        self.resizeDocks([self.checks_dock], [200], Qt.Orientation.Vertical)

    def docks(self) -> list[QDockWidget]:
        return [
            self.outline_dock,
            self.suggestion_dock,
            self.review_dock,
            self.checks_dock,
            self.provenance_dock,
        ]

    def _build_status_bar(self) -> None:
        self.structure_label = QLabel()
        self.structure_label.setObjectName("structureLabel")
        self.chars_label = QLabel()
        self.chars_label.setObjectName("charsLabel")
        self.save_label = QLabel()
        self.save_label.setObjectName("saveLabel")
        self.status_label = QLabel()  # the reference library
        for label in (self.structure_label, self.chars_label, self.save_label, self.status_label):
            self.statusBar().addPermanentWidget(label)

    def show_about(self) -> None:
        QMessageBox.about(self, f"关于{APP_TITLE}", self.about_text)

    # -- the open draft ---------------------------------------------------------------

    def _pass_shortcuts_on(self) -> None:
        """The window's shortcuts reach its actions from any text box (undo_keys), but for
        the clipboard keys and 全选, which the boxes own."""
        actions = self.actions
        owned = {actions.cut, actions.copy, actions.paste, actions.select_all}
        self.undo_keys.pass_on(
            [
                sequence
                for action in self.findChildren(QAction)
                if action not in owned
                for sequence in action.shortcuts()
            ]
        )

    def set_session(self, session: DraftSession | None) -> None:
        """Show another draft (None: none); the previous session is closed (lock released)."""
        old = self.session
        if old is not None:
            for signal, slot in self._session_signals(old):
                signal.disconnect(slot)
            self.undo_group.removeStack(old.undo_stack)
            old.close()
        self.session = session
        # The editor first: the outline's reset makes the new draft's first chapter
        # current, and the editor shows it at once (from the old draft it was a KeyError).
        self.editor.set_session(session)
        self.outline.set_session(session)
        self.panels.set_session(session)
        self.review.set_session(session)
        self.files.autosave.reset()
        if session is not None:
            self.undo_group.addStack(session.undo_stack)
            self.undo_group.setActiveStack(session.undo_stack)
            for signal, slot in self._session_signals(session):
                signal.connect(slot)
            # Ready to type: the first 条 is current with the caret in its first 款.
            first = next(session.draft.articles(), None)
            if first is not None:
                self.outline.select_uid(first.uid)
                self.editor.focus_paragraph(0, 0)
            elif session.draft.chapters:
                # Chapters only (a new skeleton): 在后面插入条 then fills the first chapter,
                # not the last one.
                self.outline.select_uid(session.draft.chapters[0].uid)
                self.outline.setFocus(Qt.FocusReason.OtherFocusReason)
        for action in self.actions.needs_draft:
            action.setEnabled(session is not None)
        self.reference_browser.set_draft_open(session is not None)
        self.versions.set_session(session)
        self._show_welcome_or_draft()
        self._refresh_status()
        self.tabs.setCurrentWidget(self.draft_stack)

    def _show_welcome_or_draft(self) -> None:
        if self.session is None:
            self.welcome_page.set_recent(self.files.recent_files())
            self.draft_stack.setCurrentWidget(self.welcome_page)
        else:
            self.draft_stack.setCurrentWidget(self.draft_page)

    def _session_signals(self, session: DraftSession) -> list:
        return [
            (session.changed, self._on_change),
            (session.undo_stack.cleanChanged, self._refresh_status),
            (session.saved, self._refresh_status),
            (session.path_changed, self._refresh_status),
        ]

    def _on_change(self, change: Change) -> None:
        self._refresh_status()
        if change.messages:
            # Once each: two 款 with the same other city's name gave the same note twice.
            self.statusBar().showMessage("；".join(dict.fromkeys(change.messages)), 15000)
        self._place_caret_after(change)

    def _place_caret_after(self, change: Change) -> None:
        """Put the caret where the change happened, as Word does (not after typing).

        Runs after every panel has refreshed (this slot is connected last), so the outline
        and the editor already show the changed draft.
        """
        session = self.session
        if session is None or session.origin == TYPING:
            return
        focus = QApplication.focusWidget()
        if focus is not None and self.find_bar.isAncestorOf(focus):
            return  # a replacement from the bar: Enter there goes on to the next one
        place = caret_after(
            session.draft, change, undone=session.origin == UNDONE, prefer=self.editor.article_uid
        )
        if place is not None:
            self.place_caret(place)

    def place_caret(self, place: CaretPlace) -> None:
        """Make the place's 条 or 章 current in the 起草 tab and give its field the focus."""
        if not self.outline.select_uid(place.uid):
            return
        self.tabs.setCurrentWidget(self.draft_stack)
        self.editor.place_caret(place)

    def _refresh_status(self, *_args) -> None:
        session = self.session
        if session is None:
            self.setWindowTitle(APP_TITLE)
            self.setWindowModified(False)
            for label in (self.structure_label, self.chars_label, self.save_label):
                label.setText("")
            return
        draft = session.draft
        articles = list(draft.articles())
        if draft.chapterless:
            self.structure_label.setText(f"不分章，{len(articles)}条")
        else:
            self.structure_label.setText(f"{len(draft.chapters)}章{len(articles)}条")
        characters = sum(
            len(a.caption) + sum(len(p.text) + sum(map(len, p.items)) for p in a.paragraphs)
            for a in articles
        )
        self.chars_label.setText(f"{characters}字")
        where = f" — {session.path.name}" if session.path is not None else ""
        self.setWindowTitle(f"{draft.title}[*]{where} — {APP_TITLE}")
        self.setWindowModified(session.is_modified)
        saved = session.path is not None and not session.is_modified
        self.save_label.setText("已保存" if saved else "未保存")

    def show_save_state(self, text: str) -> None:
        """E.g. 自动保存于 HH:MM."""
        self.save_label.setText(text)

    # -- routing between panels -------------------------------------------------------

    def _on_current_node(self, kind: str, uid: str) -> None:
        self.editor.show_node(kind, uid)
        self.panels.show_article(uid if kind == "article" else None)
        self.review.panel.show_article(uid if kind == "article" else None)

    def _on_editor_context(self, article_uid: str, paragraph: int) -> None:
        self.panels.set_context(self.session, article_uid, paragraph)

    def jump_to(self, article_uid: str, paragraph: int = -1) -> None:
        """Select an article in the outline and put the cursor into its 款 (checks, find)."""
        if not self.outline.select_uid(article_uid):
            return
        self.tabs.setCurrentWidget(self.draft_stack)
        if paragraph >= 0:
            self.editor.focus_paragraph(paragraph)

    def _go_to_hit(self, hit: Hit, length: int) -> None:
        self.outline.select_uid(hit.uid)
        self.tabs.setCurrentWidget(self.draft_stack)
        self.editor.highlight(hit.paragraph, hit.item, hit.start, length)

    def _adopt_from_reference(self, clause) -> None:
        """插入到草案 on the 参考法规 page: the article shown becomes a new article after
        the one being drafted, as 插入为新条文 in 条文建议 does; the window then shows it."""
        self.panels.adopt_suggestion(clause, "new_article")

    def view_source(self, ref_id: str, article: int) -> None:
        """Open a reference at an article in the 参考法规 tab."""
        self.reference_browser.show_article(ref_id, article)
        self.tabs.setCurrentWidget(self.reference_browser)
        self.reference_browser.tree.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- library ----------------------------------------------------------------------

    def reload_library(self) -> BackgroundJob:
        """List every reference off the UI thread, then refresh the panels.

        Only the listing rows are read (milliseconds, whatever the library's size); the
        browser loads a reference's articles when it is opened, and a search asks the
        store. A window over thousands of references starts as fast as over five."""
        self.status_label.setText("正在载入参考法规…")
        data_dir = self.library.data_dir
        job = BackgroundJob(lambda: ReferenceLibrary(data_dir).summaries())
        job.finished.connect(self._library_loaded)
        job.failed.connect(lambda error: show_error(self, "载入参考法规失败", error))
        self._load_job = job.start()
        return job

    def _library_loaded(self, summaries: list[ReferenceSummary]) -> None:
        self.library = ReferenceLibrary(self.library.data_dir)
        self.reference_browser.library = self.library
        self.reference_browser.set_summaries(summaries)
        # The library answers `get(id)` from its cache, loading one reference when asked.
        self.editor.set_caption_references(self.library)
        self._listing_changed()

    def _listing_changed(self) -> None:
        summaries = self.reference_browser.summaries()
        self.references = summaries
        articles = sum(s.article_count for s in summaries)
        self.status_label.setText(f"参考法规 {len(summaries)} 部，{articles} 条")

    # -- layout and closing -----------------------------------------------------------

    def _fit_first_size(self) -> None:
        """1280×800, or maximised where that does not fit: on the 1366×768 screens of
        many office PCs a 800-high window ran past the bottom of the screen, hiding the
        检查 panel's last rows and the status bar. A saved geometry replaces this."""
        # Within the screen even when the drafter un-maximises it.
        resize_to_fit(self, *FIRST_SIZE)
        if not fits(self, *FIRST_SIZE):
            self.setWindowState(self.windowState() | Qt.WindowState.WindowMaximized)

    def _restore_layout(self) -> None:
        settings = QSettings()
        geometry = settings.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        state = settings.value("window/state")
        if isinstance(state, QByteArray):
            self.restoreState(state)

    def save_layout(self) -> None:
        """Keep the window's size and its docks' places for the next start."""
        settings = QSettings()
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/state", self.saveState())
        settings.sync()

    def _stop_background_work(self) -> None:
        self.undo_keys.detach()
        suggestions = self.panels.suggestions
        if suggestions is not None and hasattr(suggestions, "shutdown"):
            suggestions.shutdown()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        if not self.files.confirm_discard():
            event.ignore()
            return
        self.save_layout()
        self.files.autosave.timer.stop()
        # End the session here, while the window's slots still exist: its undo stack is
        # destroyed later and emits cleanChanged when edits were dropped (不保存), which
        # reached _refresh_status on a half-deleted window and printed a traceback.
        self.set_session(None)
        event.accept()
