"""Changes to the library made from the reference browser (removal, correction, and the
imports of `reference_imports`), and the list brought up to date after them in place.

A change touches one reference or a batch: its rows are added, dropped or read again, and
every other row keeps what the drafter opened, selected and scrolled to. Re-listing the
whole library after each change cost 20,000 rows at a province's size (a UI stall of
about 0.3 s, and the drafter's place in the list lost each time).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox, QTreeWidgetItem

from drafter.gui.dialogs import show_error
from drafter.gui.reference_rows import label_row, listed_article, reference_row
from drafter.gui.reference_search import ReferenceSearch
from drafter.gui.workers import BackgroundJob
from drafter.library import Reference, ReferenceLibrary, ReferenceSummary

if TYPE_CHECKING:
    from PySide6.QtCore import SignalInstance
    from PySide6.QtWidgets import QPushButton, QTextBrowser

    from drafter.library.search import Outline
    from drafter.recent import RecentItems


# Listing rows read one reference at a time cost about 3 ms each; the whole listing of
# 20,000 about 0.4-0.8 s. A batch of more than this has the whole listing read instead.
READ_ONE_BY_ONE_UP_TO = 100


class ReferenceChanges(ReferenceSearch):
    """The browser's removal and correction flows and its in-place list updates (a mixin
    of `ReferenceBrowser`, which holds the rows and the signals, and provides what is
    declared here and in `ReferenceSearch`, whose list a change keeps up to date)."""

    text_view: QTextBrowser
    explanation_view: QTextBrowser
    report_view: QTextBrowser
    remove_button: QPushButton
    correct_button: QPushButton
    library_changed: SignalInstance
    listing_changed: SignalInstance
    listing_stale: SignalInstance
    _summaries: dict[str, ReferenceSummary]
    _references: RecentItems[str, Reference]
    _pending: tuple[str, int] | None
    _updates_running: int
    listing_complete: bool
    _update_job: BackgroundJob | None

    if TYPE_CHECKING:  # the browser's

        def _populate(self, top: QTreeWidgetItem, rows: Outline | None = None) -> None: ...

    def update_listing(
        self,
        *,
        added: Sequence[str] = (),
        removed: Sequence[str] = (),
        changed: Sequence[str] = (),
    ) -> BackgroundJob | None:
        """Bring the list up to date after a change made in this window: the removed rows
        go at once; the added and changed references' listing rows are read off the UI
        thread, then appended or refreshed. The engines are told at once
        (`library_changed`); `listing_changed` follows when the rows are in place, and
        `listing_stale` when the library also changed elsewhere (another window or
        `drafter refs`), or a batch of more than READ_ONE_BY_ONE_UP_TO was imported, so
        that the whole listing is read again."""
        self.library_changed.emit()
        wanted = [*added, *changed]
        if not self.listing_complete:  # rows still being made: list it all again
            self.listing_stale.emit()
            return None
        for ref_id in removed:
            self._drop_row(ref_id)
        if len(wanted) > READ_ONE_BY_ONE_UP_TO:
            self.listing_stale.emit()  # a big batch: the whole listing is read sooner
            return None
        data_dir = self.library.data_dir

        def read() -> tuple[list[ReferenceSummary], list[str]]:
            library = ReferenceLibrary(data_dir)  # the worker's own: nothing the UI holds
            return library.summaries_of(wanted), library.ids()

        self._updates_running += 1
        job = BackgroundJob(read)
        job.finished.connect(self._listing_read)
        job.failed.connect(self._listing_unread)
        self._update_job = job.start()
        return job

    def _listing_read(self, result) -> None:
        self._updates_running -= 1
        if not self.listing_complete:
            return  # the whole listing is being read again: it holds this change
        summaries, ids = result
        new_rows = []
        for summary in summaries:
            if summary.id in self._rows:
                self._refresh_row(summary)
            else:
                new_rows.append(self._make_row(summary))
        self.tree.addTopLevelItems(new_rows)  # at once: the view updates once
        query = self.search_box.text().strip()
        if query and new_rows:
            self._apply_search(query)  # the new references may hold the searched words
        if self._updates_running == 0 and list(self._summaries) != ids:
            self.listing_stale.emit()
            return
        if self._pending is not None:
            self.show_article(*self._pending)
            self._pending = None
        self.listing_changed.emit()

    def _listing_unread(self, _error: BaseException) -> None:
        self._updates_running -= 1
        self.listing_stale.emit()  # read the whole listing again (which reports a failure)

    def _make_row(self, summary: ReferenceSummary) -> QTreeWidgetItem:
        top = reference_row(summary)
        self._summaries[summary.id] = summary
        self._rows[summary.id] = top
        return top

    def _refresh_row(self, summary: ReferenceSummary) -> None:
        """Read a changed reference's rows again (a correction may settle damaged spans);
        its article stays selected and shown."""
        ref_id = summary.id
        self._summaries[ref_id] = summary
        self._references.pop(ref_id, None)
        top = self._rows[ref_id]
        label_row(top, summary)
        if not top.childCount():
            return
        shown = self._current if self._current and self._current[0] == ref_id else None
        expanded = top.isExpanded()
        query = self.search_box.text().strip()
        with self._many_rows():
            if query and self._filtered.get(ref_id) == query:
                self._filter_articles(top, query)  # made again with the search's hits
            else:
                self._filtered.pop(ref_id, None)
                top.takeChildren()
                self._populate(top)
            top.setExpanded(expanded)
        if shown is not None and shown[1] is not None:
            self.show_article(ref_id, shown[1])
        elif shown is not None:
            self.tree.setCurrentItem(top)
            self._on_current_changed(top)

    def _drop_row(self, ref_id: str) -> None:
        self._summaries.pop(ref_id, None)
        self._references.pop(ref_id, None)
        top = self._rows.pop(ref_id, None)
        if top is None:
            return
        if self._current is not None and self._current[0] == ref_id:
            self._current = None
            for view in (self.text_view, self.explanation_view, self.report_view):
                view.clear()
            self.remove_button.setEnabled(False)
            self.correct_button.setEnabled(False)
        if ref_id in self._unlisted:  # a search left it out of the list
            self._unlisted.discard(ref_id)
        else:
            self.tree.takeTopLevelItem(self.tree.indexOfTopLevelItem(top))

    # -- the drafter's changes -----------------------------------------------------------

    def _selected_reference(self) -> Reference | None:
        return self.reference(self._current[0]) if self._current is not None else None

    def _remove_selected(self) -> None:
        reference = self._selected_reference()
        if reference is None:
            return
        question = f"从库中删除“{reference.title}”？"
        answer = QMessageBox.question(self._widget(), "删除参考法规", question)
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            self.library.remove(reference.id)
        except Exception as error:
            show_error(self._widget(), "删除失败", error)
            return
        self.update_listing(removed=[reference.id])

    def _damaged_places(self, reference: Reference, number: int | None):
        if number is None:
            return [(0, span) for span in reference.explanation_damaged]
        return [(number, span) for span in listed_article(reference, number).damaged]

    def _correct_selected(self) -> None:
        reference = self._selected_reference()
        if reference is None or self._current is None:
            return
        places = self._damaged_places(reference, self._current[1])
        if not places:
            return
        labels = [f"第{s.paragraph}段/款：{s.text}（{s.reason}）" for _, s in places]
        choice, ok = QInputDialog.getItem(
            self._widget(), "更正损坏文字", "选择要更正的文字：", labels, 0, False
        )
        if not ok:
            return
        article, span = places[labels.index(choice)]
        corrected, ok = QInputDialog.getText(
            self._widget(),
            "更正损坏文字",
            f"“{span.text}”应更正为（原文仍保留）：",
            QLineEdit.EchoMode.Normal,
        )
        if not ok or not corrected:
            return
        try:
            self.library.correct(
                reference.id,
                article=article,
                paragraph=span.paragraph,
                item=span.item,
                original=span.text,
                corrected=corrected,
                note="在参考法规浏览器中更正",
            )
        except Exception as error:
            show_error(self._widget(), "更正失败", error)
            return
        self.update_listing(changed=[reference.id])
