"""Text cleaning: from a regulation as collected from the web to clean Simplified Chinese lines."""

from drafter.cleaning.pipeline import CleanedText, clean_text
from drafter.cleaning.report import CleaningReport

__all__ = ["CleanedText", "CleaningReport", "clean_text"]
