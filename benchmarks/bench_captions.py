"""How derived 条旨 compare with 成都's own captions, and what every reference gets.

    .venv/bin/python benchmarks/bench_captions.py [--list]

For each article of 成都 (the one reference that prints captions), the caption derived
from its text alone (`derive_caption`, no source lookup) is compared with the real one:
exact, overlapping (a two-character word in common), or different. Then every article
of every reference is checked for the rules a suggestion must keep.
"""

from __future__ import annotations

import sys
import time

from drafter.draft.captions import acceptable, derive_caption
from drafter.library import ReferenceLibrary


def overlaps(a: str, b: str) -> bool:
    return any(a[i : i + 2] in b for i in range(len(a) - 1))


def main() -> None:
    library = ReferenceLibrary()
    chengdu = library.get("chengdu")
    exact = overlap = total = 0
    rows = []
    for article in chengdu.statute.articles():
        derived = derive_caption(article.text())
        total += 1
        if derived == article.caption:
            exact += 1
            verdict = "="
        elif overlaps(derived, article.caption):
            overlap += 1
            verdict = "~"
        else:
            verdict = "≠"
        rows.append(f"{article.number:>3} {verdict} {article.caption} | {derived}")
    print(
        f"成都: {total} articles, exact {exact}, overlapping {overlap}, "
        f"exact or overlapping {exact + overlap} ({(exact + overlap) / total:.0%})"
    )
    derive_caption.cache_clear()
    start = time.perf_counter()
    count = bad = fallback = 0
    for reference in library.references():
        for article in reference.statute.articles():
            caption = derive_caption(article.text())
            count += 1
            bad += not acceptable(caption)
            fallback += caption == "其他规定"
    elapsed = time.perf_counter() - start
    print(
        f"all references: {count} articles, {bad} unacceptable, {fallback} fallback 其他规定, "
        f"{elapsed * 1000 / count:.2f} ms per article uncached"
    )
    if "--list" in sys.argv:
        print("\n".join(rows))


if __name__ == "__main__":
    main()
