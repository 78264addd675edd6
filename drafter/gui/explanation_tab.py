"""The 起草说明 tab: the drafter's sections, and the facts the export writes, refreshed live.

Typing goes through `session.apply(set_explanation, …)` merged per section, so undo
takes back a burst of typing at once. The facts (共X章Y条, chapters, references drawn
on, new articles) come from the export core's `explanation_facts`.
"""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QLabel,
    QPlainTextEdit,
    QScrollArea,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from drafter.draft.operations import set_explanation
from drafter.export.explanation import LABELS, OUTLINE, ExplanationFacts, explanation_facts
from drafter.export.sources import SourceResolver
from drafter.gui.session import follow_changes
from drafter.statute.numerals import to_chinese_numeral as cn

FACTS_DEBOUNCE_MS = 300
HINTS = {
    "必要性": "为什么要立这部法规：上位法要求、本市实际、存在的问题……",
    "起草过程": "调研、征求意见、论证的经过……",
    "主要依据": "上位法和政策依据（借鉴的参考法规由系统在右侧统计，导出时自动写入）",
    "主要内容": "对各章内容的补充说明（章节概要由系统生成，导出时自动写入）",
    "需要说明的问题": "需要向审议机关重点说明的问题……",
}


def outline_slot(title: str) -> int | None:
    """The OUTLINE position a section title fits (必要性 → 0), or None."""
    for index, (_, keys) in enumerate(OUTLINE):
        if any(key in title for key in keys):
            return index
    return None


def facts_html(facts: ExplanationFacts) -> str:
    """The generated facts as the tab shows them."""
    out = ["<h3>系统生成的内容</h3>"]
    if facts.chapter_count:
        out.append(f"<p>草案共{cn(facts.chapter_count)}章{cn(facts.article_count)}条。</p>")
    else:
        out.append(f"<p>草案不分章，共{cn(facts.article_count)}条。</p>")
    if facts.chapters:
        out.append("<h4>各章内容</h4><ul>")
        for chapter in facts.chapters:
            head = f"{chapter.label}　{chapter.title}" if chapter.label else "全文"
            verb = "主要规定了" if chapter.captions else "主要规定："
            topics = ("、" if chapter.captions else "；").join(chapter.topics) or "（尚无条文）"
            out.append(
                f"<li><b>{html.escape(head)}</b>（{chapter.first}至{chapter.last}）"
                f"{verb}{html.escape(topics)}</li>"
            )
        out.append("</ul>")
    out.append("<h4>借鉴的参考法规</h4>")
    if facts.references:
        out.append("<ul>")
        for use in facts.references:
            counts = "、".join(f"{k}{use.counts[k]}条" for k in LABELS if use.counts[k])
            title = f"《{html.escape(use.title)}》" if use.title else f"（编号 {use.ref}）"
            out.append(f"<li>{html.escape(use.city)}{title}：{counts}</li>")
        out.append("</ul>")
    else:
        out.append("<p>尚未采纳或确认参考法规的条文。</p>")
    out.append("<h4>新增条文</h4>")
    if facts.new_articles:
        listed = "、".join(facts.new_articles)
        out.append(f"<p>{listed}，共{len(facts.new_articles)}条。</p>")
    else:
        out.append("<p>无。</p>")
    return "".join(out)


class ExplanationTab(QWidget):
    """Editors for the 起草说明 sections next to the generated facts."""

    facts_refreshed = Signal()

    def __init__(
        self, library_provider: Callable[[], object] | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._library_provider = library_provider or (lambda: None)
        self._session = None
        self._applying = False
        self._titles: list[str] = []
        self.editors: list[QPlainTextEdit] = []
        self._facts_timer = QTimer(self, singleShot=True, interval=FACTS_DEBOUNCE_MS)
        self._facts_timer.timeout.connect(self.refresh_facts)
        self._sections_widget = QWidget()
        self._sections_layout = QVBoxLayout(self._sections_widget)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self._sections_widget)
        self.facts_view = QTextBrowser()
        splitter = QSplitter()
        splitter.addWidget(scroll)
        splitter.addWidget(self.facts_view)
        scroll.setMinimumWidth(320)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([560, 440])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(splitter)
        self._build_editors()

    # -- public API ------------------------------------------------------------------------

    def set_session(self, session) -> None:
        """Edit this session's 起草说明 (None: nothing open)."""
        follow_changes(self._session, session, self._on_changed)
        self._session = session
        self._build_editors()
        self.refresh_facts()

    def refresh_facts(self) -> None:
        """Recount the facts from the draft now."""
        self._facts_timer.stop()
        if self._session is None:
            self.facts_view.setHtml("<p>没有打开的草案。</p>")
            return
        facts = explanation_facts(self._session.draft, SourceResolver(self._library_provider()))
        self.facts_view.setHtml(facts_html(facts))
        self.facts_refreshed.emit()

    def section_texts(self) -> list[tuple[str, str]]:
        """(title, text) of every editor, in order."""
        return [(t, e.toPlainText()) for t, e in zip(self._titles, self.editors, strict=True)]

    # -- editors ---------------------------------------------------------------------------

    def _sections(self) -> list[tuple[str, str]]:
        """The five outline sections (with the drafter's titles where given) plus any others."""
        existing = self._session.draft.explanation if self._session is not None else []
        slots: list[tuple[str, str] | None] = [None] * len(OUTLINE)
        extra = []
        for section in existing:
            slot = outline_slot(section.title)
            if slot is None or slots[slot] is not None:
                extra.append((section.title, section.text))
            else:
                slots[slot] = (section.title, section.text)
        filled = [s or (OUTLINE[i][0], "") for i, s in enumerate(slots)]
        return filled + extra

    def _build_editors(self) -> None:
        while self._sections_layout.count():
            widget = self._sections_layout.takeAt(0).widget()
            if widget is not None:
                widget.hide()  # deleteLater waits for the event loop; hide it now
                widget.deleteLater()
        self.editors, self._titles = [], []
        for index, (title, text) in enumerate(self._sections()):
            heading = QLabel(f"<b>{cn(index + 1)}、{html.escape(title)}</b>")
            editor = QPlainTextEdit()
            editor.setPlainText(text)
            slot = outline_slot(title)
            name = OUTLINE[slot][0] if slot is not None else ""
            editor.setPlaceholderText(HINTS.get(name, "本部分内容"))
            editor.setMinimumHeight(90)
            editor.setEnabled(self._session is not None)
            editor.textChanged.connect(lambda index=index: self._edited(index))
            self._sections_layout.addWidget(heading)
            self._sections_layout.addWidget(editor)
            self.editors.append(editor)
            self._titles.append(title)
        self._sections_layout.addStretch(1)

    def _edited(self, index: int) -> None:
        if self._session is None:
            return
        self._applying = True
        try:
            self._session.apply(
                set_explanation, self.section_texts(), merge_key=("explanation", index)
            )
        finally:
            self._applying = False

    def _on_changed(self, change) -> None:
        self._facts_timer.start()
        if change.meta_changed and not self._applying:
            self._reload_texts()

    def _reload_texts(self) -> None:
        """Show the draft's texts after undo/redo, leaving untouched editors (and cursors) alone."""
        sections = self._sections()
        if [t for t, _ in sections] != self._titles:
            self._build_editors()
            return
        for editor, (_, text) in zip(self.editors, sections, strict=True):
            if editor.toPlainText() != text:
                editor.blockSignals(True)
                editor.setPlainText(text)
                editor.blockSignals(False)
