"""The main window: it arranges the panels and routes core results between them."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QTabWidget

from drafter import __version__
from drafter.gui.dialogs import show_error
from drafter.gui.reference_browser import ReferenceBrowser
from drafter.gui.workers import BackgroundJob
from drafter.library import Reference, ReferenceLibrary


class MainWindow(QMainWindow):
    """立法起草助手's window."""

    def __init__(self, library: ReferenceLibrary | None = None) -> None:
        super().__init__()
        self.setWindowTitle("立法起草助手")
        self.resize(1280, 800)
        self.library = library or ReferenceLibrary()
        self.references: list[Reference] = []
        self._load_job: BackgroundJob | None = None

        self.reference_browser = ReferenceBrowser(self.library, self)
        self.reference_browser.library_changed.connect(self.reload_library)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.reference_browser, "参考法规")
        self.setCentralWidget(self.tabs)

        self.status_label = QLabel()
        self.statusBar().addPermanentWidget(self.status_label)
        self._build_menus()
        self._restore_layout()
        self.reload_library()

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("文件(&F)")
        import_action = QAction("导入参考法规(&I)…", self)
        import_action.triggered.connect(self.reference_browser.choose_and_import)
        file_menu.addAction(import_action)
        file_menu.addSeparator()
        quit_action = QAction("退出(&X)", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        help_menu = self.menuBar().addMenu("帮助(&H)")
        about = QAction("关于(&A)", self)
        about.triggered.connect(
            lambda: QMessageBox.about(
                self,
                "关于立法起草助手",
                f"立法起草助手 {__version__}\n地方性法规起草与条文比对工具",
            )
        )
        help_menu.addAction(about)

    # -- library ---------------------------------------------------------------------------

    def reload_library(self) -> BackgroundJob:
        """Load (or reload) every reference off the UI thread, then refresh the panels."""
        self.status_label.setText("正在载入参考法规…")
        data_dir = self.library.data_dir
        job = BackgroundJob(lambda: ReferenceLibrary(data_dir).references())
        job.finished.connect(self._library_loaded)
        job.failed.connect(lambda error: show_error(self, "载入参考法规失败", error))
        self._load_job = job.start()
        return job

    def _library_loaded(self, references: list[Reference]) -> None:
        self.library = ReferenceLibrary(self.library.data_dir)
        self.reference_browser.library = self.library
        self.references = references
        self.reference_browser.set_references(references)
        articles = sum(r.article_count for r in references)
        self.status_label.setText(f"参考法规 {len(references)} 部，{articles} 条")

    # -- layout ----------------------------------------------------------------------------

    def _restore_layout(self) -> None:
        settings = QSettings()
        geometry = settings.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        state = settings.value("window/state")
        if isinstance(state, QByteArray):
            self.restoreState(state)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        settings = QSettings()
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/state", self.saveState())
        event.accept()
