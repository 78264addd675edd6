"""The provenance panel: where the current article came from, how it differs, what ties it to
another city, and discovered sources to confirm or reject.

Every change goes through `session.apply`; discovery runs in the background on a deep
copy of the draft, and its results are applied on the UI thread.
"""

from __future__ import annotations

import copy
import html
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from drafter.draft import operations
from drafter.draft.document import Draft
from drafter.draft.local_fixes import apply_fix, certain_replacement, local_context
from drafter.draft.localisation import Finding, find_local_terms
from drafter.draft.provenance import (
    article_label,
    confirm_source,
    discover_sources,
    draft_text_of,
    pending_links,
    propose_sources,
    reject_pending_sources,
    reject_source,
)
from drafter.draft.source_links import SourceLink
from drafter.gui.dialogs import show_error
from drafter.gui.engines import ENGINE_LOCK
from drafter.gui.session import TYPING, DraftSession, follow_changes
from drafter.gui.statute_html import mark_text
from drafter.gui.workers import BackgroundJob
from drafter.library import ReferenceLibrary
from drafter.matching.diffing import DELETED, INSERTED, readable_diff
from drafter.statute.numerals import item_label
from drafter.statute.numerals import to_chinese_numeral as cn

BADGE_COLOURS = {
    "照搬": "#0b5ed7",
    "修改": "#b35c00",
    "参考": "#6c757d",
    "新增": "#198754",
    "待确认": "#9a6700",
}
DELETED_STYLE = "background:#f8d7da;color:#842029;text-decoration:line-through;"
INSERTED_STYLE = "background:#d1e7dd;color:#0f5132;"
NOTE_LINES = 3  # the 说明 box shows this many lines; a longer note scrolls
# Wider than this many times its height, the panel puts the 说明 box beside the sources
# rather than above them: docked under the editor on a 768-high screen it is about
# 1,350 × 190 px, and stacked, the sources had one line of it.
SIDE_BY_SIDE_RATIO = 2.5
RENDER_AFTER_TYPING_MS = 300


def diff_html(old: str, new: str) -> str:
    """The source text turned into the draft's: deletions struck through, insertions green
    (marked as in the 对照表, whole words rather than single characters)."""
    out = []
    for piece in readable_diff(old, new):
        text = html.escape(piece.text).replace("\n", "<br>")
        if piece.kind == DELETED:
            out.append(f'<span style="{DELETED_STYLE}" title="草案删去">{text}</span>')
        elif piece.kind == INSERTED:
            out.append(f'<span style="{INSERTED_STYLE}" title="草案增加">{text}</span>')
        else:
            out.append(text)
    return "".join(out)


def source_place(link: SourceLink) -> str:
    """第八条第二款 (or 第八条 for a whole article)."""
    place = f"第{cn(link.article)}条"
    return place + (f"第{cn(link.paragraph)}款" if link.paragraph > 0 else "")


class ProvenancePanel(QWidget):
    """The provenance of one article of the open draft."""

    view_source_requested = Signal(str, int)  # reference id, article number
    discovery_finished = Signal(int)  # how many sources were proposed
    jump_requested = Signal(str)  # an article's uid: the next one with sources to decide

    def __init__(
        self,
        library_provider: Callable[[], ReferenceLibrary | None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._library_provider = library_provider or (lambda: None)
        self._session: DraftSession | None = None
        self._uid: str | None = None
        self._fixes: list[tuple[int, int, Finding, str]] = []
        self._job: BackgroundJob | None = None
        self._typing_note = False
        self._render_timer = QTimer(self, singleShot=True, interval=RENDER_AFTER_TYPING_MS)
        self._render_timer.timeout.connect(self._render)
        self.badge_label = QLabel()
        self.title_label = QLabel("未选择条文")
        self.discover_button = QPushButton("查找全文来源")
        self.discover_button.setToolTip("在参考法规中查找草案各条可能的来源，供确认或否定")
        self.discover_button.clicked.connect(self.discover)
        self.status_label = QLabel()
        # An imported draft has proposals on most articles: from one to the next here,
        # without going back to the 检查 list between them.
        self.next_pending_button = QPushButton("下一条待确认")
        self.next_pending_button.setToolTip("转到下一条尚有待确认来源的条文")
        self.next_pending_button.clicked.connect(self.go_to_next_pending)
        self.view = QTextBrowser()
        self.view.setOpenLinks(False)
        self.view.anchorClicked.connect(lambda url: self.activate_link(url.toString()))
        head = QHBoxLayout()
        head.addWidget(self.title_label)
        head.addWidget(self.badge_label)
        head.addStretch(1)
        head.addWidget(self.status_label)
        head.addWidget(self.next_pending_button)
        head.addWidget(self.discover_button)
        self.note_edit = self._make_note_edit()
        note_row = QHBoxLayout()
        note_row.addWidget(QLabel("说明："), 0, Qt.AlignmentFlag.AlignTop)
        note_row.addWidget(self.note_edit, 1)
        # The note first: above the sources when stacked; right of them side by side,
        # the direction then being right to left.
        self.body = QBoxLayout(QBoxLayout.Direction.TopToBottom)
        self.body.addLayout(note_row, 0)
        self.body.addWidget(self.view, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(head)
        layout.addLayout(self.body, 1)
        self._render()

    def _make_note_edit(self) -> QPlainTextEdit:
        edit = QPlainTextEdit()
        edit.setObjectName("noteEdit")
        edit.setPlaceholderText("对照表“说明”栏：借鉴或修改的理由、需要说明的问题")
        edit.setToolTip("写入条文对照表的“说明”栏；撤销、重做与草案的其他修改一起")
        # Undo and redo belong to the draft's one stack, not the box's private history.
        edit.setUndoRedoEnabled(False)
        edit.setTabChangesFocus(True)
        lines = edit.fontMetrics().lineSpacing() * NOTE_LINES
        margins = edit.contentsMargins()
        edit.setFixedHeight(  # documentMargin() is a float; Qt takes whole pixels
            int(lines + 2 * edit.document().documentMargin() + margins.top() + margins.bottom())
        )
        self._note_height = edit.height()
        edit.textChanged.connect(self._note_edited)
        return edit

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        size = event.size()
        side = size.width() >= SIDE_BY_SIDE_RATIO * size.height()
        self._place_note(side)

    def _place_note(self, side: bool) -> None:
        """The 说明 box beside the sources (as tall as they are, 2 : 3 of the width) or
        above them (three lines)."""
        wanted = QBoxLayout.Direction.RightToLeft if side else QBoxLayout.Direction.TopToBottom
        if self.body.direction() == wanted:
            return
        self.body.setDirection(wanted)
        if side:
            self.note_edit.setMinimumHeight(self._note_height)
            self.note_edit.setMaximumHeight(16777215)  # QWIDGETSIZE_MAX
            self.body.setStretch(0, 2)
            self.body.setStretch(1, 3)
        else:
            self.note_edit.setFixedHeight(self._note_height)
            self.body.setStretch(0, 0)
            self.body.setStretch(1, 1)

    # -- public API ------------------------------------------------------------------------

    def set_session(self, session: DraftSession | None) -> None:
        """Follow this session (None: nothing open)."""
        follow_changes(self._session, session, self._on_changed)
        self._session, self._uid = session, None
        self._render()

    def show_article(self, uid: str | None) -> None:
        """Show the provenance of this article."""
        self._uid = uid
        self._render()

    @property
    def badge(self) -> str:
        return self.badge_label.text()

    def discover(self) -> BackgroundJob | None:
        """Look for likely sources of every article, in the background on a copy of the draft."""
        if self._session is None or (self._job is not None and not self._job.done):
            return None
        snapshot = copy.deepcopy(self._session.draft)
        library = self._library_provider()
        data_dir = getattr(library, "data_dir", None)

        def work():
            with ENGINE_LOCK:  # the same persisted index the suggestion panel loads
                return discover_sources(snapshot, ReferenceLibrary(data_dir))

        self.discover_button.setEnabled(False)
        self.status_label.setText("正在查找来源…")
        job = BackgroundJob(work)
        job.finished.connect(self._discovered)
        job.failed.connect(self._discovery_failed)
        self._job = job.start()
        return job

    def activate_link(self, href: str) -> None:
        """Run a link's action: fix:<n>, confirm:<ref>:<article>, reject:…, reject-all:,
        view:…."""
        kind, _, rest = href.partition(":")
        session = self._session
        if session is None or self._uid is None:
            return
        try:
            if kind == "fix":
                self._apply_fix(session, self._uid, int(rest))
            elif kind == "reject-all":
                session.apply(reject_pending_sources, self._uid)
            elif kind in ("confirm", "reject"):
                ref, _, number = rest.rpartition(":")
                operation = confirm_source if kind == "confirm" else reject_source
                session.apply(operation, self._uid, ref, int(number))
            elif kind == "view":
                ref, _, number = rest.rpartition(":")
                self.view_source_requested.emit(ref, int(number))
        except Exception as error:
            show_error(self, "操作未能完成", error)

    # -- changes ---------------------------------------------------------------------------

    def _note_edited(self) -> None:
        """The drafter typed in the 说明 box: one undo step per burst of typing."""
        session, uid = self._session, self._uid
        text = self.note_edit.toPlainText()
        if self._typing_note or session is None or uid is None:
            return
        if not session.draft.has_article(uid) or session.draft.notes.get(uid, "") == text:
            return
        self._typing_note = True
        try:
            session.apply(operations.set_note, uid, text, merge_key=("note", uid))
        except Exception as error:
            show_error(self, "无法修改说明", error)
        finally:
            self._typing_note = False

    def _show_note(self) -> None:
        """Put the article's 说明 in the box, unless the box already holds it (keeps the caret)."""
        session, uid = self._session, self._uid
        present, text = False, ""
        if session is not None and uid is not None and session.draft.has_article(uid):
            present, text = True, session.draft.notes.get(uid, "")
        self.note_edit.setEnabled(present)
        if self.note_edit.toPlainText() != text:
            self._typing_note = True  # a programmatic change, not the drafter's typing
            try:
                self.note_edit.setPlainText(text)
            finally:
                self._typing_note = False

    def _on_changed(self, change) -> None:
        uid = self._uid
        if uid is None:
            return
        if self._typing_note:
            return  # this panel's own typing: the box already shows it
        if change.kind == "set_note" and uid in change.modified:
            self._show_note()  # only the note changed (undo, redo, another window)
            return
        touched = (
            uid in change.modified
            or uid in change.removed
            or uid in change.inserted
            or uid in change.renumbered
            or change.meta_changed
        )
        if not touched:
            return
        if self._session is not None and self._session.origin == TYPING:
            # Drawn again once the typing pauses: the sources' differences and the local
            # names of a 250-article draft were half of each keystroke's time.
            self._render_timer.start()
        else:
            self._render_timer.stop()
            self._render()

    def _apply_fix(self, session: DraftSession, uid: str, index: int) -> None:
        p, item, finding, replacement = self._fixes[index]
        article = session.draft.article(uid)
        para = article.paragraphs[p]
        text = para.text if item < 0 else para.items[item]
        if text[finding.start : finding.end] != finding.term:
            self._render()  # the text moved on since the panel was drawn
            return
        fixed = apply_fix(text, finding, replacement)
        if item < 0:
            session.apply(operations.edit_paragraph, uid, p, fixed)
        else:
            items = list(para.items)
            items[item] = fixed
            session.apply(operations.edit_paragraph, uid, p, para.text, items=items)

    def _discovered(self, found: dict) -> None:
        self.discover_button.setEnabled(True)
        session = self._session
        if session is None:
            return
        draft = session.draft
        fresh: dict = {}
        for uid, candidates in found.items():
            if not draft.has_article(uid):
                continue  # deleted while discovery ran
            known = {(link.ref, link.article) for link in draft.provenance.get(uid, [])}
            new = [c for c in candidates if (c.ref, c.article) not in known]
            if new:
                fresh[uid] = new
        count = sum(len(c) for c in fresh.values())
        if fresh:
            session.apply(propose_sources, fresh)
        self.status_label.setText(f"找到 {count} 处待确认的来源" if count else "没有新的来源")
        self._render()
        self.discovery_finished.emit(count)

    def _discovery_failed(self, error: BaseException) -> None:
        self.discover_button.setEnabled(True)
        self.status_label.setText("")
        show_error(self, "查找来源失败", error)

    # -- rendering -------------------------------------------------------------------------

    def _reference_name(self, ref: str) -> str:
        library = self._library_provider()
        try:
            reference = library.get(ref) if library is not None else None
        except Exception:
            reference = None
        if reference is None:
            return ref
        return f"{reference.city}《{html.escape(reference.title)}》"

    def next_pending(self) -> str | None:
        """The uid of the next article, after the one shown and round to the start, whose
        proposed sources are still to confirm or reject (None: none is left)."""
        session = self._session
        if session is None:
            return None
        draft = session.draft
        order = [a.uid for a in draft.articles()]
        start = order.index(self._uid) + 1 if self._uid in order else 0
        for uid in order[start:] + order[:start]:
            if uid != self._uid and pending_links(draft, uid):
                return uid
        return None

    def go_to_next_pending(self) -> None:
        uid = self.next_pending()
        if uid is not None:
            self.jump_requested.emit(uid)

    def _render(self) -> None:
        self._fixes = []
        self._show_note()
        self.next_pending_button.setEnabled(self.next_pending() is not None)
        session = self._session
        if session is None or self._uid is None or not session.draft.has_article(self._uid):
            self.title_label.setText("未选择条文")
            self.badge_label.setText("")
            self.badge_label.setStyleSheet("")
            self.view.setHtml("<p>在目录或编辑区选中一条，这里显示它的来源和本地化提示。</p>")
            self.discover_button.setEnabled(session is not None)
            return
        draft = session.draft
        article = draft.article(self._uid)
        label = article_label(draft, article)
        self.title_label.setText(f"<b>{article.label}</b>")
        self.badge_label.setText(label)
        self.badge_label.setStyleSheet(
            f"background:{BADGE_COLOURS.get(label, '#6c757d')};color:white;"
            "padding:1px 8px;border-radius:3px;"
        )
        links = draft.provenance.get(self._uid, [])
        active = [x for x in links if x.active]
        suggested = pending_links(draft, self._uid)
        if active or not suggested:
            # The proposals left beside a confirmed source next to it: below the
            # localisation hints they were out of sight in a low dock.
            parts = [self._sources_html(article, active)]
            if suggested:
                parts.append(self._suggested_html(suggested, others=bool(active)))
            parts.append(self._flags_html(draft, article))
        else:  # what awaits the drafter comes first, not "新增条文：没有记录来源"
            parts = [self._suggested_html(suggested), self._flags_html(draft, article)]
        self.view.setHtml("".join(parts))

    def _sources_html(self, article, links: list[SourceLink]) -> str:
        if not links:
            return "<h4>来源</h4><p>新增条文：没有记录来源。可点“查找全文来源”。</p>"
        out = ["<h4>来源与修改对比</h4>"]
        for link in links:
            where = (
                "" if link.draft_paragraph is None else f"草案第{cn(link.draft_paragraph + 1)}款"
            )
            out.append(
                f"<p><b>{self._reference_name(link.ref)}{source_place(link)}</b>"
                f"　{html.escape(link.label or '参考')}（相似度 {link.similarity:.0f}%）"
                f"　{where}　<a href='view:{link.ref}:{link.article}'>查看原文</a></p>"
            )
            current = draft_text_of(article, link)
            out.append(f'<p style="margin-left:12px;">{diff_html(link.source_text, current)}</p>')
        out.append(
            f'<p style="color:#555;">图例：<span style="{DELETED_STYLE}">来源有、草案删去</span>'
            f'　<span style="{INSERTED_STYLE}">草案增加</span></p>'
        )
        return "".join(out)

    def _flags_html(self, draft: Draft, article) -> str:
        context = local_context(draft)
        rows, listed = [], []
        for p, para in enumerate(article.paragraphs):
            texts = [(-1, para.text), *enumerate(para.items)]
            for item, text in texts:
                findings = find_local_terms(text, draft.city)
                prefix = "" if item < 0 else item_label(item + 1)
                spans = [(f.start, f.end) for f in findings]
                rows.append(f"<p>{prefix}{mark_text(text, hits=spans)}</p>")
                for finding in findings:
                    place = f"第{cn(p + 1)}款" + ("" if item < 0 else prefix)
                    entry = f"{place}：{html.escape(finding.message)}"
                    replacement = certain_replacement(
                        text, finding, context.title, context.city, context.county_form
                    )
                    if replacement is not None:
                        self._fixes.append((p, item, finding, replacement))
                        entry += (
                            f"　<a href='fix:{len(self._fixes) - 1}'>一键改为“"
                            f"{html.escape(replacement)}”</a>"
                        )
                    listed.append(f"<li>{entry}</li>")
        if not listed:
            return "<h4>本地化</h4><p>没有发现其他城市的名称、机构或文件。</p>"
        return "<h4>本地化提示</h4>" + "".join(rows) + "<ul>" + "".join(listed) + "</ul>"

    def _suggested_html(self, links: list[SourceLink], others: bool = False) -> str:
        heading = "其余可能的来源（待确认）" if others else "可能的来源（待确认）"
        if len(links) > 1:  # one 否定 per proposal is enough for one
            heading += "　<a href='reject-all:'>全部否定</a>"
        out = [f"<h4>{heading}</h4>"]
        for link in links:
            key = f"{link.ref}:{link.article}"
            out.append(
                f"<p><b>{self._reference_name(link.ref)}{source_place(link)}</b>"
                f"　{html.escape(link.label)}（相似度 {link.similarity:.0f}%）"
                f"　<a href='confirm:{key}'>确认</a>　<a href='reject:{key}'>否定</a>"
                f"　<a href='view:{key}'>查看原文</a></p>"
                f'<p style="margin-left:12px;color:#444;">{html.escape(link.source_text[:200])}</p>'
            )
        return "".join(out)
