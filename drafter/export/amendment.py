"""The 修改决定: an enacted regulation's changes written as numbered instructions.

"一、将第五条第二款修改为：“……”" "二、在第八条后增加一条，作为第九条：“……”"
"三、删去第十条。" — numbered 一、二、, every place named by the enacted text's numbers,
then "此外，对条文顺序作相应调整。" when numbering changed (…和部分文字… when citations
were rewritten with it), and the closing sentences of the genre.

How a change is worded (the drafting practice of 修改决定):

- a few words changed in one 款 (or 项): "将第五条第二款中的“甲”修改为“乙”" (several
  in one 款 joined with "，"), "删去第五条第二款中的“甲”"; an insertion is written as the
  replacement of the words before it ("将“促进”修改为“促进和规范”") —
  `drafter.export.amendment_wording`;
- one 项 added or deleted: "在第五条第二款中增加一项，作为第三项：“（三）……”",
  "删去第五条第二款第三项。";
- one 款 rewritten: "将第五条第二款修改为：“……”"; a 款 added: "在第五条中增加一款，
  作为第三款：“……”"; a 款 deleted: "删去第五条第二款。";
- anything more: the whole article, "将第五条修改为：“……”";
- articles added after an article: "在第八条后增加一条，作为第九条：“……”" (one article is
  quoted without its number), "在第八条后增加两条，作为第九条、第十条：“第九条　……”
  “第十条　……”"; deleted ones: "删去第十条、第十一条。"; moved: "将第四条移至第十条后。";
- chapters: "增加一章，作为第五章：“第五章　……”", "删去第三章。", "将第二章章名修改为“……”".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from drafter.draft.revision_diff import (
    ADDED,
    DELETED,
    EQUAL,
    MODIFIED,
    ArticleRevision,
    ChapterRevision,
    ParagraphRevision,
    RevisionDiff,
)
from drafter.export.amendment_wording import wording
from drafter.statute.model import Article, Chapter
from drafter.statute.numerals import item_label
from drafter.statute.numerals import to_chinese_numeral as cn
from drafter.statute.ranges import article_ranges

IDEOGRAPHIC_SPACE = "\u3000"
RENUMBERED = "此外，对条文顺序作相应调整。"
RENUMBERED_AND_WORDING = "此外，对条文顺序和部分文字作相应调整。"
_ITEM_LABEL = re.compile(r"^（[一二三四五六七八九十]+）")


@dataclass
class Instruction:
    """One numbered instruction: its sentence and the text it quotes, one line per 款/项."""

    text: str
    quoted: list[str] = field(default_factory=list)


def count_word(count: int) -> str:
    """一, 两, 三 … as in 增加两条."""
    return "两" if count == 2 else cn(count)


def _label(number: int) -> str:
    return f"第{cn(number)}条"


def _article_lines(article: Article, label: str = "") -> list[str]:
    """The article quoted: its text, then each further 款 and 项 on its own line. One
    article is quoted without its number, which the instruction already gives ("将第五条
    修改为：“……”", "增加一条，作为第九条：“……”", as the NPC's 修改决定 write it);
    where several are quoted together each opens with its own 第X条 (`label`)."""
    lines: list[str] = []
    for para in article.paragraphs:
        if para.text or not para.items:
            lines.append(para.text)
        lines += [item_label(i) + item for i, item in enumerate(para.items, 1)]
    lines = lines or [""]
    if label:
        lines[0] = f"{label}{IDEOGRAPHIC_SPACE}{lines[0]}"
    return lines


def _paragraph_place(article_label: str, index: int, single: bool) -> str:
    return article_label if single else f"{article_label}第{cn(index + 1)}款"


def _item_added_or_deleted(
    place: str, old_lines: list[str], new_lines: list[str], has_text: bool
) -> Instruction | None:
    """ "在第五条第二款中增加一项，作为第三项：“（三）……”" or "删去第五条第二款第三项。"
    when that is the only change of the 款 (the 项 after it renumber by themselves)."""
    old_bare = [_ITEM_LABEL.sub("", line) for line in old_lines]
    new_bare = [_ITEM_LABEL.sub("", line) for line in new_lines]
    changed = [
        op
        for op in SequenceMatcher(None, old_bare, new_bare, autojunk=False).get_opcodes()
        if op[0] != "equal"
    ]
    if len(changed) != 1:
        return None
    tag, a0, a1, b0, b1 = changed[0]
    first = 1 if has_text else 0  # the index of the first 项 among the lines
    if tag == "insert" and b1 - b0 == 1 and b0 >= first:
        number = b0 - first + 1
        return Instruction(f"在{place}中增加一项，作为第{cn(number)}项：", [new_lines[b0]])
    if tag == "delete" and a1 - a0 == 1 and a0 >= first:
        return Instruction(f"删去{place}第{cn(a0 - first + 1)}项。")
    return None


def _modified_paragraph(
    label: str, paragraph: ParagraphRevision, single: bool
) -> list[Instruction] | None:
    """Instructions for one reworded 款: word by word (per line, so per 项), or quoted."""
    assert paragraph.old_index is not None
    place = _paragraph_place(label, paragraph.old_index, single)
    old_lines, new_lines = paragraph.old_text.split("\n"), paragraph.new_text.split("\n")
    has_text = not old_lines[0].startswith(item_label(1))
    one_item = _item_added_or_deleted(place, old_lines, new_lines, has_text)
    if one_item is not None:
        return [one_item]
    if len(old_lines) == len(new_lines):
        sentences = []
        for index, (old, new) in enumerate(zip(old_lines, new_lines, strict=True)):
            if old == new:
                continue
            item = index if has_text else index + 1
            where = place if item == 0 else f"{place}第{cn(item)}项"
            if item:
                old, new = old[len(item_label(item)) :], new[len(item_label(item)) :]
            sentence = wording(where, old, new)
            if sentence is None:
                break
            sentences.append(Instruction(sentence))
        else:
            return sentences
    if single:
        return None  # a one-款 article rewritten: the whole article is quoted
    return [Instruction(f"将{place}修改为：", new_lines)]


def _modified_article(revision: ArticleRevision) -> list[Instruction]:
    assert revision.old is not None and revision.new is not None
    label = revision.old.label
    changed = [p for p in revision.paragraphs if p.kind != EQUAL]
    single = len(revision.old.paragraphs) == 1 and len(revision.new.paragraphs) == 1
    whole = [Instruction(f"将{label}修改为：", _article_lines(revision.new))]
    if len(changed) != 1:
        if all(p.kind == MODIFIED for p in changed) and len(changed) <= 2:
            out: list[Instruction] = []
            for paragraph in changed:
                found = _modified_paragraph(label, paragraph, single)
                if found is None or any(i.quoted for i in found):
                    return whole
                out += found
            return out
        return whole
    [paragraph] = changed
    if paragraph.kind == ADDED:
        assert paragraph.new_index is not None
        return [
            Instruction(
                f"在{label}中增加一款，作为第{cn(paragraph.new_index + 1)}款：",
                paragraph.new_text.split("\n"),
            )
        ]
    if paragraph.kind == DELETED:
        assert paragraph.old_index is not None
        return [Instruction(f"删去{label}第{cn(paragraph.old_index + 1)}款。")]
    return _modified_paragraph(label, paragraph, single) or whole


# -- walking the diff -------------------------------------------------------------------


def _stable(entry: object) -> bool:
    return isinstance(entry, ArticleRevision) and entry.old is not None and entry.new is not None


def _anchor(entries: list, index: int) -> ArticleRevision | None:
    """The nearest article before `index` in the same new chapter that was there before
    and did not move (the place an added or moved article is named after)."""
    for entry in reversed(entries[:index]):
        if isinstance(entry, ChapterRevision) and entry.new is not None:
            return None
        if _stable(entry) and not entry.moved:
            return entry
    return None


def _article_of_kind(entries: list, index: int, kind: str) -> ArticleRevision | None:
    """The entry at `index` if it is an article revision of `kind`, else None."""
    if index < len(entries):
        entry = entries[index]
        if isinstance(entry, ArticleRevision) and entry.kind == kind:
            return entry
    return None


def _chapter_start(chapter: Chapter | None) -> str:
    return f"{chapter.label}开头" if chapter is not None and chapter.number else "开头"


def _position(entries: list, index: int, revision: ArticleRevision) -> tuple[str, int]:
    """("第八条后" or "第三章开头", the number the first article placed there takes)."""
    anchor = _anchor(entries, index)
    if anchor is not None and anchor.old is not None:
        return f"{anchor.old.label}后", anchor.old.number + 1
    chapter = revision.new_chapter
    # The first article of its chapter: numbered after the old chapter's last article before.
    old_before = 0
    for entry in entries[:index]:
        if isinstance(entry, ArticleRevision) and entry.old is not None and not entry.moved:
            old_before = entry.old.number
    old_chapter = next(
        (
            c.old
            for c in entries
            if isinstance(c, ChapterRevision) and chapter and c.uid == chapter.uid
        ),
        None,
    )
    return _chapter_start(old_chapter or chapter), old_before + 1


def _added_chapter(entries: list, index: int, revision: ChapterRevision) -> Instruction:
    chapter = revision.new
    assert chapter is not None
    previous = next(
        (
            e.old
            for e in reversed(entries[:index])
            if isinstance(e, ChapterRevision) and e.old is not None and e.new is not None
        ),
        None,
    )
    where = f"在{previous.label}后" if previous else "在第一章前"
    lines = [f"{chapter.label}{IDEOGRAPHIC_SPACE}{chapter.title}"]
    for article in entries[index + 1 :]:
        if not isinstance(article, ArticleRevision) or article.kind != ADDED:
            break
        assert article.new is not None
        lines += _article_lines(article.new, article.new.label)
    return Instruction(f"{where}增加一章，作为{chapter.label}：", lines)


def instructions(diff: RevisionDiff) -> list[Instruction]:
    """Every change of `diff` as an instruction of a 修改决定, in the text's order."""
    entries = diff.entries
    out: list[Instruction] = []
    deleted_chapters = {c.uid for c in diff.chapters if c.kind == DELETED}
    whole_chapters = {
        c.uid
        for c in diff.chapters
        if c.kind == DELETED
        and c.old is not None
        and all(
            a.kind == DELETED
            for a in diff.articles
            if a.old_chapter is not None and a.old_chapter.uid == c.uid
        )
    }
    index = 0
    while index < len(entries):
        entry = entries[index]
        if isinstance(entry, ChapterRevision):
            if entry.kind == ADDED:
                out.append(_added_chapter(entries, index, entry))
                index += 1
                while index < len(entries) and getattr(entries[index], "kind", "") == ADDED:
                    if isinstance(entries[index], ChapterRevision):
                        break
                    index += 1
                continue
            if entry.uid in whole_chapters and entry.old is not None:
                out.append(Instruction(f"删去{entry.old.label}。"))
            elif entry.uid in deleted_chapters and entry.old is not None:
                out.append(Instruction(f"删去{entry.old.label}章名。"))
            elif entry.retitled and entry.old is not None and entry.new is not None:
                out.append(Instruction(f"将{entry.old.label}章名修改为“{entry.new.title}”。"))
            index += 1
            continue
        if entry.kind == ADDED:
            run = [entry]
            while (following := _article_of_kind(entries, index + len(run), ADDED)) is not None:
                run.append(following)
            where, first = _position(entries, index, entry)
            numbers = [first + k for k in range(len(run))]
            lines = [
                line
                for revision, number in zip(run, numbers, strict=True)
                for line in _quoted_block(revision, number if len(run) > 1 else None)
            ]
            out.append(
                Instruction(
                    f"在{where}增加{count_word(len(run))}条，作为"
                    + "、".join(_label(n) for n in numbers)
                    + "：",
                    lines,
                )
            )
            index += len(run)
            continue
        if entry.kind == DELETED:
            run = [entry]
            while (following := _article_of_kind(entries, index + len(run), DELETED)) is not None:
                run.append(following)
            kept = [
                r for r in run if r.old_chapter is None or r.old_chapter.uid not in whole_chapters
            ]
            if kept:
                numbers = [r.old_number for r in kept if r.old_number]
                out.append(Instruction(f"删去{article_ranges(numbers)}。"))
            index += len(run)
            continue
        if entry.moved and entry.old is not None:
            where, _ = _position(entries, index, entry)
            if entry.kind == MODIFIED:
                assert entry.new is not None
                lines = _article_lines(entry.new)
                out.append(Instruction(f"将{entry.old.label}移至{where}，修改为：", lines))
            else:
                out.append(Instruction(f"将{entry.old.label}移至{where}。"))
        elif entry.kind == MODIFIED:
            out += _modified_article(entry)
        index += 1
    return out


def _quoted_block(revision: ArticleRevision, number: int | None) -> list[str]:
    assert revision.new is not None
    label = _label(number) if number is not None else ""
    return [_QUOTE_BREAK, *_article_lines(revision.new, label)]


# Separates the quoted articles of one instruction: each is quoted on its own.
_QUOTE_BREAK = "\x00"


def closing_sentence(diff: RevisionDiff) -> str:
    """此外…: only when numbering changed; …和部分文字… when citations were rewritten."""
    renumbered = any(
        a.old is not None and a.new is not None and a.old.number != a.new.number
        for a in diff.articles
    ) or any(
        c.old is not None and c.new is not None and c.old.number != c.new.number
        for c in diff.chapters
    )
    if not renumbered:
        return ""
    return RENUMBERED_AND_WORDING if diff.citations_rewritten else RENUMBERED


def quoted_paragraphs(instruction: Instruction) -> list[str]:
    """The quoted lines with their quotation marks: each quoted article opens with “ and
    closes with ”; a quotation of several 款 opens on its first line and closes on its last."""
    blocks: list[list[str]] = [[]]
    for line in instruction.quoted:
        if line == _QUOTE_BREAK:
            if blocks[-1]:
                blocks.append([])
            continue
        blocks[-1].append(line)
    out: list[str] = []
    for block in blocks:
        if not block:
            continue
        block = list(block)
        block[0] = "“" + block[0]
        block[-1] = block[-1] + "”"
        out += block
    return out


def numbered_paragraphs(diff: RevisionDiff) -> list[str]:
    """The 修改决定's body as paragraphs: 一、… (with its quoted text), …, then 此外…."""
    paragraphs: list[str] = []
    for number, instruction in enumerate(instructions(diff), 1):
        quoted = quoted_paragraphs(instruction)
        head = f"{cn(number)}、{instruction.text}"
        if quoted:
            paragraphs.append(head + quoted[0])
            paragraphs += quoted[1:]
        else:
            paragraphs.append(head)
    closing = closing_sentence(diff)
    if closing:
        paragraphs.append(closing)
    return paragraphs
