"""Measure 查找全文来源 on the gold correspondences (tests/data/*gold*.json).

Each gold pair's query (an article, or one 款 of it) is taken as a draft article adapted
from it, so its own reference is left out; discovery's first likely source is a hit when
the pair lists it as a counterpart. Pairs for which discovery proposes nothing are
counted apart: a proposal needs enough of the text credited to a source.
"""

from __future__ import annotations

from drafter.draft.provenance import likely_sources
from drafter.matching.evaluation import Gold, query_text

# The city the queries are taken to be drafted for: none of the references' own.
DRAFT_CITY = "某市"


def discovery_figures(library: object, engine: object, gold: Gold) -> dict[str, float]:
    """{'n': pairs with a proposal, 'hit@1': their share whose first is a counterpart,
    'none': pairs with no proposal}."""
    asked = hits = none = 0
    for pair in gold.pairs:
        ref = pair["q"][0]
        targets = {(other, a) for other, articles in pair["targets"].items() for a in articles}
        if not targets:
            continue
        text = query_text(library, pair["q"])
        found = likely_sources(text, library, engine, DRAFT_CITY, frozenset({ref}))
        if not found:
            none += 1
            continue
        asked += 1
        hits += (found[0].ref, found[0].article) in targets
    return {"n": asked, "hit@1": hits / max(asked, 1), "none": none}
