"""Time from launching the window to the window being up with the five references (issue 6: ≤ 2 s).

    python benchmarks/bench_gui_startup.py [--repeat 5]

Each run is a fresh Python process (interpreter start and imports included), offscreen,
that opens `MainWindow`, shows it, and reports when the fifth reference has been loaded
into the browser. The first run uses an empty user data directory (cold: no caches or
indexes yet); the others share a second, warmed-up one. Prints every run, the median and
the worst of the warm runs.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = """
import sys, time
from PySide6.QtCore import QEventLoop
from drafter.gui.app import create_application
app = create_application([sys.argv[0]])
from drafter.gui.main_window import MainWindow
window = MainWindow()
window.show()
while len(window.references) < 5:
    app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
print(f"READY {time.time():.6f}", flush=True)
window.set_session(None)
window.close()
from drafter.gui.workers import wait_for_background_jobs
wait_for_background_jobs()
"""


def one_run(data_dir: Path) -> float:
    """Seconds from process launch to the window with five references."""
    env = dict(os.environ, DRAFTER_DATA_DIR=str(data_dir), QT_QPA_PLATFORM="offscreen")
    env["XDG_CONFIG_HOME"] = str(data_dir / "config")  # no window layout from the real profile
    started = time.time()
    result = subprocess.run(
        [sys.executable, "-c", CHILD],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
        check=True,
    )
    ready = next(line for line in result.stdout.splitlines() if line.startswith("READY "))
    return float(ready.split()[1]) - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        cold = one_run(Path(tmp) / "cold")
        print(f"cold (empty user data): {cold:.2f} s")
        warm_dir = Path(tmp) / "warm"
        one_run(warm_dir)  # warm-up
        times = [one_run(warm_dir) for _ in range(args.repeat)]
    print("warm runs: " + ", ".join(f"{t:.2f}" for t in times) + " s")
    print(f"median {statistics.median(times):.2f} s, worst {max(times):.2f} s (target ≤ 2 s)")


if __name__ == "__main__":
    main()
