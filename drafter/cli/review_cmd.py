"""`drafter review`: reviewers' files back in, 意见处理 (issue 15, part B).

    drafter review import FILE REVIEWED.docx… [--from UNIT] [--version NAME]
    drafter review list FILE [--json] [--open] [--unplaced]
    drafter review resolve FILE ID --disposition D [--reason R] [--accept|--reject]
    drafter review resolve FILE --by AUTHOR --accept|--reject [--disposition D]

Commands that change the draft take its lock, save atomically (the previous file kept as
.bak) and report; a bad reviewed file stops the import before anything is saved.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from drafter.cli.output import print_json
from drafter.draft.document import Draft
from drafter.errors import DrafterError

KIND_CHOICES = ("comment", "insertion", "deletion", "edit")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `review` with import, list and resolve."""
    from drafter.review.dispositions import DISPOSITIONS

    parser = subparsers.add_parser(
        "review",
        help="导入审阅稿（批注、修订、未留痕修改），处理意见",
        description="把审阅人在 Word、WPS 或 LibreOffice 中批注、修订过的导出稿导回草案，"
        "逐条记录处理情况，接受或拒绝修订；意见采纳情况表用 drafter export FILE --opinions 导出。",
    )
    actions = parser.add_subparsers(dest="review_command", metavar="ACTION")
    parser.set_defaults(handler=lambda args: _usage(parser))

    importer = actions.add_parser(
        "import", help="导入审阅稿", description="导入一份或多份审阅稿；同一文件不会重复导入。"
    )
    importer.add_argument("file", metavar="FILE", help="草案文件（.drafter.json）")
    importer.add_argument("reviewed", nargs="+", metavar="REVIEWED.docx", help="审阅稿")
    importer.add_argument(
        "--from",
        dest="unit",
        default="",
        metavar="UNIT",
        help="提出单位（如 市司法局）；不给出时用批注、修订的作者",
    )
    importer.add_argument(
        "--version",
        metavar="NAME",
        help="审阅稿出自的版本（比对未留痕的修改）；默认按文字找最接近的版本",
    )
    importer.add_argument("--json", action="store_true", help="以 JSON 输出")
    importer.add_argument("--force", action="store_true", help="草案在别处打开时仍然写入")
    importer.set_defaults(handler=lambda args: _locked(args, _import))

    lister = actions.add_parser(
        "list", help="列出审阅意见", description="列出审阅意见及其处理情况（条号为现行条号）。"
    )
    lister.add_argument("file", metavar="FILE", help="草案文件（.drafter.json）")
    lister.add_argument("--json", action="store_true", help="以 JSON 输出")
    lister.add_argument("--open", action="store_true", help="只列出尚未处理的意见")
    lister.add_argument("--unplaced", action="store_true", help="只列出无法定位的意见")
    lister.set_defaults(handler=_list)

    resolver = actions.add_parser(
        "resolve",
        help="记录处理情况，接受或拒绝修订",
        description="为一条意见记录处理情况和理由；修订可接受（改入草案）或拒绝。"
        "用 --by 一次处理同一审阅人（作者或提出单位）尚未处理的全部修订。",
    )
    resolver.add_argument("file", metavar="FILE", help="草案文件（.drafter.json）")
    resolver.add_argument(
        "id", nargs="?", metavar="ID", help="意见编号（drafter review list 中的 id）"
    )
    resolver.add_argument(
        "--disposition",
        choices=DISPOSITIONS,
        metavar="D",
        help=f"处理情况：{' / '.join(DISPOSITIONS)}",
    )
    resolver.add_argument("--reason", metavar="R", help="理由")
    what = resolver.add_mutually_exclusive_group()
    what.add_argument("--accept", action="store_true", help="接受修订：改入草案")
    what.add_argument("--reject", action="store_true", help="拒绝修订：草案不变")
    resolver.add_argument(
        "--by", metavar="AUTHOR", help="同一审阅人（作者或提出单位）的全部未处理修订"
    )
    resolver.add_argument("--json", action="store_true", help="以 JSON 输出")
    resolver.add_argument("--force", action="store_true", help="草案在别处打开时仍然写入")
    resolver.set_defaults(handler=lambda args: _locked(args, _resolve))


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


def _locked(args: argparse.Namespace, action: Callable[[Draft, argparse.Namespace], dict]) -> int:
    """Lock, load, act, save and report (the action returns the report as a dict with
    "lines" for the terminal)."""
    from drafter.cli.locked_draft import locked_draft
    from drafter.draft.project_file import save_project

    with locked_draft(args.file, args.force) as (path, draft):
        report = action(draft, args)
        if draft.modified:
            save_project(draft, path)
    lines = report.pop("lines")
    if args.json:
        print_json(report)
    else:
        print("\n".join(lines))
    return 0


def _import(draft: Draft, args: argparse.Namespace) -> dict:
    from drafter.review.docx_reader import read_reviewed
    from drafter.review.items import KIND_NAMES
    from drafter.review.store import import_document

    # Every file is read first: a bad one stops the import before anything changes.
    documents = [(Path(p), *read_reviewed(p)) for p in args.reviewed]
    lines, files = [], []
    for path, document, raw in documents:
        result = import_document(draft, document, raw, path.name, args.unit, args.version)
        if result.already_imported:
            lines.append(f"{path.name}：已导入过，未重复导入")
        else:
            counts = "、".join(
                f"{name} {n}"
                for kind, name in KIND_NAMES.items()
                if (n := sum(i["kind"] == kind for i in result.added))
            )
            lines.append(
                f"{path.name}：导入 {len(result.added)} 条意见"
                + (f"（{counts}）" if counts else "")
            )
            if result.duplicates:
                lines.append(f"  {result.duplicates} 条与已导入的意见相同，未重复导入")
            if result.unplaced:
                lines.append(
                    f"  {len(result.unplaced)} 条无法定位到条文（drafter review list --unplaced）"
                )
            lines.append(f"  {result.baseline}")
        files.append(
            {
                "name": path.name,
                "already_imported": result.already_imported,
                "added": [i["id"] for i in result.added],
                "duplicates": result.duplicates,
                "unplaced": [i["id"] for i in result.unplaced],
                "baseline": result.baseline,
            }
        )
    return {"files": files, "lines": lines}


def _row_line(row: dict) -> str:
    from drafter.review.items import KIND_NAMES

    place = row["place"]
    handled = row["disposition"] or "未处理"
    if row["reason"]:
        handled += f"（{row['reason']}）"
    who = row["unit"] or row["author"] or "—"
    return f"[{row['id']}] {place} {KIND_NAMES[row['kind']]} {who}：{row['text']} —— {handled}"


def _list(args: argparse.Namespace) -> int:
    from drafter.draft.project_file import load_project
    from drafter.review.store import listing

    draft = load_project(args.file)
    rows = listing(draft)
    if args.open:
        rows = [r for r in rows if not r["disposition"]]
    if args.unplaced:
        rows = [r for r in rows if r["article"] is None]
    if args.json:
        print_json(rows)
        return 0
    if not rows:
        print("没有审阅意见" if not (args.open or args.unplaced) else "没有符合条件的审阅意见")
        return 0
    for row in rows:
        print(_row_line(row))
        for reply in row["replies"]:
            print(f"    回复 {reply['author']}：{reply['text']}")
    return 0


def _resolve(draft: Draft, args: argparse.Namespace) -> dict:
    from drafter.review.accept import accept, open_changes, reject
    from drafter.review.store import ReviewError, listing

    if (args.id is None) == (args.by is None):
        raise DrafterError("请给出一条意见的编号 ID，或用 --by 指定审阅人（二者选一）")
    if args.by is not None and not (args.accept or args.reject):
        raise DrafterError("--by 需要与 --accept 或 --reject 一起使用")
    if args.id is not None and not (args.disposition or args.accept or args.reject or args.reason):
        raise DrafterError("请用 --disposition 给出处理情况，或用 --accept / --reject 处理修订")
    ids = [args.id] if args.id is not None else open_changes(draft, args.by)
    if not ids:
        raise DrafterError(f"“{args.by}”没有尚未处理的修订")
    lines = []
    done = []
    for item_id in ids:
        if args.accept:
            try:
                change = accept(draft, item_id).change
            except ReviewError as error:
                if args.by is None:
                    raise
                lines.append(f"[{item_id}] 未接受：{error}")
                continue
            lines.append(f"[{item_id}] {change.summary if change else '已接受'}")
        elif args.reject:
            reject(draft, item_id)
            lines.append(f"[{item_id}] 已拒绝修订，草案文字不变")
        else:
            lines.append(f"[{item_id}] 已记录处理情况")
        if args.disposition or args.reason is not None:
            _record(draft, item_id, args)
        done.append(item_id)
    rows = {r["id"]: r for r in listing(draft)}
    lines += [f"  {_row_line(rows[i])}" for i in done]
    return {"items": [rows[i] for i in done], "lines": lines}


def _record(draft: Draft, item_id: str, args: argparse.Namespace) -> None:
    """--disposition / --reason (an accepted change defaults to 采纳, a rejected one to 未采纳)."""
    from drafter.review.store import item_by_id, set_disposition

    disposition = args.disposition or item_by_id(draft, item_id).get("disposition")
    if not disposition:
        raise DrafterError("给出理由时请同时用 --disposition 给出处理情况")
    set_disposition(draft, item_id, disposition, args.reason)
