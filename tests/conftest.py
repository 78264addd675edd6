"""Shared fixtures: every test gets its own user data directory."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


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
