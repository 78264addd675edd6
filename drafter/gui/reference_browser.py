"""The reference browser: each regulation as a tree, full-text search, explanations, imports."""

from __future__ import annotations

import html
from itertools import pairwise

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QSplitter,
    QTabWidget,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from drafter.draft.adoption import Clause
from drafter.errors import DrafterError
from drafter.gui.comparison_view import ComparisonView
from drafter.gui.reference_changes import ReferenceChanges
from drafter.gui.reference_imports import ReferenceImports
from drafter.gui.reference_rows import (
    ROLE_ARTICLE,
    ROLE_REF,
    article_row,
    first_shown_row,
    listed_article,
    outline_rows,
    reference_row,
    same_chapter,
)
from drafter.gui.reference_search import SEARCH_DELAY_MS, SEARCH_OPEN_LIMIT, ReferenceSearch
from drafter.gui.statute_html import article_html, find_hits, mark_text
from drafter.gui.workers import BackgroundJob
from drafter.library import Reference, ReferenceLibrary, ReferenceSummary
from drafter.library.search import Outline, outline
from drafter.recent import RecentItems

_KEPT_REFERENCES = 2 * SEARCH_OPEN_LIMIT  # references kept loaded


class ReferenceBrowser(ReferenceImports, ReferenceChanges, ReferenceSearch, QWidget):
    """Browse, search, import and correct the references of the library."""

    library_changed = Signal()  # the library changed: the engines read it again
    listing_changed = Signal()  # rows were added, dropped or read again, in place
    listing_stale = Signal()  # it changed elsewhere too: the whole listing must be read
    rows_listed = Signal()  # every listed reference has its row (set_summaries)
    adopt_requested = Signal(object)  # a Clause: the article shown, into the open draft

    def __init__(self, library: ReferenceLibrary, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        # The listing of every reference, and those loaded so far (see set_summaries).
        self._summaries: dict[str, ReferenceSummary] = {}
        # References loaded so far, the most recently used kept: each search opens up to
        # SEARCH_OPEN_LIMIT, and keeping every one ever opened grew without bound.
        self._references: RecentItems[str, Reference] = RecentItems(_KEPT_REFERENCES)
        self._search_job: BackgroundJob | None = None
        # A search starts when the typing pauses: each started search reads the whole
        # store, and one a keystroke had five running at once for 首席数据官.
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._start_search)
        self._search_generation = 0
        self._job: BackgroundJob | None = None
        self._current: tuple[str, int | None] | None = None
        # Each reference's row, in list order (asking the tree for 20,000 rows and their
        # ids took 35 ms of every search). A search lists some of them (_list_only).
        self._rows: dict[str, QTreeWidgetItem] = {}
        # References whose rows a search left out of the list (_list_only).
        self._unlisted: set[str] = set()
        # References whose rows a search made with only its hits, and the search's text:
        # made whole again once it is cleared.
        self._filtered: dict[str, str] = {}
        # An article to show once the next reload arrives (e.g. the first one of an import).
        self._pending: tuple[str, int] | None = None
        # In-place updates under way (reference_changes); the list is compared with the
        # library's ids when none is left.
        self._updates_running = 0
        # Rows are made a slice at a time (set_summaries); a list read again meanwhile
        # stops the slices of the old one.
        self._listing_generation = 0
        self.listing_complete = True
        self._update_job: BackgroundJob | None = None

        self.search_box = QLineEdit(placeholderText="在全部参考法规中搜索，如“首席数据官”")
        self.search_box.setClearButtonEnabled(True)
        self.search_box.textChanged.connect(self._apply_search)
        self.hit_label = QLabel()
        self.import_button = QPushButton("导入参考法规…")
        self.import_button.clicked.connect(self.choose_and_import)
        self.import_folder_button = QPushButton("导入文件夹…")
        self.import_folder_button.clicked.connect(self.choose_folder_and_import)
        # The running batch import's progress dialog and its last summary (tests look at them).
        self.batch_progress: QProgressDialog | None = None
        self.batch_summary: QMessageBox | None = None
        self.remove_button = QPushButton("删除导入的法规")
        self.remove_button.clicked.connect(self._remove_selected)
        self.correct_button = QPushButton("更正损坏文字…")
        self.correct_button.clicked.connect(self._correct_selected)

        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.currentItemChanged.connect(self._on_current_changed)
        self.tree.itemExpanded.connect(self._on_expanded)
        self.text_view = QTextBrowser()
        self.explanation_view = QTextBrowser()
        self.report_view = QTextBrowser()
        self.tabs = QTabWidget()
        self.tabs.addTab(self.text_view, "条文")
        self.tabs.addTab(self.explanation_view, "起草说明")
        self.tabs.addTab(self.report_view, "清洗报告")
        # 对照 opens as its own window: beside the tree (and the main window's docks) a
        # tab is too narrow to read whole sentences. It follows the selection while open.
        self.comparison_view = ComparisonView(lambda: self.library, self)
        self.comparison_view.setWindowFlag(Qt.WindowType.Window)
        self.comparison_view.adopt_requested.connect(self.adopt_requested)
        self.compare_button = QPushButton("对照其他法规…")
        self.compare_button.setEnabled(False)
        self.compare_button.clicked.connect(self.open_comparison)
        self.tree.currentItemChanged.connect(self._compare_current)
        # Reading a reference, the drafter takes the article shown into the draft here,
        # not by typing until the suggestions offer it.
        self.adopt_button = QPushButton("插入到草案")
        self.adopt_button.setToolTip("把所选条文作为新的一条插入草案（在当前条之后），并记下来源")
        self.adopt_button.setEnabled(False)
        self.adopt_button.clicked.connect(self.adopt_current)
        self._draft_open = False

        # The buttons on a row of their own, the search box above the list it filters:
        # beside six buttons and the hit count, the box kept three characters of a query
        # on a 1366-wide screen with the docks open.
        toolbar = QHBoxLayout()
        toolbar.addWidget(self.import_button)
        toolbar.addWidget(self.import_folder_button)
        toolbar.addWidget(self.remove_button)
        toolbar.addWidget(self.correct_button)
        toolbar.addWidget(self.compare_button)
        toolbar.addWidget(self.adopt_button)
        toolbar.addStretch(1)
        self.hit_label.setWordWrap(True)
        self.hit_label.hide()
        list_pane = QWidget()
        list_layout = QVBoxLayout(list_pane)
        list_layout.setContentsMargins(0, 0, 0, 0)
        list_layout.addWidget(self.search_box)
        list_layout.addWidget(self.hit_label)
        list_layout.addWidget(self.tree, 1)
        splitter = QSplitter()
        splitter.addWidget(list_pane)
        splitter.addWidget(self.tabs)
        splitter.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(toolbar)
        layout.addWidget(splitter, 1)
        # From the search box, Down or Enter goes to what it found, and Tab goes on to
        # the list and the text before the buttons: search, results, reading.
        self.search_box.installEventFilter(self)
        order = [self.search_box, self.tree, self.tabs, self.import_button]
        order += [self.import_folder_button, self.remove_button, self.correct_button]
        for first, second in pairwise([*order, self.compare_button, self.adopt_button]):
            QWidget.setTabOrder(first, second)

    # -- content -------------------------------------------------------------------------

    def set_summaries(self, summaries: list[ReferenceSummary]) -> None:
        """List the references from the library's listing rows. A reference's chapters and
        articles are added when it is opened (expanded, selected, shown or found), so the
        list costs the same for five references or twenty thousand."""
        # A reload: references are read again when next opened.
        self._references = RecentItems(_KEPT_REFERENCES)
        self._summaries = {s.id: s for s in summaries}
        self.tree.clear()
        self.tree.setEnabled(True)
        self._rows = {}
        self._unlisted = set()
        self._filtered = {}
        self._search_generation += 1  # a search under way was for the old rows
        self._listing_generation += 1
        self.listing_complete = False
        # Made a slice per turn of the event loop: 20,000 rows made at once held the
        # just-shown window 0.2-0.3 s. A short list is made in the first slice, at once.
        generation = self._listing_generation
        made: list[QTreeWidgetItem] = []

        def make(summary: ReferenceSummary) -> None:
            row = reference_row(summary)
            self._rows[summary.id] = row
            made.append(row)

        def add_made() -> None:
            # A slice's rows added at once: one by one, the view updated for each (345 ms
            # at 20,000).
            self.tree.addTopLevelItems(made)
            made.clear()

        self._in_slices(
            lambda: generation == self._listing_generation,
            iter(summaries),
            make,
            then=self._rows_made,
            each_slice=add_made,
        )

    def _rows_made(self) -> None:
        self.listing_complete = True
        if self.search_box.text().strip():
            self._apply_search(self.search_box.text())  # the new rows are all shown already
        if self._pending is not None:
            self.show_article(*self._pending)
            self._pending = None
        self.rows_listed.emit()

    def set_references(self, references: list[Reference]) -> None:
        """Show these references (already loaded: a snapshot the caller holds)."""
        self.set_summaries([ReferenceSummary.of(r) for r in references])
        self._references = RecentItems(max(_KEPT_REFERENCES, len(references)))
        self._references.update((r.id, r) for r in references)

    def summaries(self) -> list[ReferenceSummary]:
        """The listed references' rows, in list order."""
        return list(self._summaries.values())

    def reference(self, ref_id: str) -> Reference | None:
        """A listed reference, loaded on first use (one stored parse: milliseconds)."""
        reference = self._references[ref_id] if ref_id in self._references else None
        if reference is None and ref_id in self._summaries:
            try:
                reference = self.library.get(ref_id)
            except DrafterError:
                return None  # removed by another window since the list was read
            self._references[ref_id] = reference
        return reference

    def _top_item(self, ref_id: str) -> QTreeWidgetItem | None:
        return self._rows.get(ref_id)

    def _populate(self, top: QTreeWidgetItem, rows: Outline | None = None) -> None:
        """Add a reference's chapters and articles under its row (once), from its outline
        (`rows`, when a search read it already)."""
        if top.childCount():
            return
        ref_id = top.data(0, ROLE_REF)
        if rows is None:
            reference = self.reference(ref_id)
            if reference is None:
                return
            rows = outline(reference)
        top.addChildren(outline_rows(ref_id, rows))

    def _on_expanded(self, item: QTreeWidgetItem) -> None:
        if item.parent() is not None:
            return
        query = self.search_box.text().strip()
        if not query:
            self._populate(item)
        elif self._filtered.get(item.data(0, ROLE_REF)) != query:
            self._filter_articles(item, query)  # listed by the search, not opened by it

    def show_article(self, ref_id: str, number: int) -> None:
        """Select and show one article (used by 查看原文 elsewhere in the window)."""
        top = self._top_item(ref_id)
        if top is None:
            if not self.listing_complete and ref_id in self._summaries:
                self._pending = (ref_id, number)  # its row is not made yet
            return
        self._populate(top)
        item = article_row(top, number)
        if item is None:  # a search left the article out: the reference is shown whole
            top.takeChildren()
            self._populate(top)
            item = article_row(top, number)
        query = self.search_box.text().strip()
        if query:  # as the drafter asked, not filtered again when its row is opened
            self._filtered[ref_id] = query
        if item is not None:
            self._list(top)
            self.tree.setCurrentItem(item)
            self.tree.scrollToItem(item)
            self.tabs.setCurrentWidget(self.text_view)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if (
            watched is self.search_box
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        ):
            self.focus_results()
            return True
        return super().eventFilter(watched, event)

    def focus_results(self) -> None:
        """Move the keyboard to the list: on the first row a search found, or, with no
        search, on the selected row (the first if none is)."""
        current = self.tree.currentItem()
        searching = bool(self.search_box.text().strip())
        if searching or current is None:
            current = first_shown_row(self._listed()) or current
        if current is not None:
            self.tree.setCurrentItem(current)
            self.tree.scrollToItem(current)
        self.tree.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_current_changed(self, item: QTreeWidgetItem | None, _previous=None) -> None:
        if item is None:
            return
        ref_id = item.data(0, ROLE_REF)
        number = item.data(0, ROLE_ARTICLE)
        reference = self.reference(ref_id)
        if reference is None:
            return
        self._current = (ref_id, number)
        query = self.search_box.text().strip()
        if number is not None:
            article = listed_article(reference, number)
            chapter = reference.statute.chapter_of(article)
            heading = f"{chapter.label}　{chapter.title}" if chapter.number else ""
            self.text_view.setHtml(
                f"<h3>{html.escape(reference.title)}</h3><p>{html.escape(heading)}</p>"
                + article_html(article, query)
            )
        else:
            articles = (
                [a for c in reference.statute.chapters for a in c.articles]
                if item.parent() is None
                else [
                    a
                    for c in reference.statute.chapters
                    if same_chapter(item, c)
                    for a in c.articles
                ]
            )
            self.text_view.setHtml(
                f"<h3>{html.escape(reference.title)}</h3>"
                + "".join(article_html(a, query) for a in articles)
            )
        self._show_explanation(reference, query)
        self._show_report(reference)
        self.correct_button.setEnabled(bool(self._damaged_places(reference, number)))
        self.remove_button.setEnabled(reference.origin == "imported")

    def set_draft_open(self, open_: bool) -> None:
        """Whether a draft is open to take an article into (插入到草案)."""
        self._draft_open = open_
        self.comparison_view.set_draft_open(open_)
        self._compare_current()

    def adopt_current(self) -> None:
        """Ask for the article shown to be inserted into the draft as a new article."""
        if self._current is None:
            return
        ref_id, number = self._current
        reference = self.reference(ref_id)
        if reference is None or number is None:
            return
        article = listed_article(reference, number)
        self.adopt_requested.emit(Clause(ref_id, reference.city, article.number, 0, article.text()))

    def _compare_current(self, *_args) -> None:
        article = self._current[1] if self._current is not None else None
        self.compare_button.setEnabled(article is not None)
        self.adopt_button.setEnabled(article is not None and self._draft_open)
        if self.comparison_view.isVisible() and self._current is not None and article is not None:
            self.comparison_view.show_counterparts(self._current[0], article)

    def open_comparison(self) -> None:
        """Open the 对照 window on the selected article, as large as the screen."""
        if self._current is None:
            return
        ref_id, number = self._current
        if number is None:
            return
        view = self.comparison_view
        view.set_references(list(self._summaries.values()))  # every one, loaded or not
        view.show_counterparts(ref_id, number)
        if view.isVisible():
            view.raise_()
        else:
            view.showMaximized()
        view.activateWindow()

    def _show_explanation(self, reference: Reference, query: str) -> None:
        if not reference.explanation:
            self.explanation_view.setHtml("<p>这部参考法规没有附起草说明。</p>")
            return
        paragraphs = []
        for index, text in enumerate(reference.explanation.split("\n"), 1):
            spans = [d for d in reference.explanation_damaged if d.paragraph == index]
            paragraphs.append(f"<p>{mark_text(text, spans, find_hits(text, query))}</p>")
        title = html.escape(reference.explanation_title)
        self.explanation_view.setHtml(f"<h3>{title}</h3>" + "".join(paragraphs))

    def _show_report(self, reference: Reference) -> None:
        report = reference.report
        lines = [f"<li>{html.escape(line)}</li>" for line in report.summary_lines()]
        removed = [
            f"<li>［{html.escape(e['reason'])}］{html.escape(e['text'][:80])}</li>"
            for e in report.removed
        ]
        replaced = [
            f"<li>{html.escape(rule)} × {count}</li>"
            for rule, count in sorted(report.replaced.items())
            if ":" in rule and not rule.startswith(("punctuation", "pinyin"))
        ]
        flagged = [
            f"<li>{html.escape(f['where'])}：{html.escape(f['text'])}"
            f"（{html.escape(f['reason'])}）</li>"
            for f in report.flagged
        ]
        self.report_view.setHtml(
            f"<h3>清洗报告</h3><ul>{''.join(lines)}</ul>"
            f"<h4>删除的行</h4><ul>{''.join(removed) or '<li>无</li>'}</ul>"
            f"<h4>用语还原</h4><ul>{''.join(replaced) or '<li>无</li>'}</ul>"
            f"<h4>损坏文字</h4><ul>{''.join(flagged) or '<li>无</li>'}</ul>"
        )
