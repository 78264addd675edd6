"""Counterparts of one reference article in the other references (the 对照 view, `refs compare`).

Each other reference is searched alone with the whole article's text and its best article
taken. A best article is only a counterpart when its score reaches `COUNTERPART_CUT`:
every reference has *some* best article, and below the cut it is usually unrelated (the
gold correspondences list no counterpart there). The cut is calibrated on the gold files
by benchmarks/bench_counterpart_cut.py; docs/benchmarks.md has the figures.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from drafter.errors import DrafterError
from drafter.statute.numerals import to_chinese_numeral

# Engine score (rank_articles, whole-article query, one reference searched) at and above
# which the best article of a reference is shown as a counterpart.
COUNTERPART_CUT = 19.5
# Up to this many other references, each is searched alone. Beyond, a library-wide search
# names the references to search alone: the COMPARED_AT_MOST whose articles it ranks
# first. A province's 20,000 references searched one by one took hours (a search of one
# reference is most of a whole-library search: the postings are read whole, then masked).
SEARCH_EACH_UP_TO = 40
COMPARED_AT_MOST = 20


@dataclass
class ComparedArticle:
    """One reference's side of the 对照: the selected article, a counterpart, or none."""

    ref: str
    city: str
    title: str
    article: int | None  # None: this reference has no counterpart
    caption: str = ""
    text: str = ""
    score: float | None = None  # None for the selected article; the best score when none
    spans: list[tuple[int, int]] = field(default_factory=list)  # shared with the selected
    nearest: int | None = None  # when no counterpart: the best article, below the cut
    # On the selected article: how many other references were not searched (a library of
    # more than SEARCH_EACH_UP_TO, where only those nearest the article are compared).
    not_compared: int = 0

    @property
    def is_counterpart(self) -> bool:
        return self.article is not None and self.score is not None

    @classmethod
    def from_json(cls, data: dict) -> ComparedArticle:
        """Read `to_json`'s form (the answer of the suggestion process)."""
        return cls(
            ref=data["ref"],
            city=data["city"],
            title=data["title"],
            article=data["article"],
            caption=data["caption"],
            text=data["text"],
            score=data["score"],
            spans=[(int(start), int(end)) for start, end in data["spans"]],
            nearest=data["nearest"],
            not_compared=int(data.get("not_compared", 0)),
        )

    def to_json(self) -> dict:
        """The CLI's JSON form (and the suggestion process's answer)."""
        return {
            "ref": self.ref,
            "city": self.city,
            "title": self.title,
            "article": self.article,
            "caption": self.caption,
            "score": self.score,
            "text": self.text,
            "spans": [list(span) for span in self.spans],
            "nearest": self.nearest,
            "not_compared": self.not_compared,
        }


def best_articles(engine: object, text: str, refs: list[str]) -> dict[str, tuple[int, float]]:
    """For each of `refs`, its best article for `text` and the score (refs with none left out)."""
    found: dict[str, tuple[int, float]] = {}
    for ref in refs:
        best = engine.rank_articles(text, top=1, refs=[ref])  # type: ignore[attr-defined]
        if best:
            found[ref] = (best[0].article, best[0].score)
    return found


def compared_refs(engine: object, text: str, others: list[str]) -> list[str]:
    """The references to search alone for `text`: all of `others` in a small library; in a
    large one, the first COMPARED_AT_MOST of them in a library-wide ranking of articles."""
    if len(others) <= SEARCH_EACH_UP_TO:
        return others
    wanted = set(others)
    found: dict[str, None] = {}
    ranked = engine.rank_articles(text, top=3 * COMPARED_AT_MOST)  # type: ignore[attr-defined]
    for suggestion in ranked:
        if suggestion.ref in wanted:
            found.setdefault(suggestion.ref)
            if len(found) == COMPARED_AT_MOST:
                break
    return list(found)


def find_counterparts(
    library: object,
    engine: object,
    ref_id: str,
    number: int,
    cut: float = COUNTERPART_CUT,
) -> list[ComparedArticle]:
    """The selected article first, then one entry per other reference in library order;
    in a large library (more than SEARCH_EACH_UP_TO others), one per compared reference,
    best score first, and the selected article's `not_compared` counts the rest.

    `library` is a ReferenceLibrary and `engine` a SuggestionEngine over it (kept as plain
    objects so this module stays free of their construction costs in imports).
    """
    # Here, not at the top: the window shows COUNTERPART_CUT from its start, and the
    # comparison's normaliser (numpy) is needed only once an article is compared.
    from drafter.matching.provenance import compare_texts

    reference = library.get(ref_id)  # type: ignore[attr-defined]
    article = reference.statute.article(number)
    if article is None:
        raise DrafterError(f"{reference.title}没有第{to_chinese_numeral(number)}条")
    text = article.text()
    selected = ComparedArticle(
        ref_id, reference.city, reference.title, number, article.caption, text
    )
    searchable = set(engine.ref_ids())  # type: ignore[attr-defined]
    others = [r for r in library.ids() if r != ref_id and r in searchable]  # type: ignore[attr-defined]
    compared = compared_refs(engine, text, others)
    best = best_articles(engine, text, compared)
    if len(compared) < len(others):
        selected.not_compared = len(others) - len(compared)
        compared.sort(key=lambda other: -best.get(other, (0, 0.0))[1])
    result = [selected]
    for other in compared:
        match = library.get(other)  # type: ignore[attr-defined]
        article_number, score = best.get(other, (None, None))
        counterpart = match.statute.article(article_number) if article_number else None
        if counterpart is None or score is None or score < cut:
            result.append(
                ComparedArticle(
                    other, match.city, match.title, None, score=score, nearest=article_number
                )
            )
            continue
        other_text = counterpart.text()
        result.append(
            ComparedArticle(
                other,
                match.city,
                match.title,
                counterpart.number,
                counterpart.caption,
                other_text,
                score,
                compare_texts(other_text, text).draft_spans,
            )
        )
        selected.spans += compare_texts(text, other_text).draft_spans
    return result
