"""Where bundled resources and user data live."""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "drafter"

# DRAFTER_DATA_DIR lets tests and portable installs keep user data elsewhere.
_DATA_DIR_ENV = "DRAFTER_DATA_DIR"


def _bundled_dir(name: str) -> Path:
    """A bundled folder: frozen app, checkout (editable install), or <prefix>/share/drafter."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / name
    checkout = Path(__file__).resolve().parent.parent / name
    if checkout.is_dir():
        return checkout
    return Path(sys.prefix) / "share" / APP_NAME / name


def resources_dir() -> Path:
    """The bundled `resources/` folder (references, icons)."""
    return _bundled_dir("resources")


def templates_dir() -> Path:
    """The bundled Word templates."""
    return _bundled_dir("templates")


def user_data_dir() -> Path:
    """The per-user data directory (imported references, indexes, autosaves, settings)."""
    override = os.environ.get(_DATA_DIR_ENV)
    if override:
        path = Path(override)
    else:
        from platformdirs import user_data_dir as _platform_user_data_dir

        path = Path(_platform_user_data_dir(APP_NAME, appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path
