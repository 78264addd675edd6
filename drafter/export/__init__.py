"""Word export of a draft, its 起草说明 and its 条文对照表, laid out per GB/T 9704-2012.

The names below load with their module when first used: the window imports text-only
parts of this package (the 起草说明's facts, titles) at its start, and python-docx, which
the exporter brings, is a tenth of a second it need not wait for.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from drafter.export.exporter import ExportResult, build_document, export_draft

__all__ = ["ExportResult", "build_document", "export_draft"]


def __getattr__(name: str) -> object:
    if name in __all__:
        return getattr(importlib.import_module("drafter.export.exporter"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
