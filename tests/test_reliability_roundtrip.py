"""Round trips and suspicious characters (issue 13, item 9).

The app's own exported .docx must re-import to the same draft; placeholders keep their
full-width spaces; damaged text adopted from a reference stays marked; characters that
print wrongly or not at all are flagged by `check`.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drafter.draft.adoption import Clause, adopt
from drafter.draft.checks import ERROR, INFO, WARNING, run_checks
from drafter.draft.document import Draft, paragraphs_from_text
from drafter.draft.export_readiness import DAMAGED_KIND, export_problems
from drafter.draft.skeleton import draft_from_import, read_draft_file
from drafter.export.exporter import export_draft
from drafter.parsing import parse_regulation_text
from drafter.statute.model import Article, Chapter, Paragraph, Statute

TITLE = "成华市数字经济促进条例"
PLACEHOLDER = "本条例自　　年　　月　　日起施行。"

CHAPTER_TITLES = [
    "总则",
    "数据资源",
    "数字基础设施",
    "智慧治理与服务",
    "保障措施",
    "法律责任",
    "附则",
    "数字经济发展",
]
CAPTIONS = ["目的依据", "适用范围", "工作职责", "数据共享", "施行日期"]
WORDS = [
    "市人民政府",
    "县级以上人民政府",
    "有关部门",
    "应当",
    "按照职责",
    "依法",
    "推进",
    "数字经济",
    "公共数据",
    "共享开放",
    "三十日内",
    "百分之二十",
    "２０２４年",
    "“一网通办”",
    "《中华人民共和国数据安全法》",
    "，",
    "、",
]
ENDINGS = ["。", "；", "：", ""]
# Short 款 without punctuation: a heading without 第X章 looks like this.
# Lines a web page would have (junk, 附件, a 关于…规定 title) are 款 in a draft too: the
# export's paragraph styles say so.
SHORT = [
    "法律另有规定的从其规定",
    "其他",
    "数据资源",
    "本市实行首问负责",
    "体育彩票",
    "版权所有",
    "附件",
    "关于数据共享的规定",
    "第二章规定的事项",
]


def _sentence(draw, ending: str | None = None) -> str:
    words = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=8))
    text = "".join(words).lstrip("，、")
    text = text or "有关部门"
    return text + (draw(st.sampled_from(ENDINGS)) if ending is None else ending)


@st.composite
def paragraphs(draw) -> Paragraph:
    kind = draw(st.integers(0, 9))
    if kind == 0:
        text = draw(st.sampled_from(SHORT))
    elif kind == 1:
        text = PLACEHOLDER
    else:
        text = _sentence(draw)
    items = [_sentence(draw, "；") for _ in range(draw(st.integers(0, 4)))]
    return Paragraph(text, items)


@st.composite
def drafts(draw) -> Draft:
    count = draw(st.integers(1, 6))
    titles = draw(st.permutations(CHAPTER_TITLES))[:count]
    chapters = []
    for number, title in enumerate(titles, 1):
        articles = [
            Article(
                0,
                draw(st.lists(paragraphs(), min_size=1, max_size=3)),
                caption=draw(st.sampled_from(["", "", *CAPTIONS])),
            )
            for _ in range(draw(st.integers(0, 5)))
        ]
        chapters.append(Chapter(number, title, articles))
    if not any(c.articles for c in chapters):
        # A text without a single 第一条 is not a regulation the parser reads.
        chapters[draw(st.integers(0, count - 1))].articles.append(
            Article(0, [Paragraph(PLACEHOLDER)])
        )
    status = draw(st.sampled_from(["草案", "征求意见稿"]))
    draft = Draft(TITLE, "成华市", status, Statute(TITLE, chapters))
    draft.renumber()
    return draft


def _shape(draft: Draft) -> list:
    return [
        (c.title, [(a.caption, [(p.text, p.items) for p in a.paragraphs]) for a in c.articles])
        for c in draft.chapters
    ]


def _round_trip(draft: Draft, folder: Path) -> Draft:
    target = folder / "d.docx"
    export_draft(draft, target)
    return draft_from_import(read_draft_file(target))


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(drafts())
def test_exported_draft_reimports_to_the_same_structure(draft: Draft) -> None:
    with tempfile.TemporaryDirectory() as folder:
        back = _round_trip(draft, Path(folder))
    assert (back.title, back.status) == (draft.title, draft.status)
    assert _shape(back) == _shape(draft)


def test_issue_case_four_chapters_five_articles(tmp_path: Path) -> None:
    """The issue's 4章5条: empty first and last chapters, a short 款 in the middle."""
    draft = Draft.with_chapters(TITLE, "成华市", ["总则", "数据资源", "保障措施", "附则"])
    data, support = draft.chapters[1], draft.chapters[2]
    data.articles += [
        Article(0, [Paragraph("公共数据应当依法共享。"), Paragraph("其他")]),
        Article(0, [Paragraph("数据资源目录由市人民政府公布。")], caption="数据目录"),
    ]
    support.articles += [
        Article(0, [Paragraph("市人民政府应当：", ["统筹规划；", "组织实施。"])]),
        Article(0, [Paragraph("法律另有规定的从其规定")]),
        Article(0, [Paragraph(PLACEHOLDER)]),
    ]
    draft.renumber()
    back = _round_trip(draft, tmp_path)
    assert [c.title for c in back.chapters] == ["总则", "数据资源", "保障措施", "附则"]
    assert sum(1 for _ in back.articles()) == 5
    assert _shape(back) == _shape(draft)


def test_placeholder_keeps_its_full_width_spaces() -> None:
    parsed = parse_regulation_text(f"{TITLE}\n第一条　{PLACEHOLDER}\n")
    assert parsed.statute.article(1).paragraphs[0].text == PLACEHOLDER


def test_odd_spaces_still_become_plain_spaces() -> None:
    parsed = parse_regulation_text(f"{TITLE}\n第一条　甲\u00a0乙\u2002丙。\n")
    assert parsed.statute.article(1).paragraphs[0].text == "甲 乙 丙。"


@pytest.mark.parametrize("char", ["\x0b", "\x0c", "\u2028", "\x1c", "\x85"])
def test_stray_line_breaks_do_not_start_a_paragraph(char: str) -> None:
    parsed = parse_regulation_text(f"{TITLE}\n第一条　市人民政府{char}应当推进。\n第二条　乙。")
    assert [p.text for p in parsed.statute.article(1).paragraphs] == ["市人民政府应当推进。"]
    assert [p.text for p in paragraphs_from_text(f"甲{char}乙")] == [f"甲{char}乙"]


# -- damaged text adopted from a reference -------------------------------------------------


@pytest.fixture(scope="module")
def chengdu():
    from drafter.library import ReferenceLibrary

    return ReferenceLibrary().get("chengdu")


def _adopted(chengdu) -> tuple[Draft, Article]:
    source = chengdu.statute.article(6)
    assert source.damaged, "成都第六条第六款 holds a damaged span"
    draft = Draft.with_chapters(TITLE, "成华市", ["总则"])
    clause = Clause("chengdu", chengdu.city, 6, 6, source.paragraphs[5].text)
    adopt(draft, clause, "article", chapter_uid=draft.chapters[0].uid)
    return draft, draft.chapters[0].articles[0]


def test_adopted_damage_is_marked_checked_and_warned(chengdu) -> None:
    draft, article = _adopted(chengdu)
    assert len(article.damaged) == 1
    span = article.damaged[0]
    assert article.paragraphs[0].text[span.start : span.end] == span.text
    errors = [r for r in run_checks(draft) if r.code == "damaged_text"]
    assert [(r.severity, r.message) for r in errors] == [
        (ERROR, f"含损坏文字（来自{chengdu.city}第六条，请更正）")
    ]
    assert errors[0].span == (0, -1, span.start, span.end - span.start)
    assert any(p.kind == DAMAGED_KIND for p in export_problems(draft))


def test_damage_follows_edits_and_goes_when_replaced(chengdu) -> None:
    draft, article = _adopted(chengdu)
    span = article.damaged[0]
    text = article.paragraphs[0].text
    draft.set_text(article, (0, -1), "新增的开头，" + text)
    assert article.damaged[0].start == span.start + len("新增的开头，")
    draft.set_text(article, (0, -1), text.replace(span.text, "行业工作计划"))
    assert article.damaged == []
    assert not [r for r in run_checks(draft) if r.code == "damaged_text"]


def test_replacing_a_paragraph_carries_its_damage(chengdu) -> None:
    draft = Draft.with_chapters(TITLE, "成华市", ["总则"])
    draft.chapters[0].articles.append(Article(0, [Paragraph("甲。"), Paragraph("乙。")]))
    draft.renumber()
    target = draft.chapters[0].articles[0]
    source = chengdu.statute.article(6).paragraphs[5].text
    clause = Clause("chengdu", chengdu.city, 6, 6, source)
    adopt(draft, clause, "replace", article_uid=target.uid, paragraph=1)
    assert [(d.paragraph, d.item) for d in target.damaged] == [(2, 0)]


# -- suspicious characters -----------------------------------------------------------------


def _checked(text: str) -> list:
    draft = Draft.with_chapters(TITLE, "成华市", ["总则"])
    draft.chapters[0].articles.append(Article(0, [Paragraph(text)]))
    draft.renumber()
    return run_checks(draft)


@pytest.mark.parametrize(
    ("char", "code", "severity"),
    [
        ("\x07", "control_character", ERROR),
        ("\x0b", "control_character", ERROR),
        ("\x7f", "control_character", ERROR),
        ("\u202e", "bidi_control", ERROR),
        ("\u202a", "bidi_control", ERROR),
        ("\u2066", "bidi_control", ERROR),
        ("\u2069", "bidi_control", ERROR),
        ("\u200b", "zero_width", WARNING),
        ("\u200d", "zero_width", WARNING),
        ("\u2060", "zero_width", WARNING),
        ("\ufeff", "zero_width", WARNING),
        ("\ue000", "private_use", WARNING),
        ("😀", "emoji", WARNING),
        ("𠀀", "font_missing", INFO),
        ("堃", "font_missing", INFO),
    ],
)
def test_suspicious_character_is_flagged(char: str, code: str, severity: str) -> None:
    found = [r for r in _checked(f"市人民政府{char}应当推进数字经济发展。") if r.code == code]
    assert [(r.severity, r.paragraph, r.start) for r in found] == [(severity, 1, 5)]


def test_ordinary_text_has_no_character_findings() -> None:
    codes = {
        r.code for r in _checked(f"市人民政府应当在三十日内（含）推进“一网通办”。{PLACEHOLDER}")
    }
    assert not codes & {"control_character", "bidi_control", "zero_width", "font_missing"}


def test_export_warns_about_adopted_damage(chengdu, tmp_path: Path) -> None:
    draft, _ = _adopted(chengdu)
    result = export_draft(draft, tmp_path / "d.docx")
    assert any(w.startswith(DAMAGED_KIND) and "第一条第一款" in w for w in result.warnings)


def test_editor_marks_adopted_damage_in_red(chengdu, qtbot) -> None:
    pytest.importorskip("PySide6")
    from drafter.gui.article_editor import ArticleEditor
    from drafter.gui.paragraph_edit import DAMAGED
    from drafter.gui.session import DraftSession

    draft, article = _adopted(chengdu)
    editor = ArticleEditor()
    qtbot.addWidget(editor)
    editor.set_session(DraftSession(draft))
    editor.show_article(article.uid)
    span = article.damaged[0]
    box = editor.paragraph_edits[0]
    marks = [s for s in box.extraSelections() if s.format.background().color() == DAMAGED]
    assert [(m.cursor.selectionStart(), m.cursor.selectedText()) for m in marks] == [
        (span.start, span.text)
    ]
    box.highlight(0, 2)  # a find result comes and goes; the damage mark stays
    box.clear_highlight()
    assert len(box.extraSelections()) == 1
