"""Shortcut labels in the form a Chinese Word/WPS user reads them: "Ctrl+Shift+S", "Alt+Shift+↑",
"Ctrl+回车".

Qt's own NativeText under the zh_CN catalogue half-translates key names ("Alt+Shift+上方向"),
so menus show these labels instead: an action's text carries "name\\tlabel", and QMenu draws
the part after the tab in place of the shortcut it would format itself.
"""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence

Keys = QKeySequence.StandardKey
PORTABLE = QKeySequence.SequenceFormat.PortableText

# Word and WPS write modifiers in this order, in English, whatever the UI language.
_MODIFIERS = [
    (Qt.KeyboardModifier.ControlModifier, "Ctrl"),
    (Qt.KeyboardModifier.AltModifier, "Alt"),
    (Qt.KeyboardModifier.ShiftModifier, "Shift"),
    (Qt.KeyboardModifier.MetaModifier, "Win"),
]
# Arrows as on the keycaps; the keys Chinese manuals name in Chinese (回车键, 退格键, 空格键).
_KEY_NAMES = {
    "Up": "↑",
    "Down": "↓",
    "Left": "←",
    "Right": "→",
    "Return": "回车",
    "Enter": "回车",
    "Backspace": "退格",
    "Space": "空格",
    "PgDown": "PgDn",
}
_MNEMONIC = re.compile(r"\(&\w\)|（&\w）")
_AMPERSAND = re.compile(r"&(.)")  # "&&" is a literal "&"
# The name an action is listed under (without the shortcut label), kept on the action.
NAME_PROPERTY = "drafter_name"


def key_label(sequence: QKeySequence | Keys | str) -> str:
    """ "Alt+Shift+↑" for Alt+Shift+Up; chords of a multi-key sequence joined by "，"."""
    sequence = QKeySequence(sequence)
    chords = []
    for index in range(sequence.count()):
        # PySide6's stubs lack QKeySequence.__getitem__ (Qt's operator[]), which exists.
        combination = sequence[index]  # type: ignore[index]
        modifiers = combination.keyboardModifiers()
        parts = [name for flag, name in _MODIFIERS if modifiers & flag]
        key = QKeySequence(combination.key()).toString(PORTABLE)
        parts.append(_KEY_NAMES.get(key, key))
        chords.append("+".join(parts))
    return "，".join(chords)


def unique_sequences(*keys: QKeySequence | Keys | str) -> list[QKeySequence]:
    """The sequences in order, each once (a standard key counts as its primary binding)."""
    result: list[QKeySequence] = []
    for key in keys:
        sequence = QKeySequence(key)
        if not sequence.isEmpty() and sequence not in result:
            result.append(sequence)
    return result


def plain_name(action: QAction) -> str:
    """The action's name without mnemonic, ellipsis or shortcut label ("另存为(&A)…" → "另存为")."""
    name = action.property(NAME_PROPERTY) or action.text().split("\t")[0]
    name = _AMPERSAND.sub(r"\1", _MNEMONIC.sub("", name))
    return name.rstrip("…").strip()


def set_label(action: QAction, name: str | None = None, detail: str = "") -> None:
    """Set the action's text to "name[：detail]\\tshortcut label" (the label of its first key).

    `name` is kept on the action, so a later call (a new shortcut, a new undo text) can pass
    only what changed.
    """
    if name is None:
        name = action.property(NAME_PROPERTY) or action.text().split("\t")[0]
    action.setProperty(NAME_PROPERTY, name)
    text = f"{name}：{detail.replace('&', '&&')}" if detail else name
    label = key_label(action.shortcut())
    action.setText(f"{text}\t{label}" if label else text)


def shortcut_labels(action: QAction) -> list[str]:
    """Every shortcut of the action, labelled."""
    return [key_label(sequence) for sequence in action.shortcuts()]
