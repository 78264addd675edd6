"""Guard against a Qt binding that corrupts reference counts (PySide6 6.12.0 on Python 3.11)."""

from __future__ import annotations

import sys

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem


def test_qt_calls_returning_none_keep_none_alive(qtbot):
    tree = QTreeWidget()
    qtbot.addWidget(tree)
    item = QTreeWidgetItem(["条"])
    before = sys.getrefcount(None)
    for _ in range(1000):
        assert tree.currentItem() is None
        assert item.data(0, Qt.ItemDataRole.UserRole) is None
    # A binding that forgets to count None would be 2000 short here and abort later.
    assert sys.getrefcount(None) - before > -50
