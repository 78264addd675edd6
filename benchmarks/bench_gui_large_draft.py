"""Benchmark: typing in the real window into a long draft.

A province's regulation has 100 articles and more. This builds a draft of every article
of the five bundled references (252 articles, each with its adopted source), saves it,
opens it in the real MainWindow as `drafter FILE` does (offscreen), puts the caret at the
end of the 101st article's first 款 and types one character every `--interval` ms as an
input method commits it. It reports the time each keystroke takes to handle (the edit,
the undo step, every panel's update) and, with a 1 ms heartbeat, how long the event loop
stalled; then the same for a draft of the first `--small` articles.

    QT_QPA_PLATFORM=offscreen python benchmarks/bench_gui_large_draft.py --keys 60
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QElapsedTimer, QEventLoop, QTimer
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication

from drafter.draft.adoption import Clause, adopt
from drafter.draft.document import Draft
from drafter.draft.project_file import save_project
from drafter.gui.app import create_application
from drafter.gui.main_window import MainWindow
from drafter.library import ReferenceLibrary

CHAPTERS = ["总则", "规划建设", "数据资源", "应用场景", "保障措施", "法律责任", "附则"]


def long_draft(library: ReferenceLibrary, limit: int | None = None) -> Draft:
    """Every article of the bundled references, adopted in turn into seven chapters."""
    draft = Draft.with_chapters("某市数字城市促进条例", "某市", CHAPTERS)
    count = 0
    for summary in library.summaries():
        reference = library.get(summary.id)
        for article in reference.statute.articles():
            if limit is not None and count >= limit:
                return draft
            chapter = draft.chapters[count * len(CHAPTERS) // 260].uid
            clause = Clause(summary.id, reference.city, article.number, 0, article.text())
            adopt(draft, clause, mode="article", chapter_uid=chapter)
            count += 1
    return draft


def _wait(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def type_into(window: MainWindow, path: Path, keys: int, interval: int) -> dict:
    assert window.files.open_path(path)
    _wait(2000)
    assert window.session is not None
    articles = list(window.session.draft.articles())
    window.outline.select_uid(articles[min(100, len(articles) - 1)].uid)
    window.editor.focus_paragraph(0, 10**6)
    _wait(1500)
    clock = QElapsedTimer()
    clock.start()
    gaps: list[int] = []
    last = [clock.elapsed()]

    def beat() -> None:
        now = clock.elapsed()
        gaps.append(now - last[0])
        last[0] = now

    heartbeat = QTimer()
    heartbeat.setInterval(1)
    heartbeat.timeout.connect(beat)
    heartbeat.start()
    handled: list[float] = []
    for _ in range(keys):
        box = QApplication.focusWidget()
        event = QInputMethodEvent()
        event.setCommitString("数")
        started = time.perf_counter()
        QApplication.sendEvent(box, event)
        handled.append(1000 * (time.perf_counter() - started))
        _wait(interval)
    _wait(2000)  # the pause after typing: what runs then counts too
    heartbeat.stop()
    window.files.autosave.timer.stop()
    window.session.undo_stack.setClean()  # no unsaved-changes question on the next open
    ordered = sorted(handled)
    return {
        "articles": len(articles),
        "median": statistics.median(handled),
        "p95": ordered[int(0.95 * (len(ordered) - 1))],
        "max": ordered[-1],
        "stall": max(gaps),
        "over_frame": sum(gap > 16 for gap in gaps),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keys", type=int, default=60, help="characters typed")
    parser.add_argument("--interval", type=int, default=150, help="ms between keystrokes")
    parser.add_argument("--small", type=int, default=6, help="articles of the short draft")
    args = parser.parse_args()
    os.environ.setdefault("DRAFTER_DATA_DIR", tempfile.mkdtemp(prefix="bench-large-draft-"))
    app = create_application()
    library = ReferenceLibrary()
    folder = Path(tempfile.mkdtemp(prefix="bench-large-draft-files-"))
    window = MainWindow(library)
    window.show()
    _wait(3000)
    rows = []
    for name, limit in (("long", None), ("short", args.small)):
        path = folder / f"{name}.drafter.json"
        save_project(long_draft(library, limit), path)
        rows.append(type_into(window, path, args.keys, args.interval))
    print("| draft | keystroke handled, median / p95 / max | longest stall / over 16 ms |")
    print("| --- | --- | --- |")
    for row in rows:
        print(
            f"| {row['articles']} articles | {row['median']:.1f} / {row['p95']:.1f} / "
            f"{row['max']:.1f} ms | {row['stall']} ms / {row['over_frame']} |"
        )
    window.set_session(None)
    del app
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
