"""The suggestion engine in its child process: the same answers as in-process, a killed
child replaced, errors answered, and the window's panel searching through it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from drafter.errors import DrafterError
from drafter.matching.service import RemoteEngine

QUERIES = ["首席数据官制度", "公共数据开放", "信息基础设施建设共享，管道、线路、基站"]


@pytest.fixture
def remote(isolated_user_data):
    engine = RemoteEngine(data_dir=isolated_user_data)
    yield engine
    engine.close()


def test_the_child_answers_as_the_engine_does(remote, bundled_engine):
    assert set(remote.ref_ids()) == set(bundled_engine.ref_ids())
    assert remote.info["cities"]["wuxi"] == "无锡市"
    assert remote.info["titles"]["wuxi"]
    for query in QUERIES:
        theirs = bundled_engine.suggest(query, top=5)
        ours = remote.suggest(query, top=5)
        assert ours == theirs, query  # the same dataclasses: refs, scores, texts, spans
    filtered = remote.suggest(QUERIES[0], top=5, refs=["wuxi"], chapters=None)
    assert filtered and {s.ref for s in filtered} == {"wuxi"}


def test_the_child_finds_counterparts_as_the_window_did(remote, bundled_library, bundled_engine):
    from drafter.matching.counterparts import find_counterparts

    theirs = find_counterparts(bundled_library, bundled_engine, "haikou", 8)
    assert remote.counterparts("haikou", 8) == theirs  # texts, scores, shared spans
    with pytest.raises(DrafterError, match="没有第"):
        remote.counterparts("haikou", 999)


def test_the_comparison_window_asks_the_suggestion_process(qtbot, monkeypatch):
    """On the user's path (no in-process engine), 对照 is found by the suggestion
    panel's child process; the window loads no engine of its own."""
    from drafter.gui import comparison_view
    from drafter.gui.main_window import MainWindow
    from drafter.library import ReferenceLibrary

    monkeypatch.delenv("DRAFTER_SUGGEST_IN_PROCESS")
    loaded: list[object] = []
    monkeypatch.setattr(comparison_view, "library_engine", lambda *a: loaded.append(a))
    window = MainWindow(ReferenceLibrary())
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: window.panels.suggestions.engine_ready, timeout=60000)
    browser = window.reference_browser
    browser.show_article("haikou", 8)
    view = browser.comparison_view
    with qtbot.waitSignal(view.shown, timeout=30000):
        browser.open_comparison()
    assert [(c.ref, c.article) for c in view.columns][:2] == [("haikou", 8), ("yingtan", 15)]
    assert loaded == []
    view.close()
    window.panels.suggestions.shutdown()


def test_errors_are_answers_and_the_child_goes_on(remote):
    with pytest.raises(DrafterError, match="nowhere"):
        remote.suggest("数据", refs=["nowhere"])
    assert remote.suggest(QUERIES[0], top=1)


def test_a_killed_child_is_replaced(remote):
    pid = remote._process.pid
    os.kill(pid, signal.SIGKILL)
    remote._process.wait()
    found = remote.suggest(QUERIES[0], top=3)
    assert found and remote._process.pid != pid


def test_close_ends_the_child(isolated_user_data):
    engine = RemoteEngine(data_dir=isolated_user_data)
    process = engine._process
    engine.close()
    assert process.poll() is not None


def test_the_panel_searches_through_the_child(qtbot, monkeypatch):
    from drafter.draft import operations
    from drafter.draft.document import Draft
    from drafter.gui.session import DraftSession
    from drafter.gui.suggestion_panel import SuggestionPanel
    from drafter.library import ReferenceLibrary
    from tests.test_gui_panels_suggestions import HAIKOU_8_2, session, type_text  # noqa: F401

    monkeypatch.delenv("DRAFTER_SUGGEST_IN_PROCESS")
    draft_session = DraftSession(Draft(title="某市智慧城市促进条例", city="某市"))
    chapter = draft_session.apply(operations.add_chapter, "信息基础设施").inserted[0]
    uid = draft_session.apply(operations.insert_article, chapter, HAIKOU_8_2).inserted[0]
    library = ReferenceLibrary()
    panel = SuggestionPanel(lambda: library)
    qtbot.addWidget(panel)
    qtbot.waitUntil(lambda: panel.engine_ready, timeout=60000)
    process = panel._remote._process
    assert isinstance(panel._remote, RemoteEngine) and process.poll() is None
    assert panel.ref_model.rowCount() == 5
    with qtbot.waitSignal(panel.suggestions_changed, timeout=20000):
        panel.set_context(draft_session, uid, 0)
    assert panel.suggestions[0].ref == "haikou"
    panel.shutdown()
    assert process.poll() is not None
    draft_session.close()


def test_self_test_starts_the_engine_process(isolated_user_data):
    env = {k: v for k, v in os.environ.items() if k != "DRAFTER_SUGGEST_IN_PROCESS"}
    result = subprocess.run(
        [sys.executable, "-m", "drafter", "--self-test"],
        env={**env, "QT_QPA_PLATFORM": "offscreen"},
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    assert "条文检索就绪（5 部" in result.stdout, result.stdout


def test_a_frozen_window_starts_the_console_executable(tmp_path, monkeypatch):
    """A windowed executable may have no standard handles (Windows): the frozen app starts
    the console one beside it, and falls back to itself where there is none."""
    from drafter.matching import service

    for name in ("drafter-gui", "drafter"):
        (tmp_path / name).write_bytes(b"")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", str(tmp_path / "drafter-gui"))
    assert service.service_command() == [str(tmp_path / "drafter"), "--suggest-service"]
    (tmp_path / "drafter").unlink()
    assert service.service_command() == [str(tmp_path / "drafter-gui"), "--suggest-service"]


def test_what_can_be_filtered_on_comes_a_slice_of_references_a_line(bundled_engine, monkeypatch):
    # At 20,000 references one answer line was 2 MB, parsed holding the window's lock for
    # 16-33 ms; it now comes in lines of REFS_PER_LINE references, joined by the client.
    import json

    from drafter.matching import service

    titles = {ref: f"{ref} 条例" for ref in bundled_engine.ref_ids()[:-1]}  # one without
    info = service.describe(bundled_engine, titles) | {"fingerprint": "f"}
    monkeypatch.setattr(service, "REFS_PER_LINE", 2)
    head, *parts = service.info_lines(info)
    assert head["parts"] == len(parts) == 3 and "refs" not in head
    assert [len(part["refs"]) for part in parts] == [2, 2, 1]
    wired = [json.loads(json.dumps(line, ensure_ascii=False)) for line in (head, *parts)]
    assert service.info_from_lines(wired[0], wired[1:]) == {"ok": True, **info}  # as one line was
