"""One parser for every regulation text: bundled references, imported ones and drafts."""

from drafter.parsing.parser import ParseResult, parse_regulation_text

__all__ = ["ParseResult", "parse_regulation_text"]
