"""Questions put to the drafter in message boxes with plain Chinese buttons."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

SAVE, DISCARD, CANCEL = "保存", "不保存", "取消"


def ask(
    parent: QWidget | None,
    title: str,
    text: str,
    choices: list[str],
    *,
    default: str | None = None,
    object_name: str = "questionDialog",
    informative: str = "",
) -> str:
    """A modal question; returns the label of the button pressed (the last one if closed)."""
    box = QMessageBox(parent)
    box.setObjectName(object_name)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(title)
    box.setText(text)
    if informative:
        box.setInformativeText(informative)
    buttons = {}
    for index, label in enumerate(choices):
        last = index == len(choices) - 1
        role = QMessageBox.ButtonRole.RejectRole if last else QMessageBox.ButtonRole.AcceptRole
        buttons[label] = box.addButton(label, role)
    box.setEscapeButton(buttons[choices[-1]])
    box.setDefaultButton(buttons[default or choices[0]])
    box.exec()
    clicked = box.clickedButton()
    return next((label for label, button in buttons.items() if button is clicked), choices[-1])


def ask_unsaved_changes(parent: QWidget | None, title: str) -> str:
    """保存 / 不保存 / 取消 before the draft is closed."""
    return ask(
        parent,
        "草案尚未保存",
        f"《{title}》有尚未保存的修改。",
        [SAVE, DISCARD, CANCEL],
        object_name="unsavedDialog",
        informative="保存后再关闭，还是放弃这些修改？",
    )
