"""benchmarks/bench_library.py keeps working: its generated regulations import through the real
command line and show in `refs list` (the large runs themselves are benchmarks, not tests)."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent


def _bench() -> ModuleType:
    # benchmarks/ is not a package; load the script by path.
    spec = importlib.util.spec_from_file_location(
        "bench_library", ROOT / "benchmarks" / "bench_library.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_generated_references_import_through_the_cli(tmp_path: Path) -> None:
    bench = _bench()
    paths = bench.generate(2, tmp_path / "generated", seed=3)
    for path in paths:
        text = path.read_text(encoding="utf-8")
        assert text.count("第一章") == 1 and "第二十条" in text
        for source in ("海口", "鹰潭", "济宁", "无锡"):
            assert source not in text  # replaced by the generated city
    data_dir = tmp_path / "data"
    summary = bench.import_all(data_dir, paths)
    assert summary["per_reference"] > 0
    listing = json.loads(bench.drafter(data_dir, "refs", "list", "--json").stdout)
    imported = {entry["id"]: entry for entry in listing if entry["origin"] == "imported"}
    assert set(imported) == {"bench-0001", "bench-0002"}
    for entry in imported.values():
        assert 20 <= entry["articles"] <= 80 and 3 <= entry["chapters"] <= 8
        assert entry["city"] in bench.CITIES
