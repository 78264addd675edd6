"""Parse a cleaned regulation page into its title, statute body and drafting explanation.

The page is cut into regions: the front matter (title, status, adoption note, 目录),
the body (the longest run of articles numbered 第一条, 第二条, … in order), the
drafting explanation (before or after the body) and everything else, which is page
junk and is reported as removed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from drafter.cleaning import CleanedText, CleaningReport, clean_text
from drafter.errors import DrafterError
from drafter.parsing import patterns as pat
from drafter.parsing.body import BodyBuilder
from drafter.statute.model import DamagedSpan, Statute
from drafter.statute.numerals import from_chinese_numeral

# Line roles (from an exported .docx's paragraph styles) that are statute text.
BODY_ROLES = frozenset({"text", "item"})


class ParseError(DrafterError):
    """The text is not a regulation the parser can read."""


@dataclass
class ParseResult:
    """A parsed regulation: the statute, its explanation, and the cleaning report."""

    title: str
    status: str
    statute: Statute
    explanation: str = ""
    explanation_title: str = ""
    explanation_damaged: list[DamagedSpan] = field(default_factory=list)
    report: CleaningReport = field(default_factory=CleaningReport)


def parse_regulation_text(text: str, roles: dict[int, str] | None = None) -> ParseResult:
    """Clean and parse a regulation text; raises ParseError when no 第一条… sequence is found.

    `roles` (line index → "text", "item", "chapter", …) come from the paragraph styles of
    a .docx this app exported: a line styled as a 款 or 项 is never a heading, junk or the
    end of the text, however it reads.
    """
    roles = roles or {}
    cleaned = clean_text(text)
    lines = cleaned.lines
    chain = _article_chain(lines)
    if not chain:
        raise ParseError("未找到“第一条、第二条……”形式的条文，无法识别为法规文本")
    used: dict[int, str] = {}

    body_start, body_end = chain[0], _end_of_last_article(lines, chain[-1], roles)
    front = _front_matter(lines, body_start, cleaned)
    first_body_line = (
        front.chapter_one_heading if front.chapter_one_heading is not None else body_start
    )
    body_end = _trailing_empty_chapters(lines, first_body_line, body_end)
    builder = BodyBuilder(cleaned, set(chain), front.toc_titles, roles)
    for index in range(first_body_line, body_end):
        if lines[index]:
            used[index] = builder.feed(index, lines[index])
    statute = builder.finish(title=front.title, note=front.note)
    for index in front.used:
        used[index] = "front"

    explanation = _explanation(lines, cleaned, used, front.start, body_start)
    _report_unused_lines(lines, cleaned, used)
    return ParseResult(
        title=front.title,
        status=front.status,
        statute=statute,
        explanation=explanation[0],
        explanation_title=explanation[1],
        explanation_damaged=explanation[2],
        report=cleaned.report,
    )


def _article_chain(lines: list[str]) -> list[int]:
    """Line indexes of the longest run 第一条, 第二条, … in order."""
    candidates: list[tuple[int, int]] = []
    for index, line in enumerate(lines):
        match = pat.ARTICLE_HEADING.match(line)
        if match:
            candidates.append((index, from_chinese_numeral(match.group(1))))
    best: list[int] = []
    for position, (_, number) in enumerate(candidates):
        if number != 1:
            continue
        chain: list[int] = []
        expected = 1
        for index, candidate_number in candidates[position:]:
            if candidate_number == expected:
                chain.append(index)
                expected += 1
        if len(chain) > len(best):
            best = chain
    return best


def _is_boundary(line: str) -> bool:
    """A line that cannot continue the last article: explanation, attachment, title, junk."""
    return bool(
        pat.junk_reason(line)
        or pat.EXPLANATION_HEADING.match(line)
        or pat.ATTACHMENT.match(line)
        or pat.CHAPTER_HEADING.match(line)
        or pat.STATUS_LINE.match(line)
        or re.fullmatch(r"《[^《》]+》", line)
        or (line.startswith("关于") and pat.TITLE_WORDS.search(line) and len(line) <= 80)
    )


def _trailing_empty_chapters(lines: list[str], body_start: int, body_end: int) -> int:
    """Extend the body over chapter headings after the last article that continue the
    numbering: a draft's empty last chapters (第四章 附则 with no article yet) are chapters,
    not the boundary of the text."""
    number = 0
    for line in lines[body_start:body_end]:
        heading = pat.CHAPTER_HEADING.match(line) if line else None
        if heading:
            number = from_chinese_numeral(heading.group(1))
    if not number:
        return body_end
    index = end = body_end
    while index < len(lines):
        line = lines[index]
        heading = pat.CHAPTER_HEADING.match(line) if line else None
        if line and not (heading and from_chinese_numeral(heading.group(1)) == number + 1):
            break
        if heading:
            number += 1
            end = index + 1
        index += 1
    return end


def _end_of_last_article(lines: list[str], last_article: int, roles: dict[int, str]) -> int:
    index = last_article + 1
    while index < len(lines):
        line = lines[index]
        if line and roles.get(index) not in BODY_ROLES and _is_boundary(line):
            break
        index += 1
    # Trailing blank lines are not part of the body.
    while index > last_article + 1 and not lines[index - 1]:
        index -= 1
    return index


@dataclass
class _Front:
    title: str = ""
    status: str = ""
    note: str = ""
    start: int = 0
    chapter_one_heading: int | None = None
    used: list[int] = field(default_factory=list)
    # Chapter titles the 目录 lists: only these may stand as headings without 第X章.
    toc_titles: set[str] = field(default_factory=set)


def _front_matter(lines: list[str], body_start: int, cleaned: CleanedText) -> _Front:
    """Walk back from 第一条 over the chapter-one heading, 目录, status, note and title."""
    front = _Front(start=body_start)
    index = body_start - 1
    notes: list[str] = []
    body_number = 0
    while index >= 0:
        line = lines[index]
        if not line:
            index -= 1
            continue
        heading = pat.CHAPTER_HEADING.match(line)
        if heading or pat.TABLE_OF_CONTENTS.match(line):
            number = from_chinese_numeral(heading.group(1)) if heading else 0
            if heading and front.chapter_one_heading is None and not front.used:
                front.chapter_one_heading = index
                body_number = number
            elif heading and body_number > 1 and number == body_number - 1:
                # Empty chapters before the first article (第一章 and 第二章 with no article
                # yet): they count down to 第一章; the 目录 above restarts the count.
                front.chapter_one_heading = index
                body_number = number
            else:
                body_number = 0
                if heading:
                    front.toc_titles.add(pat.compact_title(heading.group(2)))
                cleaned.report.remove(line, "目录")
                front.used.append(index)
        elif pat.ADOPTION_NOTE.search(line) and len(line) < 200:
            notes.insert(0, line.strip("（）() "))
            front.used.append(index)
        elif status_line := pat.STATUS_LINE.match(line):
            front.status = pat.compact_title(status_line.group(1))
            front.used.append(index)
        elif pat.junk_reason(line):
            pass  # reported later with the other unused lines
        elif pat.TITLE_WORDS.search(line) and len(line) <= 60 and not line.endswith("。"):
            front.title, status = _split_title(line)
            front.status = front.status or status
            front.used.append(index)
            front.start = index
            break
        else:
            break
        front.start = index
        index -= 1
    front.note = "；".join(notes)
    if not front.title:
        front.title, front.status = _title_from_mentions(lines[:body_start], front.status)
    return front


def _split_title(line: str) -> tuple[str, str]:
    """ "《鹰潭智慧城市促进条例（征求意见稿）》" → ("鹰潭智慧城市促进条例", "征求意见稿")."""
    text = line.strip().strip("《》")
    status = ""
    match = pat.STATUS_IN_TITLE.search(text)
    if match:
        status = pat.compact_title(match.group(1))
        text = (text[: match.start()] + text[match.end() :]).strip()
    return text.strip("《》 "), status


def _title_from_mentions(lines: list[str], status: str) -> tuple[str, str]:
    """When no title line stands before the body, take the first 《…条例》 the page mentions."""
    for line in lines:
        match = re.search(r"《([^《》]{2,60}?(条例|办法|规定)[^《》]{0,20})》", line)
        if match:
            # A status mentioned in passing (the 草案 a news item talks about) is not
            # the status of this text, so only the title is taken.
            return _split_title(match.group(1))[0], status
    return "", status


def _explanation(
    lines: list[str], cleaned: CleanedText, used: dict[int, str], front_start: int, body_start: int
) -> tuple[str, str, list[DamagedSpan]]:
    """The drafting explanation: from its heading to the statute's front matter, junk or the end."""
    for index, line in enumerate(lines):
        if index in used or not line or not pat.EXPLANATION_HEADING.match(line):
            continue
        title_lines = [line]
        used[index] = "explanation"
        previous = _previous_nonblank(lines, index)
        if (
            previous is not None
            and previous not in used
            and re.fullmatch(r"《[^《》]+》", lines[previous])
        ):
            title_lines.insert(0, lines[previous])
            used[previous] = "explanation"
        stop = front_start if index < body_start else len(lines)
        body: list[str] = []
        damaged: list[DamagedSpan] = []
        for position in range(index + 1, stop):
            text = lines[position]
            if not text:
                continue
            if position in used or pat.junk_reason(text):
                break
            used[position] = "explanation"
            restored, spans = cleaned.restore(text)
            body.append(restored)
            for start, end, damage in spans:
                damaged.append(DamagedSpan(len(body), 0, start, end, damage.text, damage.reason))
                cleaned.report.flag(damage.text, damage.reason, where=f"起草说明第{len(body)}段")
        title = cleaned.restore_plain("".join(title_lines))
        return "\n".join(body), title, damaged
    return "", "", []


def _previous_nonblank(lines: list[str], index: int) -> int | None:
    index -= 1
    while index >= 0 and not lines[index]:
        index -= 1
    return index if index >= 0 else None


def _report_unused_lines(lines: list[str], cleaned: CleanedText, used: dict[int, str]) -> None:
    for index, line in enumerate(lines):
        if line and index not in used:
            reason = pat.junk_reason(line) or "公告与页面文字"
            cleaned.report.remove(cleaned.restore_plain(line), reason)
