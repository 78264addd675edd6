"""The 修改对照 view: one version of the draft beside another (or beside the current text).

Its own window, like the 条文对照 view: 修改前 | 修改后 | 说明 as a table, deleted words
struck through, added words bold and underlined, moved or renumbered articles with their
old number ("第五条（原第四条）"), unchanged articles folded on request — what the
exported 修改对照稿 prints. From here the 修改对照稿 and the 修改决定 are exported.
The comparison itself is the core's (`drafter.draft.revision_diff`); this only draws it.
"""

from __future__ import annotations

import copy
import html
from collections.abc import Callable
from itertools import groupby
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from drafter.draft.document import Draft
from drafter.draft.revision_diff import (
    ADDED,
    DELETED,
    UNCHANGED,
    ArticleRevision,
    ChapterRevision,
)
from drafter.errors import DrafterError
from drafter.export.revision_export import CURRENT, Revision, revision
from drafter.export.revision_table import (
    HEADERS,
    UNCHANGED_NOTE,
    article_note,
    chapter_label,
    chapter_sides,
    new_label,
    side_lines,
)
from drafter.gui.dialogs import show_error
from drafter.gui.export_dialog import ExportDoneBox
from drafter.gui.screen_room import resize_to_fit
from drafter.gui.workers import BackgroundJob
from drafter.statute.ranges import article_span

DELETED_STYLE = "text-decoration:line-through; color:#a61b1b;"
ADDED_STYLE = "font-weight:bold; text-decoration:underline; color:#0b5e2a;"
_CELL = "padding:4px; vertical-align:top;"
DOCX_FILTER = "Word 文档 (*.docx)"
# Edits to the current text redraw the comparison once typing pauses: a 300-article table
# takes half a second to lay out.
FOLLOW_DELAY_MS = 600


def _marked(text: str, mask: list[bool], style: str) -> str:
    out, position = [], 0
    for flagged, group in groupby(mask):
        size = len(list(group))
        piece = html.escape(text[position : position + size])
        out.append(f"<span style='{style}'>{piece}</span>" if flagged else piece)
        position += size
    return "".join(out)


def _side_html(revision: ArticleRevision, old: bool) -> str:
    article = revision.old if old else revision.new
    if article is None:
        return ""
    style = DELETED_STYLE if old else ADDED_STYLE
    label = article.label if old else new_label(revision)
    whole = revision.kind == (DELETED if old else ADDED)
    label_html = f"<b>{html.escape(label)}</b>"
    if whole:
        label_html = f"<span style='{style}'>{label_html}</span>"
    lines = side_lines(revision.paragraphs, old=old) or [("", [])]
    paragraphs = []
    for index, (text, mask) in enumerate(lines):
        head = label_html + "　" if index == 0 else ""
        paragraphs.append(f"<p style='margin:2px 0;'>{head}{_marked(text, mask, style)}</p>")
    return "".join(paragraphs)


def _row(cells: list[str], span: bool = False) -> str:
    if span:
        return f"<tr><td colspan='3' style='{_CELL}'>{cells[0]}</td></tr>"
    return "<tr>" + "".join(f"<td style='{_CELL}'>{c}</td>" for c in cells) + "</tr>"


def _chapter_html(entry: ChapterRevision) -> str:
    if entry.kind == UNCHANGED:
        return _row([f"<p align='center'><b>{html.escape(chapter_label(entry))}</b></p>"], True)
    old, old_mask, new, new_mask, note = chapter_sides(entry)
    return _row(
        [
            f"<b>{_marked(old, old_mask, DELETED_STYLE)}</b>",
            f"<b>{_marked(new, new_mask, ADDED_STYLE)}</b>",
            note,
        ]
    )


def _folded_html(run: list[ArticleRevision]) -> str:
    new = article_span(run[0].new_number or 0, run[-1].new_number or 0)
    old = article_span(run[0].old_number or 0, run[-1].old_number or 0)
    text = new if new == old else f"{new}（原{old}）"
    return _row([f"<span style='color:#555;'>{text}　{UNCHANGED_NOTE}</span>"], True)


def revision_html(rev: Revision, fold_unchanged: bool) -> str:
    """The comparison as an HTML table: what the 修改对照稿 prints, in the window's colours."""
    rows = [
        "<tr>"
        + "".join(f"<th style='{_CELL} background:#eee;'>{h}</th>" for h in HEADERS)
        + "</tr>"
    ]
    folded: list[ArticleRevision] = []
    chapterless = rev.diff.new.chapterless and rev.diff.old.chapterless
    for entry in rev.diff.entries:
        if isinstance(entry, ArticleRevision) and fold_unchanged and entry.untouched:
            folded.append(entry)
            continue
        if folded:
            rows.append(_folded_html(folded))
            folded = []
        if isinstance(entry, ChapterRevision):
            if not chapterless:
                rows.append(_chapter_html(entry))
            continue
        notes = "<br>".join(html.escape(n) for n in article_note(entry))
        rows.append(_row([_side_html(entry, True), _side_html(entry, False), notes]))
    if folded:
        rows.append(_folded_html(folded))
    return (
        "<table width='100%' border='1' cellspacing='0' style='border-collapse:collapse;'>"
        + "".join(rows)
        + "</table>"
    )


class RevisionView(QWidget):
    """Two texts of the open draft side by side, with the exports of the comparison."""

    shown = Signal()

    def __init__(self, draft_provider: Callable[[], Draft | None], parent=None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("revisionView")
        self.setWindowTitle("修改对照")
        resize_to_fit(self, 1100, 760)
        self._draft_provider = draft_provider
        self.revision: Revision | None = None
        self.last_export = None  # ExportResult of the last export (tests, status)
        self.old_box = QComboBox()
        self.old_box.setObjectName("revisionOld")
        self.new_box = QComboBox()
        self.new_box.setObjectName("revisionNew")
        self.fold_box = QCheckBox("折叠未修改的条文")
        self.fold_box.setObjectName("revisionFold")
        self.export_table_button = QPushButton("导出修改对照稿…")
        self.export_amendment_button = QPushButton("导出修改决定…")
        for box in (self.old_box, self.new_box):
            box.activated.connect(lambda _index: self.refresh())
        self.fold_box.toggled.connect(lambda _on: self.refresh())
        self.export_table_button.clicked.connect(lambda: self.export(amendment=False))
        self.export_amendment_button.clicked.connect(lambda: self.export(amendment=True))
        bar = QHBoxLayout()
        bar.addWidget(QLabel("修改前："))
        bar.addWidget(self.old_box, 1)
        bar.addWidget(QLabel("修改后："))
        bar.addWidget(self.new_box, 1)
        bar.addWidget(self.fold_box)
        bar.addWidget(self.export_table_button)
        bar.addWidget(self.export_amendment_button)
        self.facts_label = QLabel()
        self.facts_label.setObjectName("revisionFacts")
        self.facts_label.setWordWrap(True)
        self.browser = QTextBrowser()
        self.browser.setObjectName("revisionTable")
        self._follow_timer = QTimer(self)
        self._follow_timer.setSingleShot(True)
        self._follow_timer.setInterval(FOLLOW_DELAY_MS)
        self._follow_timer.timeout.connect(self.refresh)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(bar)
        layout.addWidget(self.facts_label)
        layout.addWidget(self.browser, 1)

    # -- choosing ----------------------------------------------------------------------

    def compare(self, old: str, new: str | None = None) -> None:
        """Show version `old` against version `new` (the current text when None)."""
        draft = self._draft_provider()
        if draft is None:
            return
        names = [v.name for v in draft.versions]
        for box, items in ((self.old_box, names), (self.new_box, [*names, CURRENT])):
            box.blockSignals(True)
            box.clear()
            box.addItems(items)
            box.blockSignals(False)
        self.old_box.setCurrentText(old)
        self.new_box.setCurrentText(new or CURRENT)
        self.refresh()

    def _names(self) -> tuple[str, str | None]:
        new = self.new_box.currentText()
        return self.old_box.currentText(), (None if new == CURRENT else new)

    def follow_edit(self) -> None:
        """The current text changed: compare again once the edits pause, if it is shown."""
        if self.isVisible() and self.new_box.currentText() == CURRENT:
            self._follow_timer.start()

    def refresh(self) -> None:
        """Compare again (after another choice, or after the current text changed)."""
        draft = self._draft_provider()
        if draft is None or not self.old_box.currentText():
            return
        old, new = self._names()
        try:
            self.revision = revision(draft, old, new)
        except DrafterError as error:
            self.revision = None
            self.browser.clear()
            self.facts_label.setText(str(error))
            self._enable(False)
            return
        names = self.revision.names
        self.setWindowTitle(f"修改对照：{names.old} → {names.new}")
        self.facts_label.setText(self.revision.diff.facts().sentence(names.old, names.new))
        self.browser.setHtml(revision_html(self.revision, self.fold_box.isChecked()))
        self._enable(True)
        self.shown.emit()

    def _enable(self, on: bool) -> None:
        self.export_table_button.setEnabled(on)
        self.export_amendment_button.setEnabled(on)

    # -- exporting ---------------------------------------------------------------------

    def export(self, amendment: bool, path: Path | str | None = None) -> BackgroundJob | None:
        """Write the 修改对照稿 (or the 修改决定) of the two texts shown, in the background."""
        draft = self._draft_provider()
        if draft is None or self.revision is None:
            return None
        old, new = self._names()
        what = "修改决定" if amendment else "修改对照稿"
        if path is None:
            chosen, _ = QFileDialog.getSaveFileName(
                self, f"导出{what}", f"{draft.title}{what}.docx", DOCX_FILTER
            )
            if not chosen:
                return None
            path = chosen if chosen.lower().endswith(".docx") else chosen + ".docx"
        from drafter.export.revision_export import export_revision

        snapshot = copy.deepcopy(draft)
        fold = self.fold_box.isChecked()
        job = BackgroundJob(
            lambda: export_revision(
                snapshot, Path(path), old, new, amendment=amendment, fold_unchanged=fold
            )
        )
        job.finished.connect(self._exported)
        job.failed.connect(lambda error: show_error(self, "导出失败", error))
        return job.start()

    def _exported(self, result) -> None:
        self.last_export = result
        box = ExportDoneBox(result.written, result.warnings, self)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
