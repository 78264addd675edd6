"""`drafter version mark|list|restore`: named versions of a draft (征求意见稿, 送审稿…).

`mark` and `restore` take the project lock, change the draft through the core
(`drafter.draft.versions`) and save it atomically; `list` only reads.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from drafter.cli.locked_draft import locked_draft
from drafter.cli.output import print_json
from drafter.draft.document import Draft
from drafter.draft.project_file import load_project, save_project
from drafter.draft.versions import (
    USUAL_NAMES,
    Version,
    VersionError,
    mark_version,
    restore_version,
    version_draft,
)
from drafter.statute.numerals import to_chinese_numeral as cn


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `version` with its actions."""
    parser = subparsers.add_parser(
        "version",
        help="版本：把当前文本标记为征求意见稿、送审稿等，列出或恢复",
        description="草案的命名版本。标记的版本保存在草案文件中，可用于导出修改对照稿和修改决定"
        "（drafter export FILE --compare 旧版本 [新版本]）。",
    )
    actions = parser.add_subparsers(dest="version_action", metavar="ACTION", required=True)
    mark = actions.add_parser(
        "mark",
        help="把当前文本标记为一个版本",
        description=f"把当前文本标记为一个版本；常用名称：{'、'.join(USUAL_NAMES)}，也可用其他名称。",
    )
    mark.add_argument("file", metavar="FILE", help="草案文件（.drafter.json）")
    mark.add_argument("name", metavar="NAME", help=f"版本名称，如 {'、'.join(USUAL_NAMES)}")
    mark.add_argument("--note", default="", metavar="T", help="备注")
    mark.add_argument("--date", metavar="D", help="日期（YYYY-MM-DD，默认今天）")
    mark.add_argument("--force", action="store_true", help="草案在别处打开时仍然修改")
    mark.set_defaults(handler=mark_cmd)
    listing = actions.add_parser("list", help="列出已标记的版本")
    listing.add_argument("file", metavar="FILE", help="草案文件（.drafter.json）")
    listing.add_argument("--json", action="store_true", help="以 JSON 输出")
    listing.set_defaults(handler=list_cmd)
    restore = actions.add_parser(
        "restore",
        help="把一个版本恢复为当前文本",
        description="把版本的条文恢复为当前文本（起草说明、主要依据和已标记的版本保留）；"
        "恢复前的文本保留在 .bak 文件中。",
    )
    restore.add_argument("file", metavar="FILE", help="草案文件（.drafter.json）")
    restore.add_argument("name", metavar="NAME", help="版本名称")
    restore.add_argument("--force", action="store_true", help="草案在别处打开时仍然修改")
    restore.set_defaults(handler=restore_cmd)


def _changing(args: argparse.Namespace, change: Callable[[Draft], str]) -> int:
    """Lock, load, change, save; print what was done."""
    with locked_draft(args.file, args.force) as (path, draft):
        message = change(draft)
        save_project(draft, path)
    print(message)
    return 0


def mark_cmd(args: argparse.Namespace) -> int:
    def change(draft: Draft) -> str:
        version = mark_version(draft, args.name, args.date, args.note)
        count = draft.statute.article_count
        return f"已标记版本：{version.label}，共{cn(count) if count else '零'}条"

    return _changing(args, change)


def restore_cmd(args: argparse.Namespace) -> int:
    def change(draft: Draft) -> str:
        result = restore_version(draft, args.name)
        if result.empty:
            raise VersionError(f"当前文本与“{args.name}”相同，未作修改")
        return f"已{result.summary}（恢复前的文本保留在 {Path(args.file).name}.bak）"

    return _changing(args, change)


def version_json(version: Version) -> dict:
    """A version as `version list --json` prints it (without its text)."""
    text = version_draft(version)
    return {
        "name": version.name,
        "date": version.date,
        "note": version.note,
        "saved_at": version.saved_at,
        "articles": text.statute.article_count,
        "chapters": 0 if text.chapterless else len(text.chapters),
    }


def list_cmd(args: argparse.Namespace) -> int:
    draft = load_project(args.file)
    rows = [version_json(v) for v in draft.versions]
    if args.json:
        print_json(rows)
        return 0
    if not rows:
        print("尚未标记任何版本（drafter version mark FILE NAME）")
    for row in rows:
        note = f"　{row['note']}" if row["note"] else ""
        print(f"{row['name']}　{row['date']}　{row['articles']}条{note}")
    return 0
