"""`drafter new | show | check`: start a draft, print it, proofread it."""

from __future__ import annotations

import argparse
from pathlib import Path

from drafter.cli.output import IDEOGRAPHIC_SPACE, article_lines, print_json
from drafter.draft.checks import run_checks
from drafter.draft.document import STATUSES, Draft
from drafter.draft.lock import ProjectLock
from drafter.draft.project_file import load_project, save_project
from drafter.draft.provenance import article_label
from drafter.draft.skeleton import city_of, draft_from_import, read_draft_file, skeleton_titles
from drafter.draft.source_links import REJECTED
from drafter.errors import DrafterError

_SEVERITY_NAMES = {"error": "错误", "warning": "警告", "info": "提示"}


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `new`, `show` and `check`."""
    new = subparsers.add_parser("new", help="新建草案（空白章节框架，或从已有文本导入）")
    new.add_argument("--title", help="草案标题，如“某市智慧城市促进条例”")
    new.add_argument("--city", help="本市名称，如“某市”")
    new.add_argument("--status", choices=STATUSES, help="草案 或 征求意见稿（默认 草案）")
    source = new.add_mutually_exclusive_group()
    source.add_argument(
        "--skeleton",
        metavar="REF_ID|standard",
        help="章节框架：参考法规编号（沿用其各章标题）或 standard（默认：总则……法律责任、附则）",
    )
    source.add_argument(
        "--from", dest="source", metavar="FILE", help="从已有草案文本（.txt/.docx）导入"
    )
    new.add_argument(
        "-o", "--output", required=True, metavar="FILE", help="草案文件（.drafter.json）"
    )
    new.add_argument("--force", action="store_true", help="覆盖已有文件（原文件保留为 .bak）")
    new.add_argument("--no-discovery", action="store_true", help="导入时不查找条文来源")
    new.set_defaults(handler=new_draft)

    show = subparsers.add_parser("show", help="显示草案的编号全文")
    show.add_argument("file", metavar="FILE")
    show.add_argument("--sources", action="store_true", help="同时显示每条的来源")
    show.add_argument("--json", action="store_true", help="以 JSON 输出")
    show.set_defaults(handler=show_draft)

    check = subparsers.add_parser(
        "check", help="检查草案（空章空条、引用、外地名称、占位符、重复条文等）"
    )
    check.add_argument("file", metavar="FILE")
    check.add_argument("--json", action="store_true", help="以 JSON 输出")
    check.add_argument("--strict", action="store_true", help="有“错误”级别的问题时以代码 1 退出")
    check.set_defaults(handler=check_draft)


def _imported_draft(args: argparse.Namespace) -> Draft:
    imported = read_draft_file(Path(args.source))
    title = args.title or imported.title
    if not title:
        raise DrafterError(f"{args.source}: 未能识别草案标题，请用 --title 指定")
    city = args.city or city_of(title)
    if not city:
        raise DrafterError(f"{args.source}: 未能从标题识别城市，请用 --city 指定")
    return draft_from_import(imported, title, city, args.status or "")


def new_draft(args: argparse.Namespace) -> int:
    """Create a draft file; refuses to overwrite an existing one without --force."""
    output = Path(args.output)
    if output.exists() and not args.force:
        raise DrafterError(f"{output}: 文件已存在；如要覆盖请加 --force（原文件会保留为 .bak）")
    if output.exists() and output.is_dir():
        raise DrafterError(f"{output}: 是一个文件夹")
    if not output.parent.exists():
        raise DrafterError(f"{output}: 所在的文件夹不存在")
    if args.source:
        draft = _imported_draft(args)
    else:
        if not args.title or not args.city:
            raise DrafterError("新建空白草案需要 --title 和 --city（或用 --from 从已有文本导入）")
        draft = Draft.with_chapters(
            args.title, args.city, skeleton_titles(args.skeleton), args.status or "草案"
        )
    found = {}
    if args.source and not args.no_discovery:
        from drafter.draft.provenance import discover_sources, propose_sources
        from drafter.library import ReferenceLibrary

        found = discover_sources(draft, ReferenceLibrary())
        propose_sources(draft, found)
    with ProjectLock(output):
        save_project(draft, output)
    articles = sum(1 for _ in draft.articles())
    print(
        f"已创建 {output}：{draft.title}（{draft.status}），{len(draft.chapters)}章，{articles}条"
    )
    if args.source and not args.no_discovery:
        print(f"其中 {len(found)} 条找到可能的来源，可用 drafter show {output} --sources 查看")
    return 0


def _links(draft: Draft, uid: str) -> list:
    return [link for link in draft.provenance.get(uid, []) if link.state != REJECTED]


def show_json(draft: Draft) -> dict:
    """The JSON form of `drafter show --json`."""
    return {
        "title": draft.title,
        "city": draft.city,
        "status": draft.status,
        "chapters": [
            {
                "number": chapter.number,
                "title": chapter.title,
                "articles": [
                    {
                        "number": article.number,
                        "caption": article.caption,
                        "paragraphs": [p.to_json() for p in article.paragraphs],
                        "label": article_label(draft, article),
                        "note": draft.notes.get(article.uid, ""),
                        "provenance": [
                            {
                                "ref": link.ref,
                                "article": link.article,
                                "paragraph": link.paragraph,
                                "similarity": round(link.similarity, 1),
                                "label": link.label,
                                "state": link.state,
                                "draft_paragraph": link.draft_paragraph,
                            }
                            for link in _links(draft, article.uid)
                        ],
                    }
                    for article in chapter.articles
                ],
            }
            for chapter in draft.chapters
        ],
    }


def show_draft(args: argparse.Namespace) -> int:
    """Print a draft's numbered text (or its JSON)."""
    draft = load_project(args.file)
    if args.json:
        print_json(show_json(draft))
        return 0
    print(f"{draft.title}\n（{draft.status}）")
    for chapter in draft.chapters:
        if not draft.chapterless:
            print(f"\n{chapter.label}{IDEOGRAPHIC_SPACE}{chapter.title}")
        for article in chapter.articles:
            print("\n".join(article_lines(article)))
            if args.sources:
                links = _links(draft, article.uid)
                for link in links:
                    where = f"第{link.article}条" + (
                        f"第{link.paragraph}款" if link.paragraph else ""
                    )
                    state = "待确认" if link.state == "suggested" else "来源"
                    score = f"{link.label} {link.similarity:.0f}"
                    print(f"{IDEOGRAPHIC_SPACE * 2}〔{state}：{link.ref} {where}，{score}〕")
                if not links:
                    print(f"{IDEOGRAPHIC_SPACE * 2}〔新增〕")
    return 0


def check_draft(args: argparse.Namespace) -> int:
    """Print the checks of a draft (or their JSON)."""
    draft = load_project(args.file)
    results = run_checks(draft)
    errors = sum(1 for r in results if r.severity == "error")
    failed = 1 if args.strict and errors else 0
    if args.json:
        print_json([r.to_json() for r in results])
        return failed
    for result in results:
        print(f"{_SEVERITY_NAMES[result.severity]}　{result.place()}：{result.message}")
    print(f"共 {len(results)} 项，其中错误 {errors} 项" if results else "未发现问题")
    return failed
