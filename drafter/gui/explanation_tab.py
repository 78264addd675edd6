"""The 起草说明 tab: the drafter's sections, the 主要依据 list, and the facts the export
writes, refreshed live.

Sections follow the genre's outline (制定的必要性, 起草过程, 主要依据, 主要内容, 需要说明的
问题); the drafter renames them in place, moves them up and down, and adds or removes
sections of their own. Every edit goes through a core operation on the session
(`set_explanation`, `set_basis`), typing merged per box, so undo takes back a burst of
typing at once. The facts come from the export core's `explanation_facts`.
"""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from drafter.draft.explanation_outline import (
    BASIS,
    CONTENT,
    NECESSITY,
    PROCESS,
    effective_sections,
)
from drafter.draft.operations import set_basis, set_explanation
from drafter.export.explanation import (
    LABELS,
    ExplanationFacts,
    explanation_facts,
    learned_sentence,
)
from drafter.export.main_content import main_content_opening, main_content_paragraphs
from drafter.export.sources import SourceResolver
from drafter.export.titles import status_line
from drafter.gui.session import DraftSession, follow_changes
from drafter.statute.numerals import count_word
from drafter.statute.numerals import to_chinese_numeral as cn
from drafter.statute.ranges import article_ranges

FACTS_DEBOUNCE_MS = 300
HINTS = {
    NECESSITY: "为什么要立这部法规：上位法要求、本市实际、存在的问题……（标题可改为“立法背景”）",
    PROCESS: "调研、征求意见、论证的经过……（借鉴了哪些地方的法规由系统生成，导出时写在其后）",
    BASIS: "对依据的补充说明（可不填；下面逐行列出的上位法和政策文件导出时自动写入）",
    CONTENT: "对各章内容的补充说明（章节概要由系统生成，导出时写在前面）",
}
BASIS_HINT = (
    "每行一件上位法或政策文件，如：\n《中华人民共和国数据安全法》\n"
    "《国务院关于加强数字政府建设的指导意见》（国发〔2022〕14号）\n"
    "（其他城市的法规是借鉴来源，写在起草过程中，不是依据）"
)


def facts_html(facts: ExplanationFacts, main_content: list[str]) -> str:
    """The generated facts as the tab shows them; `main_content` is the exported 主要内容
    (its opening line and themed paragraphs), shown word for word as Word will have it."""
    out = ["<h3>系统生成的内容</h3>"]
    out.append("<h4>主要内容（导出时写入）</h4>")
    out += [f"<p>{html.escape(line)}</p>" for line in main_content]
    out.append("<h4>借鉴的参考法规</h4>")
    if facts.references:
        out.append(f"<p>{html.escape(learned_sentence(facts))}</p><ul>")
        for use in facts.references:
            # Counts in words, as the exported 起草说明 writes them (照搬一条, 共六条).
            counts = "、".join(f"{k}{count_word(use.counts[k])}条" for k in LABELS if use.counts[k])
            kind = "地方性法规" if use.enacted else "草案"
            out.append(
                f"<li>{html.escape(use.city)}《{html.escape(use.title)}》：{counts}"
                f"（{kind}；{article_ranges(use.articles)}）</li>"
                if use.title
                else f"<li>{html.escape(use.city)}（编号 {use.ref}）：{counts}</li>"
            )
        out.append("</ul>")
    else:
        out.append("<p>尚未采纳或确认参考法规的条文。</p>")
    if facts.pending:
        likely = "、".join(f"{u.citation}{count_word(u.total)}条" for u in facts.pending)
        out.append(
            "<h4>来源待确认</h4>"
            f"<p>{article_ranges(facts.pending_articles)}，"
            f"共{count_word(len(facts.pending_articles))}条，"
            f"最可能的来源：{html.escape(likely)}。请在“来源”面板中确认或否定；"
            "导出时注明“来源待确认”，不会写成新增。</p>"
        )
    out.append("<h4>新增条文</h4>")
    if facts.new_articles:
        listed = article_ranges(facts.new_articles)
        out.append(f"<p>{listed}，共{count_word(len(facts.new_articles))}条。</p>")
    else:
        out.append("<p>无。</p>")
    return "".join(out)


class ExplanationTab(QWidget):
    """Editors for the 起草说明 sections and the 主要依据 next to the generated facts."""

    facts_refreshed = Signal()

    def __init__(
        self, library_provider: Callable[[], object] | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._library_provider = library_provider or (lambda: None)
        self._session: DraftSession | None = None
        self._applying = False
        self._titles: list[str] = []
        self._kinds: list[str] = []
        self.editors: list[QPlainTextEdit] = []
        self.title_edits: list[QLineEdit] = []
        self.basis_editor: QPlainTextEdit | None = None
        self._facts_timer = QTimer(self, singleShot=True, interval=FACTS_DEBOUNCE_MS)
        # After a change the facts are counted again only where they can be read: counted
        # behind the 起草 page, they stalled a 250-article draft's typing 35-90 ms.
        self._facts_timer.timeout.connect(self._refresh_if_seen)
        self._facts_stale = False
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

    def set_session(self, session: DraftSession | None) -> None:
        """Edit this session's 起草说明 (None: nothing open)."""
        follow_changes(self._session, session, self._on_changed)
        self._session = session
        self._build_editors()
        self.refresh_facts()

    def _refresh_if_seen(self) -> None:
        if self.isVisible():
            self.refresh_facts()
        else:
            self._facts_stale = True

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        super().showEvent(event)
        if self._facts_stale:
            self.refresh_facts()

    def refresh_facts(self) -> None:
        """Recount the facts from the draft now."""
        self._facts_timer.stop()
        self._facts_stale = False
        if self._session is None:
            self.facts_view.setHtml("<p>没有打开的草案。</p>")
            return
        draft = self._session.draft
        resolver = SourceResolver(self._library_provider())
        facts = explanation_facts(draft, resolver)
        content = [
            main_content_opening(draft, status_line(draft.status)),
            *main_content_paragraphs(draft, resolver),
        ]
        self.facts_view.setHtml(facts_html(facts, content))
        self.facts_refreshed.emit()

    def section_texts(self) -> list[tuple[str, str]]:
        """(title, text) of every section editor, in order."""
        return [(t, e.toPlainText()) for t, e in zip(self._titles, self.editors, strict=True)]

    def sections(self) -> list[tuple[str, str, str]]:
        """(title, text, kind) of every section editor, in order."""
        return [
            (title, editor.toPlainText(), kind)
            for title, editor, kind in zip(self._titles, self.editors, self._kinds, strict=True)
        ]

    def move_section(self, index: int, offset: int) -> None:
        """Move a section up (-1) or down (+1), as one undoable edit."""
        target = index + offset
        if self._session is None or not 0 <= target < len(self.editors):
            return
        sections = self.sections()
        sections.insert(target, sections.pop(index))
        self._apply_sections(sections, rebuild=True)

    def add_section(self, title: str = "其他") -> None:
        """Append a section of the drafter's own."""
        if self._session is not None:
            self._apply_sections([*self.sections(), (title, "", "")], rebuild=True)

    def remove_section(self, index: int) -> None:
        """Remove one of the drafter's own sections (the outline's five always stay)."""
        if self._session is not None and not self._kinds[index]:
            sections = self.sections()
            del sections[index]
            self._apply_sections(sections, rebuild=True)

    # -- editors ---------------------------------------------------------------------------

    def _current(self) -> list[tuple[str, str, str]]:
        existing = self._session.draft.explanation if self._session is not None else []
        return effective_sections(existing)

    def _build_editors(self) -> None:
        while self._sections_layout.count():
            item = self._sections_layout.takeAt(0)
            assert item is not None  # count() said there is one
            widget = item.widget()
            if widget is not None:
                widget.hide()  # deleteLater waits for the event loop; hide it now
                widget.deleteLater()
        self.editors, self.title_edits, self._titles, self._kinds = [], [], [], []
        self.basis_editor = None
        enabled = self._session is not None
        sections = self._current()
        for index, (title, text, kind) in enumerate(sections):
            self._sections_layout.addWidget(self._heading_row(index, title, kind, len(sections)))
            editor = QPlainTextEdit()
            editor.setPlainText(text)
            editor.setPlaceholderText(HINTS.get(kind, "本部分内容（未填写时导出为【待填写】）"))
            editor.setMinimumHeight(90)
            editor.setEnabled(enabled)
            editor.textChanged.connect(lambda index=index: self._edited(index))
            self._sections_layout.addWidget(editor)
            self.editors.append(editor)
            self._titles.append(title)
            self._kinds.append(kind)
            if kind == BASIS and self.basis_editor is None:
                self._add_basis_editor(enabled)
        add = QPushButton("添加一节")
        add.setObjectName("addExplanationSection")
        add.setEnabled(enabled)
        add.clicked.connect(lambda: self.add_section())
        self._sections_layout.addWidget(add)
        self._sections_layout.addStretch(1)

    def _heading_row(self, index: int, title: str, kind: str, count: int) -> QWidget:
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addWidget(QLabel(f"<b>{cn(index + 1)}、</b>"))
        title_edit = QLineEdit(title)
        title_edit.setToolTip("本节标题，可改写（编号导出时自动加上）")
        title_edit.setEnabled(self._session is not None)
        title_edit.textEdited.connect(lambda text, index=index: self._retitled(index, text))
        layout.addWidget(title_edit, 1)
        self.title_edits.append(title_edit)
        for label, tip, offset, allowed in (
            ("上移", "把这一节移到上一节之前", -1, index > 0),
            ("下移", "把这一节移到下一节之后", 1, index < count - 1),
        ):
            button = QPushButton(label)
            button.setToolTip(tip)
            button.setEnabled(self._session is not None and allowed)
            button.clicked.connect(lambda _=False, i=index, o=offset: self.move_section(i, o))
            layout.addWidget(button)
        if not kind:
            remove = QPushButton("删除")
            remove.setToolTip("删除这一节（起草说明的五个基本部分不能删除）")
            remove.setEnabled(self._session is not None)
            remove.clicked.connect(lambda _=False, i=index: self.remove_section(i))
            layout.addWidget(remove)
        return row

    def _add_basis_editor(self, enabled: bool) -> None:
        self._sections_layout.addWidget(QLabel("依据的上位法和政策文件（每行一件）："))
        editor = QPlainTextEdit()
        editor.setObjectName("basisEditor")
        basis = self._session.draft.basis if self._session is not None else []
        editor.setPlainText("\n".join(basis))
        editor.setPlaceholderText(BASIS_HINT)
        editor.setMinimumHeight(90)
        editor.setEnabled(enabled)
        editor.textChanged.connect(self._basis_edited)
        self._sections_layout.addWidget(editor)
        self.basis_editor = editor

    def _apply_sections(
        self, sections: list[tuple[str, str, str]], merge_key=None, rebuild: bool = False
    ) -> None:
        assert self._session is not None  # every caller checks that a draft is open
        self._applying = True
        try:
            self._session.apply(set_explanation, sections, merge_key=merge_key)
        finally:
            self._applying = False
        if rebuild:
            self._build_editors()

    def _edited(self, index: int) -> None:
        if self._session is not None:
            self._apply_sections(self.sections(), merge_key=("explanation", index))

    def _retitled(self, index: int, text: str) -> None:
        if self._session is None:
            return
        self._titles[index] = text
        self._apply_sections(self.sections(), merge_key=("explanation-title", index))

    def _basis_edited(self) -> None:
        if self._session is None or self.basis_editor is None:
            return
        self._applying = True
        try:
            lines = self.basis_editor.toPlainText().splitlines()
            self._session.apply(set_basis, lines, merge_key=("basis",))
        finally:
            self._applying = False

    def _on_changed(self, change) -> None:
        self._facts_timer.start()
        if change.meta_changed and not self._applying:
            self._reload_texts()

    def _reload_texts(self) -> None:
        """Show the draft's texts after undo/redo, leaving untouched editors (and cursors) alone."""
        sections = self._current()
        if [k for _, _, k in sections] != self._kinds:
            self._build_editors()
            return
        for index, (title, text, _) in enumerate(sections):
            if self.title_edits[index].text() != title:
                self.title_edits[index].setText(title)
            self._titles[index] = title
            editor = self.editors[index]
            if editor.toPlainText() != text:
                editor.blockSignals(True)
                editor.setPlainText(text)
                editor.blockSignals(False)
        if self.basis_editor is not None and self._session is not None:
            basis = self._session.draft.basis
            shown = [b.strip() for b in self.basis_editor.toPlainText().splitlines() if b.strip()]
            if shown != basis:
                self.basis_editor.blockSignals(True)
                self.basis_editor.setPlainText("\n".join(basis))
                self.basis_editor.blockSignals(False)
