"""帮助 menu: 快捷键一览 (read off the window's actions, so it never disagrees with the menus)
and a short 使用说明."""

from __future__ import annotations

import re
from html import escape
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QMenu,
    QMenuBar,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from drafter.gui.key_labels import key_label, plain_name, shortcut_labels
from drafter.gui.screen_room import resize_to_fit
from drafter.matching.counterparts import COMPARED_AT_MOST

if TYPE_CHECKING:
    from drafter.gui.actions import WindowActions

# Keys the article editor handles itself (paragraph_edit.py); they belong to no action.
EDITOR_KEYS: list[tuple[str, str]] = [
    ("拆分本款（在款末：另起一款）", "回车"),
    ("添加项", "Shift+回车"),
    ("在项中：另起下一项", "回车"),
    ("与上一款合并（光标在款首时）", "退格"),
]
EDITOR_GROUP = "条文编辑区"
_MNEMONIC = re.compile(r"\(&\w\)")


def shortcut_rows(menu_bar: QMenuBar) -> list[tuple[str, str, str]]:
    """(menu, action, keys) for every menu entry with a shortcut, then the editor's keys."""
    rows = []
    for menu_action in menu_bar.actions():
        menu = menu_action.menu()
        if not isinstance(menu, QMenu):  # typed QObject (Qt's menu<T>()); None: no submenu
            continue
        group = _MNEMONIC.sub("", menu.title())
        for action in menu.actions():
            labels = shortcut_labels(action)
            if labels and not action.isSeparator():
                rows.append((group, plain_name(action), " 或 ".join(labels)))
    rows += [(EDITOR_GROUP, name, keys) for name, keys in EDITOR_KEYS]
    return rows


def _close_buttons(dialog: QDialog) -> QDialogButtonBox:
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.button(QDialogButtonBox.StandardButton.Close).setText("关闭")
    buttons.rejected.connect(dialog.reject)
    return buttons


class ShortcutsDialog(QDialog):
    """快捷键一览: a table of 菜单 / 功能 / 快捷键."""

    def __init__(self, rows: list[tuple[str, str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shortcutsDialog")
        self.setWindowTitle("快捷键一览")
        self.table = QTableWidget(len(rows), 3)
        self.table.setObjectName("shortcutsTable")
        self.table.setHorizontalHeaderLabels(["菜单", "功能", "快捷键"])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        previous_group = None
        for row, (group, name, keys) in enumerate(rows):
            # The menu's name only on its first row, as in a printed table.
            shown = group if group != previous_group else ""
            previous_group = group
            for column, text in enumerate((shown, name, keys)):
                self.table.setItem(row, column, QTableWidgetItem(text))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(_close_buttons(self))
        # Tall enough for every row without scrolling on an ordinary screen.
        resize_to_fit(self, 520, min(760, self.table.verticalHeader().length() + 110))

    def entries(self) -> list[tuple[str, str]]:
        """(功能, 快捷键) of every row."""
        table = self.table

        def text(row: int, column: int) -> str:
            item = table.item(row, column)
            assert item is not None  # __init__ fills every cell
            return item.text()

        return [(text(r, 1), text(r, 2)) for r in range(table.rowCount())]


def manual_html(actions: WindowActions) -> str:
    """使用说明: how a draft is made, step by step, with the keys the window really has."""

    def key(action) -> str:
        return escape(key_label(action.shortcut()))

    def keys(action) -> str:
        return f"（{key(action)}）" if key(action) else ""

    steps = [
        f"<b>新建草案</b>：文件 → 新建草案{keys(actions.new)}，填写法规标题和本市名称，"
        "选一个章节框架；已有草案文本的，用“导入已有草案文本”。",
        "<b>搭框架</b>：在左侧“目录”中选中章或条，右键或用“插入”菜单插入章、条；"
        f"{key(actions.insert_article_after)} 在当前条后插入一条，"
        f"{key(actions.insert_chapter_after)} 在当前章后插入一章；拖动可调整顺序。",
        "<b>写条文</b>：在中间的编辑区输入条旨和各款。回车拆分本款（在款末另起一款），"
        "Shift+回车 添加项，在款首按退格与上一款合并。"
        f"编辑 → 替换{keys(actions.replace)} 把章名、条旨和各款中的一个词"
        "逐处或全部换掉（如机构名称）。",
        "<b>参考他市条文</b>：右侧“条文建议”随光标所在的款列出其他城市写法相近的条文，"
        "可“插入为新条文”“替换本款”“追加为新款”，或“查看原文”。采纳的条文会记下来源，"
        "底部“来源”面板显示与原文的差异，并可确认或排除查找到的来源"
        "（确认一个后，其余可“全部否定”；尚待确认的，“检查”中逐条列出）。"
        "只想参考某些城市的，在“参考法规”下的筛选框输入城市或标题，点“仅勾选筛选出的”。"
        "“参考法规”页的搜索框在全部参考法规中查找一段文字（Ctrl+Tab 切到该页即可输入，"
        "按↓或回车转到找到的第一条）；选中一条后点“插入到草案”把它作为当前条之后的新一条"
        "（记下来源），或点“对照其他法规…”，"
        "并排列出其他参考法规中的相应条文（参考法规很多时，只逐部对照与该条最相近的"
        f" {COMPARED_AT_MOST} 部）。",
        "<b>检查</b>：底部“检查”面板列出空条、引用错误、其他城市的名称、未填写的施行日期等，"
        "单击一项即跳到所在位置。",
        f"<b>导出</b>：文件 → 导出 Word 文档{keys(actions.export)}，"
        "可同时导出起草说明和条文对照表。",
    ]
    items = "".join(f"<li>{step}</li>" for step in steps)
    return (
        "<h3>起草一部地方性法规</h3>"
        f"<ol>{items}</ol>"
        f"<p>每一步都可以撤销{keys(actions.undo)}、重做{keys(actions.redo)}；"
        "草案每分钟自动保存一次。全部快捷键见“帮助 → 快捷键一览”。</p>"
    )


class ManualDialog(QDialog):
    """使用说明."""

    def __init__(self, html: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("manualDialog")
        self.setWindowTitle("使用说明")
        self.browser = QTextBrowser()
        self.browser.setHtml(html)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(_close_buttons(self))
        self.resize(560, 520)


def _show(parent: QWidget, name: str, make) -> QDialog:
    """Raise the dialog if it is open already, else open it (not modal: one can keep drafting)."""
    dialog = parent.findChild(QDialog, name)
    if dialog is None:
        dialog = make()
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog


def show_shortcuts(parent: QWidget, menu_bar: QMenuBar) -> QDialog:
    return _show(
        parent, "shortcutsDialog", lambda: ShortcutsDialog(shortcut_rows(menu_bar), parent)
    )


def show_manual(parent: QWidget, actions: WindowActions) -> QDialog:
    return _show(parent, "manualDialog", lambda: ManualDialog(manual_html(actions), parent))
