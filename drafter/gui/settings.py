"""Where the window keeps its settings: an INI file in the user data directory.

Plain QSettings would write to the Windows registry; keeping settings beside the other
user data means one folder holds everything (uninstalling = deleting it) and
DRAFTER_DATA_DIR moves settings too.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings

from drafter.paths import user_data_dir


def configure_settings() -> None:
    """Make every QSettings() in the app read and write <user data>/settings/*.ini."""
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(user_data_dir() / "settings")
    )
