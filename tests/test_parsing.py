"""Structure of the five references: chapters, articles, 款, 项, explanations and junk."""

from __future__ import annotations

import pytest

from drafter.library.library import load_manifest
from drafter.parsing import parse_regulation_text
from drafter.parsing.parser import ParseError
from tests.helpers import BUNDLED_IDS, parsed_reference

EXPECTED = {
    "yingtan": (8, 48),
    "haikou": (6, 42),
    "chengdu": (7, 36),
    "jining": (10, 74),
    "wuxi": (7, 52),
}


@pytest.mark.parametrize("ref_id", BUNDLED_IDS)
def test_chapter_and_article_counts(ref_id):
    statute = parsed_reference(ref_id).statute
    chapters, articles = EXPECTED[ref_id]
    assert len(statute.chapters) == chapters
    assert statute.article_count == articles
    entry = next(e for e in load_manifest() if e["id"] == ref_id)
    assert (entry["chapters"], entry["articles"]) == (chapters, articles)


@pytest.mark.parametrize("ref_id", BUNDLED_IDS)
def test_numbering_is_contiguous(ref_id):
    statute = parsed_reference(ref_id).statute
    assert [a.number for a in statute.articles()] == list(range(1, statute.article_count + 1))
    assert [c.number for c in statute.chapters] == list(range(1, len(statute.chapters) + 1))
    assert all(chapter.articles for chapter in statute.chapters)
    assert all(article.paragraphs for article in statute.articles())


def test_jining_inferred_headings():
    statute = parsed_reference("jining").statute
    entry = next(e for e in load_manifest() if e["id"] == "jining")
    assert [c.title for c in statute.chapters] == entry["chapter_titles"]
    inferred = {c.number: c.title for c in statute.chapters if c.inferred}
    assert inferred == {1: "总则", 2: "发展规划", 5: "信息惠民", 7: "产业发展", 8: "保障和促进措施"}
    assert statute.chapters[1].articles[0].number == 7


@pytest.mark.parametrize("ref_id", ["chengdu", "wuxi"])
def test_table_of_contents_does_not_duplicate_chapters(ref_id):
    result = parsed_reference(ref_id)
    titles = [c.title for c in result.statute.chapters]
    assert len(titles) == len(set(titles))
    toc = [e for e in result.report.removed if e["reason"] == "目录"]
    # Every chapter line of the 目录 is reported (Chengdu also has its "目 录" line).
    assert len([e for e in toc if e["text"].startswith("第")]) == len(titles)


def test_chapter_titles_lose_padding():
    assert parsed_reference("wuxi").statute.chapters[0].title == "总则"
    assert parsed_reference("haikou").statute.chapters[-1].title == "附则"


def test_chengdu_captions():
    statute = parsed_reference("chengdu").statute
    assert statute.article(1).caption == "目的依据"
    assert statute.article(36).caption == "施行日期"
    assert statute.article(1).paragraphs[0].text.startswith("为了促进智慧蓉城建设")
    assert all(article.caption for article in statute.articles())


def test_haikou_items():
    article = parsed_reference("haikou").statute.article(25)
    assert len(article.paragraphs) == 1
    paragraph = article.paragraphs[0]
    assert paragraph.text.endswith("产业数字化发展：")
    assert len(paragraph.items) == 6
    assert paragraph.items[0].startswith("推进工业互联网平台建设")
    assert paragraph.items[-1].endswith("金融领域服务模式创新。")


def test_haikou_article_37_word_for_word():
    article = parsed_reference("haikou").statute.article(37)
    assert [p.text for p in article.paragraphs] == [
        "市、区人民政府应当建立网络安全管理制度和安全责任制度，完善网络安全应急管理体系，"
        "提高信息系统安全防御能力和网络安全突发事件处置能力。",
        "信息系统建设应当依法落实安全保护技术措施和信息安全等级保护制度。",
    ]


def test_paragraph_counts():
    assert len(parsed_reference("yingtan").statute.article(8).paragraphs) == 3
    assert len(parsed_reference("wuxi").statute.article(34).paragraphs) == 4
    assert len(parsed_reference("chengdu").statute.article(15).paragraphs) == 9


@pytest.mark.parametrize(
    ("ref_id", "title_part", "first_words"),
    [
        ("yingtan", "起草说明", "一、制定《条例》的必要性"),
        ("chengdu", "起草说明", "为规范和促进智慧蓉城建设"),
        ("wuxi", "的说明", "一、制定《条例（草案）》的必要性"),
    ],
)
def test_explanations_split_out(ref_id, title_part, first_words):
    result = parsed_reference(ref_id)
    assert title_part in result.explanation_title
    assert result.explanation.startswith(first_words)
    body = "\n".join(a.text() for a in result.statute.articles())
    assert "必要性" not in body and "起草过程" not in body


def test_wuxi_explanation_comes_before_the_text_and_stays_out_of_it():
    result = parsed_reference("wuxi")
    assert result.explanation.rstrip().endswith("都有具体的无锡实践作支撑。")
    assert result.statute.article(1).paragraphs[0].text.startswith("为了促进本市数字化转型")
    assert result.statute.article(52).text() == "本条例自2023年 月 日起施行。"


def test_yingtan_explanation_ends_before_the_comment_board():
    result = parsed_reference("yingtan")
    assert result.explanation.endswith("以上说明连同《条例》，一并征求意见。")
    assert result.statute.article(48).text() == "本条例自   日起试实施，时间期限为XX月。"


@pytest.mark.parametrize("ref_id", ["haikou", "jining"])
def test_references_without_explanation(ref_id):
    assert parsed_reference(ref_id).explanation == ""


@pytest.mark.parametrize(
    ("ref_id", "junk"),
    [
        ("yingtan", "足球指数比分"),
        ("yingtan", "电话：6430289"),
        ("yingtan", "点击发表意见"),
        ("wuxi", "本篇文章共有1页"),
        ("wuxi", "关闭窗口"),
        ("wuxi", "wxrdfgw339@126.com"),
        ("chengdu", "chengdusfj@163.com"),
        ("haikou", "中文名：海口市智慧城市促进条例"),
    ],
)
def test_junk_removed_and_reported(ref_id, junk):
    result = parsed_reference(ref_id)
    removed = "\n".join(entry["text"] for entry in result.report.removed)
    assert junk in removed
    kept = "\n".join(a.text() for a in result.statute.articles()) + result.explanation
    assert junk not in kept


@pytest.mark.parametrize(
    ("ref_id", "title", "status"),
    [
        ("yingtan", "鹰潭智慧城市促进条例", "征求意见稿"),
        ("chengdu", "成都市智慧蓉城促进条例", "草案"),
        ("jining", "济宁市智慧城市促进条例", ""),
        ("wuxi", "无锡市数字化转型促进条例", "草案"),
        ("haikou", "海口市智慧城市促进条例", ""),
    ],
)
def test_titles_and_status_read_from_text(ref_id, title, status):
    result = parsed_reference(ref_id)
    assert (result.title, result.status) == (title, status)


def test_adoption_notes():
    assert "第四十六次会议通过" in parsed_reference("jining").statute.note
    assert "第三十一次会议批准" in parsed_reference("haikou").statute.note


def test_statute_without_chapters():
    result = parse_regulation_text(
        "某市某某办法\n第一条 为了规范。\n第二条 本办法自公布之日起施行。\n"
    )
    assert result.title == "某市某某办法"
    assert len(result.statute.chapters) == 1
    assert result.statute.chapters[0].number == 0
    assert result.statute.article_count == 2


def test_text_without_articles_is_refused():
    with pytest.raises(ParseError, match="第一条"):
        parse_regulation_text("足球指数比分\n关闭窗口\n这不是法规。")


def test_article_chain_ignores_out_of_sequence_mentions():
    text = "第一条 总则。\n第二条 另一条。\n第五条 所称事项另行规定。\n第三条 第三条文本。"
    statute = parse_regulation_text(text).statute
    assert statute.article_count == 3
    assert statute.article(2).paragraphs[1].text == "第五条 所称事项另行规定。"


def test_statute_sentences_mentioning_junk_words_are_kept():
    text = (
        "某市体育条例\n第一条 为了规范体育彩票和足球运动，制定本条例。\n"
        "第二条 举报电话：12345，应当向社会公布。\n第三条 本条例自公布之日起施行。\n足球指数比分\n"
    )
    result = parse_regulation_text(text)
    assert result.statute.article(1).text() == "为了规范体育彩票和足球运动，制定本条例。"
    assert result.statute.article(2).text() == "举报电话：12345，应当向社会公布。"
    assert "足球指数比分" in [entry["text"] for entry in result.report.removed]
