"""Benchmark: the 参考法规 search box of the window with a large library (issue 14, the
real path after start).

Opens the real main window on a library (`--data-dir`, e.g. the one `bench_library.py
--keep DIR` leaves), goes to 参考法规 and types each query into the search box a character
every 150 ms, as a drafter would, then clears the box. A 1 ms heartbeat timer measures how
long the event loop is stalled. Prints, per query: the time from the last keystroke until
the hits are shown, the longest stall and the number over one frame (16 ms) while
searching and showing, and the same for clearing the box.

    python benchmarks/bench_gui_library_search.py --data-dir /tmp/lib20k
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_gui_library_change import StallMeter, open_window, spin

KEYSTROKE_S = 0.15


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True, help="the library to use")
    parser.add_argument("--queries", nargs="+", default=["首席数据官", "公共数据", "数字"])
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args(argv)
    app, window = open_window(args.data_dir)
    browser = window.reference_browser
    window.tabs.setCurrentWidget(browser)
    spin(app, lambda: browser.listing_complete)
    spin(app, lambda: False, 1.0)
    box = browser.search_box
    meter = StallMeter()
    print(f"{len(window.references)} references listed")
    columns = ["round", "query", "hits shown", "stall max / over 16 ms", "found"]
    columns += ["cleared: stall max / over 16 ms"]
    print("| " + " | ".join(columns) + " |")
    print("| --- " * len(columns) + "|")
    for round_ in range(1, args.rounds + 1):
        for query in args.queries:
            meter.start()
            for end in range(1, len(query) + 1):
                box.setText(query[:end])
                spin(app, lambda: False, KEYSTROKE_S)
            shown = spin(app, lambda q=query: f"含“{q}”" in browser.hit_label.text())
            spin(app, lambda: False, 0.5)
            search_max, search_over = meter.stop()
            found = browser.hit_label.text()
            meter.start()
            box.clear()
            spin(app, lambda: False, 1.0)
            clear_max, clear_over = meter.stop()
            print(
                f"| {round_} | {query} | {shown:.2f} s | {search_max:.0f} ms / {search_over} "
                f"| {found} | {clear_max:.0f} ms / {clear_over} |"
            )
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
