"""The draft's review work (`draft.review`): imported files, their items, and 意见处理.

    draft.review = {"files": [{id, name, sha256, unit, imported_at, exported_version,
                               baseline_note}],
                    "items": [<drafter.review.items>]}

Importing the same file again (same sha256) adds nothing; an item already there from
another file (same fingerprint: the same comment or change) is not added twice.
"""

from __future__ import annotations

import copy
import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from drafter.draft.document import Draft
from drafter.errors import DrafterError
from drafter.review.anchoring import anchor
from drafter.review.dispositions import DISPOSITIONS
from drafter.review.docx_reader import ReviewedDocument, read_reviewed
from drafter.review.items import (
    ACCEPTED,
    COMMENT,
    KINDS,
    OPEN,
    REJECTED,
    comment_items,
    edit_items,
    fingerprint,
    tracked_items,
)
from drafter.review.stamp import TEXT_PROPERTY, VERSION_PROPERTY, text_fingerprint
from drafter.statute.numerals import to_chinese_numeral as cn

STATUS_NAMES = {OPEN: "未处理", ACCEPTED: "已接受", REJECTED: "已拒绝"}


class ReviewError(DrafterError):
    """A review item or file that cannot be found or handled."""


# An item's keys and the types they must have (None allowed where a place is unknown).
_ITEM_TYPES: dict[str, tuple[type, ...]] = {
    "id": (str,),
    "kind": (str,),
    "author": (str,),
    "text": (str,),
    "article_uid": (str, type(None)),
    "paragraph": (int, type(None)),
    "item": (int,),
    "replies": (list,),
    "disposition": (str,),
    "reason": (str,),
    "status": (str,),
}


_OPTIONAL = {"item", "author", "replies", "disposition", "reason", "status"}


def review_of(draft: Draft) -> dict:
    """The draft's review dict, with both lists present; `ReviewError` naming the first
    item a hand-edited file damaged (the project file checks only the two lists)."""
    review = getattr(draft, "review", None)
    if not isinstance(review, dict):
        review = {}
        draft.review = review
    review.setdefault("files", [])
    review.setdefault("items", [])
    for number, item in enumerate(review["items"], 1):
        _check_item(number, item)
    for number, entry in enumerate(review["files"], 1):
        if not isinstance(entry, dict) or not isinstance(entry.get("sha256", ""), str):
            raise ReviewError(f"草案文件中的第 {number} 个审阅稿记录已损坏")
    return review


def _check_item(number: int, item: object) -> None:
    where = f"草案文件中的第 {number} 条审阅意见"
    if not isinstance(item, dict):
        raise ReviewError(f"{where}已损坏（不是对象）")
    for key, types in _ITEM_TYPES.items():
        if key not in item and key in _OPTIONAL:
            continue
        value = item.get(key)
        if not isinstance(value, types) or isinstance(value, bool):
            raise ReviewError(f"{where}已损坏（{key} 的值不对）")
    if item["kind"] not in KINDS:
        raise ReviewError(f"{where}已损坏（kind 应为 {'、'.join(KINDS)} 之一）")


@dataclass
class ImportResult:
    """What one reviewed file brought in."""

    name: str
    added: list[dict] = field(default_factory=list)
    duplicates: int = 0
    already_imported: bool = False
    baseline: str = ""  # what the untracked edits were found against

    @property
    def unplaced(self) -> list[dict]:
        return [i for i in self.added if i["article_uid"] is None]


def _baseline(
    draft: Draft, document: ReviewedDocument, version: str | None
) -> tuple[Draft, str, str]:
    """(the exported text, its version name or "", what to tell the drafter): the version
    named, else the one the export recorded, else the current text (and the drafter is
    told that the untracked edits were found against it)."""
    from drafter.draft.versions import find_version, version_draft

    if version is not None:
        found = find_version(draft, version)
        return version_draft(found), found.name, f"未留痕的修改与版本“{found.label}”比对"
    recorded = document.properties.get(VERSION_PROPERTY, "")
    fingerprint = document.properties.get(TEXT_PROPERTY, "")
    for candidate in reversed(getattr(draft, "versions", [])):
        text = version_draft(candidate)
        if candidate.name == recorded and text_fingerprint(text) == fingerprint:
            return (
                text,
                candidate.name,
                f"审阅稿导出自版本“{candidate.label}”，未留痕的修改与之比对",
            )
    if fingerprint and fingerprint == text_fingerprint(draft):
        return draft, "", "审阅稿导出自现行文本，未留痕的修改与之比对"
    for candidate in reversed(getattr(draft, "versions", [])):
        text = version_draft(candidate)
        if fingerprint and text_fingerprint(text) == fingerprint:
            return (
                text,
                candidate.name,
                f"审阅稿导出自版本“{candidate.label}”，未留痕的修改与之比对",
            )
    return (
        draft,
        "",
        "审阅稿没有记录导出时的版本，未留痕的修改按现行文本比对（可用 --version 指定）",
    )


def _check_same_draft(anchoring, name: str) -> None:
    """Refuse a file that is another draft's (most of its articles match none of ours)."""
    blocks = [b for b in anchoring.blocks if not b.inserted]
    matched = sum(1 for index, b in enumerate(anchoring.blocks) if index in anchoring.matched)
    if len(blocks) >= 3 and matched * 2 < len(blocks):
        raise ReviewError(
            f"{name}: 审阅稿与本草案对不上（{len(blocks)} 条中只有 {matched} 条能对应），"
            "可能选错了文件或草案；未导入"
        )


def _next_id(items: list[dict]) -> int:
    numbers = [int(i["id"]) for i in items if str(i.get("id", "")).isdigit()]
    return max(numbers, default=0) + 1


def import_reviewed(
    draft: Draft,
    path: Path | str,
    unit: str = "",
    version: str | None = None,
) -> ImportResult:
    """Read a reviewed .docx and add its items to `draft.review` (nothing twice)."""
    document, raw = read_reviewed(path)
    return import_document(draft, document, raw, Path(path).name, unit, version)


def import_document(
    draft: Draft,
    document: ReviewedDocument,
    raw: bytes,
    name: str,
    unit: str = "",
    version: str | None = None,
) -> ImportResult:
    review = review_of(draft)
    digest = hashlib.sha256(raw).hexdigest()
    result = ImportResult(name)
    if any(f.get("sha256") == digest for f in review["files"]):
        result.already_imported = True
        return result
    baseline, version_name, note = _baseline(draft, document, version)
    result.baseline = note
    anchoring = anchor(document, baseline)
    _check_same_draft(anchoring, name)
    found = comment_items(document, anchoring) + tracked_items(document, anchoring)
    edits = edit_items(anchoring)
    for item in edits:
        item["author"] = document.last_modified_by
    file_id = f"F{len(review['files']) + 1}"
    known = {i.get("fingerprint") for i in review["items"]}
    next_id = _next_id(review["items"])
    for item in found + edits:
        item["fingerprint"] = fingerprint(item)
        if item["fingerprint"] in known:
            result.duplicates += 1
            continue
        known.add(item["fingerprint"])
        item["id"] = str(next_id)
        next_id += 1
        item["file"] = file_id
        item["unit"] = unit.strip() or item["author"] or unit
        result.added.append(item)
    review["files"].append(
        {
            "id": file_id,
            "name": name,
            "sha256": digest,
            "unit": unit.strip(),
            "imported_at": datetime.now().astimezone().isoformat(timespec="seconds"),
            "exported_version": version_name or None,
            "baseline_note": note,
        }
    )
    review["items"] += result.added
    draft.modified = True
    return result


# -- reading the items ------------------------------------------------------------------


def item_by_id(draft: Draft, item_id: str) -> dict:
    for item in review_of(draft)["items"]:
        if item["id"] == str(item_id):
            return item
    known = [i["id"] for i in review_of(draft)["items"]]
    hint = f"（共 {len(known)} 条，编号 {known[0]}–{known[-1]}）" if known else "（尚未导入审阅稿）"
    raise ReviewError(f"没有编号为 {item_id} 的审阅意见{hint}")


def place_of(draft: Draft, item: dict) -> tuple[str | None, int | None, int | None]:
    """(chapter label, current article number, 1-based 款) of an item; None where unplaced
    or where the article has since been deleted."""
    uid = item.get("article_uid")
    if not uid or not draft.has_article(uid):
        return None, None, None
    article = draft.article(uid)
    chapter = draft.chapter_of(uid)
    label = None if draft.chapterless else f"{chapter.label}\u3000{chapter.title}"
    paragraph = current_paragraph(article, item)
    return label, article.number, None if paragraph is None else paragraph + 1


def _needle(item: dict) -> str:
    """Text that identifies an item's place: the commented words, or a change's context."""
    if item["kind"] == COMMENT:
        return item.get("anchor_text", "")
    return item.get("before", "")[-6:] + item.get("old_text", "") + item.get("after", "")[:6]


def current_paragraph(article, item: dict) -> int | None:
    """The 0-based 款 an item is on now: the one recorded at import, unless the drafter has
    since added or removed 款 before it and its words now stand in exactly one other 款."""
    paragraph = item.get("paragraph")
    needle = _needle(item)
    if paragraph is None or item.get("new_paragraph") or len(needle) < 4:
        return paragraph
    texts = [p.full_text() for p in article.paragraphs]
    if paragraph < len(texts) and needle in texts[paragraph]:
        return paragraph
    found = [index for index, text in enumerate(texts) if needle in text]
    return found[0] if len(found) == 1 else paragraph


def location_text(draft: Draft, item: dict) -> str:
    """第五条第二款 (current numbers), or 无法定位."""
    _, number, paragraph = place_of(draft, item)
    if number is None:
        return "无法定位"
    text = f"第{cn(number)}条"
    if paragraph is None or item.get("new_paragraph"):
        return text
    if len(draft.article(item["article_uid"]).paragraphs) > 1:
        text += f"第{cn(paragraph)}款"
    if item.get("item", -1) >= 0:
        text += f"第{cn(item['item'] + 1)}项"
    return text


def _place_line(draft: Draft, item: dict) -> str:
    """第五条第二款, or 无法定位（审阅稿第四条）: where the reviewed file had it."""
    text = location_text(draft, item)
    if text == "无法定位" and item.get("where"):
        return f"无法定位（{item['where']}）"
    return text


def listing(draft: Draft) -> list[dict]:
    """Each item as `drafter review list --json` shows it (current article numbers), in
    the draft's order."""
    rows = []
    for item in items_in_order(draft):
        chapter, number, paragraph = place_of(draft, item)
        rows.append(
            {
                "id": item["id"],
                "kind": item["kind"],
                "author": item["author"],
                "unit": item.get("unit", ""),
                "chapter": chapter,
                "article": number,
                "paragraph": paragraph,
                "place": _place_line(draft, item),
                "text": item["text"],
                "anchor_text": item.get("anchor_text", ""),
                "replies": item.get("replies", []),
                "disposition": item.get("disposition", ""),
                "reason": item.get("reason", ""),
                "status": item.get("status", OPEN),
            }
        )
    return rows


def items_of_article(draft: Draft, uid: str) -> list[dict]:
    return [i for i in review_of(draft)["items"] if i.get("article_uid") == uid]


def items_in_order(draft: Draft, *, open_only: bool = False) -> list[dict]:
    """The items in the draft's order: by current article and 款, then as imported, those
    that cannot be placed last. The order a drafter works through them in, and the
    意见采纳情况表's. `open_only`: those with no disposition yet."""
    # Keyed by uid; an item placed nowhere looks its article_uid up as None.
    order: dict[str | None, int] = {a.uid: index for index, a in enumerate(draft.articles())}

    def key(item: dict) -> tuple:
        _, number, paragraph = place_of(draft, item)
        placed = number is not None
        return (
            not placed,
            order.get(item.get("article_uid"), 0) if placed else 0,
            paragraph or 0,
            int(item["id"]) if str(item["id"]).isdigit() else 0,
        )

    items = review_of(draft)["items"]
    if open_only:
        items = [item for item in items if not item.get("disposition")]
    return sorted(items, key=key)


def unplaced_items(draft: Draft) -> list[dict]:
    return [i for i in review_of(draft)["items"] if place_of(draft, i)[1] is None]


# -- 意见处理 ---------------------------------------------------------------------------


def set_disposition(
    draft: Draft, item_id: str, disposition: str, reason: str | None = None
) -> dict:
    """Record how an item was handled (采纳 / 部分采纳 / 未采纳 / 另行研究) and why."""
    if disposition not in DISPOSITIONS:
        raise ReviewError(f"处理情况应为 {' / '.join(DISPOSITIONS)} 之一，而不是“{disposition}”")
    item = item_by_id(draft, item_id)
    item["disposition"] = disposition
    if reason is not None:
        item["reason"] = reason.strip()
    draft.modified = True
    return item


def snapshot(draft: Draft) -> dict:
    """A copy of the review work, for the window's undo."""
    return copy.deepcopy(review_of(draft))


def restore(draft: Draft, state: dict) -> None:
    draft.review = copy.deepcopy(state)
    draft.modified = True


def is_change(item: dict) -> bool:
    return item["kind"] != COMMENT
