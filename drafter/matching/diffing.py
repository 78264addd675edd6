"""Character-level differences between a source clause and the draft's text of it."""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

EQUAL = "equal"
INSERTED = "inserted"
DELETED = "deleted"


@dataclass(frozen=True)
class DiffPiece:
    """A run of text that both have (equal), only the new text has, or only the old one."""

    kind: str
    text: str


def char_diff(old: str, new: str) -> list[DiffPiece]:
    """The pieces turning `old` into `new`, in reading order (a replacement: deletion first)."""
    return readable_diff(old, new, min_equal=0)


def readable_diff(old: str, new: str, min_equal: int = 2) -> list[DiffPiece]:
    """Like `char_diff`, but a shared run shorter than `min_equal` characters between two
    changes is taken into the change, so that marks cover whole words instead of leaving
    single shared characters (的, 和, ，) standing between them (`min_equal` 0: every
    shared character stays shared, as `char_diff`)."""
    # autojunk would treat frequent characters (的, 应, ，) as noise in long clauses.
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    # Each block is [equal?, a0, a1, b0, b1]; neighbouring changes are merged into one.
    blocks: list[list] = []
    opcodes = matcher.get_opcodes()
    for index, (tag, a0, a1, b0, b1) in enumerate(opcodes):
        equal = tag == "equal"
        inside = 0 < index < len(opcodes) - 1
        if equal and inside and a1 - a0 < min_equal:
            equal = False
        if blocks and not equal and not blocks[-1][0]:
            blocks[-1][2], blocks[-1][4] = a1, b1
        else:
            blocks.append([equal, a0, a1, b0, b1])
    pieces: list[DiffPiece] = []
    for equal, a0, a1, b0, b1 in blocks:
        if equal:
            pieces.append(DiffPiece(EQUAL, old[a0:a1]))
            continue
        if a1 > a0:
            pieces.append(DiffPiece(DELETED, old[a0:a1]))
        if b1 > b0:
            pieces.append(DiffPiece(INSERTED, new[b0:b1]))
    return pieces
