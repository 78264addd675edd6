"""Placing what a reviewed document holds on the draft's articles and 款.

The reviewed document is read into blocks, one per 第X条 label, and each block is matched
to an article of the exported text (the baseline) by a monotonic alignment on fuzzy text
similarity (rapidfuzz): the label's number only breaks ties, so an article a reviewer
inserted (which shifts the numbers after it) or a sentence a reviewer rewrote does not
misplace anything. Inside a matched article, the document's lines (one per 款 and one per
项, as the export writes them) are aligned with the article's 款 and 项 the same way.

What matches nothing is left unplaced (article None) rather than guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz
from rapidfuzz.process import cdist

from drafter.draft.document import Draft
from drafter.review.docx_reader import DocParagraph, ReviewedDocument
from drafter.statute.model import Article
from drafter.statute.numerals import from_chinese_numeral, item_label

ARTICLE_LABEL = re.compile(r"^\s*第([一二三四五六七八九十百千零〇两\d]+)条[\s\u3000]*")
_CHAPTER_LABEL = re.compile(r"^\s*第[一二三四五六七八九十百千零〇两\d]+章")
_CAPTION = re.compile(r"^【[^】]{0,40}】")
# Least similarity (0–100) for a block to be an article, and for a line to be a 款/项.
ARTICLE_FLOOR = 45.0
LINE_FLOOR = 35.0
# What a matching label number adds to a block's score (a tie-breaker, never decisive).
LABEL_BONUS = 8.0


@dataclass
class Slot:
    """One line of an exported article: a 款's text or one 项 (with its （一） label)."""

    paragraph: int
    item: int  # -1 for the 款's own text
    text: str

    @property
    def lead(self) -> int:
        """Characters of the 项 label before the 项's own text."""
        return len(item_label(self.item + 1)) if self.item >= 0 else 0


@dataclass
class DocLine:
    """A paragraph of the reviewed document inside an article block."""

    paragraph: DocParagraph
    prefix: int  # characters of 第X条　【条旨】 before the text (first line only)
    inserted: bool  # the reviewer added the whole paragraph with tracking on

    @property
    def text(self) -> str:
        return self.paragraph.before[self.prefix :]


@dataclass
class Block:
    """The paragraphs from one 第X条 label to the next (or to a chapter heading)."""

    label: str
    number: int | None
    lines: list[DocLine] = field(default_factory=list)
    inserted: bool = False  # the label itself was inserted with tracking on

    def text(self) -> str:
        return "\n".join(line.text for line in self.lines if not line.inserted)


@dataclass
class Placement:
    """Where a paragraph of the reviewed document sits in the baseline."""

    article_uid: str | None = None
    paragraph: int | None = None
    item: int = -1
    prefix: int = 0  # label characters to skip in the document paragraph's text
    slot: Slot | None = None
    where: str = ""  # how the reviewed document names the place (审阅稿第四条)
    new_paragraph: bool = False  # a 款 the reviewer added after `paragraph`


@dataclass
class Anchoring:
    """The reviewed document placed on a baseline draft."""

    placements: dict[int, Placement]  # document paragraph index → placement
    matched: dict[int, str]  # block index → article uid
    blocks: list[Block]
    slots: dict[str, list[Slot]]
    pairs: dict[str, list[tuple[DocLine | None, Slot | None]]]  # per article, aligned

    def at(self, paragraph: int) -> Placement:
        return self.placements.get(paragraph, Placement())


def article_slots(article: Article) -> list[Slot]:
    """The lines the export writes for an article (drafter.export.draft_document)."""
    slots = []
    for p, para in enumerate(article.paragraphs):
        if para.text or not para.items:
            slots.append(Slot(p, -1, para.text))
        for i, item in enumerate(para.items):
            slots.append(Slot(p, i, item_label(i + 1) + item))
    return slots


def _number(label: str) -> int | None:
    try:
        return int(label) if label.isdigit() else from_chinese_numeral(label)
    except (ValueError, KeyError):
        return None


def blocks_of(document: ReviewedDocument) -> list[Block]:
    """The article blocks of the document, in order."""
    blocks: list[Block] = []
    current: Block | None = None
    for paragraph in document.paragraphs:
        if paragraph.in_table:
            # A table (an all-in-one export's 对照表) is no article of the draft.
            current = None
            continue
        inserted = paragraph.wholly_inserted
        text = paragraph.after if inserted else paragraph.before
        if _CHAPTER_LABEL.match(text):
            current = None
            continue
        label = ARTICLE_LABEL.match(text)
        if label:
            prefix = label.end()
            caption = _CAPTION.match(text[prefix:])
            if caption:
                prefix += caption.end()
            current = Block(label.group(0).strip(), _number(label.group(1)), inserted=inserted)
            blocks.append(current)
            current.lines.append(DocLine(paragraph, 0 if inserted else prefix, inserted))
        elif current is not None and (text.strip() or inserted):
            current.lines.append(DocLine(paragraph, 0, inserted))
        if paragraph.ends_section:
            current = None  # the draft ends here; a 起草说明 or 对照表 may follow
    return blocks


def _align(scores: list[list[float]], floor: float) -> list[tuple[int, int]]:
    """Pairs (i, j), increasing in both, maximising the summed score of pairs over `floor`."""
    n = len(scores)
    m = len(scores[0]) if n else 0
    best = [[0.0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        row, below = best[i], best[i + 1]
        for j in range(m - 1, -1, -1):
            value = max(below[j], row[j + 1])
            if scores[i][j] >= floor:
                value = max(value, below[j + 1] + scores[i][j] - floor + 1)
            row[j] = value
    pairs = []
    i = j = 0
    while i < n and j < m:
        if scores[i][j] >= floor and best[i][j] == best[i + 1][j + 1] + scores[i][j] - floor + 1:
            pairs.append((i, j))
            i, j = i + 1, j + 1
        elif best[i][j] == best[i + 1][j]:
            i += 1
        else:
            j += 1
    return pairs


def anchor(document: ReviewedDocument, baseline: Draft) -> Anchoring:
    """Place every paragraph of `document` on the articles and 款 of `baseline`."""
    blocks = blocks_of(document)
    articles = list(baseline.articles())
    slots = {a.uid: article_slots(a) for a in articles}
    block_texts = [b.text() if not b.inserted else "" for b in blocks]
    article_texts = ["\n".join(s.text for s in slots[a.uid]) for a in articles]
    matched: dict[int, str] = {}
    if blocks and articles:
        similarity = cdist(block_texts, article_texts, scorer=fuzz.ratio, workers=1)
        scores = [
            [
                0.0
                if block.inserted or not block_texts[i].strip()
                else float(similarity[i][j])
                + (LABEL_BONUS if block.number == article.number else 0.0)
                for j, article in enumerate(articles)
            ]
            for i, block in enumerate(blocks)
        ]
        for i, j in _align(scores, ARTICLE_FLOOR):
            matched[i] = articles[j].uid
    placements: dict[int, Placement] = {}
    pairs: dict[str, list[tuple[DocLine | None, Slot | None]]] = {}
    for index, block in enumerate(blocks):
        uid = matched.get(index)
        where = f"审阅稿{block.label}"
        if uid is None:
            for line in block.lines:
                placements[line.paragraph.index] = Placement(where=where, prefix=line.prefix)
            continue
        pairs[uid] = _place_lines(block, slots[uid], uid, where, placements)
    return Anchoring(placements, matched, blocks, slots, pairs)


def _place_lines(
    block: Block,
    slots: list[Slot],
    uid: str,
    where: str,
    placements: dict[int, Placement],
) -> list[tuple[DocLine | None, Slot | None]]:
    """Align a block's lines with an article's slots; returns the aligned pairs in order
    (a line without a slot: a 款 the reviewer added; a slot without a line: one removed)."""
    lines = [line for line in block.lines if not line.inserted]
    scores = [[float(fuzz.ratio(line.text, slot.text)) for slot in slots] for line in lines]
    if lines and slots and len(lines) == len(slots):
        # Same shape: a rewritten 款 still sits where it sat.
        aligned = list(zip(range(len(lines)), range(len(slots)), strict=True))
    else:
        aligned = _align(scores, LINE_FLOOR) if lines and slots else []
    line_slot = {id(lines[i]): slots[j] for i, j in aligned}
    pairs: list[tuple[DocLine | None, Slot | None]] = []
    used = {id(slots[j]) for _, j in aligned}
    last: Slot | None = None
    slot_iter = iter(slots)
    for line in block.lines:
        slot = line_slot.get(id(line))
        if slot is not None:
            # Slots passed over on the way here were removed by the reviewer.
            for skipped in slot_iter:
                if skipped is slot:
                    break
                if id(skipped) not in used:
                    pairs.append((None, skipped))
            placements[line.paragraph.index] = Placement(
                uid, slot.paragraph, slot.item, line.prefix, slot, where
            )
            pairs.append((line, slot))
            last = slot
        else:
            after = last.paragraph if last is not None else -1
            placements[line.paragraph.index] = Placement(
                uid, after + 1, -1, line.prefix, None, where, new_paragraph=True
            )
            pairs.append((line, None))
    pairs += [(None, s) for s in slot_iter if id(s) not in used]
    return pairs
