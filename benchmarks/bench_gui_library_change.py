"""Benchmark: the window while a regulation is imported into, then removed from, a large
library (issue 14, the real path after start).

Opens the real main window on a library (`--data-dir`, e.g. the one `bench_library.py
--keep DIR` leaves), opens one reference at an article as a drafter would, then imports
a short regulation through the browser's own import flow and removes it again through
its remove button. A 1 ms heartbeat timer measures how long the event loop is stalled.
Prints, per round: the time until the new row is shown (and until it is gone), the
longest stall and the number over one frame (16 ms), and whether the opened reference is
still expanded and listed where it was.

    python benchmarks/bench_gui_library_change.py --data-dir /tmp/lib20k --rounds 3
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import shiboken6
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from drafter.library import batch_import

REGULATION = """苏州市公共数据管理条例
第一章 总则
第一条 为了规范公共数据管理，推进数字政府建设，根据有关法律、行政法规，结合本市实际，制定本条例。
第二条 本市行政区域内公共数据的收集、共享、开放及其相关管理活动，适用本条例。
第二章 附则
第三条 本条例自2027年1月1日起施行。
"""
FRAME_MS = 16


class StallMeter:
    """The event loop's gaps, from a 1 ms timer."""

    def __init__(self) -> None:
        self.gaps: list[float] = []
        self._last = time.perf_counter()
        self._timer = QTimer(interval=1)
        self._timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        now = time.perf_counter()
        self.gaps.append(1000 * (now - self._last))
        self._last = now

    def start(self) -> None:
        self.gaps.clear()
        self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> tuple[float, int]:
        self._timer.stop()
        return max(self.gaps, default=0.0), sum(gap > FRAME_MS for gap in self.gaps)


def spin(app: QApplication, done: Callable[[], bool], timeout: float = 120.0) -> float:
    """Run the event loop until `done` (or, when it never is, for `timeout` seconds); the
    seconds it took."""
    started = time.perf_counter()
    while not done():
        if time.perf_counter() - started > timeout:
            break
        app.processEvents()
        time.sleep(0.001)
    return time.perf_counter() - started


def open_window(data_dir: Path):
    """The real main window on the library in `data_dir`, shown, its references listed
    and the suggestion engine ready; with its application."""
    os.environ["DRAFTER_DATA_DIR"] = str(data_dir)
    app = QApplication(sys.argv[:1])
    from drafter.gui.main_window import MainWindow
    from drafter.library import ReferenceLibrary

    window = MainWindow(ReferenceLibrary())
    window.show()
    spin(app, lambda: bool(window.references) and window.panels.suggestions.engine_ready)
    return app, window


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, required=True, help="the library to use")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--open", default="haikou:37", help="REF:ARTICLE the drafter has open")
    args = parser.parse_args(argv)
    app, window = open_window(args.data_dir)
    browser = window.reference_browser
    panel = window.panels.suggestions
    opened_ref, opened_article = args.open.split(":")
    browser.show_article(opened_ref, int(opened_article))
    opened_row = browser._rows[opened_ref]
    QMessageBox.question = lambda *a, **k: QMessageBox.StandardButton.Yes  # type: ignore[method-assign]
    # The import's duplicate check asks about a library holding the same title and city
    # (the generated ones hold 苏州市公共数据管理条例); the drafter imports it anyway.
    asked: list[str] = []

    def import_anyway(duplicate: batch_import.Duplicate, _many: bool = True) -> str:
        asked.append(duplicate.why)
        return batch_import.IMPORT

    browser.ask_duplicate = import_anyway  # type: ignore[method-assign]
    meter = StallMeter()
    source = Path(tempfile.mkdtemp()) / "suzhou-bench.txt"
    source.write_text(REGULATION, encoding="utf-8")
    print(f"{len(window.references)} references listed; {args.open} open")
    columns = ["round", "row shown", "stall max / over 16 ms", "row gone"]
    columns += ["stall max / over 16 ms", "kept open"]
    print("| " + " | ".join(columns) + " |")
    print("| --- " * len(columns) + "|")
    count = browser.tree.topLevelItemCount()
    for round_ in range(1, args.rounds + 1):
        time.sleep(0.5)
        meter.start()
        browser.import_path(source, ref_id="suzhou-bench")
        shown = spin(app, lambda: browser.tree.topLevelItemCount() == count + 1)
        # Until the suggestion engine has reopened the library with it, and a moment more.
        spin(app, lambda: f"{count + 1} 部法规" in panel.status_label.text())
        spin(app, lambda: False, 0.5)
        add_max, add_over = meter.stop()
        time.sleep(0.5)
        meter.start()
        browser.show_article("suzhou-bench", 1)
        browser._remove_selected()
        gone = spin(app, lambda: browser.tree.topLevelItemCount() == count)
        spin(app, lambda: f"{count} 部法规" in panel.status_label.text())
        spin(app, lambda: False, 0.5)
        remove_max, remove_over = meter.stop()
        # The same row, still open (a list read again had deleted it).
        kept = shiboken6.isValid(opened_row) and opened_row.isExpanded()
        print(
            f"| {round_} | {shown:.2f} s | {add_max:.0f} ms / {add_over} | {gone:.2f} s "
            f"| {remove_max:.0f} ms / {remove_over} | {'yes' if kept else 'no'} |"
        )
        browser.show_article(opened_ref, int(opened_article))
    if asked:
        print(f"duplicate questions answered 仍然导入: {len(asked)} ({', '.join(set(asked))})")
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
