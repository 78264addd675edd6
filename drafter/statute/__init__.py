"""The statute model (章/条/款/项) shared by references and drafts, and Chinese numbering."""

from drafter.statute.model import (
    Article,
    Chapter,
    DamagedSpan,
    Paragraph,
    Statute,
)
from drafter.statute.numerals import from_chinese_numeral, to_chinese_numeral

__all__ = [
    "Article",
    "Chapter",
    "DamagedSpan",
    "Paragraph",
    "Statute",
    "from_chinese_numeral",
    "to_chinese_numeral",
]
