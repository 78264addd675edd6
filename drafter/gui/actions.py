"""Every QAction of the window, built in one place, and the menus that hold them.

Handlers live with the window's controllers (`window.files`, `window.edits`, the find bar);
this module only names, binds shortcuts and arranges.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from drafter import __version__
from drafter.gui.focus_edit import COPY, CUT, PASTE, SELECT_ALL, FocusEdit
from drafter.gui.help_dialogs import show_manual, show_shortcuts
from drafter.gui.key_labels import set_label, unique_sequences
from drafter.gui.undo_keys import REDO_EXTRA

if TYPE_CHECKING:
    from drafter.gui.main_window import MainWindow

Keys = QKeySequence.StandardKey
# Undo texts name the step ("撤销(&U)：修改第三条第一款"); a long chapter title is cut short.
UNDO_DETAIL_LENGTH = 18


@dataclass
class WindowActions:
    """The window's actions; those in `needs_draft` are disabled while no draft is open."""

    new: QAction
    open: QAction
    save: QAction
    save_as: QAction
    import_draft: QAction
    import_reference: QAction
    export: QAction
    import_review: QAction
    export_opinions: QAction
    quit: QAction
    undo: QAction
    redo: QAction
    cut: QAction
    copy: QAction
    paste: QAction
    select_all: QAction
    find: QAction
    replace: QAction
    find_next: QAction
    find_previous: QAction
    draft_info: QAction
    next_page: QAction
    previous_page: QAction
    insert_chapter_before: QAction
    insert_chapter_after: QAction
    insert_article_before: QAction
    insert_article_after: QAction
    delete: QAction
    move_up: QAction
    move_down: QAction
    split_paragraph: QAction
    merge_paragraphs: QAction
    shortcuts_help: QAction
    manual: QAction
    about: QAction
    recent_menu: QMenu
    focus_edit: FocusEdit  # the text box 剪切/复制/粘贴/全选 act on

    @property
    def needs_draft(self) -> list[QAction]:
        return [
            self.save,
            self.save_as,
            self.export,
            self.import_review,
            self.export_opinions,
            self.find,
            self.replace,
            self.find_next,
            self.find_previous,
            self.draft_info,
            *self.outline_actions(),
            self.split_paragraph,
            self.merge_paragraphs,
        ]

    def outline_actions(self) -> list[QAction]:
        """The structural edits, in the order of the outline's context menu."""
        return [
            self.insert_chapter_before,
            self.insert_chapter_after,
            self.insert_article_before,
            self.insert_article_after,
            self.delete,
            self.move_up,
            self.move_down,
        ]


def _action(
    window: MainWindow,
    text: str,
    handler: Callable[[], object],
    shortcut: QKeySequence | Keys | str | None = None,
    tip: str = "",
) -> QAction:
    action = QAction(text, window)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    set_label(action)  # the shortcut as a Chinese Word user reads it
    if tip:
        action.setStatusTip(tip)
    action.triggered.connect(lambda _checked=False: handler())
    return action


def _undo_detail(text: str) -> str:
    if len(text) > UNDO_DETAIL_LENGTH:
        return text[: UNDO_DETAIL_LENGTH - 1] + "…"
    return text


def _undo_actions(window: MainWindow) -> tuple[QAction, QAction]:
    """撤销 / 重做, enabled exactly when the active stack can undo / redo.

    QUndoGroup keeps them enabled and triggered; their texts are set here after the group's
    own update (connected later, so called later): "撤销(&U)：插入第五条\tCtrl+Z".
    """
    group = window.undo_group
    undo = group.createUndoAction(window)
    undo.setShortcuts(unique_sequences(Keys.Undo))
    redo = group.createRedoAction(window)
    # Word and WPS redo with Ctrl+Y; Ctrl+Shift+Z is what other editors taught. The text
    # boxes pass exactly these keys on to the actions (undo_keys).
    redo.setShortcuts(unique_sequences(*REDO_EXTRA, Keys.Redo))
    set_label(undo, "撤销(&U)", _undo_detail(group.undoText()))
    set_label(redo, "重做(&R)", _undo_detail(group.redoText()))
    group.undoTextChanged.connect(lambda text: set_label(undo, detail=_undo_detail(text)))
    group.redoTextChanged.connect(lambda text: set_label(redo, detail=_undo_detail(text)))
    return undo, redo


def build_actions(window: MainWindow) -> WindowActions:
    """Create the actions, connected to the window's controllers."""
    files, edits = window.files, window.edits
    undo, redo = _undo_actions(window)
    focus_edit = FocusEdit(window)
    delete = _action(window, "删除(&D)", edits.delete_current, "Ctrl+Shift+Del", "删除当前条或章")
    actions = WindowActions(
        new=_action(window, "新建草案(&N)…", files.new_draft, Keys.New),
        open=_action(window, "打开草案(&O)…", files.open_draft, Keys.Open),
        save=_action(window, "保存(&S)", files.save, Keys.Save),
        save_as=_action(window, "另存为(&A)…", files.save_as, Keys.SaveAs),
        import_draft=_action(
            window, "导入已有草案文本(&T)…", files.import_draft, tip="从 .txt 或 .docx 导入"
        ),
        import_reference=_action(
            window, "导入参考法规(&I)…", window.reference_browser.choose_and_import
        ),
        export=_action(
            window,
            "导出 Word 文档(&E)…",
            files.export_documents,
            "Ctrl+E",
            "导出草案、起草说明、条文对照表",
        ),
        import_review=_action(
            window,
            "导入审阅稿(&V)…",
            window.review.choose_and_import,
            tip="导入审阅人批注、修订过的 Word 文档",
        ),
        export_opinions=_action(window, "导出意见采纳情况表(&Y)…", window.review.choose_and_export),
        quit=_action(window, "退出(&X)", window.close, Keys.Quit),
        undo=undo,
        redo=redo,
        cut=_action(window, "剪切(&T)", lambda: focus_edit.run(CUT), Keys.Cut),
        copy=_action(window, "复制(&C)", lambda: focus_edit.run(COPY), Keys.Copy),
        paste=_action(window, "粘贴(&P)", lambda: focus_edit.run(PASTE), Keys.Paste),
        select_all=_action(window, "全选(&L)", lambda: focus_edit.run(SELECT_ALL), Keys.SelectAll),
        find=_action(window, "查找(&F)…", window.find_bar.open, Keys.Find),
        # Ctrl+H as in Word and WPS (Qt's standard Replace key is Ctrl+R under KDE).
        replace=_action(window, "替换(&H)…", window.find_bar.open_replace, "Ctrl+H"),
        find_next=_action(window, "查找下一个", window.find_bar.find_next, Keys.FindNext),
        find_previous=_action(
            window, "查找上一个", window.find_bar.find_previous, Keys.FindPrevious
        ),
        draft_info=_action(window, "草案信息(&I)…", files.edit_draft_info),
        # The window's, not only the tab bar's: QTabWidget takes Ctrl+Tab only from a
        # widget inside it, and an opened draft leaves the keyboard in the 目录 dock.
        next_page=_action(window, "下一页(&N)", lambda: window.turn_page(1), "Ctrl+Tab"),
        previous_page=_action(window, "上一页(&P)", lambda: window.turn_page(-1), "Ctrl+Shift+Tab"),
        insert_chapter_before=_action(window, "在前面插入章", lambda: edits.insert_chapter(True)),
        insert_chapter_after=_action(
            window, "在后面插入章(&C)", lambda: edits.insert_chapter(False), "Ctrl+Shift+Return"
        ),
        insert_article_before=_action(window, "在前面插入条", lambda: edits.insert_article(True)),
        insert_article_after=_action(
            window, "在后面插入条(&A)", lambda: edits.insert_article(False), "Ctrl+Return"
        ),
        delete=delete,
        move_up=_action(window, "上移(&U)", lambda: edits.move_current(-1), "Alt+Shift+Up"),
        move_down=_action(window, "下移(&W)", lambda: edits.move_current(1), "Alt+Shift+Down"),
        split_paragraph=_action(window, "拆分款(&S)", window.editor.split_current),
        merge_paragraphs=_action(window, "与下一款合并(&M)", window.editor.merge_current),
        shortcuts_help=_action(
            window, "快捷键一览(&K)", lambda: show_shortcuts(window, window.menuBar())
        ),
        manual=_action(window, "使用说明(&M)", lambda: show_manual(window, window.actions)),
        about=_action(window, "关于(&A)", window.show_about),
        recent_menu=QMenu("最近打开(&R)", window),
        focus_edit=focus_edit,
    )
    focus_edit.actions = {
        CUT: actions.cut,
        COPY: actions.copy,
        PASTE: actions.paste,
        SELECT_ALL: actions.select_all,
    }
    focus_edit.refresh()
    return actions


def build_menus(window: MainWindow, actions: WindowActions) -> None:
    """The menu bar: 文件, 编辑, 插入, 视图, 帮助."""
    bar = window.menuBar()
    file_menu = bar.addMenu("文件(&F)")
    file_menu.addActions([actions.new, actions.open])
    file_menu.addMenu(actions.recent_menu)
    actions.recent_menu.setObjectName("recentMenu")
    actions.recent_menu.aboutToShow.connect(lambda: fill_recent_menu(window, actions.recent_menu))
    file_menu.addSeparator()
    file_menu.addActions([actions.save, actions.save_as])
    file_menu.addSeparator()
    file_menu.addActions([actions.import_draft, actions.import_reference, actions.export])
    file_menu.addActions([actions.import_review, actions.export_opinions])
    file_menu.addSeparator()
    file_menu.addAction(actions.quit)

    edit_menu = bar.addMenu("编辑(&E)")
    edit_menu.addActions([actions.undo, actions.redo])
    edit_menu.addSeparator()
    edit_menu.addActions([actions.cut, actions.copy, actions.paste, actions.select_all])
    edit_menu.aboutToShow.connect(actions.focus_edit.refresh)
    edit_menu.addSeparator()
    edit_menu.addActions([actions.find, actions.replace, actions.find_next, actions.find_previous])
    edit_menu.addSeparator()
    edit_menu.addAction(actions.draft_info)

    insert_menu = bar.addMenu("插入(&I)")
    structure = actions.outline_actions()
    insert_menu.addActions(structure[:4])
    insert_menu.addSeparator()
    insert_menu.addActions(structure[4:])
    insert_menu.addSeparator()
    insert_menu.addActions([actions.split_paragraph, actions.merge_paragraphs])

    view_menu = bar.addMenu("视图(&V)")
    view_menu.addActions([actions.next_page, actions.previous_page])
    view_menu.addSeparator()
    for dock in window.docks():
        view_menu.addAction(dock.toggleViewAction())

    help_menu = bar.addMenu("帮助(&H)")
    help_menu.addActions([actions.shortcuts_help, actions.manual])
    help_menu.addSeparator()
    help_menu.addAction(actions.about)
    window.about_text = f"立法起草助手 {__version__}\n地方性法规起草与条文比对工具"

    structure_with_breaks: list[QAction | None] = [*structure[:4], None, *structure[4:]]
    window.outline.context_actions = structure_with_breaks


def fill_recent_menu(window: MainWindow, menu: QMenu) -> None:
    """List the recent files (most recent first)."""
    menu.clear()
    paths = window.files.recent_files()
    for number, path in enumerate(paths, 1):
        action = menu.addAction(f"&{number} {path}")
        action.triggered.connect(lambda _checked=False, p=path: window.files.open_path(p))
    if not paths:
        menu.addAction("（无）").setEnabled(False)
