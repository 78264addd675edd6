"""Qt's own dialogs in Simplified Chinese: the shipped catalogue and its supplement."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QComboBox, QFileDialog, QTreeView, QWidget

from drafter.gui.app import create_application
from drafter.gui.qt_translations import (
    MISSING_TRANSLATIONS,
    SupplementTranslator,
    load_catalogue,
)

# A Latin letter outside a shortcut mark such as "(&L)" is English left untranslated.
LATIN = re.compile(r"[A-Za-z]")
SHORTCUT_MARK = re.compile(r"\(&[A-Z]\)")


def visible_texts(dialog: QFileDialog) -> list[str]:
    texts = []
    for widget in dialog.findChildren(QWidget):
        for getter in ("text", "toolTip"):
            value = getattr(widget, getter, None)
            if callable(value) and isinstance(text := value(), str) and text:
                texts.append(text)
    texts += [action.text() for action in dialog.findChildren(QAction)]
    for view in dialog.findChildren(QTreeView):
        model = view.model()
        texts += [
            str(model.headerData(column, Qt.Orientation.Horizontal))
            for column in range(model.columnCount())
        ]
        root = view.rootIndex()
        texts += [str(model.index(row, 2, root).data()) for row in range(model.rowCount(root))]
    return texts


def test_qts_own_file_dialog_is_chinese(qtbot, tmp_path):
    create_application()
    (tmp_path / "文件夹甲").mkdir()  # a row whose type column says what a folder is
    dialog = QFileDialog(None, "打开草案", str(tmp_path), "草案 (*.drafter.json)")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    qtbot.addWidget(dialog)
    dialog.show()
    view = dialog.findChild(QTreeView, "treeView")
    qtbot.waitUntil(lambda: view.model().rowCount(view.rootIndex()) > 0, timeout=5000)
    paths = {dialog.findChild(QComboBox, "lookInCombo").currentText(), str(tmp_path)}
    texts = [t for t in visible_texts(dialog) if t not in paths and "*.drafter.json" not in t]
    assert "查找范围(&L)：" in texts and "文件类型(&T)：" in texts and "文件名称(&N)：" in texts
    assert "文件夹" in texts
    english = [t for t in texts if LATIN.search(SHORTCUT_MARK.sub("", t))]
    assert english == [], english
    assert len(texts) > 15  # labels, buttons, tool tips, menu actions, column headers


def test_supplement_translates_only_what_the_catalogue_lacks():
    catalogue = load_catalogue("qtbase")
    assert catalogue is not None, "PySide6 ships qtbase_zh_CN.qm"
    supplement = SupplementTranslator(catalogue)
    for (context, source), chinese in MISSING_TRANSLATIONS.items():
        assert not catalogue.translate(context, source), (context, source)
        assert supplement.translate(context, source) == chinese
    # A text that only gained a shortcut: the catalogue's translation, marked the Chinese way.
    assert catalogue.translate("QFileDialog", "Detail View") == "详情视图"
    assert supplement.translate("QFileDialog", "&Detail View") == "详情视图(&D)"
    assert catalogue.translate("QFileDialog", "Look in:") == "查找范围："
    assert supplement.translate("QFileDialog", "Look &in:") == "查找范围(&I)："
    assert supplement.translate("QFileDialog", "&No such text") is None
    assert supplement.translate("QFileDialog", "No shortcut either") is None
    # A text Qt moved to another context: the catalogue's translation in the old one.
    assert not catalogue.translate("QAbstractFileIconProvider", "Folder")
    assert supplement.translate("QAbstractFileIconProvider", "Folder") == "文件夹"
