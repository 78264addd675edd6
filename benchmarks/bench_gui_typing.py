"""Benchmark: does suggestion work ever delay a keystroke? (issue 6)

Builds (or reuses) bench_suggest.py's synthetic library of N paragraphs, opens the real
SuggestionPanel on it offscreen, and types a clause into a real DraftSession one
character every `--interval` ms. Every keystroke goes through session.apply and
panel.set_context, and — the worst case — is also sent to the worker at once
(refresh_now) instead of waiting for the pause. A 1 ms heartbeat timer measures how
long the event loop is stalled; the same typing without any suggestion work is the
baseline.

    python benchmarks/bench_gui_typing.py --paragraphs 1000000 --corpus /tmp/typing-corpus
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Iterator
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_suggest import CITIES, percentile, real_sentences, synthetic_library
from PySide6.QtCore import QElapsedTimer, QEventLoop, Qt, QTimer
from PySide6.QtWidgets import QApplication

from drafter.draft import operations
from drafter.draft.document import Draft
from drafter.gui.engines import EngineBundle, engine_bundle, remote_bundle
from drafter.gui.session import DraftSession
from drafter.gui.suggestion_panel import SuggestionPanel
from drafter.matching.corpus import Corpus, ParagraphRecord
from drafter.matching.engine import SuggestionEngine
from drafter.matching.service import RemoteEngine

CLAUSE = (
    "公共机构、公共场所、公共设施在符合安全、环保、景观要求且不影响正常使用的情况下，"
    "应当开放用于管道、线路、基站等信息基础设施建设共享。市人民政府应当建立健全政务数据"
    "共享协调机制，推动公共数据资源有序开放和开发利用。"
)


def synthetic_records(count: int, sentences: list[str], seed: int = 7) -> Iterator[ParagraphRecord]:
    """bench_suggest's synthetic library as the corpus's records (source ids dropped)."""
    for ref, city, chapter, article, paragraph, text, _sources in synthetic_library(
        count, sentences, seed
    ):
        yield ParagraphRecord(ref, city, chapter, article, paragraph, text)


def open_corpus(directory: Path, paragraphs: int) -> Corpus:
    if (directory / "corpus.json").exists():
        return Corpus(directory)
    sentences = real_sentences()
    started = time.perf_counter()
    corpus = Corpus.build(lambda: synthetic_records(paragraphs, sentences), directory, CITIES)
    print(f"built corpus of {paragraphs} paragraphs in {time.perf_counter() - started:.0f} s")
    return corpus


def run(panel: SuggestionPanel | None, session, uid, interval: int, eager: bool = True) -> dict:
    """Type CLAUSE twice; returns keystroke handler times and heartbeat stalls (ms).

    eager: every keystroke is sent to the worker at once (worst case); otherwise the panel
    waits for its pause as shipped, and the typist pauses 0.5 s after every 10 characters.
    """
    text = CLAUSE * 2
    handler_ms: list[float] = []
    stalls: list[float] = []
    stall_ends: list[float] = []  # perf_counter at the end of each stall, to attribute it
    clock = QElapsedTimer()
    clock.start()
    last = [clock.nsecsElapsed()]

    def beat() -> None:
        now = clock.nsecsElapsed()
        stalls.append((now - last[0]) / 1e6)
        stall_ends.append(time.perf_counter())
        last[0] = now

    heartbeat = QTimer(timerType=Qt.TimerType.PreciseTimer, interval=1)
    heartbeat.timeout.connect(beat)
    position = [0]
    loop = QEventLoop()

    def keystroke() -> None:
        position[0] += 1
        t0 = time.perf_counter()
        session.apply(
            operations.edit_paragraph, uid, 0, text[: position[0]], merge_key=("t", uid, 0)
        )
        if panel is not None:
            panel.set_context(session, uid, 0)
            if eager:
                panel.refresh_now()  # worst case: every keystroke is a query
        handler_ms.append(1000 * (time.perf_counter() - t0))
        BUSY.append(("keystroke", t0, time.perf_counter()))
        if position[0] >= len(text):
            typing.stop()
            QTimer.singleShot(1000, loop.quit)  # let the last results arrive
        elif not eager:
            typing.setInterval(500 if position[0] % 10 == 0 else interval)

    typing = QTimer(timerType=Qt.TimerType.PreciseTimer, interval=interval)
    typing.timeout.connect(keystroke)
    heartbeat.start()
    typing.start()
    loop.exec()  # the real event loop, as the window runs it
    heartbeat.stop()
    return {
        "handler": handler_ms,
        "stall": stalls[1:],
        "keys": len(handler_ms),
        "long": attribute(list(zip(stall_ends[1:], stalls[1:], strict=True))),
    }


# (what, start, end) of the UI thread's own work: keystroke handlers and result drawing.
BUSY: list[tuple[str, float, float]] = []


def attribute(stalls: list[tuple[float, float]], limit_ms: float = 16.0) -> dict[str, int]:
    """Each stall over the limit, by what the UI thread was doing in it: drawing results,
    handling a keystroke, or nothing of ours (the engine's GIL, the collector, the OS)."""
    counts = {"drawing": 0, "keystroke": 0, "other": 0}
    for end, stall in stalls:
        if stall <= limit_ms:
            continue
        start = end - stall / 1000
        inside = [what for what, t0, t1 in BUSY if t0 < end and t1 > start]
        what = "drawing" if "drawing" in inside else inside[0] if inside else "other"
        counts[what] += 1
    BUSY.clear()
    return counts


def summary(name: str, result: dict) -> str:
    stall, handler = result["stall"], result["handler"]
    return (
        f"{name}: keys={result['keys']} handler_p95_ms={percentile(handler, 0.95):.2f} "
        f"handler_max_ms={max(handler):.2f} stall_p50_ms={statistics.median(stall):.2f} "
        f"stall_p95_ms={percentile(stall, 0.95):.2f} stall_p99_ms={percentile(stall, 0.99):.2f} "
        f"stall_max_ms={max(stall):.2f} stalls_over_16ms={sum(1 for v in stall if v > 16)}"
        f"/{len(stall)} ({', '.join(f'{k} {v}' for k, v in result['long'].items())})"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paragraphs", type=int, default=1_000_000)
    parser.add_argument("--corpus", type=Path, default=Path("/tmp/drafter-typing-corpus"))
    parser.add_argument("--interval", type=int, default=60, help="ms between keystrokes")
    parser.add_argument(
        "--in-process",
        action="store_true",
        help="search in a thread of this process (before issue 14) instead of the child "
        "process the window uses (drafter.matching.service)",
    )
    args = parser.parse_args()
    corpus = open_corpus(args.corpus, args.paragraphs)
    if args.in_process:
        engine = SuggestionEngine(corpus=corpus)
    else:
        engine = RemoteEngine(corpus=corpus.directory)  # the window's way
        del corpus  # nothing of the engine stays in this process
    app = QApplication.instance() or QApplication(sys.argv[:1])
    session = DraftSession(Draft(title="某市智慧城市促进条例", city="某市"))
    chapter = session.apply(operations.add_chapter, "总则").inserted[0]
    uid = session.apply(operations.insert_article, chapter, "公").inserted[0]

    baseline = run(None, session, uid, args.interval)
    bundle: EngineBundle = (
        remote_bundle(engine) if isinstance(engine, RemoteEngine) else engine_bundle(engine)
    )
    panel = SuggestionPanel(lambda: None, engine_loader=lambda: bundle)
    while not panel.engine_ready:
        app.processEvents()
        time.sleep(0.01)
    # The engine's own speed on this library, for scale.
    timings = []
    for n in (20, 60, 120):
        t0 = time.perf_counter()
        engine.suggest(CLAUSE[:n])
        timings.append(1000 * (time.perf_counter() - t0))
    shown_ms: list[float] = []
    show = panel._show

    def timed_show(*show_args) -> None:  # the UI thread's share: drawing the results
        t0 = time.perf_counter()
        show(*show_args)
        shown_ms.append(1000 * (time.perf_counter() - t0))
        BUSY.append(("drawing", t0, time.perf_counter()))

    panel._show = timed_show
    busy = run(panel, session, uid, args.interval)
    shown_eager, shown_ms[:] = list(shown_ms), []
    served_eager, dropped_eager = panel.worker.served, panel.worker.dropped
    debounced = run(panel, session, uid, args.interval, eager=False)
    mode = "in-process thread" if args.in_process else "child process"
    print(f"paragraphs={args.paragraphs} engine={mode} interval_ms={args.interval}")
    print("suggest_ms (20/60/120 chars): " + " / ".join(f"{t:.0f}" for t in timings))
    print(summary("baseline (no suggestions)", baseline))
    print(summary("every keystroke queried (worst case)", busy))
    print(f"  queries served={served_eager} dropped_as_stale={dropped_eager}")
    print(
        f"  drawing results on the UI thread: p50_ms={statistics.median(shown_eager):.1f} "
        f"max_ms={max(shown_eager):.1f}"
    )
    print(summary("as shipped (300 ms pause, typist pauses every 10 keys)", debounced))
    worker = panel.worker
    print(
        f"  queries served={worker.served - served_eager} "
        f"dropped_as_stale={worker.dropped - dropped_eager}"
    )
    panel.shutdown()
    if isinstance(engine, RemoteEngine):
        engine.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
