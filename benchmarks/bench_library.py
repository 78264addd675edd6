"""The app's real path with a large library (issue 14): import N generated regulations, then time
the window's start, `refs list`, `suggest`, importing and removing one reference.

    python benchmarks/bench_library.py --references 200 [--keep DIR] [--json] [--seed 14]

The N regulations are recombinations of the five bundled references' real articles: each takes
20–80 articles drawn from the five, renumbered into 3–8 chapters, with the source cities' names
replaced by a new (real) prefecture-level city and a title varied over several subjects. They
are written as UTF-8 .txt files and imported through the command line (`drafter refs import`,
one file per process, or a folder at once when that form exists), into a fresh data directory.

Every measurement is a fresh process (`python -m drafter …`), offscreen, with its wall time and
peak RSS (from wait4). Figures under 5 s are the median of 5 runs. The same measurements are
taken on a second, fresh data directory with only the five bundled references (the baseline),
and the table shows both and their ratio. No network is needed.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUERY = "首席数据官"
# A warm command's time on this shared machine falls in two bands (0.29-0.33 s and
# 0.42-0.46 s for the same suggest, either library size): a median of three could land in
# either, and the 200-reference ratios moved by 0.5 between runs of one commit.
REPEAT = 5
SLOW_SECONDS = 5.0  # at or above this, one run is enough (and five would take too long)

CITIES = [
    "石家庄市", "唐山市", "保定市", "太原市", "大同市", "包头市", "鄂尔多斯市", "沈阳市",
    "大连市", "鞍山市", "长春市", "吉林市", "哈尔滨市", "齐齐哈尔市", "南京市", "苏州市",
    "常州市", "南通市", "扬州市", "徐州市", "杭州市", "宁波市", "温州市", "绍兴市", "嘉兴市",
    "湖州市", "金华市", "台州市", "合肥市", "芜湖市", "蚌埠市", "福州市", "厦门市", "泉州市",
    "漳州市", "南昌市", "赣州市", "九江市", "上饶市", "青岛市", "烟台市", "潍坊市", "淄博市",
    "临沂市", "威海市", "郑州市", "洛阳市", "开封市", "南阳市", "武汉市", "宜昌市", "襄阳市",
    "长沙市", "株洲市", "湘潭市", "岳阳市", "广州市", "深圳市", "珠海市", "佛山市", "东莞市",
    "中山市", "惠州市", "汕头市", "南宁市", "柳州市", "桂林市", "三亚市", "绵阳市", "德阳市",
    "宜宾市", "贵阳市", "遵义市", "昆明市", "曲靖市", "西安市", "宝鸡市", "咸阳市", "兰州市",
    "天水市", "西宁市", "银川市", "乌鲁木齐市", "克拉玛依市", "拉萨市",
]  # fmt: skip
SUBJECTS = [
    "数字经济促进条例",
    "公共数据管理条例",
    "智慧城市建设条例",
    "数字政府建设条例",
    "大数据发展应用条例",
    "城市数字化转型促进条例",
    "信息化促进条例",
    "数据条例",
]
STATUSES = ["", "（草案）", "（征求意见稿）"]
MIDDLE_CHAPTERS = [
    "规划与建设",
    "基础设施",
    "数据资源",
    "应用与服务",
    "产业发展",
    "数字治理",
    "安全保障",
    "促进措施",
    "监督管理",
]
SOURCE_CITIES = ["鹰潭市", "海口市", "成都市", "济宁市", "无锡市"]
_NUMERALS = "零一二三四五六七八九"
IDEOGRAPHIC_SPACE = "\u3000"


def chinese_number(number: int) -> str:
    """1–999 in Chinese numerals as statutes write them (十一, 二十, 一百零五)."""
    hundreds, rest = divmod(number, 100)
    tens, units = divmod(rest, 10)
    text = f"{_NUMERALS[hundreds]}百" if hundreds else ""
    if tens:
        text += ("" if tens == 1 and not hundreds else _NUMERALS[tens]) + "十"
    elif hundreds and units:
        text += "零"
    if units:
        text += _NUMERALS[units]
    return text


def item_label(index: int) -> str:
    return f"（{chinese_number(index)}）"


@dataclass
class SourceArticle:
    city: str
    paragraphs: list[tuple[str, list[str]]]


def source_articles() -> list[SourceArticle]:
    """Every article of the five bundled references, as text (loaded from a throwaway data
    directory so the user's own library is neither read nor changed)."""
    from drafter.library import ReferenceLibrary

    with tempfile.TemporaryDirectory() as tmp:
        library = ReferenceLibrary(data_dir=Path(tmp))
        articles = []
        for ref_id in library.bundled_ids():
            reference = library.get(ref_id)
            for article in reference.statute.articles():
                paragraphs = [(p.text, list(p.items)) for p in article.paragraphs]
                if any(text or items for text, items in paragraphs):
                    articles.append(SourceArticle(reference.city, paragraphs))
    return articles


def replace_cities(text: str, city: str) -> str:
    """The source cities' names (海口市, 海口) become the new city's."""
    short = city[:-1] if len(city) > 2 else city
    for source in SOURCE_CITIES:
        text = text.replace(source, city).replace(source[:-1], short)
    return text


def regulation_text(rng: random.Random, pool: list[SourceArticle], city: str, title: str) -> str:
    """A regulation of 20–80 real articles in 3–8 chapters, as a .txt the importer accepts."""
    chosen = rng.sample(pool, rng.randint(20, 80))
    chapter_count = rng.randint(3, 8)
    middle = rng.sample(MIDDLE_CHAPTERS, chapter_count - 2)
    chapter_titles = ["总则", *middle, "附则"]
    # Cut points so that each chapter has at least one article.
    cuts = sorted(rng.sample(range(1, len(chosen)), chapter_count - 1))
    bounds = [0, *cuts, len(chosen)]
    lines = [title, ""]
    number = 0
    for index, chapter_title in enumerate(chapter_titles):
        lines += ["", f"第{chinese_number(index + 1)}章{IDEOGRAPHIC_SPACE}{chapter_title}"]
        for article in chosen[bounds[index] : bounds[index + 1]]:
            number += 1
            head = f"第{chinese_number(number)}条{IDEOGRAPHIC_SPACE}"
            for p_index, (text, items) in enumerate(article.paragraphs):
                prefix = head if p_index == 0 else IDEOGRAPHIC_SPACE * 2
                lines.append(prefix + replace_cities(text, city))
                for i_index, item in enumerate(items, 1):
                    lines.append(
                        IDEOGRAPHIC_SPACE * 2 + item_label(i_index) + replace_cities(item, city)
                    )
    return "\n".join(lines) + "\n"


def generate(count: int, out_dir: Path, seed: int = 14) -> list[Path]:
    """Write `count` generated regulations as bench-0001.txt … into `out_dir`."""
    rng = random.Random(seed)
    pool = source_articles()
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    used: set[str] = set()
    for index in range(1, count + 1):
        # Same city and title would be a duplicate for the importer; keep the pairs unique
        # (and mark a revision year once every pair is taken).
        while True:
            city = rng.choice(CITIES)
            name = city + rng.choice(SUBJECTS)
            if len(used) >= len(CITIES) * len(SUBJECTS):
                # 100 revision years: 85 cities × 8 subjects × 100 covers 68,000 names (25
                # years ran out at 17,680, and the loop then never found a free one).
                name += f"（{1927 + index % 100}年修订）"
            if name not in used:
                break
        used.add(name)
        title = name + rng.choice(STATUSES)
        path = out_dir / f"bench-{index:04d}.txt"
        path.write_text(regulation_text(rng, pool, city, title), encoding="utf-8")
        paths.append(path)
    return paths


# -- running the real app -------------------------------------------------------------------


@dataclass
class Run:
    seconds: float
    peak_rss_mb: float
    stdout: str


def environment(data_dir: Path) -> dict[str, str]:
    env = dict(os.environ, DRAFTER_DATA_DIR=str(data_dir), QT_QPA_PLATFORM="offscreen")
    env["XDG_CONFIG_HOME"] = str(data_dir / "config")  # no window layout from the real profile
    env.pop("PYTHONSTARTUP", None)
    return env


def drafter(data_dir: Path, *args: str, timeout: float = 900) -> Run:
    """Run `python -m drafter ARGS` in a fresh process: wall seconds, peak RSS, its output.
    Raises with the output when it fails, so a broken path cannot be timed as fast."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "-m", "drafter", *args],
            cwd=ROOT,
            env=environment(data_dir),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
        )
        # wait4 gives this child's own rusage (RUSAGE_CHILDREN would mix in earlier runs).
        _pid, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
    if process.returncode != 0:
        raise RuntimeError(
            f"drafter {' '.join(args)} failed ({process.returncode}):\n{stdout}\n{stderr}"
        )
    # ru_maxrss is in kilobytes on Linux, bytes on macOS.
    scale = 1 if sys.platform == "darwin" else 1024
    return Run(seconds, usage.ru_maxrss * scale / 2**20, stdout)


@functools.lru_cache(maxsize=1)
def import_help() -> str:
    with tempfile.TemporaryDirectory() as tmp:
        return drafter(Path(tmp), "refs", "import", "--help").stdout


def duplicates_flag(help_text: str) -> list[str]:
    """Import regardless of duplicates when the CLI would ask: nobody answers here, and the
    generated texts share many articles."""
    return ["--duplicates", "import"] if "--duplicates" in help_text else []


def batch_import_available(help_text: str) -> bool:
    """Whether `refs import` takes a folder (another change of issue 14)."""
    return bool(re.search(r"文件夹|目录|folder|director", help_text, re.IGNORECASE))


def import_all(data_dir: Path, paths: list[Path], *, verbose: bool = False) -> dict:
    """Import every file through the CLI; the whole wall time and the mean per reference."""
    if not paths:
        return {"mode": "none", "seconds": 0.0, "per_reference": 0.0, "peak_rss_mb": 0.0}
    help_text = import_help()
    batch = batch_import_available(help_text)
    force = duplicates_flag(help_text)
    peak = 0.0
    started = time.perf_counter()
    if batch:
        run = drafter(data_dir, "refs", "import", *force, str(paths[0].parent))
        peak = run.peak_rss_mb
    else:
        for index, path in enumerate(paths, 1):
            run = drafter(data_dir, "refs", "import", *force, str(path))
            peak = max(peak, run.peak_rss_mb)
            if verbose and index % 20 == 0:
                elapsed = time.perf_counter() - started
                print(f"  imported {index}/{len(paths)} ({elapsed:.0f} s)", file=sys.stderr)
    seconds = time.perf_counter() - started
    return {
        "mode": "folder" if batch else "one file per process",
        "seconds": seconds,
        "per_reference": seconds / len(paths),
        "peak_rss_mb": peak,
    }


@dataclass
class Measure:
    runs: list[Run] = field(default_factory=list)

    def add(self, run: Run) -> None:
        self.runs.append(run)

    @property
    def seconds(self) -> float:
        return statistics.median(r.seconds for r in self.runs)

    @property
    def peak_rss_mb(self) -> float:
        return max(r.peak_rss_mb for r in self.runs)

    def to_json(self) -> dict:
        return {
            "seconds": self.seconds,
            "runs": [round(r.seconds, 3) for r in self.runs],
            "peak_rss_mb": round(self.peak_rss_mb, 1),
        }


def repeated(data_dir: Path, *args: str) -> Measure:
    """The median of REPEAT fresh runs, or one run when it takes 5 s or more."""
    measure = Measure()
    measure.add(drafter(data_dir, *args))
    while measure.runs[0].seconds < SLOW_SECONDS and len(measure.runs) < REPEAT:
        measure.add(drafter(data_dir, *args))
    return measure


def self_test_seconds(stdout: str) -> float | None:
    """The time the self-test prints itself (window creation to references loaded)."""
    match = re.search(r"用时\s*([\d.]+)\s*秒", stdout)
    return float(match.group(1)) if match else None


def measure_library(data_dir: Path, paths: list[Path], extra: Path, *, verbose: bool) -> dict:
    """Import `paths` into the fresh `data_dir`, then time the real commands on it."""
    results: dict = {"references_imported": len(paths)}
    results["import"] = import_all(data_dir, paths, verbose=verbose)
    listing = drafter(data_dir, "refs", "list", "--json")
    results["references_total"] = len(json.loads(listing.stdout))
    if results["references_total"] != 5 + len(paths):
        raise RuntimeError(f"{results['references_total']} references after importing {len(paths)}")
    # Cold first: nothing since the import has built the suggestion index.
    cold = Measure()
    cold.add(drafter(data_dir, "suggest", QUERY))
    results["suggest_cold"] = cold
    results["suggest_warm"] = repeated(data_dir, "suggest", QUERY)
    results["refs_list"] = repeated(data_dir, "refs", "list")
    window = repeated(data_dir, "--self-test")
    results["self_test"] = window
    own = [self_test_seconds(r.stdout) for r in window.runs]
    results["self_test_own_seconds"] = [s for s in own if s is not None]
    # One more reference in and out, each followed by the suggest that updates the index.
    imports, after_import, removals, after_removal = Measure(), Measure(), Measure(), Measure()
    force = duplicates_flag(import_help())
    for _ in range(REPEAT):
        imports.add(drafter(data_dir, "refs", "import", *force, str(extra), "--id", "bench-extra"))
        after_import.add(drafter(data_dir, "suggest", QUERY))
        removals.add(drafter(data_dir, "refs", "remove", "bench-extra"))
        after_removal.add(drafter(data_dir, "suggest", QUERY))
        slowest = max(m.runs[-1].seconds for m in (imports, after_import, removals, after_removal))
        if slowest >= SLOW_SECONDS:
            break
    results.update(
        import_one=imports,
        suggest_after_import=after_import,
        remove_one=removals,
        suggest_after_remove=after_removal,
    )
    return results


ROWS = [
    ("self_test", "window start (`--self-test`), wall"),
    ("refs_list", "`refs list`"),
    ("suggest_cold", f"`suggest {QUERY}` cold (first after import)"),
    ("suggest_warm", f"`suggest {QUERY}` warm"),
    ("import_one", "`refs import` one more"),
    ("suggest_after_import", "`suggest` after that import"),
    ("remove_one", "`refs remove` one"),
    ("suggest_after_remove", "`suggest` after that removal"),
]


def table(baseline: dict, large: dict | None) -> str:
    """Markdown: each path's seconds and peak RSS, baseline and N side by side, with ratios;
    from the results as --json prints them."""
    n = large["references_total"] if large else None
    head = "| path | 5 refs: s | 5 refs: RSS MB |"
    rule = "| --- | --- | --- |"
    if large:
        head += f" {n} refs: s | {n} refs: RSS MB | ratio s | ratio RSS |"
        rule += " --- | --- | --- | --- |"
    lines = [head, rule]
    for key, label in ROWS:
        base = baseline[key]
        row = f"| {label} | {base['seconds']:.2f} | {base['peak_rss_mb']:.0f} |"
        if large:
            big = large[key]
            row += (
                f" {big['seconds']:.2f} | {big['peak_rss_mb']:.0f} |"
                f" {big['seconds'] / base['seconds']:.2f}× |"
                f" {big['peak_rss_mb'] / base['peak_rss_mb']:.2f}× |"
            )
        lines.append(row)
    return "\n".join(lines)


def git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout.strip()


def plain(results: dict) -> dict:
    return {k: v.to_json() if isinstance(v, Measure) else v for k, v in results.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--references", type=int, default=200, metavar="N")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="keep the N-reference data dir")
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args(argv)
    verbose = not args.json
    # Recorded before the run: others commit to main while it runs, and the working tree
    # (what is actually measured) may hold their uncommitted changes.
    head = git("rev-parse", "--short", "HEAD")
    dirty = [line[3:] for line in git("status", "--porcelain").splitlines() if "drafter/" in line]
    with tempfile.TemporaryDirectory(prefix="bench-library-") as tmp:
        work = Path(tmp)
        paths = generate(args.references + 1, work / "generated", args.seed)
        extra = work / "extra" / "bench-extra.txt"
        extra.parent.mkdir()
        shutil.move(paths.pop(), extra)
        if verbose:
            print(f"generated {len(paths)} regulations + 1 extra in {work}", file=sys.stderr)
        baseline = measure_library(work / "baseline", [], extra, verbose=verbose)
        large = None
        if args.references:
            data_dir = args.keep or work / "large"
            if data_dir.exists() and any(data_dir.iterdir()):
                parser.error(f"{data_dir} is not empty")
            large = measure_library(data_dir, paths, extra, verbose=verbose)
    report = {
        "commit": head,
        "uncommitted": dirty,
        "date": time.strftime("%Y-%m-%d"),
        "openblas_coretype": os.environ.get("OPENBLAS_CORETYPE", ""),
        "cpus": os.cpu_count(),
        "baseline": plain(baseline),
        "large": plain(large) if large else None,
    }
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 0
    print(f"commit {head}, {report['date']}, OPENBLAS_CORETYPE={report['openblas_coretype']!r}")
    if dirty:
        print("uncommitted changes measured in: " + ", ".join(dirty))
    if large:
        imported = large["import"]
        print(
            f"import of {len(paths)} ({imported['mode']}): {imported['seconds']:.1f} s, "
            f"{imported['per_reference']:.2f} s per reference, "
            f"peak RSS {imported['peak_rss_mb']:.0f} MB"
        )
    for name, results in (("5 refs", baseline), (f"{args.references} more", large)):
        if results:
            own = ", ".join(f"{s:.2f}" for s in results["self_test_own_seconds"])
            print(f"self-test's own time ({name}): {own} s")
    print(table(report["baseline"], report["large"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
