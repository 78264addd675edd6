"""The reference browser's tree rows: what a row holds, its label, and walking a
reference's rows (shared by the browser and its change flows)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTreeWidgetItem

from drafter.library import Reference, ReferenceSummary
from drafter.statute.model import Article

ROLE_REF = Qt.ItemDataRole.UserRole
ROLE_ARTICLE = Qt.ItemDataRole.UserRole + 1


def reference_row(summary: ReferenceSummary) -> QTreeWidgetItem:
    """A reference's top row; its chapters and articles are added when it is opened."""
    top = QTreeWidgetItem([row_label(summary)])
    top.setData(0, ROLE_REF, summary.id)
    top.setChildIndicatorPolicy(QTreeWidgetItem.ChildIndicatorPolicy.ShowIndicator)
    # Each call costs microseconds that 20,000 rows add up: no text set twice, and a
    # tooltip only where there is damage (label_row re-sets both after a correction).
    if summary.damaged_count():
        label_row(top, summary)
    return top


def row_label(summary: ReferenceSummary) -> str:
    return f"{summary.city}　{summary.title}"


def label_row(top: QTreeWidgetItem, summary: ReferenceSummary) -> None:
    """Set a top row's text and its damage note (read again after a correction)."""
    top.setText(0, row_label(summary))
    damaged = summary.damaged_count()
    top.setToolTip(0, f"{damaged} 处来源文字损坏待核" if damaged else "")


def child(item: QTreeWidgetItem | None) -> QTreeWidgetItem:
    """A row Qt returned for an index below its count, which is never None."""
    assert item is not None
    return item


def listed_article(reference: Reference, number: int) -> Article:
    """An article the tree lists: its rows are made from the reference's own articles."""
    article = reference.statute.article(number)
    assert article is not None
    return article


def descendants(item: QTreeWidgetItem) -> Iterator[QTreeWidgetItem]:
    for index in range(item.childCount()):
        below = child(item.child(index))
        yield below
        yield from descendants(below)


def first_shown_row(tops: Iterable[QTreeWidgetItem]) -> QTreeWidgetItem | None:
    """The first row a person sees: the first reference shown, or, where a search opened
    it, its first article shown (what the search found)."""
    for top in tops:
        if top.isHidden():
            continue
        if top.isExpanded():
            for below in descendants(top):
                if below.data(0, ROLE_ARTICLE) is not None and _shown_under(below, top):
                    return below
        return top
    return None


def _shown_under(item: QTreeWidgetItem, top: QTreeWidgetItem) -> bool:
    while item is not top:
        if item.isHidden():
            return False
        parent = item.parent()
        assert parent is not None
        item = parent
    return True


def same_chapter(item: QTreeWidgetItem, chapter) -> bool:
    return item.text(0).startswith(f"{chapter.label}　")
