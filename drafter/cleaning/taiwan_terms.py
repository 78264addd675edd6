"""Undo a Taiwan-vocabulary converter (the Haikou page was passed through one).

The map is reviewed by hand: each entry is a term that converter produces and that
never stands in a mainland statute. It is applied only to texts that carry the
converter's signature, and every replacement is reported.
"""

from __future__ import annotations

from drafter.cleaning.report import CleaningReport

# Longest terms first so that 网际网路 is handled before 网路.
TAIWAN_TO_MAINLAND: dict[str, str] = {
    "已分享资料夹": "共享目录",
    "智慧财产权": "知识产权",
    "网际网路": "互联网",
    "人工智慧": "人工智能",
    "智慧型": "智能",
    "最佳化": "优化",
    "资料库": "数据库",
    "伺服器": "服务器",
    "演算法": "算法",
    "数位": "数字",
    "套用": "应用",
    "软体": "软件",
    "硬体": "硬件",
    "巨观": "宏观",
    "网路": "网络",
    "行销": "营销",
    "计画": "计划",
    "晶片": "芯片",
    "资讯": "信息",
}

# Terms that only that converter writes; several distinct ones mark a converted text.
_SIGNATURE_TERMS = ("网际网路", "套用", "数位", "智慧型", "软体", "最佳化", "巨观", "人工智慧")
_SIGNATURE_MIN_DISTINCT = 3


def has_taiwan_signature(text: str) -> bool:
    """Whether the (already simplified) text went through the Taiwan-vocabulary converter."""
    return sum(1 for term in _SIGNATURE_TERMS if term in text) >= _SIGNATURE_MIN_DISTINCT


def restore_mainland_terms(text: str, report: CleaningReport) -> str:
    """Replace every mapped Taiwan term, reporting each replacement."""
    for taiwan, mainland in TAIWAN_TO_MAINLAND.items():
        count = text.count(taiwan)
        if count:
            text = text.replace(taiwan, mainland)
            report.replace("taiwan_term", taiwan, mainland, count)
    return text
