"""The suggestion panel: reference clauses for the 款 under the cursor, computed off the UI thread.

`set_context` only records where the cursor is and restarts a short timer; when the
drafter pauses, the query (the 款, else the caption, else the chapter title) goes to a
dedicated worker thread that always serves the latest request only — a newer request
replaces a waiting one, and a result overtaken by a newer request is dropped — so typing
never waits on the engine, however large the library.

The status line names the place the suggestions are for (第三条第一款); it follows the
session's changes, so moving or renumbering that article renames it without a new search.
"""

from __future__ import annotations

import html
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, QTimer, QUrl, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from drafter.cleaning.mojibake import find_damage
from drafter.errors import DrafterError
from drafter.gui.engines import (
    EngineBundle,
    in_process_requested,
    library_engine,
    remote_bundle,
)
from drafter.gui.heap import freeze_long_lived
from drafter.gui.reference_choices import ReferenceChooser
from drafter.gui.session import follow_changes
from drafter.gui.statute_html import DAMAGE_STYLE, mark_text
from drafter.gui.workers import BackgroundJob
from drafter.matching.service import RemoteEngine
from drafter.matching.suggestion import Suggestion
from drafter.statute.numerals import to_chinese_numeral as cn

DEBOUNCE_MS = 300
TOP = 10
ALL_CHAPTERS = "全部章节"
MODES = ("new_article", "replace", "append")
# The panel's modes and drafter.draft.adoption.adopt's `mode` argument.
ADOPTION_MODE = {"new_article": "article", "replace": "replace", "append": "append"}


@dataclass(frozen=True)
class SuggestRequest:
    """One query as the worker sees it: plain values only, never live draft objects."""

    generation: int
    query: str
    refs: tuple[str, ...] | None
    chapters: tuple[str, ...] | None
    top: int = TOP


class _Bridge(QObject):
    """Carries results from the worker thread to the UI thread (queued connections)."""

    ready = Signal(int, object)  # generation, list[Suggestion]
    failed = Signal(int, str)


class SuggestionWorker:
    """A daemon thread that runs the latest request against the current engine."""

    def __init__(self) -> None:
        self.bridge = _Bridge()
        self.served = 0  # results delivered
        self.dropped = 0  # requests replaced while waiting, or results overtaken
        self._cond = threading.Condition()
        self._pending: SuggestRequest | None = None
        self._engine = None
        self._stopped = False
        # The thread holds this object (and so the bridge) until it ends.
        self._thread = threading.Thread(target=self._loop, name="drafter-suggest", daemon=True)
        self._thread.start()

    def submit(self, request: SuggestRequest) -> None:
        """Queue a request, replacing any request still waiting (returns at once)."""
        with self._cond:
            if self._pending is not None:
                self.dropped += 1
            self._pending = request
            self._cond.notify()

    def set_engine(self, engine) -> None:
        """Search this engine from the next request on (it is only read, never changed)."""
        with self._cond:
            self._engine = engine
            self._cond.notify()

    def stop(self, *_args) -> None:
        """End the thread after the query it is running, if any (returns at once)."""
        with self._cond:
            self._stopped = True
            self._cond.notify()

    def join(self, timeout: float | None = None) -> None:
        self._thread.join(timeout)

    def _loop(self) -> None:
        while True:
            with self._cond:
                while not self._stopped and (self._pending is None or self._engine is None):
                    self._cond.wait()
                if self._stopped:
                    return
                request, engine = self._pending, self._engine
                self._pending = None
            try:
                results = engine.suggest(
                    request.query, top=request.top, refs=request.refs, chapters=request.chapters
                )
            except Exception as error:  # shown in the panel's status line, not a dialog
                self.bridge.failed.emit(request.generation, str(error))
                continue
            with self._cond:
                stale = self._pending is not None
            if stale:
                self.dropped += 1
                continue
            self.served += 1
            self.bridge.ready.emit(request.generation, results)


def query_for(session, article_uid: str | None, paragraph_index: int | None) -> tuple[str, str]:
    """(query, what it is): the 款's text, else the article's caption, else its chapter title."""
    if session is None or not article_uid:
        return "", ""
    draft = session.draft
    try:
        article = draft.article(article_uid)
        chapter = draft.chapter_of(article_uid)
    except KeyError:
        return "", ""
    if paragraph_index is not None and 0 <= paragraph_index < len(article.paragraphs):
        text = article.paragraphs[paragraph_index].full_text().strip()
        if text:
            return text, f"{article.label}第{cn(paragraph_index + 1)}款"
    if article.caption.strip():
        return article.caption.strip(), f"{article.label}的条旨"
    if chapter.title.strip():
        return chapter.title.strip(), f"{chapter.label}的标题"
    return "", ""


def place_label(suggestion: Suggestion) -> str:
    """第八条第二款."""
    return f"第{cn(suggestion.article)}条第{cn(suggestion.paragraph)}款"


class SuggestionPanel(QWidget):
    """Suggested reference clauses for the place the drafter is editing."""

    adopt_requested = Signal(object, str)  # Suggestion, mode in MODES
    view_source_requested = Signal(str, int)  # reference id, article number
    suggestions_changed = Signal()

    def __init__(
        self,
        library_provider: Callable[[], object],
        parent: QWidget | None = None,
        *,
        engine_loader: Callable[[], EngineBundle] | None = None,
    ) -> None:
        super().__init__(parent)
        self._library_provider = library_provider
        self._engine_loader = engine_loader
        self._bundle: EngineBundle | None = None
        self._load_job: BackgroundJob | None = None
        self._session = None
        self._followed = None  # the session whose `changed` this panel listens to
        self._answered = 0  # the generation of the last results shown
        self._article_uid: str | None = None
        self._paragraph: int | None = None
        self._generation = 0
        self._served_key: tuple | None = None
        self._what = ""  # what the running query is, e.g. 第三条第一款
        self._selected_refs: tuple[str, ...] | None = None  # kept, not re-read per keystroke
        self.suggestions: list[Suggestion] = []
        self.worker = SuggestionWorker()
        self.worker.bridge.ready.connect(self._on_ready)
        self.worker.bridge.failed.connect(self._on_failed)
        # The engine's child process (drafter.matching.service), started by the first load.
        self._remote: RemoteEngine | None = None
        self._remote_lock = threading.Lock()
        self._remote_closed = False
        self.destroyed.connect(self.worker.stop)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.worker.stop)
            app.aboutToQuit.connect(self._close_remote)

        self._timer = QTimer(self, singleShot=True, interval=DEBOUNCE_MS)
        self._timer.timeout.connect(self.refresh_now)

        self.status_label = QLabel("正在载入参考法规索引…")
        self.status_label.setWordWrap(True)
        self.chapter_combo = QComboBox()
        self.chapter_combo.addItem(ALL_CHAPTERS)
        self.chapter_combo.setToolTip("只在参考法规的这一章中查找")
        self.chapter_combo.currentIndexChanged.connect(self._filters_changed)
        self.ref_chooser = ReferenceChooser()
        self.ref_model = self.ref_chooser.model
        self.ref_model.checks_changed.connect(self._filters_changed)
        self.results_view = QTextBrowser()
        self.results_view.setOpenLinks(False)
        self.results_view.anchorClicked.connect(self._on_anchor)

        filters = QHBoxLayout()
        filters.addWidget(QLabel("章节："))
        filters.addWidget(self.chapter_combo, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.status_label)
        layout.addLayout(filters)
        layout.addWidget(self.ref_chooser)
        layout.addWidget(self.results_view, 1)
        self.library_changed()

    # -- public API ------------------------------------------------------------------------

    def set_context(self, session, article_uid: str | None, paragraph_index: int | None) -> None:
        """The cursor moved or the drafter typed: refresh after a short pause (returns at once)."""
        self._session = session
        self._article_uid = article_uid
        self._paragraph = paragraph_index
        self._timer.start()

    def set_session(self, session) -> None:
        """A draft was opened or closed: forget the old context and its suggestions."""
        follow_changes(self._followed, session, self._on_session_changed)
        self._followed = session
        self._session = session
        self._article_uid = self._paragraph = None
        self.refresh_now()

    def library_changed(self) -> BackgroundJob:
        """The library changed (import, removal, correction): load or rebuild the engine."""
        if self._engine_loader is not None:
            loader = self._engine_loader
        elif in_process_requested():
            library = self._library_provider()
            data_dir = getattr(library, "data_dir", None)

            def loader() -> EngineBundle:
                return library_engine(data_dir)
        else:
            library = self._library_provider()
            loader = partial(self._remote_loader, getattr(library, "data_dir", None))

        job = BackgroundJob(loader)
        job.finished.connect(self._engine_loaded)
        job.failed.connect(
            lambda error: self.status_label.setText(f"参考法规索引载入失败：{error}")
        )
        self._load_job = job.start()
        return job

    def _remote_loader(self, data_dir: Path | None) -> EngineBundle:
        # Runs in a background job: one child process for the panel's life, asked to open
        # the library again when it changed.
        with self._remote_lock:
            if self._remote_closed:
                raise DrafterError("窗口已关闭")
            if self._remote is None:
                self._remote = RemoteEngine(data_dir=data_dir)
            else:
                self._remote.reopen()
            return remote_bundle(self._remote)

    def _close_remote(self, *_args) -> None:
        with self._remote_lock:
            self._remote_closed = True
            remote, self._remote = self._remote, None
        if remote is not None:
            remote.close()

    def shutdown(self, timeout: float = 5.0) -> None:
        """Stop the worker thread and wait for it (the window calls this when it closes)."""
        self.worker.stop()
        self.worker.join(timeout)
        self._close_remote()

    def search_engine(self) -> object | None:
        """The engine the panel searches with once loaded (in the suggestion process, or
        in this one when asked), for other views to share rather than load their own."""
        return self._bundle.engine if self._bundle is not None else None

    @property
    def engine_ready(self) -> bool:
        return self._bundle is not None

    def engine_refs(self) -> list[str]:
        """The references the loaded engine searches (empty while loading)."""
        return list(self._bundle.refs) if self._bundle is not None else []

    def refresh_now(self) -> None:
        """Send the current query to the worker now (the debounce timer calls this)."""
        self._timer.stop()
        query, what = query_for(self._session, self._article_uid, self._paragraph)
        refs, chapters = self.selected_refs(), self.selected_chapters()
        key = (query, refs, chapters)
        if key == self._served_key:
            if query and what != self._what:
                self._rename_place(what)  # same words at a new place (a moved article)
            return
        self._served_key = key
        self._generation += 1
        if not query:
            self._show([], "将光标移到条文中，这里会列出参考法规中相近的条款。")
            return
        if self._bundle is None:
            self.status_label.setText("正在载入参考法规索引…")
        else:
            self.status_label.setText(f"正在查找与{what}相近的条款…")
        self._what = what
        self.worker.submit(SuggestRequest(self._generation, query, refs, chapters))

    def selected_refs(self) -> tuple[str, ...] | None:
        """The checked references, or None when all are checked (no filter)."""
        return self._selected_refs

    def _read_selected_refs(self) -> tuple[str, ...] | None:
        return self.ref_model.checked()

    def selected_chapters(self) -> tuple[str, ...] | None:
        text = self.chapter_combo.currentText()
        return None if self.chapter_combo.currentIndex() <= 0 else (text,)

    def set_filters(self, refs: list[str] | None = None, chapter: str | None = None) -> None:
        """Check only `refs` (None: all) and pick a chapter (None: all), then refresh."""
        self.ref_model.set_checked(refs)
        self._selected_refs = self._read_selected_refs()
        self.chapter_combo.blockSignals(True)
        index = self.chapter_combo.findText(chapter) if chapter else 0
        self.chapter_combo.setCurrentIndex(max(index, 0))
        self.chapter_combo.blockSignals(False)
        self.refresh_now()

    def activate_link(self, href: str) -> None:
        """Run a card's action: "adopt:<mode>:<n>" or "view:<n>"."""
        parts = href.split(":")
        try:
            suggestion = self.suggestions[int(parts[-1])]
        except (ValueError, IndexError):
            return
        if parts[0] == "adopt" and parts[1] in MODES:
            self.adopt_requested.emit(suggestion, parts[1])
        elif parts[0] == "view":
            self.view_source_requested.emit(suggestion.ref, suggestion.article)

    # -- engine and results ------------------------------------------------------------------

    def _engine_loaded(self, bundle: EngineBundle) -> None:
        if self._bundle is not None and bundle.fingerprint == self._bundle.fingerprint:
            return
        self._bundle = bundle
        self._fill_filters(bundle)
        freeze_long_lived()  # the filters and the bundle live until the library changes
        self.worker.set_engine(bundle.engine)
        self._served_key = None  # search again with the new engine
        self.status_label.setText(f"参考法规索引已就绪：{len(bundle.refs)} 部法规")
        if self._article_uid:
            self.refresh_now()

    def _fill_filters(self, bundle: EngineBundle) -> None:
        chapter = self.chapter_combo.currentText()
        cities = bundle.cities()
        labels = [f"{cities[ref]}　{bundle.titles.get(ref, ref)}" for ref in bundle.refs]
        self.ref_model.set_references(bundle.refs, labels)
        self._selected_refs = self._read_selected_refs()
        self.chapter_combo.blockSignals(True)
        self.chapter_combo.clear()
        self.chapter_combo.addItem(ALL_CHAPTERS)
        self.chapter_combo.addItems(bundle.chapters)
        self.chapter_combo.setCurrentIndex(max(self.chapter_combo.findText(chapter), 0))
        self.chapter_combo.blockSignals(False)

    def _filters_changed(self, *_args) -> None:
        self._selected_refs = self._read_selected_refs()
        if self._article_uid:
            self.refresh_now()

    def _on_session_changed(self, change) -> None:
        """An edit, move, undo…: if it renumbered or changed the article in context, follow."""
        uid = self._article_uid
        if not uid:
            return
        if uid in change.removed:
            self._article_uid = self._paragraph = None
            self.refresh_now()
            return
        if not (uid in change.renumbered or uid in change.modified or change.structure_changed):
            return
        query, what = query_for(self._session, uid, self._paragraph)
        if (query, self.selected_refs(), self.selected_chapters()) != self._served_key:
            self._timer.start()  # the text changed: search again after the usual pause
        elif what != self._what:
            self._rename_place(what)  # same words, new place (第三条 moved up: now 第二条)

    def _rename_place(self, what: str) -> None:
        self._what = what
        self.status_label.setText(self._status_text())

    def _status_text(self) -> str:
        if self._bundle is None:
            return self.status_label.text()  # still loading the index
        if self._answered != self._generation:
            return f"正在查找与{self._what}相近的条款…"
        if self.suggestions:
            return f"与{self._what}相近的 {len(self.suggestions)} 条"
        return self.status_label.text()  # nothing that names the place

    def _on_ready(self, generation: int, results: list[Suggestion]) -> None:
        if generation != self._generation:
            return  # overtaken by a newer query
        self._answered = generation
        note = f"与{self._what}相近的 {len(results)} 条" if results else ""
        self._show(results, note or "没有找到相近的条款。")

    def _on_failed(self, generation: int, message: str) -> None:
        if generation == self._generation:
            self._answered = generation
            self._show([], f"查找失败：{message}")

    def _show(self, results: list[Suggestion], status: str) -> None:
        self.suggestions = list(results)
        self.status_label.setText(status)
        self.results_view.setHtml(self._cards_html())
        self.suggestions_changed.emit()

    def _cards_html(self) -> str:
        has_paragraph = self._paragraph is not None
        cards = []
        for n, s in enumerate(self.suggestions):
            links = [f'<a href="adopt:new_article:{n}">插入为新条文</a>']
            if has_paragraph:
                links.append(f'<a href="adopt:replace:{n}">替换本款</a>')
            if self._article_uid:
                links.append(f'<a href="adopt:append:{n}">追加为新款</a>')
            links.append(f'<a href="view:{n}">查看原文</a>')
            chapter = html.escape(s.chapter_title)
            # Text that arrived damaged is marked as the 参考法规 page marks it (the same
            # detector adoption runs), so that garbled words are not adopted unseen.
            damaged = find_damage(s.text)
            warning = (
                f"　<span style='{DAMAGE_STYLE}'>含损坏文字，采纳前请核对原文</span>"
                if damaged
                else ""
            )
            text = mark_text(s.text, damaged=damaged, shared=s.spans.text_spans)
            cards.append(
                f'<p style="margin:6px 0 2px 0;"><b>{n + 1}. {html.escape(s.city)}</b>'
                f"　{place_label(s)}　<span style='color:#555;'>得分 {s.score:.1f}</span>"
                f"　<span style='color:#777;'>{chapter}</span>{warning}</p>"
                f'<p style="margin:2px 0;">{text}</p>'
                f'<p style="margin:2px 0 8px 0;">{"　".join(links)}</p>'
            )
        return "<hr>".join(cards)

    def _on_anchor(self, url: QUrl) -> None:
        self.activate_link(url.toString())
