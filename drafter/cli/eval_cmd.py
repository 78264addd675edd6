"""`drafter eval`: measure clause suggestions against hand-read gold correspondences."""

from __future__ import annotations

import argparse
import json
from pathlib import Path


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `eval` sub-command."""
    parser = subparsers.add_parser(
        "eval",
        help="用人工标注的对应条款评测条款推荐",
        description="对推荐引擎和两个基线（fuzz.ratio、字二元组 TF-IDF）计算命中率与 MRR；"
        "并评测查找全文来源的首位命中率。",
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="评测数据（dev_gold.json 格式）")
    parser.add_argument("--misses", action="store_true", help="列出未排在第一位的用例")
    parser.add_argument("--json", action="store_true", help="以 JSON 输出全部数字与未命中用例")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Print the figures of the engine and both baselines in one table."""
    from drafter.draft.discovery_gold import discovery_figures
    from drafter.library import ReferenceLibrary
    from drafter.matching.baselines import RatioBaseline, TfidfBaseline
    from drafter.matching.corpus import library_records
    from drafter.matching.engine import SuggestionEngine
    from drafter.matching.evaluation import engine_ranker, evaluate, format_table, load_gold

    gold = load_gold([Path(f) for f in args.files])
    library = ReferenceLibrary()
    records = list(library_records(library))
    engine = SuggestionEngine(library)
    figures = {"engine": evaluate(library, gold, engine_ranker(engine))}
    for baseline in (RatioBaseline(records), TfidfBaseline(records)):
        figures[baseline.name] = evaluate(library, gold, baseline.rank)
    discovery = discovery_figures(library, engine, gold)
    if args.json:
        print(json.dumps({**figures, "discovery": discovery}, ensure_ascii=False, indent=1))
        return 0
    print(format_table(figures))
    if discovery["n"]:
        hits = round(discovery["hit@1"] * discovery["n"])
        print(
            f"查找全文来源：{discovery['n']} 对有可能的来源，首位即对应条文 {hits} 对"
            f"（hit@1 {discovery['hit@1']:.3f}）；{discovery['none']} 对没有"
        )
    if args.misses:
        for name, result in figures.items():
            print(f"{name} misses: {' '.join(result['misses']) or '—'}")
    return 0
