"""The suggestion panel on real widgets (offscreen) with the real library and engine."""

from __future__ import annotations

import time

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QUrl

from drafter.draft import operations
from drafter.draft.document import Draft
from drafter.gui.engines import engine_bundle
from drafter.gui.session import DraftSession
from drafter.gui.suggestion_panel import SuggestionPanel, query_for
from drafter.library import ReferenceLibrary

HAIKOU_8_2 = (
    "公共机构、公共场所、公共设施在符合安全、环保、景观要求且不影响正常使用的情况下，"
    "应当开放用于管道、线路、基站等信息基础设施建设共享。"
)


@pytest.fixture
def session(qtbot):
    draft = Draft(title="某市智慧城市促进条例", city="某市")
    session = DraftSession(draft)
    chapter = session.apply(operations.add_chapter, "信息基础设施").inserted[0]
    uid = session.apply(operations.insert_article, chapter, "").inserted[0]
    session.apply(operations.insert_paragraph, uid, 0, "")
    session.uid = uid
    yield session
    session.close()


@pytest.fixture
def panel(qtbot):
    library = ReferenceLibrary()
    widget = SuggestionPanel(lambda: library)
    qtbot.addWidget(widget)
    qtbot.waitUntil(lambda: widget.engine_ready, timeout=30000)
    return widget


def type_text(session, text: str) -> None:
    session.apply(
        operations.edit_paragraph, session.uid, 0, text, merge_key=("text", session.uid, 0)
    )


def wait_for_results(qtbot, panel, timeout=10000):
    with qtbot.waitSignal(panel.suggestions_changed, timeout=timeout):
        pass


def test_typed_clause_shows_its_counterparts(qtbot, panel, session):
    type_text(session, HAIKOU_8_2)
    with qtbot.waitSignal(panel.suggestions_changed, timeout=10000):
        panel.set_context(session, session.uid, 0)
    top = [(s.ref, s.article) for s in panel.suggestions[:4]]
    assert top[0] == ("haikou", 8)
    assert ("chengdu", 7) in top and ("jining", 19) in top
    assert ("yingtan", 16) in [(s.ref, s.article) for s in panel.suggestions]
    html = panel.results_view.toHtml()
    assert "#d1e7dd" in html  # shared spans highlighted
    text = panel.results_view.toPlainText()
    assert "海口市" in text and "第八条第二款" in text and "得分" in text
    assert "插入为新条文" in text and "替换本款" in text and "追加为新款" in text


def test_set_context_returns_at_once_and_stale_queries_are_dropped(qtbot, panel, session):
    prefixes = [HAIKOU_8_2[:n] for n in range(4, len(HAIKOU_8_2), 3)]
    started = time.perf_counter()
    for text in prefixes:
        session.draft.article(session.uid).paragraphs[0].text = text
        panel.set_context(session, session.uid, 0)
        panel.refresh_now()  # skip the pause: every keystroke reaches the worker
    elapsed = time.perf_counter() - started
    assert elapsed / len(prefixes) < 0.01  # the UI thread never waits on the engine
    qtbot.waitUntil(lambda: bool(panel.suggestions) and panel.status_label.text().startswith("与"))
    # Only the last query's results are shown; most intermediate ones never ran.
    assert panel.suggestions[0].ref == "haikou"
    assert panel.worker.served < len(prefixes)


def test_empty_paragraph_falls_back_to_caption_then_chapter(session):
    assert query_for(session, session.uid, 0) == ("信息基础设施", "第一章的标题")
    session.apply(operations.set_caption, session.uid, "共建共享")
    assert query_for(session, session.uid, 0) == ("共建共享", "第一条的条旨")
    type_text(session, "公共设施开放")
    assert query_for(session, session.uid, 0)[0] == "公共设施开放"
    assert query_for(session, None, None) == ("", "")


def test_adopt_and_view_source_signals_carry_the_suggestion(qtbot, panel, session):
    type_text(session, HAIKOU_8_2)
    with qtbot.waitSignal(panel.suggestions_changed, timeout=10000):
        panel.set_context(session, session.uid, 0)
    second = panel.suggestions[1]
    for mode in ("new_article", "replace", "append"):
        with qtbot.waitSignal(panel.adopt_requested) as blocker:
            panel.results_view.anchorClicked.emit(QUrl(f"adopt:{mode}:1"))
        assert blocker.args == [second, mode]
    with qtbot.waitSignal(panel.view_source_requested) as blocker:
        panel.activate_link("view:0")
    assert blocker.args == ["haikou", 8]


def test_filters_narrow_the_results(qtbot, panel, session):
    type_text(session, HAIKOU_8_2)
    with qtbot.waitSignal(panel.suggestions_changed, timeout=10000):
        panel.set_context(session, session.uid, 0)
    assert len({s.ref for s in panel.suggestions}) > 2
    with qtbot.waitSignal(panel.suggestions_changed, timeout=10000):
        panel.set_filters(refs=["chengdu", "yingtan"])
    assert panel.suggestions and {s.ref for s in panel.suggestions} <= {"chengdu", "yingtan"}
    assert panel.suggestions[0].ref == "chengdu" and panel.suggestions[0].article == 7
    with qtbot.waitSignal(panel.suggestions_changed, timeout=10000):
        panel.set_filters(refs=None, chapter="基础支撑能力建设")
    assert panel.suggestions
    assert {s.chapter_title for s in panel.suggestions} == {"基础支撑能力建设"}


def test_engine_is_injectable_and_library_change_reloads(qtbot, session):
    from drafter.matching.engine import SuggestionEngine

    engine = SuggestionEngine(ReferenceLibrary())
    widget = SuggestionPanel(lambda: None, engine_loader=lambda: engine_bundle(engine))
    qtbot.addWidget(widget)
    qtbot.waitUntil(lambda: widget.engine_ready, timeout=10000)
    assert widget.ref_model.rowCount() == 5
    type_text(session, HAIKOU_8_2)
    with qtbot.waitSignal(widget.suggestions_changed, timeout=10000):
        widget.set_context(session, session.uid, 0)
    assert widget.suggestions[0].ref == "haikou"


def test_library_change_rebuilds_the_engine(qtbot, panel, session, tmp_path):
    from tests.test_library import SAMPLE

    source = tmp_path / "深圳市智慧城市条例.txt"
    source.write_text(SAMPLE, encoding="utf-8")
    ReferenceLibrary().import_file(source, ref_id="shenzhen")
    panel.library_changed()
    qtbot.waitUntil(lambda: panel.ref_model.rowCount() == 6, timeout=30000)
    refs = [panel.ref_model.ref(i) for i in range(6)]
    assert refs[-1] == "shenzhen"


def test_a_suggestion_with_damaged_text_says_so(qtbot, panel, session):
    # 成都 第六条第六款 ends in mojibake from the web page it was collected from. Shown
    # plain, it could be adopted unseen; the 参考法规 page marks it, and so does the list.
    library = ReferenceLibrary()
    damaged = library.get("chengdu").statute.article(6).paragraphs[5].text
    assert "?q" in damaged  # the garbled run the cleaner kept verbatim
    panel.set_session(session)
    panel.set_context(session, session.uid, 0)
    type_text(session, damaged[:60])
    wait_for_results(qtbot, panel)
    first = panel.suggestions[0]
    assert (first.ref, first.article, first.paragraph) == ("chengdu", 6, 6)
    text = panel.results_view.toPlainText()
    assert text.count("含损坏文字，采纳前请核对原文") == 1
    # The label and the garbled run itself, both in the damage colour.
    assert panel.results_view.toHtml().count("background-color:#f8d7da") >= 2
