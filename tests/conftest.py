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
