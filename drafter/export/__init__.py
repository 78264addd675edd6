"""Word export of a draft, its 起草说明 and its 条文对照表, laid out per GB/T 9704-2012."""

from drafter.export.exporter import ExportResult, build_document, export_draft

__all__ = ["ExportResult", "build_document", "export_draft"]
