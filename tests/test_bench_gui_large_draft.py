"""benchmarks/bench_gui_large_draft.py keeps working, and the window it drives says nothing
on stderr: opening its second draft over the first once printed a KeyError there."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_long_draft_benchmark_runs_clean(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "DRAFTER_DATA_DIR": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench_gui_large_draft.py"), "--keys", "3"],
        capture_output=True,
        text=True,
        env=env,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    rows = [line for line in result.stdout.splitlines() if " articles |" in line]
    assert [row.split(" |")[0] for row in rows] == ["| 252 articles", "| 6 articles"], result.stdout
    noise = [line for line in result.stderr.splitlines() if "propagateSizeHints" not in line]
    assert noise == [], result.stderr
