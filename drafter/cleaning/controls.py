"""Control characters and terminal escape sequences in collected text.

Text copied from terminals, logs or odd converters can carry ESC [ 31 m, OSC titles, DEL
and C1 controls. Printed raw they repaint or retitle the drafter's terminal; in a .docx
they are illegal or invisible. They never belong to a regulation, so cleaning removes
them whole (an escape sequence with its parameters) and counts them in the report.
"""

from __future__ import annotations

import re

from drafter.cleaning.report import CleaningReport

# ESC [ … final (CSI), ESC ] … BEL or ESC \ (OSC), one-byte CSI U+009B, two-byte ESC x.
ESCAPE_SEQUENCE = re.compile(
    "\x1b\\[[0-?]*[ -/]*[@-~]"
    "|\x9b[0-?]*[ -/]*[@-~]"
    "|\x1b\\][^\x07\x1b\n]*(?:\x07|\x1b\\\\)?"
    "|\x1b[@-~]"
)
# Every C0 control but tab and newline (carriage returns are already line ends), DEL, C1.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def strip_controls(text: str) -> str:
    """The text without escape sequences and control characters (tab and newline kept)."""
    if not CONTROL.search(text):
        return text
    return CONTROL.sub("", ESCAPE_SEQUENCE.sub("", text))


def remove_controls(text: str, report: CleaningReport) -> str:
    """`strip_controls`, counting what went as the report's "control" rule."""
    if not CONTROL.search(text):
        return text
    sequences = len(ESCAPE_SEQUENCE.findall(text))
    text = ESCAPE_SEQUENCE.sub("", text)
    characters = len(CONTROL.findall(text))
    report.replace("control", "", "", sequences + characters)
    return CONTROL.sub("", text)
