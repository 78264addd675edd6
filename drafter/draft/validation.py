"""Checking a project file against its format before anything is built from it.

Valid JSON of the wrong shape (text as a number, NaN, 10^200, a negative article number,
nesting thousands deep, a lone surrogate) used to load and crash later, sometimes after
`edit` had already saved. Everything here runs before a `Draft` exists, so a bad file is
refused with a message naming the field and is never written to.

The format itself is documented in `drafter.draft.project_file`.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

MAX_DEPTH = 64  # a real draft nests about 8 deep; recursion trouble starts near 1,000
MAX_NUMBER = 9999  # chapter and article numbers (the numeral code covers 0–9999)
MAX_OFFSET = 10_000_000  # character offsets and small counts
_MAX_DIGITS = 30  # longer integer literals are never ours (and int() refuses > 4,300)
UID_RE = re.compile(r"^[0-9A-Za-z_-]{1,64}$")
_SURROGATE = re.compile("[\ud800-\udfff]")
_STRING = re.compile(r'"(?:[^"\\]|\\.)*"', re.DOTALL)
_BRACKET = re.compile(r"[\[\]{}]")


class ValidationError(ValueError):
    """A project file that does not match the format; the message names the field."""


class _Unusable:
    """A number JSON allows but a draft never holds (NaN, Infinity, 10^200).

    Kept as a placeholder during parsing so the validator can name the field it sits in.
    """

    def __init__(self, literal: str) -> None:
        self.literal = literal if len(literal) <= 12 else literal[:8] + "…"


def _parse_constant(literal: str) -> _Unusable:
    return _Unusable(literal)


def _parse_int(literal: str) -> int | _Unusable:
    digits = literal.lstrip("-")
    return _Unusable(literal) if len(digits) > _MAX_DIGITS else int(literal)


def _parse_float(literal: str) -> float | _Unusable:
    if len(literal) > 64:
        return _Unusable(literal)
    value = float(literal)
    return value if math.isfinite(value) else _Unusable(literal)


def check_depth(text: str, limit: int = MAX_DEPTH) -> None:
    """Refuse nesting deeper than `limit` before json.loads recurses into it."""
    if text.count("[") + text.count("{") <= limit:
        return
    # Brackets inside strings do not nest; blank the strings out first.
    depth = 0
    for match in _BRACKET.finditer(_STRING.sub('""', text)):
        if match.group() in "[{":
            depth += 1
            if depth > limit:
                raise ValidationError(f"嵌套超过 {limit} 层，不是立法起草助手写出的草案文件")
        else:
            depth -= 1


def loads(text: str) -> Any:
    """Parse JSON text: depth checked first, unusable numbers kept as placeholders.

    json.JSONDecodeError propagates for text that is not JSON at all.
    """
    check_depth(text)
    return json.loads(
        text,
        parse_constant=_parse_constant,
        parse_int=_parse_int,
        parse_float=_parse_float,
    )


# -- field checks -------------------------------------------------------------------------


def _kind(value: Any) -> str:
    """What a JSON value is, in words a drafter reads."""
    if value is None:
        return "空值（null）"
    if isinstance(value, bool):
        return "真假值"
    if isinstance(value, _Unusable):
        return f"无法使用的数字 {value.literal}"
    if isinstance(value, int):
        return "数字"
    if isinstance(value, float):
        return "小数"
    if isinstance(value, str):
        return "文字"
    if isinstance(value, list):
        return "列表"
    if isinstance(value, dict):
        return "对象"
    return type(value).__name__


class _Checker:
    """Walks one part of the file; `where` is the place a drafter recognises (第3章第2条)."""

    def __init__(self, where: str) -> None:
        self.where = where

    def fail(self, name: str, message: str) -> ValidationError:
        prefix = f"{self.where}的 " if self.where else ""
        return ValidationError(f"{prefix}{name} {message}")

    def wrong(self, name: str, expected: str, value: Any) -> ValidationError:
        return self.fail(name, f"应为{expected}，实为{_kind(value)}")

    def obj(self, value: Any, name: str) -> dict:
        if not isinstance(value, dict):
            raise self.wrong(name, "对象", value)
        return value

    def get(self, data: dict, key: str, name: str, required: bool) -> tuple[bool, Any]:
        if key not in data:
            if required:
                raise self.fail(name, "缺失")
            return False, None
        return True, data[key]

    def text(self, data: dict, key: str, prefix: str = "", required: bool = False) -> None:
        name = prefix + key
        present, value = self.get(data, key, name, required)
        if present:
            self.string(value, name)

    def string(self, value: Any, name: str) -> None:
        if not isinstance(value, str):
            raise self.wrong(name, "文字", value)
        bad = _SURROGATE.search(value)
        if bad:
            raise self.fail(name, f"含有不成对的代理字符 U+{ord(bad.group()):04X}")

    def integer(
        self,
        data: dict,
        key: str,
        low: int,
        high: int,
        prefix: str = "",
        required: bool = False,
        nullable: bool = False,
    ) -> None:
        name = prefix + key
        present, value = self.get(data, key, name, required)
        if not present or (value is None and nullable):
            return
        expected = f"{low} 到 {high} 的整数"
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.wrong(name, expected, value)
        if not low <= value <= high:
            raise self.fail(name, f"应为{expected}，实为 {value}")

    def number(self, data: dict, key: str, low: float, high: float, prefix: str = "") -> None:
        name = prefix + key
        present, value = self.get(data, key, name, False)
        if not present:
            return
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.wrong(name, f"{low:g} 到 {high:g} 的数字", value)
        if not low <= value <= high:
            raise self.fail(name, f"应为{low:g} 到 {high:g} 的数字，实为 {value:g}")

    def flag(self, data: dict, key: str, prefix: str = "") -> None:
        name = prefix + key
        present, value = self.get(data, key, name, False)
        if present and not isinstance(value, bool):
            raise self.wrong(name, "真假值（true/false）", value)

    def array(self, data: dict, key: str, prefix: str = "", required: bool = False) -> list:
        name = prefix + key
        present, value = self.get(data, key, name, required)
        if not present:
            return []
        if not isinstance(value, list):
            raise self.wrong(name, "列表", value)
        return value

    def uid(self, data: dict, key: str = "uid", prefix: str = "", nullable: bool = False) -> None:
        name = prefix + key
        present, value = self.get(data, key, name, False)
        if not present or (value is None and nullable) or value == "":
            return
        if not isinstance(value, str):
            raise self.wrong(name, "标识（字母、数字、-、_）", value)
        if not UID_RE.match(value):
            raise self.fail(name, "应为 1–64 个字母、数字、- 或 _ 组成的标识")


def _paragraphs(check: _Checker, article: dict) -> None:
    for p, paragraph in enumerate(check.array(article, "paragraphs")):
        prefix = f"paragraphs[{p}]."
        check.obj(paragraph, f"paragraphs[{p}]")
        check.text(paragraph, "text", prefix, required=True)
        for i, item in enumerate(check.array(paragraph, "items", prefix)):
            check.string(item, f"{prefix}items[{i}]")
    for d, span in enumerate(check.array(article, "damaged")):
        prefix = f"damaged[{d}]."
        check.obj(span, f"damaged[{d}]")
        check.integer(span, "paragraph", 0, MAX_OFFSET, prefix, required=True)
        check.integer(span, "item", 0, MAX_OFFSET, prefix)
        check.integer(span, "start", 0, MAX_OFFSET, prefix, required=True)
        check.integer(span, "end", 0, MAX_OFFSET, prefix, required=True)
        for key in ("text", "reason"):
            check.text(span, key, prefix, required=True)
        check.text(span, "suggestion", prefix)


def _links(check: _Checker, article: dict) -> None:
    for r, ref in enumerate(check.array(article, "refs")):
        prefix = f"refs[{r}]."
        check.obj(ref, f"refs[{r}]")
        check.integer(ref, "paragraph", 0, MAX_OFFSET, prefix, required=True)
        check.integer(ref, "item", -1, MAX_OFFSET, prefix, required=True)
        check.integer(ref, "start", 0, MAX_OFFSET, prefix, required=True)
        check.integer(ref, "end", 0, MAX_OFFSET, prefix, required=True)
        check.text(ref, "form", prefix, required=True)
        check.uid(ref, "target", prefix, nullable=True)
        check.integer(ref, "target_paragraph", 0, MAX_NUMBER, prefix, nullable=True)
        check.integer(ref, "target_item", 0, MAX_NUMBER, prefix, nullable=True)
        check.text(ref, "status", prefix)
        check.text(ref, "source_ref", prefix)
        check.integer(ref, "source_article", 0, MAX_NUMBER, prefix, nullable=True)
        check.integer(ref, "count", 0, MAX_NUMBER, prefix)
    for s, link in enumerate(check.array(article, "provenance")):
        prefix = f"provenance[{s}]."
        check.obj(link, f"provenance[{s}]")
        check.text(link, "ref", prefix, required=True)
        check.integer(link, "article", 0, MAX_NUMBER, prefix, required=True)
        check.integer(link, "paragraph", 0, MAX_NUMBER, prefix)
        check.integer(link, "draft_paragraph", 0, MAX_NUMBER, prefix, nullable=True)
        check.number(link, "similarity", 0, 100, prefix)
        for key in ("state", "label", "adopted_at", "source_text", "adopted_text"):
            check.text(link, key, prefix)


def _chapters(chapters: list, seen: set[str], with_links: bool) -> None:
    for c, chapter in enumerate(chapters):
        check = _Checker(f"第{c + 1}章")
        check.obj(chapter, f"chapters[{c}]")
        check.uid(chapter)
        check.integer(chapter, "number", 0, MAX_NUMBER, required=True)
        check.text(chapter, "title", required=True)
        check.flag(chapter, "inferred")
        for a, article in enumerate(check.array(chapter, "articles", required=with_links)):
            check = _Checker(f"第{c + 1}章第{a + 1}条")
            check.obj(article, f"articles[{a}]")
            check.uid(article)
            check.integer(article, "number", 1, MAX_NUMBER, required=True)
            check.text(article, "caption")
            _paragraphs(check, article)
            if with_links:
                _links(check, article)
                check.text(article, "note")
            uid = article.get("uid")
            if uid:
                if uid in seen:
                    raise check.fail("uid", f"与其他条文重复：{uid}")
                seen.add(uid)
        check = _Checker(f"第{c + 1}章")
        uid = chapter.get("uid")
        if uid:
            if uid in seen:
                raise check.fail("uid", f"与其他章或条重复：{uid}")
            seen.add(uid)


def validate_v1(data: dict) -> None:
    """Check a version-1 file (envelope and draft) against the format."""
    top = _Checker("")
    top.text(data, "app_version")
    top.text(data, "saved_at")
    _draft_text(top.obj(data.get("draft"), "draft"), "草案")


def _draft_text(draft: dict, where: str) -> None:
    """Check a draft's text (everything but its versions and review)."""
    check = _Checker(where)
    check.uid(draft)
    check.text(draft, "title", required=True)
    check.text(draft, "city", required=True)
    check.text(draft, "status")
    check.text(draft, "note")
    for s, section in enumerate(check.array(draft, "explanation")):
        prefix = f"explanation[{s}]."
        check.obj(section, f"explanation[{s}]")
        check.text(section, "title", prefix, required=True)
        check.text(section, "text", prefix)
        check.text(section, "kind", prefix)
    for b, entry in enumerate(check.array(draft, "basis")):
        check.string(entry, f"basis[{b}]")
    _chapters(check.array(draft, "chapters", required=True), set(), with_links=True)


_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def validate_v2(data: dict) -> None:
    """Check a version-2 file: version 1's draft plus its versions and review."""
    validate_v1(data)
    draft = data["draft"]
    check = _Checker("草案")
    names: set[str] = set()
    for v, version in enumerate(check.array(draft, "versions")):
        prefix = f"versions[{v}]."
        check.obj(version, f"versions[{v}]")
        check.text(version, "name", prefix, required=True)
        check.text(version, "date", prefix, required=True)
        if not _DATE_RE.match(version["date"]):
            raise check.fail(f"{prefix}date", "应为 YYYY-MM-DD 格式的日期")
        if version["name"] in names:
            raise check.fail(f"{prefix}name", f"与其他版本重名：{version['name']}")
        names.add(version["name"])
        check.text(version, "note", prefix)
        check.text(version, "saved_at", prefix)
        snapshot = check.obj(version.get("draft"), f"{prefix}draft")
        _draft_text(snapshot, f"版本“{version['name']}”")
    present, review = check.get(draft, "review", "review", False)
    if present:
        check.obj(review, "review")
        check.array(review, "files", "review.", required=True)
        check.array(review, "items", "review.", required=True)


def validate_v0(data: dict) -> None:
    """Check a pre-release version-0 file (structure without uids or links)."""
    check = _Checker("草案")
    check.text(data, "title", required=True)
    check.text(data, "city", required=True)
    check.text(data, "status")
    check.text(data, "explanation")
    statute = check.obj(data.get("statute"), "statute")
    check.text(statute, "note", "statute.")
    _chapters(check.array(statute, "chapters", "statute.", required=True), set(), False)


def validate(data: dict, version: int) -> None:
    """Check a project file's data of `version`; `ValidationError` names the bad field."""
    {0: validate_v0, 1: validate_v1}.get(version, validate_v2)(data)
