"""What the export warning lists: check errors, damaged text and unconfirmed sources, counted."""

from __future__ import annotations

from drafter.draft import operations
from drafter.draft.export_readiness import (
    DAMAGED_KIND,
    PENDING_KIND,
    export_problems,
    has_unconfirmed_sources_only,
)
from drafter.draft.source_links import CONFIRMED, SUGGESTED, SourceLink
from tests.gui_window_support import sample_draft

FILLED = "本条例自2025年1月1日起施行。"


def lines(draft) -> list[str]:
    return [problem.line() for problem in export_problems(draft)]


def ready_draft():
    draft = sample_draft()
    operations.insert_article(draft, draft.chapters[-1].uid, FILLED)
    return draft


def test_a_draft_without_commencement_says_so_and_a_ready_one_has_nothing():
    assert lines(sample_draft()) == ["缺少施行日期条款"]
    draft = ready_draft()
    # Warnings of the checks (a half-width comma) do not hold an export up.
    operations.edit_paragraph(draft, draft.article_by_number(2).uid, 0, "本条例适用于本市,全域。")
    assert lines(draft) == []


def test_placeholders_and_dangling_references_are_counted_with_their_first_place():
    draft = sample_draft()
    last = draft.chapters[-1].uid
    operations.insert_article(draft, last, "本条例自×年×月×日起施行。")
    operations.insert_article(draft, last, "违反本条例第三条规定的，依法处理。")
    operations.delete_article(draft, draft.article_by_number(3).uid)  # cited twice
    assert lines(draft) == [
        "引用的条文或款已不存在 2 处（第三条第一款等）",
        "尚未填写的日期等占位符 1 处（第四条第一款）",
    ]


def test_damaged_text_in_a_paragraph_or_an_item_is_found():
    draft = ready_draft()
    uid = draft.article_by_number(2).uid
    # A garbled span in the 款 text; in the 项 a lost ordinal "()" and a garbled span.
    operations.edit_paragraph(draft, uid, 0, "推进数据?稐椥共享：", ["()公共数据?媱开放"])
    problems = export_problems(draft)
    assert [(p.kind, p.count, p.first_place) for p in problems] == [
        (DAMAGED_KIND, 3, "第二条第一款")
    ]


def test_only_suggested_sources_are_pending():
    draft = ready_draft()
    article = draft.article_by_number(1)
    draft.provenance[article.uid] = [
        SourceLink("yingtan", 1, 0, article.text(), state=CONFIRMED),
        SourceLink("haikou", 1, 0, article.text(), state=SUGGESTED),
    ]
    problems = export_problems(draft)
    assert [p.line() for p in problems] == ["尚待确认的来源 1 个（第一条）"]
    assert problems[0].kind == PENDING_KIND and has_unconfirmed_sources_only(problems)
    assert not has_unconfirmed_sources_only(export_problems(sample_draft()))
