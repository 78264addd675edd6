"""The 对照 view: one article of a reference next to its counterparts in the other references.

The counterparts are found in the background: the article's text is searched in each
other reference (the best article there), and the characters the two share are
highlighted on both sides.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QSplitter, QTextBrowser, QVBoxLayout, QWidget

from drafter.gui.engines import EngineBundle, library_engine
from drafter.gui.statute_html import SHARED_STYLE, mark_text
from drafter.gui.workers import BackgroundJob
from drafter.library import ReferenceLibrary
from drafter.matching.provenance import compare_texts
from drafter.statute.numerals import to_chinese_numeral as cn


@dataclass
class ComparisonColumn:
    """One article in the 对照: where it is from, its text and what it shares with the others."""

    ref: str
    city: str
    title: str
    article: int
    caption: str
    text: str
    score: float | None = None  # None for the article compared
    spans: list[tuple[int, int]] = field(default_factory=list)


def find_counterparts(
    library: ReferenceLibrary, bundle: EngineBundle, ref_id: str, number: int
) -> list[ComparisonColumn]:
    """The article and, for each other reference, its best counterpart (background work)."""
    reference = library.get(ref_id)
    article = reference.statute.article(number)
    if article is None:
        raise ValueError(f"{reference.title}没有第{cn(number)}条")
    text = article.text()
    first = ComparisonColumn(ref_id, reference.city, reference.title, number, article.caption, text)
    columns = [first]
    shared_with_any: list[tuple[int, int]] = []
    for other in library.ids():
        if other == ref_id or other not in bundle.engine.corpus.refs:
            continue
        best = bundle.engine.rank_articles(text, top=1, refs=[other])
        if not best:
            continue
        match = library.get(other)
        counterpart = match.statute.article(best[0].article)
        if counterpart is None:
            continue
        other_text = counterpart.text()
        columns.append(
            ComparisonColumn(
                other,
                match.city,
                match.title,
                counterpart.number,
                counterpart.caption,
                other_text,
                best[0].score,
                compare_texts(other_text, text).draft_spans,
            )
        )
        shared_with_any += compare_texts(text, other_text).draft_spans
    first.spans = shared_with_any
    return columns


def column_html(column: ComparisonColumn) -> str:
    """A column: city and title, 第X条 with its caption and score, the text with shared spans."""
    caption = f"【{html.escape(column.caption)}】" if column.caption else ""
    score = "（所选条文）" if column.score is None else f"相似度 {column.score:.1f}"
    body = mark_text(column.text, shared=column.spans).replace("\n", "<br>　　")
    return (
        f"<p><b>{html.escape(column.city)}</b>　{html.escape(column.title)}</p>"
        f"<p><b>第{cn(column.article)}条</b>{caption}　<span style='color:#555;'>{score}</span></p>"
        f"<p>　　{body}</p>"
    )


class ComparisonView(QWidget):
    """Side-by-side counterparts of one reference article in the other references."""

    shown = Signal()

    def __init__(
        self,
        library_provider: Callable[[], object],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._library_provider = library_provider
        self._generation = 0
        self._job: BackgroundJob | None = None
        self.columns: list[ComparisonColumn] = []
        self.status_label = QLabel("在左侧选中一条，这里并排列出其他参考法规中的相应条文。")
        self.status_label.setWordWrap(True)
        self.splitter = QSplitter()
        self.browsers: list[QTextBrowser] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.status_label)
        layout.addWidget(self.splitter, 1)

    def show_counterparts(self, ref_id: str, article_number: int) -> BackgroundJob:
        """Find and show the counterparts of a reference's article (in the background)."""
        self._generation += 1
        generation = self._generation
        data_dir = getattr(self._library_provider(), "data_dir", None)

        def work() -> list[ComparisonColumn]:
            bundle = library_engine(data_dir)
            return find_counterparts(ReferenceLibrary(data_dir), bundle, ref_id, article_number)

        self.status_label.setText("正在查找其他参考法规中的相应条文…")
        job = BackgroundJob(work)
        job.finished.connect(lambda columns: self._show(generation, columns))
        job.failed.connect(lambda error: self._failed(generation, error))
        self._job = job.start()
        return job

    def _failed(self, generation: int, error: BaseException) -> None:
        if generation == self._generation:
            self.status_label.setText(f"对照未能完成：{error}")

    def _show(self, generation: int, columns: list[ComparisonColumn]) -> None:
        if generation != self._generation:
            return
        self.columns = columns
        for browser in self.browsers:
            browser.setParent(None)
            browser.deleteLater()
        self.browsers = []
        for column in columns:
            browser = QTextBrowser()
            browser.setHtml(column_html(column))
            self.splitter.addWidget(browser)
            self.browsers.append(browser)
        first = columns[0]
        self.status_label.setText(
            f"{first.city}第{cn(first.article)}条与其他 {len(columns) - 1} 部参考法规的相应条文"
            f"（<span style='{SHARED_STYLE}'>相同的文字</span>已标出）"
        )
        self.shown.emit()
