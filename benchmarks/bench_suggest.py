"""Benchmark clause suggestions on a deterministic synthetic library of N paragraphs.

The library recombines real sentences of the bundled references with small edits
(city names swapped, characters dropped, inserted or replaced), grouped into articles
of 1–4 paragraphs and references of 60 articles. Measures index build time, load time,
peak RSS and query latency (p50/p95) for short intents and for long clauses.

    python benchmarks/bench_suggest.py --paragraphs 100000
"""

from __future__ import annotations

import argparse
import random
import re
import resource
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from drafter.library import ReferenceLibrary
from drafter.matching.corpus import Corpus, ParagraphRecord, library_records
from drafter.matching.engine import SuggestionEngine

CITIES = ["鹰潭市", "海口市", "成都市", "济宁市", "无锡市", "洛阳市", "泉州市", "柳州市"]
FILLER = "数据信息平台服务管理建设应用共享安全智慧城市推进完善规范"
ARTICLES_PER_REF = 60


def real_sentences() -> list[str]:
    """Sentences of the bundled references, cleaned by the library."""
    sentences: list[str] = []
    for record in library_records(ReferenceLibrary()):
        for sentence in re.split(r"(?<=[。；])", record.text):
            if len(sentence) >= 8:
                sentences.append(sentence)
    return sentences


def edit(sentence: str, rng: random.Random) -> str:
    """A copy with a swapped city and a few character edits."""
    for city in CITIES:
        if city in sentence:
            sentence = sentence.replace(city, rng.choice(CITIES))
    chars = list(sentence)
    for _ in range(rng.randint(0, 3)):
        position = rng.randrange(len(chars))
        action = rng.random()
        if action < 0.33 and len(chars) > 8:
            del chars[position]
        elif action < 0.66:
            chars.insert(position, rng.choice(FILLER))
        else:
            chars[position] = rng.choice(FILLER)
    return "".join(chars)


def synthetic_records(count: int, sentences: list[str], seed: int = 7) -> Iterator[ParagraphRecord]:
    """Deterministic paragraphs: 1–3 edited real sentences each, streamed."""
    rng = random.Random(seed)
    made = 0
    ref_number = 0
    while made < count:
        ref_id, city = f"synth{ref_number:06d}", rng.choice(CITIES)
        for article in range(1, ARTICLES_PER_REF + 1):
            for paragraph in range(1, rng.randint(1, 4) + 1):
                text = "".join(edit(rng.choice(sentences), rng) for _ in range(rng.randint(1, 3)))
                yield ParagraphRecord(
                    ref_id, city, f"第{article // 10 + 1}章", article, paragraph, text
                )
                made += 1
                if made >= count:
                    return
        ref_number += 1


def queries(sentences: list[str], seed: int = 11) -> tuple[list[str], list[str]]:
    """Short intents (2–20 characters) and long clauses (50–400 characters)."""
    rng = random.Random(seed)
    short = []
    for _ in range(200):
        sentence = rng.choice(sentences)
        length = rng.randint(2, min(20, len(sentence)))
        start = rng.randrange(len(sentence) - length + 1)
        short.append(sentence[start : start + length])
    long = []
    while len(long) < 100:
        text = "".join(edit(rng.choice(sentences), rng) for _ in range(rng.randint(1, 4)))
        if 50 <= len(text) <= 400:
            long.append(text)
    return short, long


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paragraphs", type=int, default=100_000)
    parser.add_argument("--workdir", type=Path, default=None, help="where to build the index")
    args = parser.parse_args()
    sentences = real_sentences()
    workdir = Path(tempfile.mkdtemp(prefix="bench-suggest-", dir=args.workdir))
    try:
        started = time.perf_counter()
        Corpus.build(
            lambda: synthetic_records(args.paragraphs, sentences), workdir / "corpus", CITIES
        )
        build_s = time.perf_counter() - started
        started = time.perf_counter()
        engine = SuggestionEngine(corpus=Corpus(workdir / "corpus"))
        load_s = time.perf_counter() - started
        short, long = queries(sentences)
        engine.suggest(short[0])  # warm caches once, as an open window would be
        latencies: dict[str, list[float]] = {"short": [], "long": []}
        for kind, batch in (("short", short), ("long", long)):
            for query in batch:
                t0 = time.perf_counter()
                engine.suggest(query, top=10)
                latencies[kind].append(1000 * (time.perf_counter() - t0))
        rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"rss_mb includes the build: it ran in this process ({rss_mb:.0f} MB peak)")
        for kind, values in latencies.items():
            print(
                f"{kind}: n={len(values)} p50_ms={statistics.median(values):.1f} "
                f"p95_ms={percentile(values, 0.95):.1f} max_ms={max(values):.1f}"
            )
        print(f"load_s={load_s:.3f}")
        every = latencies["short"] + latencies["long"]
        print(
            f"paragraphs={args.paragraphs} build_s={build_s:.1f} "
            f"p50_ms={statistics.median(every):.1f} p95_ms={percentile(every, 0.95):.1f} "
            f"rss_mb={rss_mb:.0f}"
        )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
