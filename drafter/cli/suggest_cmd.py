"""`drafter suggest`: clauses from the references for an intent or a draft clause."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from drafter.errors import DrafterError
from drafter.user_files import LINE_LIMIT, TEXT_LIMIT, iter_user_lines

DEFAULT_TOP = 10


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the `suggest` sub-command."""
    parser = subparsers.add_parser(
        "suggest",
        help="按意图或条文草稿查找参考法规中的相似条款",
        description="在参考法规库中查找与查询相同或相近的条款（按款排列，标出相同部分）。",
    )
    parser.add_argument("query", nargs="?", help="查询：几个字的意图，或一整条草稿条文")
    parser.add_argument("--top", type=int, default=DEFAULT_TOP, help="最多返回几条（默认 10）")
    parser.add_argument(
        "--ref", action="append", dest="refs", metavar="ID", help="只在这部参考法规中查找（可重复）"
    )
    parser.add_argument("--json", action="store_true", help="以 JSON 输出")
    parser.add_argument(
        "--batch", metavar="FILE.jsonl", help="批量查询：每行一个 JSON 对象，每行输出一个 JSON 数组"
    )
    parser.set_defaults(handler=run)


def _engine():
    from drafter.library import ReferenceLibrary
    from drafter.matching.engine import SuggestionEngine

    return SuggestionEngine.for_library(ReferenceLibrary())


def run(args: argparse.Namespace) -> int:
    """Answer one query, or every line of a batch file."""
    if args.top is not None and args.top < 0:
        raise DrafterError("--top 不能为负数")
    if args.batch:
        if args.query:
            raise DrafterError("--batch 与查询文本不能同时给出")
        return _run_batch(Path(args.batch))
    if args.query is None:
        raise DrafterError("请给出查询文本，或用 --batch 指定批量查询文件")
    if not args.query.strip():
        raise DrafterError("查询文本是空的：请给出几个字的意图或一条草稿条文")
    engine = _engine()
    suggestions = engine.suggest(args.query, top=args.top, refs=args.refs)
    if args.json:
        json.dump([s.to_json() for s in suggestions], sys.stdout, ensure_ascii=False)
        sys.stdout.write("\n")
        return 0
    if not suggestions:
        print("没有找到相似条款。")
    for rank, s in enumerate(suggestions, 1):
        where = f"{s.city}（{s.ref}）第{s.article}条第{s.paragraph}款"
        chapter = f" · {s.chapter_title}" if s.chapter_title else ""
        print(f"{rank}. [{s.score:.0f}] {where}{chapter}")
        print(f"   {_highlight(s.text, s.spans.text_spans)}")
    return 0


def _highlight(text: str, spans: list[tuple[int, int]]) -> str:
    """Mark shared runs with 【】 for a plain terminal."""
    out, pos = [], 0
    for start, end in spans:
        out += [text[pos:start], "【", text[start:end], "】"]
        pos = end
    out.append(text[pos:])
    return "".join(out).replace("\n", "\n   ")


def _run_batch(path: Path) -> int:
    # Read line by line with a cap per line and in all, so /dev/urandom, a FIFO or a huge
    # file is refused, and one bad line answers with an error while the others still answer.
    lines = iter_user_lines(path, "批量查询文件", TEXT_LIMIT, LINE_LIMIT)
    engine = _engine()
    for number, line in lines:
        if line is None:
            answer: list | dict = {
                "error": f"第{number}行过长（超过 {LINE_LIMIT // 1024} KB）或不是 UTF-8 文本",
                "line": number,
            }
        elif not line.strip():
            continue
        else:
            answer = _answer_line(engine, line, number)
        print(json.dumps(answer, ensure_ascii=False), flush=True)
    return 0


def _answer_line(engine, line: str, number: int) -> list | dict:
    """The JSON answer to one batch line: a list of suggestions, or an error object."""
    try:
        request = json.loads(line)
    except ValueError as error:
        return {"error": f"第{number}行不是有效的 JSON：{error}", "line": number}
    except RecursionError:
        # Thousands of nested arrays exhaust the parser's stack: an answer for this line only.
        return {"error": f"第{number}行的 JSON 嵌套过深", "line": number}
    if not isinstance(request, dict) or not isinstance(request.get("query"), str):
        return {"error": f"第{number}行缺少字符串字段 query", "line": number}
    refs = request.get("refs")
    top = request.get("top", DEFAULT_TOP)
    if refs is not None and (
        not isinstance(refs, list) or not all(isinstance(r, str) for r in refs)
    ):
        return {"error": f"第{number}行的 refs 应为字符串列表", "line": number}
    if isinstance(top, bool) or not isinstance(top, int) or top < 0:
        return {"error": f"第{number}行的 top 应为非负整数", "line": number}
    try:
        found = engine.suggest(request["query"], top=top, refs=refs)
    except DrafterError as error:
        return {"error": str(error), "line": number}
    return [s.to_json() for s in found]
