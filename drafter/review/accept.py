"""Accepting a reviewer's change into the draft, or rejecting it.

Accepting is a core operation: the replacement is applied with `edit_paragraph` (or a 款
is inserted or removed) inside one `apply_change`, so it returns a `Change` the window
can undo and the article's provenance is re-measured as for any edit. The item's status
lives in `draft.review`, outside the Change: the window's undo command restores it.

The change is found in the current text by its context (`before` old `after`, as
exported), shrinking the context until it is unique, so text edited elsewhere in the 款
since the export does not stop it; where it cannot be found the drafter is told.
"""

from __future__ import annotations

from dataclasses import dataclass

from drafter.draft import operations as ops
from drafter.draft.changes import Change, apply_change
from drafter.draft.document import Draft
from drafter.review.items import ACCEPTED, COMMENT, EDIT, OPEN, REJECTED
from drafter.review.store import ReviewError, item_by_id, location_text, review_of
from drafter.statute.model import Article
from drafter.statute.numerals import item_label


@dataclass
class Resolution:
    """What resolving one item did: its id, the draft's Change (None for a rejection)."""

    item_id: str
    change: Change | None


def _contexts(before: str, after: str) -> list[tuple[str, str]]:
    """Context pairs to try, longest first: both sides, then one side alone (the other side
    may be text an accepted neighbouring change has since replaced)."""
    longest = max(len(before), len(after))
    both = [(before[len(before) - k :], after[:k]) for k in range(longest, 0, -1)]
    one = [
        pair
        for k in range(longest, 0, -1)
        for pair in (("", after[:k]), (before[len(before) - k :], ""))
    ]
    return both + one + [("", "")]


def _find(text: str, before: str, old: str, after: str) -> int | None:
    """Where `old` starts in `text`, told apart by as much context as makes it unique."""
    for left, right in _contexts(before, after):
        needle = left + old + right
        if not needle:
            continue
        first = text.find(needle)
        if first >= 0 and text.find(needle, first + 1) < 0:
            return first + len(left)
    return None


def _slots(article: Article, item: dict) -> list[tuple[int, int]]:
    """The 款/项 to look in: the recorded one first, then every other one of the article."""
    every = [(p, -1) for p in range(len(article.paragraphs))] + [
        (p, i) for p, para in enumerate(article.paragraphs) for i in range(len(para.items))
    ]
    recorded = (item.get("paragraph"), item.get("item", -1))
    return ([recorded] if recorded in every else []) + [s for s in every if s != recorded]


def _slot_text(article: Article, slot: tuple[int, int]) -> str:
    p, i = slot
    para = article.paragraphs[p]
    return para.text if i < 0 else item_label(i + 1) + para.items[i]


def _apply(draft: Draft, item: dict) -> str:
    uid = item.get("article_uid")
    if not uid or not draft.has_article(uid):
        raise ReviewError(f"意见 {item['id']} 无法定位到现行条文，请手工修改后标记处理情况")
    article = draft.article(uid)
    if item.get("paragraph") is None and item["kind"] == EDIT and not item.get("new_text"):
        ops.delete_article(draft, uid)  # the reviewer deleted the whole article
        return f"接受修订：删除{article.label}"
    if item.get("merge"):
        paragraph = item.get("paragraph") or 0
        if paragraph + 1 >= len(article.paragraphs):
            raise ReviewError(f"意见 {item['id']}：{article.label}已没有下一款可合并")
        ops.merge_paragraphs(draft, uid, paragraph)
        return f"接受修订：{article.label}合并两款"
    if item.get("new_paragraph"):
        index = item.get("paragraph")
        index = len(article.paragraphs) if index is None else min(index, len(article.paragraphs))
        ops.insert_paragraph(draft, uid, index, item["new_text"].strip())
        return f"接受修订：{article.label}增加一款"
    for slot in _slots(article, item):
        text = _slot_text(article, slot)
        at = _find(text, item.get("before", ""), item.get("old_text", ""), item.get("after", ""))
        if at is None:
            continue
        new = text[:at] + item.get("new_text", "") + text[at + len(item.get("old_text", "")) :]
        p, i = slot
        para = article.paragraphs[p]
        if i >= 0:
            label = item_label(i + 1)
            items = list(para.items)
            items[i] = new[len(label) :] if new.startswith(label) else new
            ops.edit_paragraph(draft, uid, p, para.text, items=items)
        elif not new.strip() and not para.items and len(article.paragraphs) > 1:
            ops.delete_paragraph(draft, uid, p)
        else:
            ops.edit_paragraph(draft, uid, p, new.strip())
        return f"接受修订：{location_text(draft, item)}"
    raise ReviewError(
        f"意见 {item['id']}：在{article.label}的现行文字中找不到修订的位置"
        "（该处已被改动），请手工修改后标记处理情况"
    )


def _open_change(draft: Draft, item_id: str, verb: str) -> dict:
    item = item_by_id(draft, item_id)
    if item["kind"] == COMMENT:
        raise ReviewError(
            f"意见 {item_id} 是批注，没有可{verb}的修订；请用 --disposition 记录处理情况"
        )
    if item.get("status") == ACCEPTED:
        raise ReviewError(f"意见 {item_id} 的修订已经接受，请先撤销")
    return item


def _settle(item: dict, status: str, disposition: str) -> None:
    item["status"] = status
    if not item.get("disposition"):
        item["disposition"] = disposition


def accept(draft: Draft, item_id: str) -> Resolution:
    """Apply a change item to the draft; its status becomes accepted (采纳 if not set)."""
    item = _open_change(draft, item_id, "接受")
    change = apply_change(draft, "accept_review", lambda: _apply(draft, item))
    _settle(item, ACCEPTED, "采纳")
    return Resolution(item["id"], change)


def reject(draft: Draft, item_id: str) -> Resolution:
    """Leave the draft's text as it is; the item's status becomes rejected (未采纳 if not set)."""
    item = _open_change(draft, item_id, "拒绝")
    _settle(item, REJECTED, "未采纳")
    draft.modified = True
    return Resolution(item["id"], None)


def open_changes(draft: Draft, author: str) -> list[str]:
    """The ids of one reviewer's (author's or unit's) changes still open, in order."""
    return [
        i["id"]
        for i in review_of(draft)["items"]
        if i["kind"] != COMMENT
        and i.get("status", OPEN) == OPEN
        and author in (i.get("author"), i.get("unit"))
    ]
