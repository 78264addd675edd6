"""`drafter refs …`: list, show, import, remove, correct and compare reference regulations."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from drafter.cli.output import (
    article_lines,
    damage_notes,
    mark_damage,
    print_json,
    printable,
    statute_lines,
)
from drafter.errors import DrafterError
from drafter.library import ReferenceLibrary
from drafter.statute.numerals import to_chinese_numeral as cn

# Article, paragraph and correction numbers a person types; anything longer is a slip
# (10^30 once reached SQLite as an internal OverflowError).
MAX_ARGUMENT = 999_999


def bounded_int(value: str) -> int:
    """An integer argument between 0 and MAX_ARGUMENT (argparse reports the error, exit 2)."""
    text = value.strip()
    try:
        result = int(text) if len(text) <= 12 else None
    except ValueError:
        result = None
    if result is None or not 0 <= result <= MAX_ARGUMENT:
        raise argparse.ArgumentTypeError(f"应为 0 到 {MAX_ARGUMENT} 的整数：{value[:20]}")
    return result


# References listed by `refs search` unless --limit says otherwise (the window opens as many).
SEARCH_LIMIT = 200


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `refs` and its sub-commands."""
    refs = subparsers.add_parser("refs", help="参考法规库：列出、查看、搜索、导入、删除、更正")
    commands = refs.add_subparsers(dest="refs_command", metavar="SUBCOMMAND", required=True)

    listing = commands.add_parser("list", help="列出库中的参考法规")
    listing.add_argument("--json", action="store_true", help="以 JSON 输出")
    listing.set_defaults(handler=list_references)

    show = commands.add_parser("show", help="查看一部参考法规（清洗后的全文、起草说明、清洗报告）")
    show.add_argument("ref_id", metavar="ID")
    show.add_argument("--article", type=bounded_int, metavar="N", help="只显示第 N 条")
    show.add_argument("--explanation", action="store_true", help="同时显示起草说明")
    show.add_argument("--report", action="store_true", help="同时显示清洗报告")
    show.add_argument("--original", action="store_true", help="显示未经用户更正的原文")
    show.add_argument("--json", action="store_true", help="以 JSON 输出")
    show.set_defaults(handler=show_reference)

    searching = commands.add_parser(
        "search", help="全文搜索参考法规库：哪些法规的哪些条含有这段文字"
    )
    searching.add_argument("text", metavar="文字")
    searching.add_argument(
        "--limit", type=bounded_int, default=SEARCH_LIMIT, metavar="N",
        help=f"最多列出 N 部法规（默认 {SEARCH_LIMIT}）",
    )  # fmt: skip
    searching.add_argument("--json", action="store_true", help="以 JSON 输出")
    searching.set_defaults(handler=search_references)

    importing = commands.add_parser(
        "import",
        help="导入 .txt（UTF-8/GB18030）、.docx 或 .html；可一次导入多个文件或整个文件夹",
    )
    importing.add_argument(
        "files",
        nargs="+",
        metavar="FILE",
        help="文件或文件夹（文件夹中的 .txt/.docx/.html 逐个导入）",
    )
    importing.add_argument("--city", help="城市，如“深圳市”（默认从标题推断；仅限单个文件）")
    importing.add_argument("--title", help="法规标题（默认从文本识别；仅限单个文件）")
    importing.add_argument(
        "--id",
        dest="ref_id",
        help="编号（小写字母或汉字开头，含数字、-、_；默认取文件名，中文文件名取城市名；"
        "仅限单个文件）",
    )
    importing.add_argument(
        "--duplicates",
        choices=("ask", "skip", "import"),
        default="ask",
        help="遇到重复的法规（标题和城市相同，或内容几乎相同）：ask 在终端中逐个询问"
        "（不在终端时跳过），skip 跳过，import 仍然导入",
    )
    importing.add_argument("--json", action="store_true", help="以 JSON 输出结果摘要")
    importing.set_defaults(handler=import_reference)

    removing = commands.add_parser("remove", help="删除一部导入的参考法规")
    removing.add_argument("ref_id", metavar="ID")
    removing.set_defaults(handler=remove_reference)

    correcting = commands.add_parser(
        "correct", help="更正参考法规中的文字（如乱码、错字）；原文仍保留"
    )
    correcting.add_argument("ref_id", metavar="ID")
    correcting.add_argument(
        "--article", type=bounded_int, required=True, metavar="N", help="第 N 条（0 表示起草说明）"
    )
    correcting.add_argument(
        "--paragraph", type=bounded_int, default=1, metavar="P", help="第 P 款/段"
    )
    correcting.add_argument(
        "--item", type=bounded_int, default=0, metavar="I", help="第 I 项（默认款本身）"
    )
    correcting.add_argument("original", metavar="原文")
    correcting.add_argument("corrected", metavar="更正为")
    correcting.add_argument("--note", default="", help="更正理由")
    correcting.set_defaults(handler=correct_reference)

    comparing = commands.add_parser(
        "compare", help="对照：一条在其他参考法规中的相应条文（低于阈值的显示“无对应条文”）"
    )
    comparing.add_argument("ref_id", metavar="ID")
    comparing.add_argument(
        "--article", type=bounded_int, required=True, metavar="N", help="第 N 条"
    )
    comparing.add_argument("--json", action="store_true", help="以 JSON 输出")
    comparing.set_defaults(handler=compare_article)

    withdrawing = commands.add_parser("uncorrect", help="撤销一条更正（按更正编号）")
    withdrawing.add_argument("correction_id", type=bounded_int, metavar="CORRECTION_ID")
    withdrawing.set_defaults(handler=withdraw_correction)


def list_references(args: argparse.Namespace) -> int:
    library = ReferenceLibrary()
    # Summaries come from the stored parse rows: no reference is parsed or built to list it.
    references = library.summaries()
    if args.json:
        print_json([reference.summary_json() for reference in references])
        return 0
    for reference in references:
        origin = "内置" if reference.origin == "bundled" else "导入"
        damaged = f"，{reference.damaged_count()} 处乱码待核" if reference.damaged_count() else ""
        explanation = "，含起草说明" if reference.has_explanation else ""
        status = reference.status or "状态未知"
        size = f"{reference.chapter_count}章{reference.article_count}条"
        print(
            f"{reference.id:<10} {reference.city}　《{reference.title}》　{status}"
            f"　{size}{explanation}{damaged}［{origin}］"
        )
    return 0


def search_references(args: argparse.Namespace) -> int:
    """The references whose articles contain a text, as the window's search finds them."""
    from drafter.library.search import search_library

    text = args.text.strip()
    if not text:
        raise DrafterError("要搜索的文字不能为空")
    library = ReferenceLibrary()
    hits = search_library(library, text, max(1, args.limit))
    # The references found are in the library's cache: their titles cost no listing.
    found = [(library.get(ref_id), sorted(numbers)) for ref_id, (_, numbers) in hits.opened.items()]
    if args.json:
        print_json(
            {
                "text": text,
                "references": [
                    {"id": r.id, "city": r.city, "title": r.title, "articles": numbers}
                    for r, numbers in found
                ],
                "unlisted": hits.unopened,  # may contain it; past --limit
            }
        )
        return 0
    total = sum(len(numbers) for _, numbers in found)
    if not found:
        print(f"参考法规中没有含“{text}”的条文")
        return 0
    print(f"{len(found)} 部参考法规中有 {total} 条含“{text}”：")
    for reference, numbers in found:
        articles = "、".join(f"第{cn(n)}条" for n in numbers)
        print(f"{reference.id:<10} {reference.city}　《{reference.title}》　{articles}")
    if hits.unopened:
        print(f"另有 {len(hits.unopened)} 部法规可能含有，未列出（用 --limit 列出更多）")
    return 0


def show_reference(args: argparse.Namespace) -> int:
    library = ReferenceLibrary()
    reference = library.get(args.ref_id, corrected=not args.original)
    if args.article is not None and reference.statute.article(args.article) is None:
        raise DrafterError(
            f"{reference.id} 没有第 {args.article} 条（共 {reference.article_count} 条）"
        )
    if args.json:
        print_json(reference.to_json(article=args.article))
        return 0
    if args.article is None:
        print(reference.title)
        if reference.statute.note:
            print(f"（{reference.statute.note}）")
        size = f"{reference.chapter_count}章{reference.article_count}条"
        print(f"{reference.city}　{reference.status}　{size}")
    for line in statute_lines(reference.statute, args.article):
        print(line)
    notes = damage_notes(reference.statute, args.article)
    if notes:
        print("\n以下文字在来源中已损坏（〖〗内），请核对原件后用 `drafter refs correct` 更正：")
        for note in notes:
            print("  " + note)
    if args.explanation and reference.explanation:
        print(f"\n{reference.explanation_title}")
        for index, paragraph in enumerate(reference.explanation.split("\n"), 1):
            spans = [d for d in reference.explanation_damaged if d.paragraph == index]
            print(mark_damage(paragraph, spans))
    if args.report:
        print("\n清洗报告：")
        for line in reference.report.summary_lines():
            print("  " + line)
        for entry in reference.report.removed:
            print(f"  删除［{entry['reason']}］{entry['text'][:60]}")
        for rule, count in sorted(reference.report.replaced.items()):
            if ":" in rule:
                print(f"  替换 {rule} × {count}")
    return 0


def import_reference(args: argparse.Namespace) -> int:
    from drafter.library import batch_import

    single = len(args.files) == 1 and not Path(args.files[0]).is_dir()
    if not single and (args.city or args.title or args.ref_id):
        raise DrafterError(
            "--city、--title、--id 只能用于单个文件；导入多个文件或文件夹时由程序从文本识别"
        )
    bar = ProgressBar(sys.stderr)
    asker = _DuplicateAsker(args.duplicates, bar)
    result = batch_import.import_many(
        ReferenceLibrary(),
        args.files,
        on_duplicate=asker,
        progress=None if single else bar.update,
        city=args.city,
        title=args.title,
        ref_id=args.ref_id,
    )
    bar.finish()
    result.notes.extend(asker.notes)
    if result.imported:
        # A batch builds the index now, while the user expects to wait; one file adds a
        # small segment to an index that exists.
        _refresh_index(build=not single, announce=not single)
    if single:
        return _single_file_outcome(args, result)
    if args.json:
        print_json(result.to_json())
    else:
        for summary in result.imported:
            print(_imported_line(summary))
        for note in result.notes:
            print(note)
        if result.imported:
            print(result.summary())
    if not result.imported:
        raise DrafterError(f"没有导入任何法规（{result.summary()}）")
    return 0


def _single_file_outcome(args: argparse.Namespace, result) -> int:
    # One file reads as it always did: its summary, or one error line naming the file.
    if not result.imported:
        skipped = result.skipped[0]
        if skipped.duplicate:
            note = "；".join(result.notes) or "要仍然导入请加 --duplicates import"
            raise DrafterError(f"{args.files[0]}: {skipped.reason}，未导入（{note}）")
        raise DrafterError(f"{args.files[0]}: {skipped.reason}")
    summary = result.imported[0]
    if args.json:
        print_json(summary)
        return 0
    print(_imported_line(summary))
    reference = ReferenceLibrary().get(summary["id"])
    for line in reference.report.summary_lines():
        print("  " + line)
    return 0


def _imported_line(summary: dict) -> str:
    return (
        f"已导入 {summary['id']}：{summary['title']}（{summary['city'] or '城市未知'}），"
        f"{summary['chapters']}章{summary['articles']}条"
    )


class ProgressBar:
    """导入 37/200 ███▌ 无锡市…: redrawn in place on a terminal, one plain line per file
    otherwise (a log keeps every step, and no control characters)."""

    WIDTH = 20
    PARTIAL = " ▏▎▍▌▋▊▉"

    def __init__(self, stream: TextIO) -> None:
        # The CLI's stderr strips control characters (file names are anyone's text); the bar's
        # own \r and erase-line go to the stream underneath, the names still through `printable`.
        self.stream = getattr(stream, "_stream", stream)
        self.live = stream.isatty()
        self._drawn = False

    def update(self, done: int, total: int, name: str) -> None:
        if not name:
            return  # the final call: finish() clears the line
        if not self.live:
            print(printable(f"导入 {done + 1}/{total} {name}"), file=self.stream, flush=True)
            return
        eighths = self.WIDTH * 8 * done // max(1, total)
        bar = "█" * (eighths // 8) + (self.PARTIAL[eighths % 8] if eighths % 8 else "")
        line = printable(f"导入 {done + 1}/{total} {bar.ljust(self.WIDTH)} {name[:30]}")
        self.stream.write("\r\x1b[K" + line)
        self.stream.flush()
        self._drawn = True

    def finish(self) -> None:
        if self._drawn:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._drawn = False


class _DuplicateAsker:
    """--duplicates: ask on a terminal (跳过 / 仍然导入 / 全部跳过 / 全部导入), else skip."""

    def __init__(self, mode: str, bar: ProgressBar) -> None:
        self.mode = mode
        self.bar = bar
        self.notes: list[str] = []
        self.interactive = sys.stdin.isatty() and sys.stderr.isatty()

    def __call__(self, duplicate) -> str:
        from drafter.library import batch_import as bi

        if self.mode == "import":
            return bi.IMPORT
        if self.mode == "ask" and not self.interactive:
            note = (
                "不在终端中运行，无法询问：重复的法规已跳过（要仍然导入请加 --duplicates import）"
            )
            if note not in self.notes:
                self.notes.append(note)
        if self.mode == "skip" or not self.interactive:
            return bi.SKIP
        self.bar.finish()
        answers = {"s": bi.SKIP, "i": bi.IMPORT, "a": bi.SKIP_ALL, "A": bi.IMPORT_ALL}
        while True:
            print(f"重复：{duplicate.describe()}", file=sys.stderr)
            try:
                reply = input("[s] 跳过  [i] 仍然导入  [a] 全部跳过  [A] 全部导入（默认 s）：")
            except EOFError:
                reply = "s"
            reply = reply.strip() or "s"
            if reply in answers:
                return answers[reply]


def remove_reference(args: argparse.Namespace) -> int:
    ReferenceLibrary().remove(args.ref_id)
    _refresh_index()
    print(f"已删除 {args.ref_id}")
    return 0


def _refresh_index(*, build: bool = False, announce: bool = False) -> None:
    """Update the suggestion index for a library change; the change itself is already
    stored, so a failure here is a warning (the next search tries again)."""
    from drafter.matching.library_index import refresh_index

    if announce:
        print("正在更新条文检索索引…", file=sys.stderr, flush=True)
    try:
        refresh_index(ReferenceLibrary(), build=build)
    except (OSError, DrafterError) as error:
        print(f"drafter: 警告: 检索索引未能更新（{error}），下次检索时会重试", file=sys.stderr)


def correct_reference(args: argparse.Namespace) -> int:
    correction = ReferenceLibrary().correct(
        args.ref_id,
        article=args.article,
        paragraph=args.paragraph,
        item=args.item,
        original=args.original,
        corrected=args.corrected,
        note=args.note,
    )
    _refresh_index()
    print(
        f"已记录更正 #{correction.id}：“{correction.original}”→“{correction.corrected}”（原文保留）"
    )
    return 0


def withdraw_correction(args: argparse.Namespace) -> int:
    ReferenceLibrary().withdraw_correction(args.correction_id)
    _refresh_index()
    print(f"已撤销更正 #{args.correction_id}")
    return 0


def compare_article(args: argparse.Namespace) -> int:
    from drafter.matching.counterparts import COUNTERPART_CUT, find_counterparts
    from drafter.matching.engine import SuggestionEngine

    library = ReferenceLibrary()
    library.get(args.ref_id)  # an unknown id fails before the index is opened
    engine = SuggestionEngine.for_library(library)
    columns = find_counterparts(library, engine, args.ref_id, args.article)
    not_compared = columns[0].not_compared
    if args.json:
        articles = [c.to_json() for c in columns]
        print_json({"cut": COUNTERPART_CUT, "not_compared": not_compared, "articles": articles})
        return 0
    if not_compared:
        print(
            f"（参考法规较多：只逐部对照了与所选条文最相近的 {len(columns) - 1} 部，"
            f"按相似度排列；其余 {not_compared} 部未逐部对照）\n"
        )
    for index, column in enumerate(columns):
        head = f"{column.city}　《{column.title}》"
        if index == 0:
            print(f"所选条文：{head}")
        elif column.is_counterpart:
            print(f"\n{head}　相似度 {column.score:.1f}")
        else:
            nearest = ""
            if column.nearest is not None and column.score is not None:
                nearest = f"（最接近的第{cn(column.nearest)}条相似度 {column.score:.1f}，"
                nearest += f"低于对应阈值 {COUNTERPART_CUT:g}）"
            print(f"\n{head}\n无对应条文{nearest}")
            continue
        article = library.get(column.ref).statute.article(column.article or 0)
        # find_counterparts found the selected article and every counterpart it lists.
        assert article is not None
        for line in article_lines(article):
            print(line)
    return 0
