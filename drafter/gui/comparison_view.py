"""The 对照 view: one reference article beside its counterparts in the other references.

It opens as its own window (from the reference browser) so it can use the whole screen:
the docks of the main window would leave a tab in the centre too narrow to read whole
sentences. The selected article stays on the left; the counterparts are stacked on the
right, one full-width block per other reference, with the wording shared with the
selected article highlighted on both sides. A reference whose best article scores below
the calibrated cut (drafter.matching.counterparts) says 无对应条文 instead.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from drafter.draft.adoption import Clause
from drafter.gui.engines import library_engine
from drafter.gui.searchable_combo import make_searchable
from drafter.gui.statute_html import SHARED_STYLE, mark_text
from drafter.gui.workers import BackgroundJob
from drafter.library import Reference, ReferenceLibrary, ReferenceSummary
from drafter.matching.counterparts import COUNTERPART_CUT, ComparedArticle, find_counterparts
from drafter.statute.numerals import to_chinese_numeral as cn

NO_COUNTERPART = "无对应条文"
# Qt rich text takes text-indent in px only: two characters of the 11 pt body.
TEXT_STYLE = "font-size:11pt; line-height:150%; text-indent:30px;"


def _body(column: ComparedArticle) -> str:
    """One <p> per 款; shared spans running over a line break are cut at it, so every
    paragraph's markup stays balanced."""
    paragraphs: list[str] = []
    start = 0
    for line in column.text.split("\n"):
        end = start + len(line)
        shared = [
            (max(a, start) - start, min(b, end) - start)
            for a, b in column.spans
            if a < end and b > start
        ]
        paragraphs.append(f"<p style='{TEXT_STYLE}'>{mark_text(line, shared=shared)}</p>")
        start = end + 1
    return "".join(paragraphs)


ADOPT_LINK = "插入到草案"


def _adopt_link(index: int, draft_open: bool) -> str:
    return f"　<a href='adopt:{index}'>{ADOPT_LINK}</a>" if draft_open else ""


def selected_html(column: ComparedArticle, draft_open: bool = False) -> str:
    """The selected article: city and title, 第X条【caption】, its text with shared wording."""
    caption = f"【{html.escape(column.caption)}】" if column.caption else ""
    return (
        f"<p style='color:#555;'>所选条文</p>"
        f"<h3>{html.escape(column.city)}　{html.escape(column.title)}</h3>"
        f"<p><b>第{cn(column.article or 0)}条</b>{caption}{_adopt_link(0, draft_open)}</p>"
        + _body(column)
    )


def counterpart_html(column: ComparedArticle, index: int = 0, draft_open: bool = False) -> str:
    """One other reference's block: its counterpart with score and shared wording, or none;
    `index` is its place among the columns (the link 插入到草案 names it)."""
    head = f"<h3>{html.escape(column.city)}　{html.escape(column.title)}</h3>"
    if not column.is_counterpart:
        nearest = ""
        if column.nearest is not None and column.score is not None:
            nearest = (
                f"（最接近的第{cn(column.nearest)}条相似度 {column.score:.1f}，"
                f"低于对应阈值 {COUNTERPART_CUT:g}）"
            )
        return head + f"<p style='color:#666;'><b>{NO_COUNTERPART}</b>{nearest}</p>"
    caption = f"【{html.escape(column.caption)}】" if column.caption else ""
    score = f"<span style='color:#555;'>相似度 {column.score:.1f}</span>"
    link = _adopt_link(index, draft_open)
    return (
        head
        + f"<p><b>第{cn(column.article or 0)}条</b>{caption}　{score}{link}</p>"
        + _body(column)
    )


class ComparisonView(QWidget):
    """One reference article (left, fixed) and its counterparts in the other references (right)."""

    shown = Signal()
    adopt_requested = Signal(object)  # a Clause: one of the columns, into the open draft

    def __init__(
        self,
        library_provider: Callable[[], object],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("条文对照")
        self._library_provider = library_provider
        # The suggestion panel's engine, when the window has one: in the suggestion
        # process it finds the counterparts there, and the window loads no engine of its
        # own (2 s and about 200 MB at 20,000 references).
        self.engine_provider: Callable[[], object | None] = lambda: None
        self._generation = 0
        self._job: BackgroundJob | None = None
        self._counts: dict[str, int] = {}
        # The chooser's references by position, and each one's position: the combo holds
        # only the labels (20,000 of them added at once; one by one, with their ids, took
        # most of a second every time the window opened).
        self._ref_ids: list[str] = []
        self._positions: dict[str, int] = {}
        self.columns: list[ComparedArticle] = []
        self.draft_open = False  # whether 插入到草案 is offered

        # Choosing the article here too: the window covers the browser at small screens.
        self.ref_box = QComboBox()
        make_searchable(self.ref_box)
        self.article_box = QSpinBox()
        self.article_box.setPrefix("第 ")
        self.article_box.setSuffix(" 条")
        self.article_box.setMinimum(1)
        self.previous_button = QPushButton("上一条")
        self.next_button = QPushButton("下一条")
        self.previous_button.clicked.connect(lambda: self.article_box.stepBy(-1))
        self.next_button.clicked.connect(lambda: self.article_box.stepBy(1))
        self.ref_box.activated.connect(self._on_ref_chosen)
        self.article_box.valueChanged.connect(self._on_chosen)
        bar = QHBoxLayout()
        bar.addWidget(QLabel("对照："))
        bar.addWidget(self.ref_box, 1)
        bar.addWidget(self.article_box)
        bar.addWidget(self.previous_button)
        bar.addWidget(self.next_button)

        self.status_label = QLabel("选中一部参考法规的一条，这里列出其他参考法规中的相应条文。")
        self.status_label.setWordWrap(True)
        self.status_label.linkActivated.connect(self._status_link)
        self.selected_browser = QTextBrowser()
        self.counterparts_browser = QTextBrowser()
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.selected_browser)
        self.splitter.addWidget(self.counterparts_browser)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.browsers = [self.selected_browser, self.counterparts_browser]
        for browser in self.browsers:
            browser.setOpenLinks(False)
            browser.anchorClicked.connect(lambda url: self.activate_link(url.toString()))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(bar)
        layout.addWidget(self.status_label)
        layout.addWidget(self.splitter, 1)

    # -- choosing ----------------------------------------------------------------------

    def set_references(self, references: Sequence[Reference | ReferenceSummary]) -> None:
        """The references to choose from (a snapshot from the library, or its listing)."""
        self._counts = {reference.id: reference.article_count for reference in references}
        ids = [reference.id for reference in references]
        if ids == self._ref_ids:
            return  # the same list (the browser passes it at every opening)
        current = self.current_ref()
        self.ref_box.blockSignals(True)
        self.ref_box.clear()
        self.ref_box.addItems([f"{r.city}　{r.title}" for r in references])
        self._ref_ids = ids
        self._positions = {ref_id: position for position, ref_id in enumerate(ids)}
        if current is not None:
            self.ref_box.setCurrentIndex(self._positions.get(current, 0))
        self.ref_box.blockSignals(False)

    def choices(self) -> list[str]:
        """The references offered, by id, in the chooser's order."""
        return list(self._ref_ids)

    def current_ref(self) -> str | None:
        """The reference chosen (by id)."""
        position = self.ref_box.currentIndex()
        return self._ref_ids[position] if 0 <= position < len(self._ref_ids) else None

    def _on_ref_chosen(self, _index: int) -> None:
        self._on_chosen()

    def _on_chosen(self, *_args) -> None:
        ref_id = self.current_ref()
        if ref_id is not None:
            self.show_counterparts(ref_id, self.article_box.value())

    def _sync_choice(self, ref_id: str, number: int) -> None:
        """Show the article being compared in the chooser without re-triggering a search."""
        for widget in (self.ref_box, self.article_box):
            widget.blockSignals(True)
        index = self._positions.get(ref_id)
        if index is not None:
            self.ref_box.setCurrentIndex(index)
        self.article_box.setMaximum(max(1, self._counts.get(ref_id, number)))
        self.article_box.setValue(number)
        for widget in (self.ref_box, self.article_box):
            widget.blockSignals(False)

    # -- finding and showing -------------------------------------------------------------

    def show_counterparts(self, ref_id: str, article_number: int) -> BackgroundJob:
        """Find and show the counterparts of a reference's article (in the background)."""
        self._generation += 1
        generation = self._generation
        self._sync_choice(ref_id, article_number)
        data_dir = getattr(self._library_provider(), "data_dir", None)

        shared = self.engine_provider()

        def work() -> list[ComparedArticle]:
            if shared is not None and hasattr(shared, "counterparts"):
                return shared.counterparts(ref_id, article_number)
            bundle = library_engine(data_dir)
            library = ReferenceLibrary(data_dir)
            return find_counterparts(library, bundle.engine, ref_id, article_number)

        self.status_label.setText("正在查找其他参考法规中的相应条文…")
        job = BackgroundJob(work)
        job.finished.connect(lambda columns: self._show(generation, columns))
        job.failed.connect(lambda error: self._failed(generation, error))
        self._job = job.start()
        return job

    def _failed(self, generation: int, error: BaseException) -> None:
        if generation == self._generation:
            self.status_label.setText(f"对照未能完成：{error}")

    def _show(self, generation: int, columns: list[ComparedArticle]) -> None:
        if generation != self._generation:
            return
        self.columns = columns
        self._render()
        first, others = columns[0], columns[1:]
        found = sum(1 for c in others if c.is_counterpart)
        searched = (
            f"与之最相近的 {len(others)} 部参考法规"
            if first.not_compared
            else f"其他 {len(others)} 部参考法规"
        )
        rest = f"；其余 {first.not_compared} 部未逐部对照" if first.not_compared else ""
        self.status_label.setText(
            f"{first.city}第{cn(first.article or 0)}条：{searched}中"
            f" {found} 部有对应条文（相似度不低于 {COUNTERPART_CUT:g}；"
            f"<span style='{SHARED_STYLE}'>相同的文字</span>已标出）{rest}"
        )
        self.shown.emit()

    def _render(self) -> None:
        if not self.columns:
            return
        first, others = self.columns[0], self.columns[1:]
        self.selected_browser.setHtml(selected_html(first, self.draft_open))
        self.counterparts_browser.setHtml(
            "<hr>".join(
                counterpart_html(c, index, self.draft_open) for index, c in enumerate(others, 1)
            )
        )

    def set_draft_open(self, open_: bool) -> None:
        """Offer 插入到草案 on each article shown while a draft is open."""
        if open_ != self.draft_open:
            self.draft_open = open_
            self._render()

    def activate_link(self, href: str) -> None:
        """adopt:<column>: that article, as a new article of the draft (the main window
        inserts it after the article being drafted)."""
        kind, _, rest = href.partition(":")
        if kind != "adopt" or not rest.isdigit() or int(rest) >= len(self.columns):
            return
        column = self.columns[int(rest)]
        if column.article is None:
            return
        self.adopt_requested.emit(Clause(column.ref, column.city, column.article, 0, column.text))
        self.status_label.setText(
            f"已把{column.city}第{cn(column.article)}条插入草案。<a href='show-draft'>转到草案</a>"
        )

    def _status_link(self, href: str) -> None:
        """转到草案: the main window, in front of this one, shows the article inserted."""
        parent = self.parentWidget()
        if href == "show-draft" and parent is not None:
            main = parent.window()
            main.raise_()
            main.activateWindow()
