"""What adding one reference costs once the index is large (issue 14, item 2).

Opens a saved main segment of N paragraphs (bench_gui_typing.py's synthetic library,
built once and reused), then measures through drafter.matching.segments:
- building a delta segment for one more reference (60 articles, 1–4 paragraphs each),
  under the main segment's statistics, as an import does;
- opening the main segment plus that delta as one corpus (what every later search does);
- query latency (p50/p95 over short and long queries) with and without the delta;
- a tombstone: the same view with one reference dead.

    python benchmarks/bench_index_update.py --paragraphs 1000000 --corpus /tmp/typing-corpus-1m
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_gui_typing import open_corpus, synthetic_records
from bench_suggest import percentile, real_sentences

from drafter.matching.corpus import Corpus, ParagraphRecord
from drafter.matching.engine import SuggestionEngine
from drafter.matching.segments import SegmentedCorpus

QUERIES = [
    "首席数据官制度",
    "公共数据开放",
    "数据安全管理责任",
    "市人民政府应当建立健全公共数据共享协调机制，统筹推进数据资源目录编制和数据归集。",
    "公共机构、公共场所、公共设施在符合安全、环保、景观要求且不影响正常使用的情况下，"
    "应当开放用于管道、线路、基站等信息基础设施建设共享。",
]


def one_reference(sentences: list[str]) -> list[ParagraphRecord]:
    """A 60-article reference unlike the main segment's (its own id and city)."""
    records = []
    for record in synthetic_records(200, sentences, seed=99):
        records.append(
            ParagraphRecord(
                "added",
                "苏州市",
                record.chapter_title,
                record.article,
                record.paragraph,
                record.text,
            )
        )
    # One clause no synthetic paragraph has, to see the delta answer a search.
    first = records[0]
    records[0] = ParagraphRecord(
        first.ref, first.city, first.chapter_title, first.article, first.paragraph, UNIQUE
    )
    return records


UNIQUE = "市人民政府应当建设量子加密算力调度枢纽，推动太湖沿岸超算中心与边缘节点协同调度。"


def latencies(engine: SuggestionEngine, rounds: int = 5) -> list[float]:
    times = []
    for _ in range(rounds):
        for query in QUERIES:
            started = time.perf_counter()
            engine.suggest(query)
            times.append(1000 * (time.perf_counter() - started))
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paragraphs", type=int, default=1_000_000)
    parser.add_argument("--corpus", type=Path, default=Path("/tmp/drafter-typing-corpus"))
    args = parser.parse_args()
    main_segment = open_corpus(args.corpus, args.paragraphs)
    sentences = real_sentences()
    records = one_reference(sentences)
    work = Path(tempfile.mkdtemp(prefix="bench-delta-"))
    try:
        started = time.perf_counter()
        Corpus.build(lambda: iter(records), work / "delta", main_segment.cities, main_segment)
        build = time.perf_counter() - started
        started = time.perf_counter()
        main_again = Corpus(main_segment.directory)
        delta = Corpus(work / "delta", main_again)
        view = SegmentedCorpus(work, [main_again, delta], [[], []])
        open_seconds = time.perf_counter() - started
        plain = latencies(SuggestionEngine(corpus=main_segment))
        with_delta_engine = SuggestionEngine(corpus=view)
        with_delta = latencies(with_delta_engine)
        found = with_delta_engine.suggest("量子加密算力调度枢纽 超算中心与边缘节点协同调度", top=1)
        dead = SegmentedCorpus(work, [main_again, delta], [[main_again.refs[0]], []])
        tombstoned = latencies(SuggestionEngine(corpus=dead), rounds=2)
        size = sum(f.stat().st_size for f in (work / "delta").rglob("*") if f.is_file())
        print(f"main segment: {len(main_segment)} paragraphs; delta: {len(records)} paragraphs")
        print(f"delta build: {build:.2f} s, {size / 1024:.0f} KiB on disk")
        print(f"open main + delta as one corpus: {open_seconds * 1000:.0f} ms")
        for name, values in (
            ("main only", plain),
            ("main + delta", with_delta),
            ("main + delta, one reference dead", tombstoned),
        ):
            print(
                f"{name}: p50 {statistics.median(values):.1f} ms, "
                f"p95 {percentile(values, 0.95):.1f} ms"
            )
        print(f"a clause only the added reference has comes first: {found[0].ref == 'added'}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
