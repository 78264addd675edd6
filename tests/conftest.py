"""Shared fixtures: every test gets its own user data directory."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Qt's offscreen screen is 800×800 by default; the window would start maximised on it
# (main_window.FIRST_SIZE). The tests' screen is a desktop's 1920×1080, and the tests of
# small screens give the window a smaller one of their own.
_SCREEN = Path(__file__).parent / "data" / "offscreen_screen.json"
if os.environ["QT_QPA_PLATFORM"] == "offscreen" and ":" not in str(_SCREEN):
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={_SCREEN}"
# The window's suggestion engine runs in a child process (drafter.matching.service); the
# hundreds of short-lived test windows keep it in-process, and the tests of the service
# and the end-to-end runs (test_matching_service.py, test_e2e_xvfb.py) take it out again.
os.environ.setdefault("DRAFTER_SUGGEST_IN_PROCESS", "1")


@pytest.fixture(scope="session")
def bundled_library(tmp_path_factory):
    """The real library of the five bundled references (read-only, shared), in a data
    directory of its own (its index is built beside it), not the first test's."""
    from drafter.library import ReferenceLibrary

    return ReferenceLibrary(tmp_path_factory.mktemp("bundled-data"))


@pytest.fixture(scope="session")
def bundled_engine(bundled_library, tmp_path_factory):
    """A suggestion engine over the bundled library, its index built once per session."""
    from tests.helpers import engine_in_data_dir

    return engine_in_data_dir(bundled_library, bundled_library.data_dir)


@pytest.fixture(autouse=True)
def isolated_user_data(tmp_path, monkeypatch):
    """Keep user data (imported references, autosaves, settings) out of the real profile."""
    data_dir = tmp_path / "user-data"
    monkeypatch.setenv("DRAFTER_DATA_DIR", str(data_dir))
    return data_dir


@pytest.fixture(autouse=True)
def _finish_background_jobs():
    """Let background jobs end inside the test that started them."""
    yield
    import sys

    if "drafter.gui.workers" in sys.modules:
        from PySide6.QtWidgets import QApplication

        from drafter.gui.workers import wait_for_background_jobs

        wait_for_background_jobs()
        if QApplication.instance() is not None:
            QApplication.processEvents()


@pytest.fixture(autouse=True)
def _unfreeze_the_heap():
    """A window freezes its long-lived objects (drafter/gui/heap.py); in the one process
    of the whole suite, what a test's windows froze is collectable again after it."""
    yield
    import gc

    gc.unfreeze()
