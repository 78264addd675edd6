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
    # autojunk would treat frequent characters (的, 应, ，) as noise in long clauses.
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    pieces: list[DiffPiece] = []
    for tag, a0, a1, b0, b1 in matcher.get_opcodes():
        if tag == "equal":
            pieces.append(DiffPiece(EQUAL, old[a0:a1]))
            continue
        if a1 > a0:
            pieces.append(DiffPiece(DELETED, old[a0:a1]))
        if b1 > b0:
            pieces.append(DiffPiece(INSERTED, new[b0:b1]))
    return pieces
