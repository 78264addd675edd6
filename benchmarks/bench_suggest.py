"""Benchmark clause suggestions on a deterministic synthetic library of N paragraphs,
side by side with what a user would pick instead (tantivy, SQLite FTS5, bm25s).

The library recombines real sentences of the bundled references with small edits
(city names swapped, characters dropped, inserted or replaced), grouped into articles
of 1–4 paragraphs and references of 60 articles; the source sentences of every paragraph
and every query are recorded. Each engine (ours and each installed peer, see peers.py)
builds its index in a child process, so each peak RSS is its own, and is then queried:
in the process that built it, or with `--fresh` in a new process that opens the saved
index. Printed per engine, with ratios against ours: build time, peak RSS, index size,
load time, p50/p95 for short intents and long clauses (wall time; and the p50 of the
query process's CPU time, all its threads, which a loaded machine disturbs less), and
relevance by source-sentence overlap (precision@10; for long clauses also recall@10 of
the query's own sentences).

    python benchmarks/bench_suggest.py --paragraphs 100000
    python benchmarks/bench_suggest.py --paragraphs 100000 --fresh --busy
    python benchmarks/bench_suggest.py --paragraphs 100000 --fresh --busy \
        --keep /tmp/bench100k --engine-env OPENBLAS_NUM_THREADS=1

Relevance here cannot see article context, which our rerank reads (the synthetic
articles are random paragraphs); the real gold files (`drafter eval`) judge quality.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from array import array
from collections.abc import Iterator
from pathlib import Path

# The engines' processes start from this environment (plus --engine-env), not from what
# importing drafter sets below.
ENV_AT_START = dict(os.environ)
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

# drafter first, as in the app: whatever it sets before numpy loads (BLAS threads) holds
# for every engine measured in this process.
import drafter  # noqa: E402, F401, I001
import peers  # noqa: E402

CITIES = ["鹰潭市", "海口市", "成都市", "济宁市", "无锡市", "洛阳市", "泉州市", "柳州市"]
FILLER = "数据信息平台服务管理建设应用共享安全智慧城市推进完善规范"
ARTICLES_PER_REF = 60
TOP = 10
# ours-cand: our candidate stage alone (normalise, query terms, postings, top k by
# cosine), over ours' saved index: what a peer would replace under our rerank.
ENGINES = ("ours", "ours-cand", *peers.PEERS)
BUILT_BY = {"ours-cand": "ours"}


def real_sentences() -> list[str]:
    """Sentences of the bundled references, cleaned by the library."""
    from drafter.library import ReferenceLibrary
    from drafter.matching.corpus import library_records

    sentences: list[str] = []
    for record in library_records(ReferenceLibrary()):
        for sentence in re.split(r"(?<=[。；])", record.text):
            if len(sentence) >= 8:
                sentences.append(sentence)
    return sentences


def canonical_ids(sentences: list[str]) -> list[int]:
    """Per sentence, the id of the first sentence with the same text once cities are
    blanked: a clause copied from city to city is one source."""
    first: dict[str, int] = {}
    ids = []
    for number, sentence in enumerate(sentences):
        key = sentence
        for city in CITIES:
            key = key.replace(city, "□")
        ids.append(first.setdefault(key, number))
    return ids


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


def recombined(sentences: list[str], count: int, rng: random.Random) -> tuple[str, list[int]]:
    """`count` edited sentences joined, with the ids of the sentences they were made from.
    (randrange draws exactly as choice did, so the library is the one measured before.)"""
    picked, texts = [], []
    for _ in range(count):
        picked.append(rng.randrange(len(sentences)))
        texts.append(edit(sentences[picked[-1]], rng))
    return "".join(texts), picked


def synthetic_library(
    count: int, sentences: list[str], seed: int = 7
) -> Iterator[tuple[str, str, str, int, int, str, list[int]]]:
    """Deterministic paragraphs (ref, city, chapter, article, paragraph, text, source
    sentence ids): 1–3 edited real sentences each, streamed."""
    rng = random.Random(seed)
    made = 0
    ref_number = 0
    while made < count:
        ref_id, city = f"synth{ref_number:06d}", rng.choice(CITIES)
        for article in range(1, ARTICLES_PER_REF + 1):
            for paragraph in range(1, rng.randint(1, 4) + 1):
                text, sources = recombined(sentences, rng.randint(1, 3), rng)
                yield ref_id, city, f"第{article // 10 + 1}章", article, paragraph, text, sources
                made += 1
                if made >= count:
                    return
        ref_number += 1


def queries(sentences: list[str], seed: int = 11) -> list[dict]:
    """200 short intents (2–20 characters cut from a real sentence) and 100 long clauses
    (50–400 characters of edited sentences), each with its source sentence ids."""
    rng = random.Random(seed)
    made = []
    for _ in range(200):
        source = rng.randrange(len(sentences))
        sentence = sentences[source]
        length = rng.randint(2, min(20, len(sentence)))
        start = rng.randrange(len(sentence) - length + 1)
        made.append({"kind": "short", "text": sentence[start : start + length], "from": [source]})
    long = 0
    while long < 100:
        text, sources = recombined(sentences, rng.randint(1, 4), rng)
        if 50 <= len(text) <= 400:
            made.append({"kind": "long", "text": text, "from": sources})
            long += 1
    return made


def relevant_sources(query: dict, sentences: list[str], canon: list[int]) -> set[int]:
    """The source sentences a result may share to count as relevant: a long clause's own
    sentences; for a short intent, every sentence that contains it (a 4-character intent
    occurs in many sentences, all of them right answers)."""
    if query["kind"] == "long":
        return {canon[i] for i in query["from"]}
    return {canon[i] for i, sentence in enumerate(sentences) if query["text"] in sentence}


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def directory_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


# --- child processes: one engine's build, or its query phase ---


def _library_file_records(path: Path):
    from drafter.matching.corpus import ParagraphRecord

    with path.open(encoding="utf-8") as lines:
        for line in lines:
            ref, city, chapter, article, paragraph, text = json.loads(line)
            yield ParagraphRecord(ref, city, chapter, article, paragraph, text)


def _texts(path: Path) -> Iterator[str]:
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            yield json.loads(line)[5]


def child_build(engine: str, library: Path, directory: Path) -> dict:
    started = time.perf_counter()
    if engine == "ours":
        from drafter.matching.corpus import Corpus

        Corpus.build(lambda: _library_file_records(library), directory, CITIES)
    else:
        peers.ENGINES[engine].build(_texts(library), directory)
    return {"build_s": time.perf_counter() - started}


class _Ours:
    """Our engine behind the peers' search(query, k) -> positions."""

    def __init__(self, directory: Path) -> None:
        from drafter.matching.corpus import Corpus
        from drafter.matching.engine import SuggestionEngine

        self.engine = SuggestionEngine(corpus=Corpus(directory))
        self.last: list = []

    def search(self, query: str, k: int) -> list:
        self.last = self.engine.suggest(query, top=k)
        return self.last

    def positions(self, found: list) -> list[int]:
        import numpy as np

        corpus = self.engine.corpus
        result = []
        for suggestion in found:
            ref = self.engine._ref_ids[suggestion.ref]
            lo = int(np.searchsorted(corpus.ref_of, ref, side="left"))
            hi = int(np.searchsorted(corpus.ref_of, ref, side="right"))
            match = (corpus.article_of[lo:hi] == suggestion.article) & (
                corpus.paragraph_of[lo:hi] == suggestion.paragraph
            )
            result.append(lo + int(np.flatnonzero(match)[0]))
        return result


class _OursCandidates(_Ours):
    """Our candidate stage without the rerank: the k best paragraphs by postings cosine."""

    def search(self, query: str, k: int) -> list:
        import numpy as np

        from drafter.matching.scoring import QueryFeatures

        corpus = self.engine.corpus
        features = QueryFeatures.of(
            self.engine.normalizer.normalize(query), corpus.index, corpus.full_terms
        )
        if not len(features.known_ids):
            return []
        cosine = self.engine.cosines(features).values
        count = min(k, int(np.count_nonzero(cosine)))
        if count == 0:
            return []
        top = np.argpartition(-cosine, count - 1)[:count]
        return top[np.argsort(-cosine[top], kind="stable")].tolist()

    def positions(self, found: list) -> list[int]:
        return found


def child_query(engine: str, directory: Path, query_file: Path, busy: bool) -> dict:
    burner = None
    if busy:  # one core kept busy for the whole query phase
        burner = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        started = time.perf_counter()
        if engine in ("ours", "ours-cand"):
            searcher = (_Ours if engine == "ours" else _OursCandidates)(directory)
        else:
            searcher = peers.open_peer(engine, directory)
        load_s = time.perf_counter() - started
        batch = json.loads(query_file.read_text(encoding="utf-8"))
        searcher.search(batch[0]["text"], TOP)  # warm once, as an open window would be
        latencies, cpu, found = [], [], []
        for query in batch:
            t0, c0 = time.perf_counter(), time.process_time()
            hits = searcher.search(query["text"], TOP)
            latencies.append(1000 * (time.perf_counter() - t0))
            cpu.append(1000 * (time.process_time() - c0))  # every thread of this process
            found.append(hits)
        if engine in ("ours", "ours-cand"):
            found = [searcher.positions(hits) for hits in found]
    finally:
        if burner is not None:
            burner.kill()
            burner.wait()
    return {"load_s": load_s, "latencies": latencies, "cpu": cpu, "found": found}


def run_child(args: argparse.Namespace) -> int:
    result: dict = {}
    if args.child in ("build", "build+query"):
        result.update(child_build(args.engine, args.library, args.dir))
        result["build_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        # The largest of the build's worker processes (ours normalises in workers).
        workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        result["build_worker_rss_mb"] = workers
    if args.child in ("query", "build+query"):
        result.update(child_query(args.engine, args.dir, args.queries, args.busy))
        result["query_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    args.out.write_text(json.dumps(result), encoding="utf-8")
    return 0


# --- the parent: generate once, run each engine in children, compare ---


def _spawn(args: argparse.Namespace, mode: str, engine: str, work: Path, env: dict) -> dict:
    out = work / f"{engine}.{mode}.json"
    command = [
        sys.executable, __file__, "--child", mode, "--engine", engine,
        "--dir", str(work / BUILT_BY.get(engine, engine)),
        "--library", str(work / "library.jsonl"),
        "--queries", str(work / "queries.json"), "--out", str(out),
    ]  # fmt: skip
    if args.busy:
        command.append("--busy")
    subprocess.run(command, check=True, env=env)
    return json.loads(out.read_text(encoding="utf-8"))


def measure(args: argparse.Namespace) -> dict:
    """Figures per engine: {engine: {...}} (also the test's entry point)."""
    sentences = real_sentences()
    canon = canonical_ids(sentences)
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-suggest-"))
    work.mkdir(parents=True, exist_ok=True)
    env = dict(ENV_AT_START)
    for assignment in args.engine_env:
        key, _, value = assignment.partition("=")
        env[key] = value
    try:
        sources = array("i")
        source_ptr = array("q", [0])
        stamp = work / "library.json"
        fresh_library = not stamp.exists() or json.loads(stamp.read_text())["n"] != args.paragraphs
        with (work / "library.jsonl").open("w" if fresh_library else "r", encoding="utf-8") as out:
            for *fields, picked in synthetic_library(args.paragraphs, sentences):
                if fresh_library:
                    out.write(json.dumps(fields, ensure_ascii=False) + "\n")
                sources.extend(canon[i] for i in picked)
                source_ptr.append(len(sources))
        if fresh_library:
            for engine in ENGINES:  # indexes of another library are stale
                shutil.rmtree(work / engine, ignore_errors=True)
            stamp.write_text(json.dumps({"n": args.paragraphs}))
        batch = queries(sentences)
        (work / "queries.json").write_text(json.dumps(batch, ensure_ascii=False), "utf-8")
        wanted = [relevant_sources(q, sentences, canon) for q in batch]
        figures: dict[str, dict] = {}
        for engine in args.engines:
            if not peers.available(engine):
                print(f"{engine}: not installed, skipped", file=sys.stderr)
                continue
            built = work / f"{engine}.build.json"
            result: dict = {}
            if engine in BUILT_BY:  # queries another engine's index: build it if missing
                index = work / BUILT_BY[engine]
                owner = work / f"{BUILT_BY[engine]}.build.json"
                if not (index.exists() and owner.exists()):
                    shutil.rmtree(index, ignore_errors=True)
                    owner.write_text(json.dumps(_spawn(args, "build", BUILT_BY[engine], work, env)))
                result.update(json.loads(owner.read_text()))
                result.update(_spawn(args, "query", engine, work, env))
            elif args.fresh:
                if (work / engine).exists() and built.exists():
                    result.update(json.loads(built.read_text()))  # kept from an earlier run
                else:
                    shutil.rmtree(work / engine, ignore_errors=True)
                    result.update(_spawn(args, "build", engine, work, env))
                    kept = ("build_s", "build_rss_mb", "build_worker_rss_mb")
                    built.write_text(json.dumps({k: result[k] for k in kept}))
                result.update(_spawn(args, "query", engine, work, env))
            else:
                shutil.rmtree(work / engine, ignore_errors=True)
                result.update(_spawn(args, "build+query", engine, work, env))
                kept = ("build_s", "build_rss_mb", "build_worker_rss_mb")
                built.write_text(json.dumps({k: result[k] for k in kept}))
            result["size_mb"] = directory_size(work / BUILT_BY.get(engine, engine)) / 2**20
            figures[engine] = summarise(result, batch, wanted, sources, source_ptr)
        return figures
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


def summarise(result: dict, batch: list[dict], wanted: list[set[int]], sources, ptr) -> dict:
    """Latency percentiles and relevance per query kind."""
    summary = {k: result[k] for k in ("build_s", "build_rss_mb", "size_mb", "load_s")}
    summary["build_worker_rss_mb"] = result.get("build_worker_rss_mb", 0.0)
    summary["query_rss_mb"] = result["query_rss_mb"]
    for kind in ("short", "long"):
        rows = [i for i, q in enumerate(batch) if q["kind"] == kind]
        values = [result["latencies"][i] for i in rows]
        summary[f"{kind}_p50_ms"] = statistics.median(values)
        summary[f"{kind}_p95_ms"] = percentile(values, 0.95)
        summary[f"{kind}_cpu_p50_ms"] = statistics.median(result["cpu"][i] for i in rows)
        precision, recall = [], []
        for i in rows:
            got = [set(sources[ptr[p] : ptr[p + 1]]) for p in result["found"][i]]
            precision.append(sum(1 for s in got if s & wanted[i]) / TOP)
            covered = set().union(*got) if got else set()
            recall.append(len(covered & wanted[i]) / len(wanted[i]))
        summary[f"{kind}_p@10"] = statistics.fmean(precision)
        if kind == "long":
            summary["long_recall@10"] = statistics.fmean(recall)
    return summary


COLUMNS = [
    ("build_s", "build s", "{:.1f}"),
    ("build_rss_mb", "build RSS MB", "{:.0f}"),
    ("build_worker_rss_mb", "largest worker RSS MB", "{:.0f}"),
    ("size_mb", "index MB", "{:.0f}"),
    ("load_s", "load s", "{:.3f}"),
    ("query_rss_mb", "query RSS MB", "{:.0f}"),
    ("short_p50_ms", "short p50", "{:.1f}"),
    ("short_p95_ms", "short p95", "{:.1f}"),
    ("long_p50_ms", "long p50", "{:.1f}"),
    ("long_p95_ms", "long p95", "{:.1f}"),
    ("short_cpu_p50_ms", "short CPU p50", "{:.1f}"),
    ("long_cpu_p50_ms", "long CPU p50", "{:.1f}"),
    ("short_p@10", "short P@10", "{:.3f}"),
    ("long_p@10", "long P@10", "{:.3f}"),
    ("long_recall@10", "long R@10", "{:.3f}"),
]


def table(figures: dict[str, dict]) -> str:
    """A markdown table: one row per engine, each figure with its ratio against ours."""
    base = figures.get("ours", {})
    lines = [
        "| engine | " + " | ".join(title for _, title, _ in COLUMNS) + " |",
        "| --- " * (len(COLUMNS) + 1) + "|",
    ]
    for engine, summary in figures.items():
        cells = []
        for key, _, form in COLUMNS:
            cell = form.format(summary[key])
            if engine != "ours" and base.get(key):
                cell += f" ({summary[key] / base[key]:.2f}×)"
            cells.append(cell)
        lines.append(f"| {engine} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paragraphs", type=int, default=100_000)
    parser.add_argument(
        "--engines", default=",".join(ENGINES), type=lambda s: s.split(","),
        help="comma-separated, of: " + ",".join(ENGINES) + " (missing peers are skipped)",
    )  # fmt: skip
    parser.add_argument("--fresh", action="store_true", help="query in a new process")
    parser.add_argument("--busy", action="store_true", help="keep one core busy while querying")
    parser.add_argument(
        "--engine-env", action="append", default=[], metavar="KEY=VALUE",
        help="environment of the engines' processes (e.g. OPENBLAS_NUM_THREADS=1)",
    )  # fmt: skip
    parser.add_argument("--keep", type=Path, help="work folder to keep (and reuse with --fresh)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    for hidden in ("--child", "--engine", "--dir", "--library", "--queries", "--out"):
        parser.add_argument(hidden, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    for name in ("dir", "library", "queries", "out"):
        if getattr(args, name):
            setattr(args, name, Path(getattr(args, name)))
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    if args.child:
        return run_child(args)
    figures = measure(args)
    if args.json:
        print(json.dumps(figures, indent=1))
        return 0
    mode = "fresh query process" if args.fresh else "queried in the build process"
    extra = (", one core busy" if args.busy else "") + "".join(f", {e}" for e in args.engine_env)
    coretype = os.environ.get("OPENBLAS_CORETYPE", "unset")
    print(f"paragraphs={args.paragraphs} ({mode}{extra}; OPENBLAS_CORETYPE={coretype})")
    print(table(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
