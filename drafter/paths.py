"""Where bundled resources and user data live."""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "drafter"

# DRAFTER_DATA_DIR lets tests and portable installs keep user data elsewhere.
_DATA_DIR_ENV = "DRAFTER_DATA_DIR"


def resources_dir() -> Path:
    """The bundled `resources/` folder, in a checkout or a frozen (PyInstaller) app."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def templates_dir() -> Path:
    """The bundled Word templates."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "templates"
    return Path(__file__).resolve().parent.parent / "templates"


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
