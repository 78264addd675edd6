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
from dataclasses import dataclass, field
from pathlib import Path

from drafter.cli.output import print_json
from drafter.draft import operations as ops
from drafter.draft.changes import Change
from drafter.draft.crossrefs import BOUND, DANGLING, CrossRef
from drafter.draft.document import STATUSES, Draft, paragraphs_from_text
from drafter.draft.lock import ProjectLock
from drafter.draft.project_file import load_project, save_project
from drafter.draft.source_links import SUGGESTED
from drafter.errors import DrafterError, InputFileError
from drafter.statute.model import Article, Chapter, Paragraph
from drafter.statute.numerals import from_chinese_numeral
from drafter.statute.numerals import to_chinese_numeral as cn

ADOPT_AS = {"new": "article", "replace": "replace", "append": "append"}
_STATUS_NAMES = {BOUND: "已关联", "unresolved": "未关联", DANGLING: "目标已删除"}


@dataclass
class Outcome:
    """An action's change plus anything it wants to report besides the change itself."""

    change: Change
    lines: list[str] = field(default_factory=list)
    data: dict = field(default_factory=dict)


# -- argument types -----------------------------------------------------------------------


def number(value: str) -> int:
    """A 1-based number as a drafter writes it: 5, 五, 第五条, 第二款."""
    text = value.strip().removeprefix("第")
    for suffix in ("条", "章", "款", "项"):
        text = text.removesuffix(suffix)
    try:
        result = int(text) if text.isdigit() else from_chinese_numeral(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"不是编号：{value}") from None
    if result < 1:
        raise argparse.ArgumentTypeError(f"编号从 1 开始：{value}")
    return result


def _text_arg(value: str) -> str:
    """TEXT, or the standard input when it is "-" (for long or multi-line text)."""
    return sys.stdin.read() if value == "-" else value


# -- numbers → the draft's parts ---------------------------------------------------------


def _article(draft: Draft, n: int) -> Article:
    article = draft.article_by_number(n)
    if article is None:
        total = sum(1 for _ in draft.articles())
        raise DrafterError(f"草案中没有第{cn(n)}条（共{total}条）")
    return article


def _chapter(draft: Draft, n: int | None) -> Chapter:
    if draft.chapterless:
        if n not in (None, 1):
            raise DrafterError(f"草案不分章，不能指定第{cn(n)}章")
        return draft.chapters[0]
    if n is None:
        raise DrafterError("请用 --chapter 指定第几章")
    if not 1 <= n <= len(draft.chapters):
        raise DrafterError(f"草案中没有第{cn(n)}章（共{len(draft.chapters)}章）")
    return draft.chapters[n - 1]


def _paragraph(article: Article, p: int | None) -> int:
    """The 0-based index of 款 `p`; `p` may be left out when the article has one 款."""
    count = len(article.paragraphs)
    if p is None:
        if count == 1:
            return 0
        raise DrafterError(f"{article.label}有{count}款，请用 --paragraph 指定第几款")
    if not 1 <= p <= count:
        raise DrafterError(f"{article.label}没有第{cn(p)}款（共{count}款）")
    return p - 1


def _chapter_number(draft: Draft, chapter: Chapter) -> str:
    return "" if draft.chapterless else chapter.label


def _placement(
    draft: Draft,
    chapter_n: int | None,
    before: int | None,
    after: int | None,
    moving: Article | None = None,
) -> tuple[Chapter, int | None]:
    """Where a new or moved article goes: (chapter, 0-based index or None for the end).

    The index counts the chapter's articles without `moving` (the core's convention).
    """
    anchor_n = before if before is not None else after
    if anchor_n is None:
        return _chapter(draft, chapter_n), None
    anchor = _article(draft, anchor_n)
    if moving is not None and anchor.uid == moving.uid:
        raise DrafterError(f"不能把{anchor.label}移到它自己的前后")
    chapter = draft.chapter_of(anchor.uid)
    if chapter_n is not None and _chapter(draft, chapter_n) is not chapter:
        raise DrafterError(f"{anchor.label}不在第{cn(chapter_n)}章，请去掉 --chapter 或改正")
    others = [a.uid for a in chapter.articles if moving is None or a.uid != moving.uid]
    index = others.index(anchor.uid)
    return chapter, index + (1 if after is not None else 0)


def _one_paragraph(text: str, what: str) -> Paragraph:
    paragraphs = paragraphs_from_text(text)
    if not paragraphs:
        raise DrafterError(f"{what}的文字是空的")
    if len(paragraphs) > 1:
        raise DrafterError(f"{what}只能是一款（文字中有{len(paragraphs)}款；其余各款请另行增加）")
    return paragraphs[0]


# -- the actions: each takes the loaded draft and the arguments, returns an Outcome ----------


def _add_chapter(draft: Draft, args: argparse.Namespace) -> Outcome:
    index = None
    if args.at is not None:
        if args.at > len(draft.chapters) + 1:
            raise DrafterError(f"章的位置超出范围：{args.at}（可用 1–{len(draft.chapters) + 1}）")
        index = args.at - 1
    return Outcome(ops.add_chapter(draft, args.title, index))


def _chaptered(draft: Draft, n: int) -> Chapter:
    if draft.chapterless:
        raise DrafterError("草案不分章；可先用 add-chapter 添加一章")
    return _chapter(draft, n)


def _rename_chapter(draft: Draft, args: argparse.Namespace) -> Outcome:
    return Outcome(ops.rename_chapter(draft, _chaptered(draft, args.chapter).uid, args.title))


def _delete_chapter(draft: Draft, args: argparse.Namespace) -> Outcome:
    return Outcome(ops.delete_chapter(draft, _chaptered(draft, args.chapter).uid))


def _move_chapter(draft: Draft, args: argparse.Namespace) -> Outcome:
    chapter = _chaptered(draft, args.chapter)
    if not 1 <= args.to <= len(draft.chapters):
        raise DrafterError(f"章的位置超出范围：{args.to}（可用 1–{len(draft.chapters)}）")
    return Outcome(ops.move_chapter(draft, chapter.uid, args.to - 1))


def _insert_article(draft: Draft, args: argparse.Namespace) -> Outcome:
    chapter, index = _placement(draft, args.chapter, args.before_article, args.after_article)
    paragraphs = paragraphs_from_text(args.text)
    if not paragraphs:
        raise DrafterError("条文是空的")
    return Outcome(ops.insert_article(draft, chapter.uid, paragraphs, index, args.caption or ""))


def _delete_article(draft: Draft, args: argparse.Namespace) -> Outcome:
    return Outcome(ops.delete_article(draft, _article(draft, args.article).uid))


def _move_article(draft: Draft, args: argparse.Namespace) -> Outcome:
    article = _article(draft, args.article)
    if args.before_article is None and args.after_article is None and args.chapter is None:
        if not draft.chapterless:
            raise DrafterError(
                "请指定移到哪里：--chapter C [--position K]，或 --before-article/--after-article M"
            )
    chapter, index = _placement(
        draft, args.chapter, args.before_article, args.after_article, moving=article
    )
    upper = len([a for a in chapter.articles if a.uid != article.uid])
    if args.position is not None:
        if args.before_article is not None or args.after_article is not None:
            raise DrafterError("--position 不能与 --before-article/--after-article 同用")
        if not 1 <= args.position <= upper + 1:
            raise DrafterError(f"条在章内的位置超出范围：{args.position}（可用 1–{upper + 1}）")
        index = args.position - 1
    return Outcome(
        ops.move_article(draft, article.uid, chapter.uid, upper if index is None else index)
    )


def _caption(draft: Draft, args: argparse.Namespace) -> Outcome:
    return Outcome(ops.set_caption(draft, _article(draft, args.article).uid, args.text.strip()))


def _edit(draft: Draft, args: argparse.Namespace) -> Outcome:
    article = _article(draft, args.article)
    p = _paragraph(article, args.paragraph)
    para = article.paragraphs[p]
    if args.item is not None:
        if not 1 <= args.item <= len(para.items):
            raise DrafterError(
                f"{article.label}第{cn(p + 1)}款没有第{cn(args.item)}项（共{len(para.items)}项）"
            )
        new = _one_paragraph(args.text, "一项")
        if new.items:
            raise DrafterError("一项中不能再分项")
        items = list(para.items)
        items[args.item - 1] = new.text
        return Outcome(ops.edit_paragraph(draft, article.uid, p, para.text, items))
    new = _one_paragraph(args.text, "一款")
    # 项 typed with the 款 replace its 项; text alone keeps them (editing the lead-in).
    return Outcome(ops.edit_paragraph(draft, article.uid, p, new.text, new.items or None))


def _add_paragraph(draft: Draft, args: argparse.Namespace) -> Outcome:
    article = _article(draft, args.article)
    count = len(article.paragraphs)
    p = count if args.at is None else args.at - 1
    if not 0 <= p <= count:
        raise DrafterError(f"款的位置超出范围：{args.at}（{article.label}可用 1–{count + 1}）")
    new = _one_paragraph(args.text, "新增的款")
    return Outcome(ops.insert_paragraph(draft, article.uid, p, new.text, new.items))


def _delete_paragraph(draft: Draft, args: argparse.Namespace) -> Outcome:
    article = _article(draft, args.article)
    return Outcome(ops.delete_paragraph(draft, article.uid, _paragraph(article, args.paragraph)))


def _split(draft: Draft, args: argparse.Namespace) -> Outcome:
    article = _article(draft, args.article)
    p = _paragraph(article, args.paragraph)
    text = article.paragraphs[p].text
    if args.after is not None:
        found = text.find(args.after)
        if found < 0:
            raise DrafterError(f"{article.label}第{cn(p + 1)}款中找不到“{args.after}”")
        offset = found + len(args.after)
    else:
        offset = args.at
    if not 0 < offset < len(text):
        raise DrafterError(
            f"拆分位置超出{article.label}第{cn(p + 1)}款的文字范围：{offset}"
            f"（可用 1–{len(text) - 1}）"
        )
    return Outcome(ops.split_paragraph(draft, article.uid, p, offset))


def _merge(draft: Draft, args: argparse.Namespace) -> Outcome:
    article = _article(draft, args.article)
    p = _paragraph(article, args.paragraph)
    if p + 1 >= len(article.paragraphs):
        raise DrafterError(f"{article.label}第{cn(p + 1)}款之后没有可合并的款")
    return Outcome(ops.merge_paragraphs(draft, article.uid, p))


def _adopt(draft: Draft, args: argparse.Namespace) -> Outcome:
    from drafter.draft.adoption import Clause, adopt
    from drafter.draft.localisation import localise
    from drafter.library import ReferenceLibrary

    reference = ReferenceLibrary().get(args.ref)
    source = reference.statute.article(args.ref_article)
    if source is None:
        raise DrafterError(
            f"{args.ref} 没有第{cn(args.ref_article)}条（共{reference.article_count}条）"
        )
    if args.ref_paragraph is None:
        text = source.text()
    elif 1 <= args.ref_paragraph <= len(source.paragraphs):
        text = source.paragraphs[args.ref_paragraph - 1].full_text()
    else:
        raise DrafterError(
            f"{args.ref} {source.label}没有第{cn(args.ref_paragraph)}款"
            f"（共{len(source.paragraphs)}款）"
        )
    clause = Clause(args.ref, reference.city, args.ref_article, args.ref_paragraph or 0, text)
    # adopt() localises the same way; its Change keeps only the flags, so the replacements
    # made are worked out again here to tell the drafter what was rewritten.
    replaced = list(
        dict.fromkeys(localise(text, reference.city, draft.title, draft.city).replacements)
    )
    mode = ADOPT_AS[args.mode]
    if mode == "article":
        if args.article is not None or args.paragraph is not None:
            raise DrafterError(
                "--as new 时用 --chapter、--before-article 或 --after-article 指定位置"
            )
        chapter, index = _placement(draft, args.chapter, args.before_article, args.after_article)
        change = adopt(draft, clause, mode, chapter_uid=chapter.uid, index=index)
        uid = change.inserted[0]
    else:
        if args.article is None:
            raise DrafterError(
                f"--as {args.mode} 需要 --article N"
                f"（要{'替换' if mode == 'replace' else '追加'}的条）"
            )
        if (
            args.chapter is not None
            or args.before_article is not None
            or args.after_article is not None
        ):
            raise DrafterError(
                f"--as {args.mode} 时不能指定 --chapter/--before-article/--after-article"
            )
        target = _article(draft, args.article)
        paragraph = None
        if mode == "replace":
            paragraph = _paragraph(target, args.paragraph)
        elif args.paragraph is not None:
            raise DrafterError("--as append 总是追加为最后一款，不能指定 --paragraph")
        change = adopt(draft, clause, mode, article_uid=target.uid, paragraph=paragraph)
        uid = target.uid
    article = draft.article(uid)
    citations = [
        _ref_json(draft, article, i, b)
        for i, b in enumerate(draft.refs.get(uid, []), 1)
        if b.status != BOUND
    ]
    lines = [f"  本地化：{old} → {new}" for old, new in replaced]
    lines += [f"  待关联：{_ref_line(c)}" for c in citations]
    if citations:
        lines.append(
            f"  可用 drafter edit FILE link {article.number} --ref 序号 --to-article M 关联"
        )
    replacements = [{"from": old, "to": new} for old, new in replaced]
    return Outcome(change, lines, {"replacements": replacements, "citations": citations})


def _link(draft: Draft, args: argparse.Namespace) -> Outcome:
    article = _article(draft, args.article)
    bindings = draft.refs.get(article.uid, [])
    if not 1 <= args.ref <= len(bindings):
        raise DrafterError(
            f"{article.label}没有第{args.ref}处引用"
            f"（共{len(bindings)}处，可用 refs {article.number} 查看）"
        )
    target = _article(draft, args.to_article)
    change = ops.link_reference(draft, article.uid, args.ref - 1, target.uid)
    change.summary = f"{article.label}第{args.ref}处引用已关联到{target.label}"
    return Outcome(change)


def _discover(draft: Draft, args: argparse.Namespace) -> Outcome:
    from drafter.draft.provenance import discover_sources, propose_sources
    from drafter.library import ReferenceLibrary

    found = discover_sources(draft, ReferenceLibrary(), top=args.top)
    change = propose_sources(draft, found)
    lines, proposals = [], []
    for article in draft.articles():
        pending = [x for x in draft.provenance.get(article.uid, []) if x.state == SUGGESTED]
        for link in pending:
            proposals.append(
                {
                    "article": article.number,
                    "ref": link.ref,
                    "ref_article": link.article,
                    "similarity": round(link.similarity, 1),
                    "label": link.label,
                }
            )
        if pending:
            listed = "；".join(
                f"{x.ref} 第{x.article}条（{x.label} {x.similarity:.0f}）" for x in pending
            )
            lines.append(f"  {article.label}待确认：{listed}")
    if proposals:
        lines.append("  可用 drafter edit FILE confirm|reject N REF_ID REF_ARTICLE 确认或否定")
    return Outcome(change, lines, {"pending": proposals})


def _decide(draft: Draft, args: argparse.Namespace) -> Outcome:
    from drafter.draft.provenance import confirm_source, reject_source

    article = _article(draft, args.article)
    pending = [x for x in draft.provenance.get(article.uid, []) if x.state == SUGGESTED]
    if not any(x.ref == args.ref and x.article == args.ref_article for x in pending):
        listed = "、".join(f"{x.ref} {x.article}" for x in pending) or "无"
        raise DrafterError(
            f"{article.label}没有待确认的来源 {args.ref} 第{args.ref_article}条（待确认：{listed}）"
        )
    decide = confirm_source if args.action == "confirm" else reject_source
    change = decide(draft, article.uid, args.ref, args.ref_article)
    change.summary = f"{article.label}：{change.summary} {args.ref} 第{args.ref_article}条"
    return Outcome(change)


def _set_meta(draft: Draft, args: argparse.Namespace) -> Outcome:
    if args.title is None and args.city is None and args.status is None:
        raise DrafterError("请至少指定 --title、--city 或 --status 之一")
    for value, what in ((args.title, "标题"), (args.city, "城市")):
        if value is not None and not value.strip():
            raise DrafterError(f"{what}不能为空")
    return Outcome(ops.edit_meta(draft, args.title, args.city, args.status))


def _explanation(draft: Draft, args: argparse.Namespace) -> Outcome:
    sections = [(s.title, s.text) for s in draft.explanation]
    titles = [title for title, _ in sections]
    if args.delete:
        if args.section not in titles:
            raise DrafterError(
                f"起草说明中没有“{args.section}”一节（现有：{'、'.join(titles) or '无'}）"
            )
        sections = [s for s in sections if s[0] != args.section]
    elif args.text is None:
        raise DrafterError("请给出这一节的文字（或用 --delete 删除这一节）")
    elif args.section in titles:
        sections = [(t, args.text.strip() if t == args.section else x) for t, x in sections]
    else:
        sections.append((args.section, args.text.strip()))
    return Outcome(ops.set_explanation(draft, sections))


# -- cross-references listing ------------------------------------------------------------------


def _ref_json(draft: Draft, article: Article, index: int, binding: CrossRef) -> dict:
    where = f"第{cn(binding.paragraph + 1)}款"
    if binding.item >= 0:
        where += f"第{cn(binding.item + 1)}项"
    target = None
    if binding.status == BOUND and binding.target and draft.has_article(binding.target):
        target = draft.article(binding.target).number
    return {
        "article": article.number,
        "index": index,
        "place": where,
        "text": draft.get_text(article, binding.location)[binding.start : binding.end],
        "status": binding.status,
        "target_article": target,
        "target_paragraph": binding.target_paragraph,
        "source_ref": binding.source_ref or None,
        "source_article": binding.source_article,
    }


def _ref_line(data: dict) -> str:
    status = _STATUS_NAMES.get(data["status"], data["status"])
    line = f"第{cn(data['article'])}条 [{data['index']}] {data['place']}“{data['text']}”：{status}"
    if data["target_article"]:
        line += f" → 第{cn(data['target_article'])}条"
    if data["source_ref"]:
        line += f"（原引 {data['source_ref']} 第{cn(data['source_article'] or 0)}条）"
    return line


def list_refs(args: argparse.Namespace) -> int:
    """`edit FILE refs [N]`: the cross-references of one article, or of all (read-only)."""
    draft = load_project(args.file)
    articles = [_article(draft, args.article)] if args.article else list(draft.articles())
    found = [
        _ref_json(draft, article, i, binding)
        for article in articles
        for i, binding in enumerate(draft.refs.get(article.uid, []), 1)
        if not args.unresolved or binding.status != BOUND
    ]
    if args.json:
        print_json(found)
        return 0
    for data in found:
        print(_ref_line(data))
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
        _ref_json(draft, article, i, binding)
        for article in draft.articles()
        for i, binding in enumerate(draft.refs.get(article.uid, []), 1)
        if binding.status == DANGLING and id(binding) not in before
    ]
    if fresh:
        outcome.data["dangling"] = fresh
        outcome.lines += [f"  引用的条文已删除：{_ref_line(entry)}" for entry in fresh]
        outcome.lines.append("  请修改这些引用，或用 link 关联到其他条文")


def run_action(args: argparse.Namespace) -> int:
    """Lock, load, apply one action, save atomically and report."""
    path = Path(args.file)
    if not path.is_file():
        raise InputFileError(path, "文件不存在" if not path.exists() else "不是文件")
    with ProjectLock(path):
        draft = load_project(path)
        dangling_before = {
            id(b) for bindings in draft.refs.values() for b in bindings if b.status == DANGLING
        }
        outcome = args.action_handler(draft, args)
        _report_dangling(draft, outcome, dangling_before)
        saved = None if outcome.change.empty else save_project(draft, path)
    _report(args, draft, outcome, saved is not None, saved.backup if saved else None)
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

    p = _action(actions, "add-chapter", "添加一章", _add_chapter, common)
    p.add_argument("title", metavar="TITLE")
    p.add_argument("--at", type=number, metavar="N", help="作为第N章插入（默认放在最后）")

    p = _action(actions, "rename-chapter", "修改章名", _rename_chapter, common)
    p.add_argument("chapter", type=number, metavar="N")
    p.add_argument("title", metavar="TITLE")

    p = _action(actions, "delete-chapter", "删除一章（连同其中各条）", _delete_chapter, common)
    p.add_argument("chapter", type=number, metavar="N")

    p = _action(actions, "move-chapter", "移动一章", _move_chapter, common)
    p.add_argument("chapter", type=number, metavar="N")
    p.add_argument("--to", type=number, required=True, metavar="M", help="移动后成为第M章")

    p = _action(
        actions,
        "insert-article",
        "插入一条（每行一款，（一）开头的行为项）",
        _insert_article,
        common,
    )
    _placement_args(p, "插入")
    p.add_argument("--caption", metavar="C", help="条旨")
    p.add_argument("text", type=_text_arg, metavar="TEXT")

    p = _action(
        actions, "delete-article", "删除一条（引用它的地方会被标出）", _delete_article, common
    )
    p.add_argument("article", type=number, metavar="N")

    p = _action(actions, "move-article", "移动一条（可跨章）", _move_article, common)
    p.add_argument("article", type=number, metavar="N")
    _placement_args(p, "移动")
    p.add_argument("--position", type=number, metavar="K", help="移动后为该章的第K条")

    p = _action(actions, "caption", "设置条旨（空文字则删除）", _caption, common)
    p.add_argument("article", type=number, metavar="N")
    p.add_argument("text", metavar="TEXT")

    p = _action(actions, "edit", "修改一款（或一项）的文字", _edit, common)
    p.add_argument("article", type=number, metavar="N")
    p.add_argument("--paragraph", type=number, metavar="P", help="第P款（只有一款时可省略）")
    p.add_argument("--item", type=number, metavar="I", help="只改第I项")
    p.add_argument("text", type=_text_arg, metavar="TEXT")

    p = _action(actions, "add-paragraph", "增加一款", _add_paragraph, common)
    p.add_argument("article", type=number, metavar="N")
    p.add_argument("--at", type=number, metavar="P", help="作为第P款插入（默认追加在最后）")
    p.add_argument("text", type=_text_arg, metavar="TEXT")

    p = _action(actions, "delete-paragraph", "删除一款", _delete_paragraph, common)
    p.add_argument("article", type=number, metavar="N")
    p.add_argument("--paragraph", type=number, metavar="P")

    p = _action(actions, "split", "把一款拆成两款", _split, common)
    p.add_argument("article", type=number, metavar="N")
    p.add_argument("--paragraph", type=number, metavar="P")
    at = p.add_mutually_exclusive_group(required=True)
    at.add_argument("--at", type=int, metavar="OFFSET", help="前一款保留的字数")
    at.add_argument("--after", metavar="TEXT", help="在这段文字之后拆分")

    p = _action(actions, "merge", "把第P款与下一款合并", _merge, common)
    p.add_argument("article", type=number, metavar="N")
    p.add_argument("--paragraph", type=number, metavar="P", help="与第P+1款合并（默认第1款）")
    p.set_defaults(paragraph=1)

    p = _action(actions, "adopt", "采纳参考法规的条款（本地化并记录来源）", _adopt, common)
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

    p = _action(actions, "link", "把未关联的引用关联到本草案的某一条", _link, common)
    p.add_argument("article", type=number, metavar="N")
    p.add_argument("--ref", type=number, required=True, metavar="INDEX", help="refs 列出的序号")
    p.add_argument("--to-article", type=number, required=True, metavar="M", help="关联到第M条")

    p = _action(actions, "discover", "查找各条可能的来源，记为待确认", _discover, common)
    p.add_argument("--top", type=number, default=3, metavar="K", help="每条最多几个（默认 3）")

    for name, verb in (("confirm", "确认"), ("reject", "否定")):
        p = _action(actions, name, f"{verb}第N条的一个待确认来源", _decide, common)
        p.add_argument("article", type=number, metavar="N")
        p.add_argument("ref", metavar="REF_ID")
        p.add_argument("ref_article", type=number, metavar="REF_ARTICLE")

    p = _action(actions, "set-meta", "修改标题、城市或状态", _set_meta, common)
    p.add_argument("--title")
    p.add_argument("--city")
    p.add_argument("--status", choices=STATUSES)

    p = _action(actions, "explanation", "设置起草说明的一节（没有则新增）", _explanation, common)
    p.add_argument("section", metavar="SECTION_TITLE", help="如“一、立法的必要性”")
    p.add_argument("text", type=_text_arg, nargs="?", metavar="TEXT")
    p.add_argument("--delete", action="store_true", help="删除这一节")
