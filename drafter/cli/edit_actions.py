"""The actions of `drafter edit`: each takes the loaded draft and its arguments and returns
an `Outcome` (the core Change plus lines to report). Numbers a drafter reads (第N条, 第N章,
第P款, 1-based) are translated here into the uids the core operations take.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass, field

from drafter.draft import operations as ops
from drafter.draft.changes import Change
from drafter.draft.crossrefs import BOUND, DANGLING, CrossRef
from drafter.draft.document import Draft, paragraphs_from_text
from drafter.draft.provenance import pending_links
from drafter.errors import DrafterError
from drafter.statute.model import Article, Chapter, Paragraph
from drafter.statute.numerals import to_chinese_numeral as cn

ADOPT_AS = {"new": "article", "replace": "replace", "append": "append"}
_STATUS_NAMES = {BOUND: "已关联", "unresolved": "未关联", DANGLING: "目标已删除"}


@dataclass
class Outcome:
    """An action's change plus anything it wants to report besides the change itself."""

    change: Change
    lines: list[str] = field(default_factory=list)
    data: dict = field(default_factory=dict)


# -- numbers → the draft's parts ---------------------------------------------------------


def article_numbered(draft: Draft, n: int) -> Article:
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
    anchor = article_numbered(draft, anchor_n)
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


def add_chapter(draft: Draft, args: argparse.Namespace) -> Outcome:
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


def rename_chapter(draft: Draft, args: argparse.Namespace) -> Outcome:
    return Outcome(ops.rename_chapter(draft, _chaptered(draft, args.chapter).uid, args.title))


def delete_chapter(draft: Draft, args: argparse.Namespace) -> Outcome:
    return Outcome(ops.delete_chapter(draft, _chaptered(draft, args.chapter).uid))


def move_chapter(draft: Draft, args: argparse.Namespace) -> Outcome:
    chapter = _chaptered(draft, args.chapter)
    if not 1 <= args.to <= len(draft.chapters):
        raise DrafterError(f"章的位置超出范围：{args.to}（可用 1–{len(draft.chapters)}）")
    return Outcome(ops.move_chapter(draft, chapter.uid, args.to - 1))


def insert_article(draft: Draft, args: argparse.Namespace) -> Outcome:
    chapter, index = _placement(draft, args.chapter, args.before_article, args.after_article)
    paragraphs = paragraphs_from_text(args.text)
    if not paragraphs:
        raise DrafterError("条文是空的")
    return Outcome(ops.insert_article(draft, chapter.uid, paragraphs, index, args.caption or ""))


def delete_article(draft: Draft, args: argparse.Namespace) -> Outcome:
    return Outcome(ops.delete_article(draft, article_numbered(draft, args.article).uid))


def move_article(draft: Draft, args: argparse.Namespace) -> Outcome:
    article = article_numbered(draft, args.article)
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


def caption(draft: Draft, args: argparse.Namespace) -> Outcome:
    return Outcome(
        ops.set_caption(draft, article_numbered(draft, args.article).uid, args.text.strip())
    )


def note(draft: Draft, args: argparse.Namespace) -> Outcome:
    return Outcome(
        ops.set_note(draft, article_numbered(draft, args.article).uid, args.text.strip())
    )


def replace(draft: Draft, args: argparse.Namespace) -> Outcome:
    from drafter.draft.find_replace import replace_text

    change = replace_text(draft, args.old, args.new)
    labels = []
    for article in draft.articles():
        if article.uid in change.modified and article.label not in labels:
            labels.append(article.label)
    places = "、".join(labels[:10]) + ("等" if len(labels) > 10 else "")
    return Outcome(change, [f"  涉及{places}"])


def edit(draft: Draft, args: argparse.Namespace) -> Outcome:
    article = article_numbered(draft, args.article)
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


def add_paragraph(draft: Draft, args: argparse.Namespace) -> Outcome:
    article = article_numbered(draft, args.article)
    count = len(article.paragraphs)
    p = count if args.at is None else args.at - 1
    if not 0 <= p <= count:
        raise DrafterError(f"款的位置超出范围：{args.at}（{article.label}可用 1–{count + 1}）")
    new = _one_paragraph(args.text, "新增的款")
    return Outcome(ops.insert_paragraph(draft, article.uid, p, new.text, new.items))


def delete_paragraph(draft: Draft, args: argparse.Namespace) -> Outcome:
    article = article_numbered(draft, args.article)
    return Outcome(ops.delete_paragraph(draft, article.uid, _paragraph(article, args.paragraph)))


def split(draft: Draft, args: argparse.Namespace) -> Outcome:
    article = article_numbered(draft, args.article)
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


def merge(draft: Draft, args: argparse.Namespace) -> Outcome:
    article = article_numbered(draft, args.article)
    p = _paragraph(article, args.paragraph)
    if p + 1 >= len(article.paragraphs):
        raise DrafterError(f"{article.label}第{cn(p + 1)}款之后没有可合并的款")
    return Outcome(ops.merge_paragraphs(draft, article.uid, p))


def adopt(draft: Draft, args: argparse.Namespace) -> Outcome:
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
        target = article_numbered(draft, args.article)
        paragraph = None
        if mode == "replace":
            paragraph = _paragraph(target, args.paragraph)
        elif args.paragraph is not None:
            raise DrafterError("--as append 总是追加为最后一款，不能指定 --paragraph")
        change = adopt(draft, clause, mode, article_uid=target.uid, paragraph=paragraph)
        uid = target.uid
    article = draft.article(uid)
    citations = [
        ref_json(draft, article, i, b)
        for i, b in enumerate(draft.refs.get(uid, []), 1)
        if b.status != BOUND
    ]
    lines = [f"  本地化：{old} → {new}" for old, new in replaced]
    lines += [f"  待关联：{ref_line(c)}" for c in citations]
    if citations:
        lines.append(
            f"  可用 drafter edit FILE link {article.number} --ref 序号 --to-article M 关联"
        )
    replacements = [{"from": old, "to": new} for old, new in replaced]
    return Outcome(change, lines, {"replacements": replacements, "citations": citations})


def link(draft: Draft, args: argparse.Namespace) -> Outcome:
    article = article_numbered(draft, args.article)
    bindings = draft.refs.get(article.uid, [])
    if not 1 <= args.ref <= len(bindings):
        raise DrafterError(
            f"{article.label}没有第{args.ref}处引用"
            f"（共{len(bindings)}处，可用 refs {article.number} 查看）"
        )
    target = article_numbered(draft, args.to_article)
    change = ops.link_reference(draft, article.uid, args.ref - 1, target.uid)
    change.summary = f"{article.label}第{args.ref}处引用已关联到{target.label}"
    return Outcome(change)


def discover(draft: Draft, args: argparse.Namespace) -> Outcome:
    from drafter.draft.provenance import discover_sources, propose_sources
    from drafter.library import ReferenceLibrary

    found = discover_sources(draft, ReferenceLibrary(), top=args.top)
    change = propose_sources(draft, found)
    lines, proposals = [], []
    for article in draft.articles():
        pending = pending_links(draft, article.uid)
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


def decide(draft: Draft, args: argparse.Namespace) -> Outcome:
    from drafter.draft.provenance import confirm_source, reject_pending_sources, reject_source

    article = article_numbered(draft, args.article)
    pending = pending_links(draft, article.uid)
    if getattr(args, "all", False):
        if args.ref is not None:
            raise DrafterError("--all 与 REF_ID REF_ARTICLE 只能给出其一")
        if not pending:
            raise DrafterError(f"{article.label}没有待确认的来源")
        change = reject_pending_sources(draft, article.uid)
        change.summary = f"{article.label}：{change.summary}"
        return Outcome(change)
    if args.ref is None or args.ref_article is None:
        raise DrafterError(
            "请给出 REF_ID REF_ARTICLE（drafter show FILE --sources 列出），或用 --all"
        )
    if not any(x.ref == args.ref and x.article == args.ref_article for x in pending):
        listed = "、".join(f"{x.ref} {x.article}" for x in pending) or "无"
        raise DrafterError(
            f"{article.label}没有待确认的来源 {args.ref} 第{args.ref_article}条（待确认：{listed}）"
        )
    decide = confirm_source if args.action == "confirm" else reject_source
    change = decide(draft, article.uid, args.ref, args.ref_article)
    change.summary = f"{article.label}：{change.summary} {args.ref} 第{args.ref_article}条"
    return Outcome(change)


def set_meta(draft: Draft, args: argparse.Namespace) -> Outcome:
    if args.title is None and args.city is None and args.status is None:
        raise DrafterError("请至少指定 --title、--city 或 --status 之一")
    for value, what in ((args.title, "标题"), (args.city, "城市")):
        if value is not None and not value.strip():
            raise DrafterError(f"{what}不能为空")
    return Outcome(ops.edit_meta(draft, args.title, args.city, args.status))


def explanation(draft: Draft, args: argparse.Namespace) -> Outcome:
    sections = [(s.title, s.text, s.kind) for s in draft.explanation]
    titles = [title for title, _, _ in sections]
    if args.delete:
        if args.section not in titles:
            raise DrafterError(
                f"起草说明中没有“{args.section}”一节（现有：{'、'.join(titles) or '无'}）"
            )
        sections = [s for s in sections if s[0] != args.section]
    elif args.text is None:
        raise DrafterError("请给出这一节的文字（或用 --delete 删除这一节）")
    elif args.section in titles:
        sections = [(t, args.text.strip() if t == args.section else x, k) for t, x, k in sections]
    else:
        sections.append((args.section, args.text.strip(), ""))
    return Outcome(ops.set_explanation(draft, sections))


def set_basis(draft: Draft, args: argparse.Namespace) -> Outcome:
    """The 主要依据 (上位法 and policy documents): replaced, added to, or cleared."""
    entries = [line.strip() for text in args.entries for line in text.splitlines()]
    entries = [entry for entry in entries if entry]
    if args.clear and entries:
        raise DrafterError("--clear 清空主要依据，不能同时给出文件名称")
    if not args.clear and not entries:
        raise DrafterError("请给出上位法或政策文件的名称（每个一项；- 从标准输入读取，每行一件）")
    basis = [] if args.clear else (list(draft.basis) + entries if args.add else entries)
    outcome = Outcome(ops.set_basis(draft, basis))
    outcome.lines = [f"  {n}. {entry}" for n, entry in enumerate(draft.basis, 1)]
    outcome.data["basis"] = list(draft.basis)
    return outcome


# -- cross-references as text and JSON -----------------------------------------------------


def ref_json(draft: Draft, article: Article, index: int, binding: CrossRef) -> dict:
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


def ref_line(data: dict) -> str:
    status = _STATUS_NAMES.get(data["status"], data["status"])
    line = f"第{cn(data['article'])}条 [{data['index']}] {data['place']}“{data['text']}”：{status}"
    if data["target_article"]:
        line += f" → 第{cn(data['target_article'])}条"
    if data["source_ref"]:
        line += f"（原引 {data['source_ref']} 第{cn(data['source_article'] or 0)}条）"
    return line
