"""The reference browser's tree rows: what a row holds, its label, and walking a
reference's rows (shared by the browser and its change flows)."""

from __future__ import annotations

from collections.abc import Container, Iterable, Iterator

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTreeWidgetItem

from drafter.library import Reference, ReferenceSummary
from drafter.library.search import Outline
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


def outline_rows(
    ref_id: str, rows: Outline, numbers: Container[int] | None = None
) -> list[QTreeWidgetItem]:
    """A reference's chapter and article rows from its outline; with `numbers`, only those
    articles and the chapters that hold them (a search's hits).

    They are made apart and added to the tree at once by the caller: a row added to a tree
    of 20,000 has the view update for it, and a search opening two hundred references
    added ten thousand (60-160 ms stalls in slices meant to take 12)."""
    children: list[QTreeWidgetItem] = []
    for chapter_label, article_rows in rows:
        articles = []
        for label, number, damaged in article_rows:
            if numbers is not None and number not in numbers:
                continue
            item = QTreeWidgetItem([label])
            item.setData(0, ROLE_REF, ref_id)
            item.setData(0, ROLE_ARTICLE, number)
            if damaged:
                item.setForeground(0, Qt.GlobalColor.darkRed)
            articles.append(item)
        if chapter_label is None:
            children.extend(articles)
        elif articles or numbers is None:
            parent = QTreeWidgetItem([chapter_label])
            parent.setData(0, ROLE_REF, ref_id)
            parent.addChildren(articles)
            children.append(parent)
    return children


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


def article_row(top: QTreeWidgetItem, number: int) -> QTreeWidgetItem | None:
    """The row of a reference's article, if its rows hold it."""
    return next((i for i in descendants(top) if i.data(0, ROLE_ARTICLE) == number), None)


def first_shown_row(tops: Iterable[QTreeWidgetItem]) -> QTreeWidgetItem | None:
    """The first row a person sees: the first reference listed, or, where a search opened
    it, its first article (what the search found). No row is hidden: a search leaves
    rows out (gui/reference_search.py)."""
    for top in tops:
        if top.isExpanded():
            for below in descendants(top):
                if below.data(0, ROLE_ARTICLE) is not None:
                    return below
        return top
    return None


def same_chapter(item: QTreeWidgetItem, chapter) -> bool:
    return item.text(0).startswith(f"{chapter.label}　")
