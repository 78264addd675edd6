"""One suggestion engine per library state, loaded off the UI thread and shared read-only.

The suggestion panel, the 对照 view and provenance discovery all search the same index.
Loading (or, after the library changed, rebuilding) it happens in background threads
under one lock, so two panels never build the same persisted index at once.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

from drafter.library import ReferenceLibrary
from drafter.matching.engine import SuggestionEngine

# Held while an index is loaded or built, and by anything else that opens one
# (provenance discovery constructs its own engine over the same persisted index).
ENGINE_LOCK = threading.Lock()
_CACHE: dict[tuple[str, str], EngineBundle] = {}


@dataclass(frozen=True)
class EngineBundle:
    """An engine with what the filters show: reference ids, cities, titles, chapter titles."""

    engine: SuggestionEngine
    fingerprint: str
    titles: dict[str, str] = field(default_factory=dict)

    @property
    def refs(self) -> list[str]:
        return self.engine.ref_ids()

    def cities(self) -> dict[str, str]:
        """Each reference's city."""
        corpus = self.engine.corpus
        return {ref: corpus.ref_cities[i] for ref, i in corpus.ref_index().items()}

    @property
    def chapters(self) -> list[str]:
        """Distinct chapter titles of the references, in first-seen order."""
        seen: dict[str, None] = {}
        for title in self.engine.corpus.chapters:
            if title.strip():
                seen.setdefault(title.strip(), None)
        return list(seen)


def library_engine(data_dir: Path | str | None) -> EngineBundle:
    """The engine over the library in `data_dir` (call from a background thread)."""
    with ENGINE_LOCK:
        library = ReferenceLibrary(Path(data_dir) if data_dir is not None else None)
        fingerprint = library.fingerprint()
        key = (str(library.data_dir), fingerprint)
        bundle = _CACHE.get(key)
        if bundle is None:
            engine = SuggestionEngine(library)
            titles = {r.id: r.title for r in library.summaries()}
            bundle = EngineBundle(engine, fingerprint, titles)
            _CACHE.clear()  # an engine for an older library state is never used again
            _CACHE[key] = bundle
        return bundle


def engine_bundle(engine: SuggestionEngine, fingerprint: str = "injected") -> EngineBundle:
    """Wrap an engine built elsewhere (benchmarks, tests) as a bundle."""
    return EngineBundle(engine, fingerprint, {})
