"""Test helpers shared across modules: the real bundled references, parsed once."""

from __future__ import annotations

import os
import subprocess
import sys
from functools import cache
from pathlib import Path

from drafter.library.library import load_manifest, references_dir
from drafter.parsing import ParseResult, parse_regulation_text

REPO_ROOT = Path(__file__).resolve().parent.parent
BUNDLED_IDS = ("yingtan", "haikou", "chengdu", "jining", "wuxi")
# Every file of hand-read correspondences between the bundled references.
GOLD_FILES = [
    REPO_ROOT / "tests" / "data" / name
    for name in (
        "dev_gold.json",
        "gold_extra.json",
        "gold_review.json",
        "gold_holdout.json",
        "gold_fresh.json",
    )
]


def raw_reference_text(ref_id: str) -> str:
    """A bundled reference exactly as collected."""
    entry = next(e for e in load_manifest() if e["id"] == ref_id)
    return (references_dir() / entry["file"]).read_text(encoding="utf-8")


@cache
def parsed_reference(ref_id: str) -> ParseResult:
    """A bundled reference through the real cleaning and parsing pipeline (cached)."""
    return parse_regulation_text(raw_reference_text(ref_id))


def body_text_without_damage(result: ParseResult) -> str:
    """All article text with the verbatim damaged spans cut out."""
    pieces = []
    for article in result.statute.articles():
        texts = [article.caption]
        for p_index, paragraph in enumerate(article.paragraphs, 1):
            for i_index, text in enumerate([paragraph.text, *paragraph.items]):
                spans = [d for d in article.damaged if d.paragraph == p_index and d.item == i_index]
                for span in sorted(spans, key=lambda s: s.start, reverse=True):
                    text = text[: span.start] + text[span.end :]
                texts.append(text)
        pieces.append("\n".join(texts))
    return "\n".join(pieces)


def run_cli(
    *args: str, data_dir: Path, input_text: str | None = None
) -> subprocess.CompletedProcess:
    """Run `python -m drafter …` in a fresh process, as a user would."""
    env = dict(os.environ, DRAFTER_DATA_DIR=str(data_dir), PYTHONIOENCODING="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "drafter", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=REPO_ROOT,
        input=input_text,
        timeout=120,
    )


def engine_in_data_dir(library: object, data_dir: Path) -> object:
    """A SuggestionEngine built while `data_dir` is the user data directory (for
    module-scoped fixtures: the autouse data-dir fixture is per test). Its index goes
    beside the library's own data: give a library of `data_dir`."""
    from drafter.matching.engine import SuggestionEngine

    old = os.environ.get("DRAFTER_DATA_DIR")
    os.environ["DRAFTER_DATA_DIR"] = str(data_dir)
    try:
        return SuggestionEngine.for_library(library)
    finally:
        if old is not None:
            os.environ["DRAFTER_DATA_DIR"] = old
        else:
            os.environ.pop("DRAFTER_DATA_DIR", None)
