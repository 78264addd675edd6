"""查找替换 in the core: every occurrence or the one shown, citations and sources kept right."""

from __future__ import annotations

import pytest

from drafter.draft import operations
from drafter.draft.adoption import Clause, adopt
from drafter.draft.changes import undo
from drafter.draft.document import Draft
from drafter.draft.find_replace import (
    CAPTION,
    TITLE,
    NothingToReplaceError,
    find_all,
    replace_text,
)
from drafter.library import ReferenceLibrary


def _draft() -> Draft:
    draft = Draft.with_chapters("某市数据条例", "某市", ["总则"])
    chapter = draft.chapters[0].uid
    operations.insert_article(draft, chapter, "为了促进数据资源开发利用，制定本条例。")
    operations.insert_article(
        draft, chapter, "市数据主管部门负责数据工作。\n数据处理者违反本条例第一条规定的，责令改正。"
    )
    operations.insert_article(draft, chapter, "数据工作包括：\n（一）数据汇聚；\n（二）数据共享。")
    return draft


def test_replace_every_occurrence_in_paragraphs_and_items_as_one_change():
    draft = _draft()
    assert len(find_all(draft, "数据")) == 7
    change = replace_text(draft, "数据", "公共数据")
    assert change.summary == "把7处“数据”替换为“公共数据”"
    texts = [a.text() for a in draft.articles()]
    assert texts[0] == "为了促进公共数据资源开发利用，制定本条例。"
    third = draft.article_by_number(3)
    assert third.paragraphs[0].items == ["公共数据汇聚；", "公共数据共享。"]
    assert sorted(change.modified) == sorted(a.uid for a in draft.articles())
    # The citation in 第二条, moved two characters on, is still bound to 第一条: an
    # article inserted before it renumbers the citation.
    second = draft.article_by_number(2)
    bound = [b for b in draft.refs[second.uid] if b.status == "bound"]
    assert [(b.target, b.paragraph) for b in bound] == [(draft.article_by_number(1).uid, 1)]
    renumbering = operations.insert_article(draft, draft.chapters[0].uid, "新的一条。", index=0)
    assert second.paragraphs[1].text == "公共数据处理者违反本条例第二条规定的，责令改正。"
    undo(draft, renumbering)
    undo(draft, change)
    assert [a.text() for a in draft.articles()] == [a.text() for a in _draft().articles()]


def test_replace_the_one_shown_and_refuse_one_that_moved():
    draft = _draft()
    hits = find_all(draft, "数据")
    second = hits[1]  # 第二条: 市数据主管部门
    change = replace_text(draft, "数据", "大数据", at=second)
    assert change.modified == [second.uid]
    assert draft.article_by_number(2).paragraphs[0].text == "市大数据主管部门负责数据工作。"
    assert draft.article_by_number(1).text() == "为了促进数据资源开发利用，制定本条例。"
    with pytest.raises(NothingToReplaceError, match="已不在原处"):
        replace_text(draft, "数据", "X", at=hits[2])  # its offset moved by two characters
    with pytest.raises(NothingToReplaceError, match="草案中没有“没有的字”"):
        replace_text(draft, "没有的字", "X")


def test_replacing_adopted_text_measures_its_source_again():
    library = ReferenceLibrary()
    draft = Draft.with_chapters("某市智慧城市促进条例", "某市", ["总则"])
    reference = library.get("haikou")
    source = reference.statute.article(3)
    change = adopt(
        draft,
        Clause("haikou", "海口市", source.number, 0, source.text()),
        mode="article",
        chapter_uid=draft.chapters[0].uid,
    )
    uid = change.inserted[0]
    before = draft.provenance[uid][0].similarity
    word = source.text()[2:6]
    replace_text(draft, word, "某某某某某某")
    assert draft.provenance[uid][0].similarity < before


def test_chapter_titles_and_captions_are_found_and_replaced_too():
    draft = Draft.with_chapters("某市智慧城市促进条例", "某市", ["总则", "智慧城市建设"])
    first, second = draft.chapters[0].uid, draft.chapters[1].uid
    operations.insert_article(draft, first, "为了促进智慧城市建设。", caption="目的")
    operations.insert_article(draft, second, "推进智慧城市建设。", caption="智慧城市规划")
    hits = find_all(draft, "智慧城市")
    assert [(h.paragraph, h.uid) for h in hits] == [
        (0, draft.article_by_number(1).uid),
        (TITLE, draft.chapters[1].uid),
        (CAPTION, draft.article_by_number(2).uid),
        (0, draft.article_by_number(2).uid),
    ]
    replace_text(draft, "智慧城市", "数字城市", at=hits[2])
    assert draft.article_by_number(2).caption == "数字城市规划"
    change = replace_text(draft, "智慧城市", "数字城市")
    assert draft.chapters[1].title == "数字城市建设"
    assert draft.article_by_number(2).text() == "推进数字城市建设。"
    assert not find_all(draft, "智慧城市")
    undo(draft, change)
    assert draft.chapters[1].title == "智慧城市建设"
    assert draft.article_by_number(2).caption == "数字城市规划"  # the earlier step stays
