"""A combo box over thousands of references, found by typing part of a city or title.

A plain combo box searches only by the start of its items, which in a library of 20,000
regulations all open alike (沿用《…, 某某市…); its popup laid every item out at once.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QCompleter, QListView

MINIMUM_CHARACTERS = 24  # a city and most of a regulation's title


def make_searchable(box: QComboBox, placeholder: str = "输入城市或法规标题查找") -> None:
    """Let the drafter type part of an item to list those that contain it; text that names
    no item is put back to the chosen one when the typing ends."""
    box.setEditable(True)
    box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    edit = box.lineEdit()
    assert edit is not None
    edit.setPlaceholderText(placeholder)
    edit.editingFinished.connect(lambda: _restore_choice(box))
    completer = box.completer()
    assert completer is not None
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
    # Sized by a length, not by its items: on first show a combo box measures every item's
    # text by default, 20,000 of them when the 对照 window first opened.
    box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    box.setMinimumContentsLength(MINIMUM_CHARACTERS)
    view = box.view()
    if isinstance(view, QListView):
        view.setUniformItemSizes(True)  # rows of one height: no layout pass over all


def _restore_choice(box: QComboBox) -> None:
    if box.findText(box.currentText()) < 0:
        box.setEditText(box.itemText(box.currentIndex()))
