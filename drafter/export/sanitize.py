"""Text XML cannot hold: removed before it reaches python-docx, with a note of where it was.

XML 1.0 forbids U+0000–U+0008, U+000B, U+000C, U+000E–U+001F, U+FFFE, U+FFFF and lone
surrogates. Surrogate *pairs* left in a str (e.g. from a "surrogatepass" decode) are first
joined into the character they encode, so rare CJK (𠀀) survives. DEL and the C1 controls
(U+007F–U+009F) are legal XML but never text a drafter meant; they go too, and a terminal
escape sequence (ESC [ 31 m) goes whole, so no stray "[31m" is left in the document.
Bidi overrides and isolates (U+202A–U+202E, U+2066–U+2069) go as well: legal XML, but
U+202E prints the rest of a line reversed, and a regulation must read as it was written
(`check` reports them in the draft).

Document properties (docProps) are single-line fields that Word and python-docx cap at
255 characters; `doc_property` also folds line breaks and shortens them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_ILLEGAL = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufffe\uffff\ud800-\udfff]"
)
# ESC [ … final (CSI), ESC ] … BEL/ST (OSC), the one-byte CSI U+009B, and two-byte ESC x.
ESCAPE_SEQUENCE = re.compile(
    "\x1b\\[[0-?]*[ -/]*[@-~]|\x9b[0-?]*[ -/]*[@-~]|\x1b\\][^\x07\x1b]*(?:\x07|\x1b\\\\)?|\x1b[@-~]"
)
DOC_PROPERTY_MAX = 255
_PAIR = re.compile("[\ud800-\udbff][\udc00-\udfff]")


def _join_pair(match: re.Match) -> str:
    high, low = match.group()
    return chr(0x10000 + ((ord(high) - 0xD800) << 10) + (ord(low) - 0xDC00))


@dataclass
class Finding:
    """Characters removed from one place of the document."""

    where: str
    code_points: list[str]

    def message(self) -> str:
        return f"{self.where}：删除了无法写入 Word 的字符 {'、'.join(self.code_points)}"


@dataclass
class Sanitizer:
    """Cleans text for the document and remembers what it removed, and where."""

    findings: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def clean(self, text: str, where: str) -> str:
        """The text without characters XML cannot hold, control characters or escapes."""
        if not _ILLEGAL.search(text):
            return text
        # Join surrogate pairs into the character they encode; only lone halves are illegal.
        text = _PAIR.sub(_join_pair, text)
        escapes = [m.group()[:1] for m in ESCAPE_SEQUENCE.finditer(text)]
        text = ESCAPE_SEQUENCE.sub("", text)
        removed = [f"U+{ord(ch):04X}" for ch in escapes + _ILLEGAL.findall(text)]
        cleaned = _ILLEGAL.sub("", text)
        if removed:
            unique = list(dict.fromkeys(removed))
            self.findings.append(Finding(where, unique))
        return cleaned

    def doc_property(self, text: str, where: str) -> str:
        """A docProps field: cleaned, on one line, at most DOC_PROPERTY_MAX characters."""
        value = " ".join(self.clean(text, where).split())
        if len(value) > DOC_PROPERTY_MAX:
            value = value[: DOC_PROPERTY_MAX - 1] + "…"
            self.notes.append(f"{where}：超过 {DOC_PROPERTY_MAX} 字，已截短")
        return value

    def warnings(self) -> list[str]:
        return [finding.message() for finding in self.findings] + list(self.notes)
