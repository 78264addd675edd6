"""User-facing errors: each carries a message a drafter can act on."""

from __future__ import annotations


class DrafterError(Exception):
    """A problem caused by the user's input (file, id, query), not by a bug.

    The CLI prints the message and exits with code 2; the GUI shows it in a dialog.
    """


class InputFileError(DrafterError):
    """A file could not be read or understood."""

    def __init__(self, path: object, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class UnknownReferenceError(DrafterError):
    """No reference with that id in the library."""

    def __init__(self, ref_id: str, known: list[str]) -> None:
        hint = "、".join(known) if known else "（库为空）"
        super().__init__(f"未知的参考法规编号 “{ref_id}”；可用：{hint}")
        self.ref_id = ref_id
