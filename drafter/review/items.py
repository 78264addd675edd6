"""Review items from a reviewed document: comments, tracked changes and untracked edits.

Every item is a plain dict, as `draft.review["items"]` keeps it:

    {id, file, kind: comment|insertion|deletion|edit, author, date, unit, article_uid,
     paragraph, item, anchor_text, text, replies, old_text, new_text, before, after,
     new_paragraph, where, fingerprint, disposition, reason, status: open|accepted|rejected}

A change (insertion, deletion, edit) is one replacement of `old_text` by `new_text` in
the 款 (or 项, `item` ≥ 0) it sits in, between the context `before` and `after` (the text
around it as exported), which is what accepting it applies to the current text.
`new_paragraph` marks a whole 款 the reviewer added after 款 `paragraph - 1`; `merge`, a
款 joined with the next one (its paragraph mark deleted).
"""

from __future__ import annotations

import hashlib
import json
from itertools import pairwise

from drafter import APP_DISPLAY_NAME as COMMENT_AUTHOR  # export.comments' author
from drafter.review.anchoring import ARTICLE_LABEL, Anchoring, DocLine, Placement, Slot
from drafter.review.docx_reader import DELETED, Comment, ReviewedDocument

COMMENT, INSERTION, DELETION, EDIT = "comment", "insertion", "deletion", "edit"
KINDS = (COMMENT, INSERTION, DELETION, EDIT)
KIND_NAMES = {COMMENT: "批注", INSERTION: "插入", DELETION: "删除", EDIT: "未留痕修改"}
OPEN, ACCEPTED, REJECTED = "open", "accepted", "rejected"
CONTEXT = 16  # characters of context kept on each side of a change
ANCHOR_LIMIT = 200


def quote(text: str, limit: int = 60) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def describe(kind: str, old: str, new: str, before: str, new_paragraph: bool = False) -> str:
    """What a change proposes, as an 意见采纳情况表 states it."""
    if new_paragraph:
        return f"建议增加一款：“{quote(new, 120)}”"
    if kind == INSERTION or (not old and new):
        if before:
            return f"建议在“{quote(before[-8:].lstrip())}”后增加“{quote(new)}”"
        return f"建议增加“{quote(new)}”"
    if kind == DELETION or (old and not new):
        return f"建议删去“{quote(old)}”"
    return f"建议将“{quote(old)}”修改为“{quote(new)}”"


def fingerprint(item: dict) -> str:
    """What makes two items the same, whichever file or import they came from."""
    keys = ("kind", "author", "date", "text", "old_text", "new_text", "before", "after")
    basis = {k: item.get(k, "") for k in keys}
    basis["anchor"] = item.get("anchor_text", "") if item["kind"] == COMMENT else ""
    if item["kind"] == EDIT:
        # An untracked edit has no author of its own (it is whoever saved the file last):
        # the same edit in a copy someone else saved is the same item.
        basis["author"] = ""
    raw = json.dumps(basis, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:20]


def _base(kind: str, author: str, date: str, place: Placement) -> dict:
    return {
        "kind": kind,
        "author": author,
        "date": date,
        "article_uid": place.article_uid,
        "paragraph": place.paragraph,
        "item": place.item,
        "where": place.where,
        "new_paragraph": place.new_paragraph,
        "anchor_text": "",
        "text": "",
        "replies": [],
        "old_text": "",
        "new_text": "",
        "before": "",
        "after": "",
        "disposition": "",
        "reason": "",
        "status": OPEN,
    }


def _reply(comment: Comment) -> dict:
    return {"author": comment.author, "date": comment.date, "text": comment.text}


def comment_items(document: ReviewedDocument, anchoring: Anchoring) -> list[dict]:
    """One item per comment thread (the app's own source comments left out)."""
    items = []
    for comment in document.top_comments():
        if comment.author == COMMENT_AUTHOR:
            continue
        where = document.anchor(comment.id)
        place = anchoring.at(where[0]) if where else Placement()
        item = _base(COMMENT, comment.author, comment.date, place)
        if where is not None and place.slot is None and not place.new_paragraph:
            item["paragraph"] = None if place.article_uid is None else item["paragraph"]
        item["anchor_text"] = quote(document.range_text(comment.id), ANCHOR_LIMIT)
        item["text"] = comment.text
        item["replies"] = [_reply(r) for r in document.replies(comment.id)]
        items.append(item)
    return items


def _change_item(
    kind: str,
    author: str,
    date: str,
    place: Placement,
    slot_text: str,
    start: int,
    end: int,
    new: str,
) -> dict:
    item = _base(kind, author, date, place)
    old = slot_text[start:end]
    item.update(
        old_text=old,
        new_text=new,
        before=slot_text[max(0, start - CONTEXT) : start],
        after=slot_text[end : end + CONTEXT],
        anchor_text=quote(slot_text, ANCHOR_LIMIT),
    )
    item["text"] = describe(kind, old, new, item["before"], place.new_paragraph)
    return item


def tracked_items(document: ReviewedDocument, anchoring: Anchoring) -> list[dict]:
    """One item per tracked insertion or deletion (a moved passage: one of each)."""
    items = []
    for change in document.changes():
        place = anchoring.at(change.paragraph)
        paragraph = document.paragraphs[change.paragraph]
        kind = DELETION if change.kind == DELETED else INSERTION
        if place.new_paragraph or paragraph.wholly_inserted:
            item = _base(INSERTION, change.author, change.date, place)
            item.update(new_text=change.text, anchor_text=quote(change.text, ANCHOR_LIMIT))
            item["new_paragraph"] = place.article_uid is not None
            label = "一条" if place.article_uid is None else "一款"
            added = ARTICLE_LABEL.sub("", change.text, count=1)
            item["text"] = f"建议增加{label}：“{quote(added, 120)}”"
            items.append(item)
            continue
        if place.prefix and change.end <= place.prefix and change.start < place.prefix:
            continue  # the 第X条 label renumbered: numbering is the draft's own business
        # Offsets into the 款's text as exported (its label and caption skipped).
        start = max(0, change.start - place.prefix)
        end = max(start, change.end - place.prefix)
        text = paragraph.before[place.prefix :]
        new = change.text if kind == INSERTION else ""
        items.append(_change_item(kind, change.author, change.date, place, text, start, end, new))
    return items + merge_items(document, anchoring)


def merge_items(document: ReviewedDocument, anchoring: Anchoring) -> list[dict]:
    """A 款's paragraph mark deleted with tracking on: the 款 and the next one joined (a
    wholly deleted 款 is its text's deletion, not a merge)."""
    items = []
    for paragraph, following in pairwise(document.paragraphs):
        mark = paragraph.mark_deleted
        place, after = anchoring.at(paragraph.index), anchoring.at(following.index)
        if mark is None or not paragraph.after.strip() or place.slot is None:
            continue
        if place.item >= 0 or after.article_uid != place.article_uid or after.slot is None:
            continue
        if after.paragraph != (place.paragraph or 0) + 1 or after.item >= 0:
            continue
        item = _base(DELETION, mark.author, mark.date, place)
        item.update(merge=True, anchor_text=quote(place.slot.text, ANCHOR_LIMIT))
        item["text"] = "建议将本款与下一款合并为一款"
        items.append(item)
    return items


def _common_affixes(old: str, new: str) -> tuple[int, int]:
    head = 0
    while head < min(len(old), len(new)) and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < min(len(old), len(new)) - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    return head, tail


def edit_items(anchoring: Anchoring) -> list[dict]:
    """Untracked edits: where a 款's text as the reviewer received it differs from the
    exported text (the reviewer typed with tracking off), 款 and articles added or removed."""
    items = []
    for uid, pairs in anchoring.pairs.items():
        for line, slot in pairs:
            items += _edit_of(uid, line, slot)
    for index, block in enumerate(anchoring.blocks):
        if index in anchoring.matched or block.inserted:
            continue
        # An article the reviewer added by hand: not placed (it is no article of the draft).
        text = "\n".join(line.paragraph.before[line.prefix :] for line in block.lines)
        item = _base(EDIT, "", "", Placement(where=f"审阅稿{block.label}"))
        item.update(new_text=text, anchor_text=quote(text, ANCHOR_LIMIT))
        item["text"] = f"建议增加一条：“{quote(text, 120)}”"
        items.append(item)
    for uid, slots in anchoring.slots.items():
        if uid in anchoring.pairs or not slots:
            continue
        # An article the reviewer deleted by hand.
        old = "\n".join(slot.text for slot in slots)
        item = _base(EDIT, "", "", Placement(uid))
        item.update(old_text=old, anchor_text=quote(old, ANCHOR_LIMIT))
        item["paragraph"] = None
        item["text"] = f"建议删去本条：“{quote(old)}”"
        items.append(item)
    return items


def _edit_of(uid: str, line: DocLine | None, slot: Slot | None) -> list[dict]:
    if line is not None and line.inserted:
        return []  # a tracked insertion: reported by tracked_items
    where = ""
    if slot is None and line is not None:
        # A 款 the reviewer added without tracking.
        place = Placement(uid, None, -1, 0, None, where, new_paragraph=True)
        item = _base(EDIT, "", "", place)
        item.update(new_text=line.text, anchor_text=quote(line.text, ANCHOR_LIMIT))
        item["text"] = f"建议增加一款：“{quote(line.text, 120)}”"
        return [item]
    assert slot is not None
    old = slot.text
    new = line.text if line is not None else ""
    if old == new:
        return []
    place = Placement(uid, slot.paragraph, slot.item, 0, slot, where)
    head, tail = _common_affixes(old, new)
    item = _change_item(
        EDIT, "", "", place, old, head, len(old) - tail, new[head : len(new) - tail]
    )
    if line is None:
        item["text"] = f"建议删去本款：“{quote(old)}”"
    return [item]
