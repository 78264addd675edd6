"""One suggestion engine per library state, loaded off the UI thread and shared read-only.

The suggestion panel, the 对照 view and provenance discovery all search the same index.
Loading (or, after the library changed, rebuilding) it happens in background threads
under one lock, so two panels never build the same persisted index at once.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from drafter.library import ReferenceLibrary
from drafter.matching.service import RemoteEngine, describe

if TYPE_CHECKING:  # loaded when first needed: numpy and the engine cost a window's start
    from drafter.matching.engine import SuggestionEngine

# Held while an index is loaded or built, and by anything else that opens one
# (provenance discovery constructs its own engine over the same persisted index).
ENGINE_LOCK = threading.Lock()
_CACHE: dict[tuple[str, str], EngineBundle] = {}


@dataclass(frozen=True)
class EngineBundle:
    """A searcher with what the filters show: reference ids, cities, titles, chapter titles.

    `engine` is anything with the engine's `suggest` (a `SuggestionEngine`, or a
    `RemoteEngine` whose engine runs in a child process)."""

    engine: Any
    fingerprint: str
    titles: dict[str, str] = field(default_factory=dict)
    refs: list[str] = field(default_factory=list)
    city_of: dict[str, str] = field(default_factory=dict)
    chapters: list[str] = field(default_factory=list)

    def cities(self) -> dict[str, str]:
        """Each reference's city."""
        return dict(self.city_of)

    @classmethod
    def of(cls, engine: Any, fingerprint: str, info: dict) -> EngineBundle:
        return cls(
            engine,
            fingerprint,
            dict(info.get("titles", {})),
            list(info.get("refs", [])),
            dict(info.get("cities", {})),
            list(info.get("chapters", [])),
        )


def library_engine(data_dir: Path | str | None) -> EngineBundle:
    """The engine over the library in `data_dir`, in this process (call from a background
    thread). The suggestion panel searches in a child process instead (`remote_engine`)."""
    with ENGINE_LOCK:
        library = ReferenceLibrary(Path(data_dir) if data_dir is not None else None)
        fingerprint = library.fingerprint()
        key = (str(library.data_dir), fingerprint)
        bundle = _CACHE.get(key)
        if bundle is None:
            from drafter.matching.engine import SuggestionEngine

            engine = SuggestionEngine(library)
            titles = {r.id: r.title for r in library.summaries()}
            bundle = EngineBundle.of(engine, fingerprint, describe(engine, titles))
            _CACHE.clear()  # an engine for an older library state is never used again
            _CACHE[key] = bundle
        return bundle


def engine_bundle(engine: SuggestionEngine, fingerprint: str = "injected") -> EngineBundle:
    """Wrap an engine built elsewhere (benchmarks, tests) as a bundle."""
    return EngineBundle.of(engine, fingerprint, describe(engine, {}))


def in_process_requested() -> bool:
    """DRAFTER_SUGGEST_IN_PROCESS=1 keeps the engine in the window's process (the test
    suite's many short-lived windows would each start a child otherwise)."""
    return os.environ.get("DRAFTER_SUGGEST_IN_PROCESS", "") not in ("", "0")


def remote_bundle(remote: RemoteEngine) -> EngineBundle:
    """A bundle over a child-process engine, from what its last `open` answered."""
    info = remote.info
    return EngineBundle.of(remote, info.get("fingerprint", "remote"), info)
