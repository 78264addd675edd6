"""The reference browser's full-text search: what the list holds while searching.

A search lists only the references it found and gives the ones it opened rows for their
hits only; clearing it lists every reference again. Rows are taken out of the tree rather
than hidden: with one hidden row anywhere, each layout of a 20,000-reference tree looked
every row up among the hidden ones (12 ms), and a search held the window 30-48 ms a dozen
to forty times (docs/benchmarks.md, "The 参考法规 search at 20,000 references").
"""

from __future__ import annotations

import functools
import time
from collections.abc import Callable, Container, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem

from drafter.gui.reference_rows import ROLE_ARTICLE, ROLE_REF, child, descendants, outline_rows
from drafter.gui.workers import BackgroundJob
from drafter.library import ReferenceLibrary
from drafter.library.search import Outline, SearchHits, matching_articles, outline, search_library

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

    from PySide6.QtCore import QTimer as Timer
    from PySide6.QtWidgets import QLabel, QLineEdit, QWidget

    from drafter.library import Reference

# A search opens (loads and lists the articles of) at most this many references; the rest
# are listed by title, so a common word over thousands of references stays quick.
SEARCH_OPEN_LIMIT = 200
SEARCH_DELAY_MS = 250  # after the last keystroke
# Rows are made, and the opened references' rows filled, in slices of about this long,
# one per turn of the event loop.
SEARCH_FILL_SECONDS = 0.012
ROWS_PER_CLOCK = 256  # rows changed between looks at the clock
# At most this many references' rows leaving or joining the list are moved one by one;
# more, and the list is made again in two calls (_list_only).
_ROWS_MOVED_ALONE = 64

T = TypeVar("T")


class ReferenceSearch:
    """The browser's search box, the list it filters, and the sliced work on its rows (a
    mixin of `ReferenceBrowser`, which holds the widgets and rows declared here)."""

    library: ReferenceLibrary
    tree: QTreeWidget
    search_box: QLineEdit
    hit_label: QLabel
    _rows: dict[str, QTreeWidgetItem]
    _unlisted: set[str]
    _filtered: dict[str, str]
    _current: tuple[str, int | None] | None
    _search_generation: int
    _search_timer: Timer
    _search_job: BackgroundJob | None

    if TYPE_CHECKING:  # the browser's

        def _widget(self) -> QWidget: ...
        def reference(self, ref_id: str) -> Reference | None: ...
        def show_article(self, ref_id: str, number: int) -> None: ...
        def _on_current_changed(self, item: QTreeWidgetItem | None, _previous=None) -> None: ...

    def _listed(self) -> Iterator[QTreeWidgetItem]:
        """The references' rows the list holds now (a search lists those it found), in
        order."""
        tree = self.tree
        return (child(tree.topLevelItem(i)) for i in range(tree.topLevelItemCount()))

    def _list_only(self, ref_ids: Container[str] | None) -> None:
        """Make the list hold the rows of these references (every one when None), in list
        order; the current row stays current if it is still listed.

        Rows left out are taken out of the tree, not hidden. With hidden rows, each layout
        of the tree looked every row up among them (12 ms at 20,000 references), and a
        search showed and filled its rows in slices, so every 12 ms slice held the window
        30-48 ms. Taking every row out and adding back the listed ones is two calls and
        one layout (40-50 ms at 20,000, once a search); a few rows in or out (a common
        word that nearly every reference holds) are moved one by one."""
        out = set() if ref_ids is None else {r for r in self._rows if r not in ref_ids}
        leaving, returning = out - self._unlisted, self._unlisted - out
        current = self.tree.currentItem()
        with self._many_rows():
            if len(leaving) + len(returning) <= _ROWS_MOVED_ALONE:
                for ref_id in leaving:
                    row = self._rows[ref_id]
                    self.tree.takeTopLevelItem(self.tree.indexOfTopLevelItem(row))
                    self._unlisted.add(ref_id)
                for ref_id in returning:
                    self._list(self._rows[ref_id])
            else:
                self.tree.invisibleRootItem().takeChildren()
                self.tree.addTopLevelItems([r for i, r in self._rows.items() if i not in out])
                self._unlisted = out
            if current is not None and current.treeWidget() is self.tree:
                self.tree.setCurrentItem(current)

    def _list(self, top: QTreeWidgetItem) -> None:
        """List one reference's row, in its place, if a search left it out."""
        ref_id = top.data(0, ROLE_REF)
        if ref_id not in self._unlisted:
            return
        place = 0
        for other in self._rows:
            if other == ref_id:
                break
            place += other not in self._unlisted
        self._unlisted.discard(ref_id)
        self.tree.insertTopLevelItem(place, top)

    def _apply_search(self, text: str) -> None:
        """Filter the list to the articles containing the text, once the typing pauses.
        The store finds the references that contain it and the first of them are loaded
        off the UI thread; only those are opened."""
        query = text.strip()
        self._search_generation += 1
        if not query:
            self._search_timer.stop()
            self._say_hits("")
            self._list_only(None)
            self._unfilter()
            return
        self._say_hits("正在搜索…")
        self._search_timer.start()  # restarted by each keystroke

    def _say_hits(self, text: str) -> None:
        """The line under the search box: what a search found, or nothing (hidden)."""
        self.hit_label.setText(text)
        self.hit_label.setVisible(bool(text))

    def _start_search(self) -> None:
        query = self.search_box.text().strip()
        if not query:
            return
        generation = self._search_generation
        data_dir = self.library.data_dir

        def typed_on() -> bool:  # read from the job's thread: a plain int
            return generation != self._search_generation

        job = BackgroundJob(
            lambda: search_library(ReferenceLibrary(data_dir), query, SEARCH_OPEN_LIMIT, typed_on)
        )
        job.finished.connect(lambda hits: self._show_hits(generation, query, hits))
        job.failed.connect(lambda error: self._search_failed(generation, error))
        self._search_job = job.start()

    def _search_failed(self, generation: int, error: BaseException) -> None:
        """A search that could not read the library (locked, damaged, gone) says so under
        the box; the list is left as it was."""
        if generation == self._search_generation:
            reason = str(error).splitlines()[0] if str(error) else type(error).__name__
            self._say_hits(f"搜索失败：{reason}")

    def _show_hits(self, generation: int, query: str, hits: SearchHits) -> None:
        """List the references found; fill in and expand those opened a slice at a time,
        so that the window answers while a common word opens two hundred references (their
        10,000 article rows took 0.2-0.3 s at once)."""
        if generation != self._search_generation:
            return  # the drafter typed on
        found = set(hits.opened) | set(hits.unopened)
        self._list_only(found)
        opened = [ref_id for ref_id in self._rows if ref_id in hits.opened]
        more = len(found & self._rows.keys()) - len(opened)
        total = 0

        def fill(ref_id: str) -> None:  # an opened reference: rows for its hits, open
            nonlocal total
            rows, numbers = hits.opened[ref_id]
            top = self._rows[ref_id]
            total += self._filter_articles(top, query, numbers, rows)
            top.setExpanded(True)

        def filled() -> None:
            note = f"，另有 {more} 部法规未展开" if more else ""
            self._say_hits(f"{total} 条含“{query}”{note}")
            current = self.tree.currentItem()
            if current is not None:
                self._on_current_changed(current)

        # In the next turn (this one made the list), a look at the clock after each
        # reference: one takes about a millisecond.
        live = self._search_still(generation)
        fill_all = functools.partial(self._in_slices, live, iter(opened), fill, filled, per_clock=1)
        QTimer.singleShot(0, self._widget(), fill_all)

    def _search_still(self, generation: int) -> Callable[[], bool]:
        """Whether the search of `generation` is still the one shown, asked later."""
        return lambda: generation == self._search_generation

    def _in_slices(
        self,
        live: Callable[[], bool],
        items: Iterator[T],
        step: Callable[[T], None],
        then: Callable[[], None] | None = None,
        each_slice: Callable[[], None] | None = None,
        per_clock: int | None = None,
    ) -> None:
        """Call `step` on every item, SEARCH_FILL_SECONDS of them a turn of the event loop
        (and `each_slice` as each slice ends), then `then`; dropped once `live()` is false
        (listed or searched again). The clock is read every `per_clock` items (by default
        ROWS_PER_CLOCK, for steps of microseconds). Making 20,000 rows at once held the
        window 0.2-0.33 s at start."""
        if not live():
            return
        every = per_clock or ROWS_PER_CLOCK
        ends = time.perf_counter() + SEARCH_FILL_SECONDS
        with self._many_rows():
            for count, item in enumerate(items, 1):
                step(item)
                if count % every == 0 and time.perf_counter() >= ends:
                    if each_slice is not None:
                        each_slice()
                    rest = functools.partial(
                        self._in_slices, live, items, step, then, each_slice, per_clock
                    )
                    QTimer.singleShot(0, self._widget(), rest)  # dropped if the browser is gone
                    return
            if each_slice is not None:
                each_slice()
        if then is not None:
            then()

    def _many_rows(self) -> AbstractContextManager[None]:
        """Rows changed in bulk: one repaint (a row added alone to a tree of 20,000 had the
        view update for it), and expanding a row does not filter it again."""
        return _many_rows(self.tree)

    def _filter_articles(
        self,
        top: QTreeWidgetItem,
        query: str,
        numbers: set[int] | None = None,
        rows: Outline | None = None,
    ) -> int:
        """Make a reference's rows again with only its articles that contain `query` (a
        search's text; those in `numbers`, when the search found them already) and their
        chapters, open. How many articles contain it.

        Rows are left out, not hidden: with one hidden row anywhere, each layout of the
        tree looked every row up among the hidden ones, and a search that opened two
        hundred references held the window 12 ms more a turn at 20,000 references."""
        ref_id = top.data(0, ROLE_REF)
        if rows is None or numbers is None:
            reference = self.reference(ref_id)
            if reference is None:
                return 0
            rows = rows or outline(reference)
            numbers = numbers if numbers is not None else matching_articles(reference, query)
        current = self.tree.currentItem()
        shown = current.data(0, ROLE_ARTICLE) if current else None  # None: not an article
        shown = shown if current and current.data(0, ROLE_REF) == ref_id else None
        top.takeChildren()
        self._filtered[ref_id] = query
        top.addChildren(outline_rows(ref_id, rows, numbers))
        for item in descendants(top):
            if item.data(0, ROLE_ARTICLE) is None:
                item.setExpanded(True)  # a chapter: only those with a match were made
            elif item.data(0, ROLE_ARTICLE) == shown:
                self.tree.setCurrentItem(item)  # the article being read, made again
        return len(numbers)

    def _unfilter(self) -> None:
        """The search is cleared: the references it filtered lose their rows, made whole
        again when next opened; the article being read is shown whole at once."""
        filtered, self._filtered = self._filtered, {}
        ref_id, number = self._current or ("", None)
        with self._many_rows():
            for filtered_id in filtered:
                top = self._rows.get(filtered_id)
                if top is not None:
                    top.takeChildren()
                    top.setExpanded(False)
        if ref_id in filtered and number is not None:
            self.show_article(ref_id, number)


@contextmanager
def _many_rows(tree: QTreeWidget) -> Iterator[None]:
    tree.setUpdatesEnabled(False)
    tree.blockSignals(True)
    try:
        yield
    finally:
        tree.blockSignals(False)
        tree.setUpdatesEnabled(True)
