"""`drafter edit FILE ACTION …`: change a saved draft from the command line.

Everything is addressed by the numbers a drafter reads (第N条, 第N章, 第P款, all 1-based)
and translated here into the uids the core operations take. Each editing action takes
the project lock, loads the file, applies one core operation, saves atomically (the
previous file kept as ``.bak`` by `save_project`) and reports the `Change`. Bad input
raises `DrafterError` before anything is written, so the file stays byte-for-byte as it was.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from drafter.cli import edit_actions as act
from drafter.cli.edit_actions import ADOPT_AS, Outcome, article_numbered, ref_json, ref_line
from drafter.cli.locked_draft import locked_draft
from drafter.cli.output import print_json
from drafter.cli.refs_cmd import bounded_int
from drafter.draft.changes import Change
from drafter.draft.crossrefs import BOUND, DANGLING
from drafter.draft.document import STATUSES, Draft
from drafter.draft.project_file import load_project, save_project
from drafter.draft.validation import MAX_NUMBER
from drafter.errors import DrafterError
from drafter.statute.numerals import from_chinese_numeral
from drafter.statute.numerals import to_chinese_numeral as cn

# -- argument types -----------------------------------------------------------------------


def number(value: str) -> int:
    """A 1-based number as a drafter writes it: 5, 五, 第五条, 第二款."""
    text = value.strip().removeprefix("第")
    for suffix in ("条", "章", "款", "项"):
        text = text.removesuffix(suffix)
    try:
        if text.isdigit() and len(text) > 6:
            raise argparse.ArgumentTypeError(f"编号不能超过 {MAX_NUMBER}：{value[:20]}")
        result = int(text) if text.isdigit() else from_chinese_numeral(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"不是编号：{value}") from None
    if result < 1:
        raise argparse.ArgumentTypeError(f"编号从 1 开始：{value}")
    if result > MAX_NUMBER:
        # Statute numerals cover 1–9999; a larger number can name nothing in a draft.
        raise argparse.ArgumentTypeError(f"编号不能超过 {MAX_NUMBER}：{value[:20]}")
    return result


def _text_arg(value: str) -> str:
    """TEXT, or the standard input when it is "-" (for long or multi-line text)."""
    return sys.stdin.read() if value == "-" else value


# -- cross-references listing ------------------------------------------------------------------


def list_refs(args: argparse.Namespace) -> int:
    """`edit FILE refs [N]`: the cross-references of one article, or of all (read-only)."""
    draft = load_project(args.file)
    articles = [article_numbered(draft, args.article)] if args.article else list(draft.articles())
    found = [
        ref_json(draft, article, i, binding)
        for article in articles
        for i, binding in enumerate(draft.refs.get(article.uid, []), 1)
        if not args.unresolved or binding.status != BOUND
    ]
    if args.json:
        print_json(found)
        return 0
    for data in found:
        print(ref_line(data))
    if not found:
        print("没有引用" if not args.unresolved else "没有待处理的引用")
    return 0


# -- running an action ------------------------------------------------------------------------


def _numbers(draft: Draft, change: Change) -> dict:
    """The change in numbers: inserted/removed/modified articles and chapters, renumbering."""
    assert change.before is not None and change.after is not None
    chapter_uids = {c.uid for c in draft.chapters} | {c["uid"] for c in change.before.layout or []}
    current = {a.uid: a.number for a in draft.articles()}
    before_chapters = {c["uid"]: c["number"] for c in change.before.layout or []}

    def content(state: dict | None) -> dict | None:
        if state is None:
            return None
        article = {k: v for k, v in state["article"].items() if k != "number"}
        return {**state, "article": article}

    modified = [
        current[uid]
        for uid in change.modified
        if uid in current
        and content(change.before.articles.get(uid)) != content(change.after.articles.get(uid))
    ]
    renumbered = []
    for uid, (old, new) in change.renumbered.items():
        if old and new:
            kind = "chapter" if uid in chapter_uids else "article"
            unit = "章" if kind == "chapter" else "条"
            label = f"第{cn(old)}{unit} → 第{cn(new)}{unit}"
            renumbered.append({"type": kind, "from": old, "to": new, "label": label})
    renumbered.sort(key=lambda r: (r["type"] != "chapter", r["to"]))
    return {
        "inserted": sorted(current[u] for u in change.inserted if u in current),
        "removed": sorted(
            state["article"]["number"]
            for u in change.removed
            if (state := change.before.articles.get(u)) is not None
        ),
        "modified": sorted(modified),
        "inserted_chapters": sorted(c.number for c in draft.chapters if c.uid in change.inserted),
        "removed_chapters": sorted(
            before_chapters[u] for u in change.removed if u in before_chapters
        ),
        "renumbered": renumbered,
    }


def _report(
    args: argparse.Namespace, draft: Draft, outcome: Outcome, saved: bool, backup: Path | None
) -> None:
    change = outcome.change
    numbers = _numbers(draft, change)
    if args.json:
        print_json(
            {
                "file": str(args.file),
                "changed": saved,
                "backup": str(backup) if backup else None,
                "kind": change.kind,
                "summary": change.summary if saved else "没有变化",
                **numbers,
                "notes": list(change.notes),
                **outcome.data,
            }
        )
        return
    print(change.summary if saved else "没有变化")
    if numbers["renumbered"]:
        print("重新编号：" + "，".join(r["label"] for r in numbers["renumbered"]))
    for note in change.notes:
        print(f"  注意：{note}")
    for line in outcome.lines:
        print(line)
    if saved:
        kept = f"（上一版本保留为 {backup}）" if backup else ""
        print(f"已保存 {args.file}{kept}")
    else:
        print(f"文件未修改：{args.file}")


def _report_dangling(draft: Draft, outcome: Outcome, before: set[int]) -> None:
    """Tell the drafter about references whose target this action deleted."""
    fresh = [
        ref_json(draft, article, i, binding)
        for article in draft.articles()
        for i, binding in enumerate(draft.refs.get(article.uid, []), 1)
        if binding.status == DANGLING and id(binding) not in before
    ]
    if fresh:
        outcome.data["dangling"] = fresh
        outcome.lines += [f"  引用的条文已删除：{ref_line(entry)}" for entry in fresh]
        outcome.lines.append("  请修改这些引用，或用 link 关联到其他条文")


def run_action(args: argparse.Namespace) -> int:
    """Lock, load, apply one action, save atomically and report."""
    with locked_draft(args.file, getattr(args, "force", False)) as (path, draft):
        dangling_before = {
            id(b) for bindings in draft.refs.values() for b in bindings if b.status == DANGLING
        }
        outcome = args.action_handler(draft, args)
        _report_dangling(draft, outcome, dangling_before)
        saved = None if outcome.change.empty else save_project(draft, path)
    try:
        _report(args, draft, outcome, saved is not None, saved.backup if saved else None)
    except (OSError, KeyboardInterrupt):
        raise
    except Exception as error:
        # The file is already saved: say so, rather than an "internal error" that reads
        # as if nothing happened.
        if saved is None:
            raise
        raise DrafterError(
            f"{path}: 已保存，但显示修改结果时出错（{type(error).__name__}）；"
            "请用 drafter show 查看"
        ) from None
    return 0


# -- the parser -----------------------------------------------------------------------------------


def _action(
    actions: argparse._SubParsersAction,
    name: str,
    help_text: str,
    handler: Callable[[Draft, argparse.Namespace], Outcome],
    parent: argparse.ArgumentParser,
) -> argparse.ArgumentParser:
    parser = actions.add_parser(name, help=help_text, description=help_text, parents=[parent])
    parser.set_defaults(handler=run_action, action_handler=handler)
    return parser


def _placement_args(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument(
        "--chapter", type=number, metavar="N", help=f"{what}到第N章（默认放在章末）"
    )
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--before-article", type=number, metavar="M", help=f"{what}到第M条之前")
    where.add_argument("--after-article", type=number, metavar="M", help=f"{what}到第M条之后")


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `edit FILE ACTION …`."""
    edit = subparsers.add_parser(
        "edit",
        help="修改草案：章、条、款的增删移动，采纳参考条款，关联引用，确认来源等",
        description="修改草案文件。条、章、款、项都按草案中显示的编号（从 1 起）指定；"
        "每次修改都会原子保存，上一版本保留为 .bak。TEXT 为 - 时从标准输入读取。",
    )
    edit.add_argument("file", metavar="FILE", help="草案文件（.drafter.json）")
    actions = edit.add_subparsers(dest="action", metavar="ACTION", required=True)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--json", action="store_true", help="以 JSON 输出修改结果")
    common.add_argument(
        "--force",
        action="store_true",
        help="草案被标记为已在别处打开时仍然修改（确认对方已不再使用时才用）",
    )

    p = _action(actions, "add-chapter", "添加一章", act.add_chapter, common)
    p.add_argument("title", metavar="TITLE")
    p.add_argument("--at", type=number, metavar="N", help="作为第N章插入（默认放在最后）")

    p = _action(actions, "rename-chapter", "修改章名", act.rename_chapter, common)
    p.add_argument("chapter", type=number, metavar="N")
    p.add_argument("title", metavar="TITLE")

    p = _action(actions, "delete-chapter", "删除一章（连同其中各条）", act.delete_chapter, common)
    p.add_argument("chapter", type=number, metavar="N")

    p = _action(actions, "move-chapter", "移动一章", act.move_chapter, common)
    p.add_argument("chapter", type=number, metavar="N")
    p.add_argument("--to", type=number, required=True, metavar="M", help="移动后成为第M章")

    p = _action(
        actions,
        "insert-article",
        "插入一条（每行一款，（一）开头的行为项）",
        act.insert_article,
        common,
    )
    _placement_args(p, "插入")
    p.add_argument("--caption", metavar="C", help="条旨")
    p.add_argument("text", type=_text_arg, metavar="TEXT")

    p = _action(
        actions, "delete-article", "删除一条（引用它的地方会被标出）", act.delete_article, common
    )
    p.add_argument("article", type=number, metavar="N")

    p = _action(actions, "move-article", "移动一条（可跨章）", act.move_article, common)
    p.add_argument("article", type=number, metavar="N")
    _placement_args(p, "移动")
    p.add_argument("--position", type=number, metavar="K", help="移动后为该章的第K条")

    p = _action(actions, "caption", "设置条旨（空文字则删除）", act.caption, common)
    p.add_argument("article", type=number, metavar="N")
    p.add_argument("text", metavar="TEXT")

    p = _action(
        actions, "note", "设置第N条的说明（对照表“说明”栏；空文字则删除）", act.note, common
    )
    p.add_argument("article", type=number, metavar="N")
    p.add_argument("text", type=_text_arg, metavar="TEXT")

    p = _action(
        actions,
        "replace",
        "把章名、条旨和各款、项中的 OLD 全部替换为 NEW（NEW 可为空字符串）",
        act.replace,
        common,
    )
    p.add_argument("old", metavar="OLD")
    p.add_argument("new", metavar="NEW")

    p = _action(actions, "edit", "修改一款（或一项）的文字", act.edit, common)
    p.add_argument("article", type=number, metavar="N")
    p.add_argument("--paragraph", type=number, metavar="P", help="第P款（只有一款时可省略）")
    p.add_argument("--item", type=number, metavar="I", help="只改第I项")
    p.add_argument("text", type=_text_arg, metavar="TEXT")

    p = _action(actions, "add-paragraph", "增加一款", act.add_paragraph, common)
    p.add_argument("article", type=number, metavar="N")
    p.add_argument("--at", type=number, metavar="P", help="作为第P款插入（默认追加在最后）")
    p.add_argument("text", type=_text_arg, metavar="TEXT")

    p = _action(actions, "delete-paragraph", "删除一款", act.delete_paragraph, common)
    p.add_argument("article", type=number, metavar="N")
    p.add_argument("--paragraph", type=number, metavar="P")

    p = _action(actions, "split", "把一款拆成两款", act.split, common)
    p.add_argument("article", type=number, metavar="N")
    p.add_argument("--paragraph", type=number, metavar="P")
    at = p.add_mutually_exclusive_group(required=True)
    at.add_argument("--at", type=bounded_int, metavar="OFFSET", help="前一款保留的字数")
    at.add_argument("--after", metavar="TEXT", help="在这段文字之后拆分")

    p = _action(actions, "merge", "把第P款与下一款合并", act.merge, common)
    p.add_argument("article", type=number, metavar="N")
    p.add_argument("--paragraph", type=number, metavar="P", help="与第P+1款合并（默认第1款）")
    p.set_defaults(paragraph=1)

    p = _action(actions, "adopt", "采纳参考法规的条款（本地化并记录来源）", act.adopt, common)
    p.add_argument("ref", metavar="REF_ID", help="参考法规编号，如 haikou")
    p.add_argument("ref_article", type=number, metavar="REF_ARTICLE", help="参考法规的第几条")
    p.add_argument("--ref-paragraph", type=number, metavar="P", help="只采纳其中第P款")
    p.add_argument(
        "--as",
        dest="mode",
        choices=tuple(ADOPT_AS),
        required=True,
        help="new 新增一条；replace 替换第N条第P款；append 追加为第N条的最后一款",
    )
    p.add_argument("--article", type=number, metavar="N", help="replace/append 的目标条")
    p.add_argument("--paragraph", type=number, metavar="P", help="replace 的目标款")
    _placement_args(p, "新增")

    p = actions.add_parser("refs", help="列出条文中的引用（link 用其序号）", parents=[common])
    p.add_argument("article", type=number, nargs="?", metavar="N", help="只看第N条")
    p.add_argument("--unresolved", action="store_true", help="只列未关联或目标已删除的引用")
    p.set_defaults(handler=list_refs)

    p = _action(actions, "link", "把未关联的引用关联到本草案的某一条", act.link, common)
    p.add_argument("article", type=number, metavar="N")
    p.add_argument("--ref", type=number, required=True, metavar="INDEX", help="refs 列出的序号")
    p.add_argument("--to-article", type=number, required=True, metavar="M", help="关联到第M条")

    p = _action(actions, "discover", "查找各条可能的来源，记为待确认", act.discover, common)
    p.add_argument("--top", type=number, default=3, metavar="K", help="每条最多几个（默认 3）")

    p = _action(actions, "confirm", "确认第N条的一个待确认来源", act.decide, common)
    p.add_argument("article", type=number, metavar="N")
    p.add_argument("ref", metavar="REF_ID")
    p.add_argument("ref_article", type=number, metavar="REF_ARTICLE")
    p = _action(
        actions, "reject", "否定第N条的一个待确认来源（--all：其余全部）", act.decide, common
    )
    p.add_argument("article", type=number, metavar="N")
    p.add_argument("ref", nargs="?", metavar="REF_ID")
    p.add_argument("ref_article", type=number, nargs="?", metavar="REF_ARTICLE")
    p.add_argument("--all", action="store_true", help="否定第N条所有待确认的来源")

    p = _action(actions, "set-meta", "修改标题、城市或状态", act.set_meta, common)
    p.add_argument("--title")
    p.add_argument("--city")
    p.add_argument("--status", choices=STATUSES)

    p = _action(
        actions,
        "set-basis",
        "设置起草说明的主要依据：上位法和政策文件（其他城市的法规是借鉴来源，不是依据）",
        act.set_basis,
        common,
    )
    p.add_argument(
        "entries",
        type=_text_arg,
        nargs="*",
        metavar="DOCUMENT",
        help="如“《中华人民共和国数据安全法》”；- 从标准输入读取，每行一件",
    )
    p.add_argument("--add", action="store_true", help="追加在已有的依据之后（默认替换全部）")
    p.add_argument("--clear", action="store_true", help="清空主要依据")

    p = _action(actions, "explanation", "设置起草说明的一节（没有则新增）", act.explanation, common)
    p.add_argument("section", metavar="SECTION_TITLE", help="如“一、立法的必要性”")
    p.add_argument("text", type=_text_arg, nargs="?", metavar="TEXT")
    p.add_argument("--delete", action="store_true", help="删除这一节")
