"""drafter — 立法起草助手: draft Chinese local regulations from reference clauses."""

__version__ = "0.1.0"
