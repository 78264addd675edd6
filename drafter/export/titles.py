"""A draft's title and its status line, as every document prints them."""

from __future__ import annotations


def status_line(status: str) -> str:
    """（草案） or （征求意见稿）."""
    return f"（{status}）"


def bare_title(title: str, status: str) -> str:
    """The title without a status suffix the drafter may have typed into it."""
    for suffix in (status_line(status), f"({status})"):
        if title.endswith(suffix):
            return title[: -len(suffix)]
    return title
