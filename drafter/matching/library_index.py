"""The library's suggestion index on disk: opened as it is, brought up to date with the
cheapest update the library's changes need (a delta segment for an import, a tombstone for
a removal, segments.py), or built whole; the folder of a build that was killed is removed.
The engine (engine.py) searches whatever this opens."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

from drafter import __version__
from drafter.matching.corpus import Corpus, ParagraphRecord, library_records
from drafter.matching.index import remove_stale_builds
from drafter.matching.normalize import Normalizer
from drafter.matching.segments import (
    MANIFEST,
    SEGMENT_PREFIX,
    IndexUpdate,
    SegmentedCorpus,
    open_segments,
)
from drafter.paths import user_data_dir

INDEX_DIR_NAME = "suggest-index"


def open_library_corpus(library: object) -> Corpus | SegmentedCorpus:
    """The persisted index brought up to date with the library (segments.py): usually
    opened as it is; after an import, a delta over the new reference only."""
    corpus, _update = update_library_index(library)
    return corpus


def index_settings() -> str:
    """What every segment must agree on: the app (its cleaner and parser) and the
    normaliser's fixed rules. The library's own city names are not part of it: a delta
    segment normalises with them (see segments.py)."""
    return f"{__version__}|{Normalizer().signature()}"


def update_library_index(library: object) -> tuple[Corpus | SegmentedCorpus, IndexUpdate]:
    """Open the library's index, doing the cheapest update the library's changes need."""
    root = _index_root(library)
    tokens = library.reference_tokens()  # type: ignore[attr-defined]

    def records(ids: Sequence[str] | None) -> Iterator[ParagraphRecord]:
        return library_records(library, ids)

    def cities() -> list[str]:
        # Cities from the listing rows: no reference is loaded to name them.
        return [r.city for r in library.summaries()]  # type: ignore[attr-defined]

    try:
        root.mkdir(parents=True, exist_ok=True)
        remove_stale_builds(root)  # folders of builds that were killed
        _remove_legacy_indexes(root)
        return open_segments(root, tokens, records, cities, index_settings())
    except OSError:
        # A read-only data directory: suggestions still work, from an index in a
        # temporary folder that lives as long as this process.
        return _temporary_corpus(library, cities()), IndexUpdate("full", list(tokens))


def refresh_index(library: object, *, build: bool = False) -> IndexUpdate | None:
    """Bring the persisted index up to date after the library changed, so that the next
    search opens it as it is; only when an index exists, unless `build`."""
    if not build and not (_index_root(library) / MANIFEST).is_file():
        return None  # nothing built yet: the first search builds it
    return update_library_index(library)[1]


def _index_root(library: object) -> Path:
    """The index folder beside the library's own data: a library opened from another data
    directory (the suggestion process is given one) had its index built into the default
    one, over the default library's, and each rebuilt the other's at every switch."""
    data_dir = getattr(library, "data_dir", None)
    return (Path(data_dir) if data_dir is not None else user_data_dir()) / INDEX_DIR_NAME


def _remove_legacy_indexes(root: Path) -> None:
    """Index folders of the layout before segments (one folder per library state)."""
    for folder in root.iterdir():
        if (folder / "corpus.json").is_file() and not folder.name.startswith(
            (SEGMENT_PREFIX, "build-", "discard-")
        ):
            shutil.rmtree(folder, ignore_errors=True)


def _temporary_corpus(library: object, cities: list[str]) -> Corpus:
    folder = Path(tempfile.mkdtemp(prefix="drafter-index-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    Corpus.build(lambda: library_records(library), folder / "index", cities)
    return Corpus(folder / "index")
