"""benchmarks/bench_suggest.py keeps working side by side with its peers: at a tiny size,
every engine (ours, and each installed peer: tantivy, SQLite FTS5, bm25s) builds, answers
every query and reports its figures, and relevance is a share (the large runs themselves
are benchmarks, not tests)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent


def _bench() -> ModuleType:
    # benchmarks/ is not a package; load the script by path.
    sys.path.insert(0, str(ROOT / "benchmarks"))
    spec = importlib.util.spec_from_file_location(
        "bench_suggest", ROOT / "benchmarks" / "bench_suggest.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_every_engine_reports_figures_and_relevance(tmp_path: Path) -> None:
    bench = _bench()
    engines = [e for e in bench.ENGINES if bench.peers.available(e)]
    if len(engines) < len(bench.ENGINES):
        print(f"peers not installed, skipped: {sorted(set(bench.ENGINES) - set(engines))}")
    common = ["--paragraphs", "3000", "--engines", ",".join(engines), "--keep", str(tmp_path)]
    # Queried in the process that built each index, then in a fresh process that opens it.
    for figures in (
        bench.measure(bench.parse(common)),
        bench.measure(bench.parse([*common, "--fresh"])),
    ):
        assert list(figures) == engines
        for engine, summary in figures.items():
            for key, _, _ in bench.COLUMNS:
                assert summary[key] >= 0, (engine, key)
            assert summary["build_s"] > 0 and summary["size_mb"] > 0, engine
            for key in ("short_p@10", "long_p@10", "long_recall@10"):
                assert 0.0 <= summary[key] <= 1.0, (engine, key)
            # Long clauses are edited copies of real sentences: every engine finds some.
            assert summary["long_p@10"] > 0.5, engine
        assert bench.table(figures).count("\n") == len(engines) + 1


def test_the_library_records_its_source_sentences() -> None:
    bench = _bench()
    sentences = [
        "第一条为了规范公共数据管理。",
        "鹰潭市人民政府应当加强领导。",
        "海口市人民政府应当加强领导。",
    ]
    canon = bench.canonical_ids(sentences)
    assert canon == [0, 1, 1]  # the same clause in two cities is one source
    rows = list(bench.synthetic_library(50, sentences))
    assert rows == list(bench.synthetic_library(50, sentences))  # deterministic
    for *_, picked in rows:
        assert 1 <= len(picked) <= 3 and all(0 <= i < len(sentences) for i in picked)
    short = {"kind": "short", "text": "加强领导", "from": [1]}
    assert bench.relevant_sources(short, sentences, canon) == {1}
