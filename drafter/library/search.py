"""Full-text search of the reference library: which references contain a text, and where.

The store finds the references whose stored parse holds the text (SQLite, no reference
loaded); the first of them are loaded to find the articles. The window searches in a
background job (its reference browser) and `drafter refs search` from the command line.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from drafter.library.library import ReferenceLibrary
from drafter.library.reference import Reference


@dataclass(frozen=True)
class SearchHits:
    """What a search of the library found."""

    # The first references (up to the open limit) with articles containing the text: the
    # outline of each and those articles' numbers, so the UI thread only makes and hides
    # rows. Outlines, not references: two hundred references kept for the rows were
    # 100,000 more objects for every full garbage collection to walk (110-160 ms pauses).
    opened: dict[str, tuple[Outline, set[int]]]
    unopened: list[str]  # those past the limit that may contain it: listed, not opened


def search_library(
    library: ReferenceLibrary,
    query: str,
    limit: int,
    cancelled: Callable[[], bool] = lambda: False,
) -> SearchHits:
    """Search the library; the references opened stay in its cache. The window calls
    this from a background job, with a library object of the job's own (loading the
    references to open on the UI thread froze it for 0.65 s of 0.9 at 20,000
    references). A cancelled search stops between references with what it has."""
    ids = library.search_ids(query)
    opened: dict[str, tuple[Outline, set[int]]] = {}
    for reference in library.iter_references(ids):  # those removed meanwhile are left out
        if len(opened) >= limit or cancelled():
            return SearchHits(opened, ids[ids.index(reference.id) :])
        numbers = matching_articles(reference, query)
        if numbers:
            opened[reference.id] = (outline(reference), numbers)
    return SearchHits(opened, [])


# A reference's rows in the list: (chapter row or None for articles outside chapters,
# [(article row, its number, damaged)]).
Outline = list[tuple[str | None, list[tuple[str, int, bool]]]]


def outline(reference: Reference) -> Outline:
    """What the list shows under a reference: its chapters and articles."""
    rows: Outline = []
    for chapter in reference.statute.chapters:
        articles = []
        for article in chapter.articles:
            caption = f"【{article.caption}】" if article.caption else ""
            preview = article.paragraphs[0].text[:18] if article.paragraphs else ""
            label = f"{article.label}{caption}　{preview}"
            articles.append((label, article.number, bool(article.damaged)))
        heading = None
        if chapter.number > 0:
            heading = f"{chapter.label}　{chapter.title}" + ("（推断）" if chapter.inferred else "")
        rows.append((heading, articles))
    return rows


def matching_articles(reference: Reference, query: str) -> set[int]:
    """The numbers of a reference's articles whose text contains `query`."""
    return {a.number for a in reference.statute.articles() if query in a.text()}
