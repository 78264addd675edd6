"""Shared helpers for CLI output: JSON printing and the numbered text of a statute."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO

from drafter.cleaning.controls import strip_controls
from drafter.statute.model import Article, DamagedSpan, Statute
from drafter.statute.numerals import item_label

IDEOGRAPHIC_SPACE = "\u3000"
DAMAGE_OPEN, DAMAGE_CLOSE = "〖", "〗"


def printable(text: str) -> str:
    """Text safe for a terminal: no escape sequences, no control characters but tab and newline.

    Reference and draft text comes from files anyone may have written; printed raw, an
    ESC [ 2 J clears the drafter's screen and an OSC sequence retitles the window.
    """
    return strip_controls(text)


class _PrintableStream:
    """A text stream that passes everything written through `printable`."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(printable(text))
        return len(text)  # what the caller wrote, as TextIO promises

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


@contextmanager
def printable_output() -> Iterator[None]:
    """Filter stdout and stderr through `printable` for the duration (one CLI command)."""
    saved = sys.stdout, sys.stderr
    if sys.stdout is not None:
        sys.stdout = _PrintableStream(sys.stdout)
    if sys.stderr is not None:
        sys.stderr = _PrintableStream(sys.stderr)
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


def print_json(data: object) -> None:
    """Pretty JSON with Chinese left readable."""
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def mark_damage(text: str, spans: list[DamagedSpan]) -> str:
    """Wrap damaged spans in 〖〗 so they stand out in plain text."""
    for span in sorted(spans, key=lambda s: s.start, reverse=True):
        text = (
            text[: span.start]
            + DAMAGE_OPEN
            + text[span.start : span.end]
            + DAMAGE_CLOSE
            + text[span.end :]
        )
    return text


def article_lines(article: Article) -> list[str]:
    """An article as it reads in a statute: 第X条　text, one line per 款 and 项."""
    lines: list[str] = []
    head = article.label + IDEOGRAPHIC_SPACE
    if article.caption:
        head += f"【{article.caption}】"
    for p_index, paragraph in enumerate(article.paragraphs, 1):
        spans = [d for d in article.damaged if d.paragraph == p_index and d.item == 0]
        text = mark_damage(paragraph.text, spans)
        lines.append((head if p_index == 1 else IDEOGRAPHIC_SPACE * 2) + text)
        for i_index, item in enumerate(paragraph.items, 1):
            spans = [d for d in article.damaged if d.paragraph == p_index and d.item == i_index]
            lines.append(IDEOGRAPHIC_SPACE * 2 + item_label(i_index) + mark_damage(item, spans))
    if not article.paragraphs:
        lines.append(head.rstrip())
    return lines


def statute_lines(statute: Statute, only_article: int | None = None) -> list[str]:
    """The numbered text of a statute, or of one article of it."""
    lines: list[str] = []
    for chapter in statute.chapters:
        articles = [a for a in chapter.articles if only_article in (None, a.number)]
        if not articles:
            continue
        if chapter.number > 0:
            inferred = "（标题由程序推断）" if chapter.inferred else ""
            lines += ["", f"{chapter.label}{IDEOGRAPHIC_SPACE}{chapter.title}{inferred}"]
        for article in articles:
            lines += article_lines(article)
    return lines


def damage_notes(statute: Statute, only_article: int | None = None) -> list[str]:
    """One line per damaged span: where it is and why."""
    notes = []
    for article in statute.articles():
        if only_article not in (None, article.number):
            continue
        for span in article.damaged:
            where = article.label + (f"第{span.paragraph}款" if span.paragraph else "标题")
            if span.item:
                where += f"第{span.item}项"
            notes.append(f"{where}：{DAMAGE_OPEN}{span.text}{DAMAGE_CLOSE} {span.reason}")
    return notes
