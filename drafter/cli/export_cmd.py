"""`drafter export`: the draft (and its 起草说明 and 条文对照表) as Word documents."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from drafter.errors import DrafterError

UNCONFIRMED_CHOICES = ("mark", "confirm", "stop")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `export`."""
    parser = subparsers.add_parser(
        "export",
        help="导出 Word 文档：草案、起草说明、条文对照表（GB/T 9704 公文格式）",
        description="把草案导出为 .docx；可同时导出起草说明和条文对照表，或合为一个文件。",
    )
    parser.add_argument("file", metavar="FILE", help="草案文件（.drafter.json）")
    parser.add_argument(
        "-o", "--output", required=True, metavar="DRAFT.docx", help="草案的导出路径"
    )
    parser.add_argument("--explanation", metavar="EXPL.docx", help="同时导出起草说明到此路径")
    parser.add_argument("--table", metavar="TABLE.docx", help="同时导出条文对照表到此路径")
    parser.add_argument(
        "--all-in-one",
        action="store_true",
        help="草案、起草说明、条文对照表合为一个文件（分节，页码各自从 1 起）",
    )
    parser.add_argument(
        "--comments", action="store_true", help="在采纳的条文上加批注，注明来源和相似度"
    )
    parser.add_argument(
        "--opinions",
        action="store_true",
        help="改为导出意见采纳情况表（-o 为其路径；意见用 drafter review import 导入）",
    )
    parser.add_argument(
        "--template", metavar="T.docx", help="使用本单位的 Word 模板（.docx 或 .dotx）"
    )
    parser.add_argument(
        "--unconfirmed",
        choices=UNCONFIRMED_CHOICES,
        default="mark",
        help="各条尚待确认的来源如何写入起草说明和对照表："
        "mark 注明“来源待确认”（默认）；"
        "confirm 按每条最可能的来源视为已确认（只影响本次导出，草案文件不变）；"
        "stop 有待确认的来源时不导出，先用 drafter edit FILE confirm|reject 逐条处理。"
        "无论哪种，待确认的来源都不会被写成“新增”",
    )
    revision = parser.add_mutually_exclusive_group()
    revision.add_argument(
        "--compare",
        nargs="+",
        metavar="VERSION",
        help="改为导出修改对照稿：OLD [NEW]，两个版本名称（drafter version list FILE）；"
        "不给 NEW 时与当前文本比较",
    )
    revision.add_argument(
        "--amendment",
        nargs="+",
        metavar="VERSION",
        help="改为导出修改决定：OLD [NEW]，OLD 为已通过的文本，不给 NEW 时为当前文本",
    )
    parser.add_argument(
        "--fold-unchanged",
        action="store_true",
        help="修改对照稿中，未修改的条文合为一行（如“第三条至第七条　未修改”）",
    )
    parser.set_defaults(handler=export)


def export(args: argparse.Namespace) -> int:
    """Load the draft and write the documents; warnings go to stderr."""
    from drafter.draft.project_file import load_project
    from drafter.export import export_draft

    draft = load_project(args.file)
    if args.compare or args.amendment:
        return _export_revision(draft, args)
    if args.fold_unchanged:
        raise DrafterError("--fold-unchanged 只用于修改对照稿（--compare）")
    if args.opinions:
        return _export_opinions(draft, args)
    if args.unconfirmed == "stop":
        _stop_on_pending(draft, args.file)
    result = export_draft(
        draft,
        Path(args.output),
        explanation=args.explanation,
        table=args.table,
        all_in_one=args.all_in_one,
        comments=args.comments,
        template=args.template,
        source=Path(args.file),
        unconfirmed=args.unconfirmed if args.unconfirmed != "stop" else "mark",
    )
    for warning in result.warnings:
        print(f"drafter: 警告: {warning}", file=sys.stderr)
    for path in result.written:
        print(f"已导出：{path}")
    return 0


def _export_opinions(draft, args: argparse.Namespace) -> int:
    """`--opinions`: the 意见采纳情况表 alone, to -o."""
    from drafter.errors import DrafterError
    from drafter.export.opinions_table import export_opinions

    if args.explanation or args.table or args.all_in_one or args.comments:
        raise DrafterError(
            "--opinions 只导出意见采纳情况表，不能与 --explanation、--table、--all-in-one、"
            "--comments 同用"
        )
    warnings = export_opinions(
        draft, Path(args.output), template=args.template, source=Path(args.file)
    )
    for warning in warnings:
        print(f"drafter: 警告: {warning}", file=sys.stderr)
    print(f"已导出：{args.output}")
    return 0


def _export_revision(draft, args: argparse.Namespace) -> int:
    """`--compare OLD [NEW]` (修改对照稿) or `--amendment OLD [NEW]` (修改决定)."""
    from drafter.export.revision_export import export_revision

    names = args.compare or args.amendment
    option = "--compare" if args.compare else "--amendment"
    if len(names) > 2:
        raise DrafterError(f"{option} 只接受两个版本名称（OLD [NEW]），实为 {len(names)} 个")
    others = (args.explanation, args.table, args.all_in_one, args.comments)
    if any(others) or getattr(args, "opinions", False):
        raise DrafterError(
            f"{option} 只导出一份文件，不能与 --explanation、--table、--all-in-one、--comments"
            "、--opinions 同用"
        )
    if args.amendment and args.fold_unchanged:
        raise DrafterError("--fold-unchanged 只用于修改对照稿（--compare）")
    result = export_revision(
        draft,
        Path(args.output),
        names[0],
        names[1] if len(names) > 1 else None,
        amendment=bool(args.amendment),
        fold_unchanged=args.fold_unchanged,
        template=args.template,
        source=Path(args.file),
    )
    for warning in result.warnings:
        print(f"drafter: 警告: {warning}", file=sys.stderr)
    for path in result.written:
        print(f"已导出：{path}")
    return 0


def _stop_on_pending(draft, file: str) -> None:
    """Refuse to export while any article's only source is still 待确认 (--unconfirmed stop)."""
    from drafter.export.sources import pending_articles
    from drafter.statute.ranges import article_ranges

    pending = pending_articles(draft)
    if pending:
        raise DrafterError(
            f"{article_ranges(a.number for a in pending)}共{len(pending)}条的来源尚待确认，"
            f"未导出；可用 drafter show {file} --sources 查看，"
            f"drafter edit {file} confirm|reject N REF_ID REF_ARTICLE 逐条确认或否定，"
            "或改用 --unconfirmed mark|confirm"
        )
