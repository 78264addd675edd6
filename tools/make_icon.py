"""Draw the application icon with Qt and write resources/icons/drafter.png and drafter.ico.

The icon is a white 公文 page with a red 红头 bar on a dark red tile: shapes only, no
text, so the result does not depend on which fonts the machine has. Run it again after
changing the drawing and commit both files; `pyinstaller build.spec` only reads them.

    python tools/make_icon.py
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ICON_DIR = ROOT / "resources" / "icons"
# Sizes Windows picks from for the title bar, taskbar, Explorer and the desktop.
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
PNG_SIZE = 256

TILE_TOP = "#a4161a"
TILE_BOTTOM = "#6e0d10"
HEADER_RED = "#c8102e"
LINE_GREY = "#9aa0a6"
FOLD_GREY = "#d9dce0"


def render(size: int):
    """The icon drawn at `size` × `size` pixels, as a QImage."""
    from PySide6.QtCore import QPointF, QRectF, Qt
    from PySide6.QtGui import QColor, QImage, QLinearGradient, QPainter, QPolygonF

    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.scale(size / 256, size / 256)  # draw in a 256-unit square
    painter.setPen(Qt.PenStyle.NoPen)

    gradient = QLinearGradient(0, 8, 0, 248)
    gradient.setColorAt(0, QColor(TILE_TOP))
    gradient.setColorAt(1, QColor(TILE_BOTTOM))
    painter.setBrush(gradient)
    painter.drawRoundedRect(QRectF(8, 8, 240, 240), 48, 48)

    # The page, its top-right corner folded over.
    fold = 36
    page = QPolygonF(
        [
            QPointF(56, 32),
            QPointF(200 - fold, 32),
            QPointF(200, 32 + fold),
            QPointF(200, 224),
            QPointF(56, 224),
        ]
    )
    painter.setBrush(QColor("white"))
    painter.drawPolygon(page)
    painter.setBrush(QColor(FOLD_GREY))
    corner = [QPointF(200 - fold, 32), QPointF(200 - fold, 32 + fold), QPointF(200, 32 + fold)]
    painter.drawPolygon(QPolygonF(corner))

    # 红头: the red header and the red rule under it, as on an official document.
    painter.setBrush(QColor(HEADER_RED))
    painter.drawRect(QRectF(76, 62, 86 if size > 24 else 100, 22))
    painter.drawRect(QRectF(76, 98, 104, 6))

    # Body text lines; at the smallest sizes fewer, thicker lines stay legible.
    painter.setBrush(QColor(LINE_GREY))
    if size <= 32:
        lines = [(124, 104), (156, 104), (188, 64)]
        thickness = 16
    else:
        lines = [(122, 104), (146, 104), (170, 104), (194, 64)]
        thickness = 10
    for top, width in lines:
        painter.drawRect(QRectF(76, top, width, thickness))
    painter.end()
    return image


def png_bytes(size: int) -> bytes:
    """The icon at `size` pixels, encoded as PNG."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not render(size).save(buffer, "PNG"):
        raise RuntimeError(f"could not encode the {size}px icon as PNG")
    buffer.close()
    return bytes(data.data())


def ico_bytes(images: dict[int, bytes]) -> bytes:
    """A Windows .ico holding PNG-compressed images (read by Windows Vista and later)."""
    header = struct.pack("<HHH", 0, 1, len(images))
    offset = len(header) + 16 * len(images)
    entries, payload = b"", b""
    for size, data in sorted(images.items()):
        side = size % 256  # 0 means 256 in an ICONDIRENTRY
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(data), offset)
        payload += data
        offset += len(data)
    return header + entries + payload


def main() -> int:
    """Write drafter.png and drafter.ico; returns the exit code."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    ICON_DIR.mkdir(parents=True, exist_ok=True)
    images = {size: png_bytes(size) for size in ICO_SIZES}
    (ICON_DIR / "drafter.png").write_bytes(images[PNG_SIZE])
    (ICON_DIR / "drafter.ico").write_bytes(ico_bytes(images))
    print(f"wrote {ICON_DIR / 'drafter.png'} and {ICON_DIR / 'drafter.ico'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
