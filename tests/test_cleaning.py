"""Each cleaning rule, proved on the real collected texts."""

from __future__ import annotations

import re

import pytest

from drafter.cleaning import clean_text
from drafter.cleaning.chinese_script import has_traditional, to_simplified
from drafter.cleaning.mojibake import REASON_LOST_ORDINAL, REASON_MOJIBAKE, find_damage
from drafter.cleaning.report import CleaningReport
from drafter.cleaning.taiwan_terms import TAIWAN_TO_MAINLAND, has_taiwan_signature
from drafter.cleaning.text_rules import remove_pinyin_annotations, to_full_width_punctuation
from tests.helpers import (
    BUNDLED_IDS,
    body_text_without_damage,
    parsed_reference,
    raw_reference_text,
)

PINYIN = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)")


@pytest.mark.parametrize("ref_id", BUNDLED_IDS)
def test_bodies_have_no_traditional_characters_or_pinyin(ref_id):
    result = parsed_reference(ref_id)
    body = body_text_without_damage(result)
    assert not [ch for ch in set(body) if has_traditional(ch)]
    assert not PINYIN.search(body)
    explanation = result.explanation
    for span in result.explanation_damaged:
        explanation = explanation.replace(span.text, "")
    assert not [ch for ch in set(explanation) if has_traditional(ch)]
    assert not PINYIN.search(explanation)


@pytest.mark.parametrize("ref_id", BUNDLED_IDS)
def test_no_half_width_punctuation_left_in_chinese_text(ref_id):
    body = body_text_without_damage(parsed_reference(ref_id))
    assert not re.search(r"[\u4e00-\u9fff][,;:()?!]|[,;:()?!][\u4e00-\u9fff]", body)


def test_chengdu_pinyin_removed_but_real_parentheses_kept():
    raw = raw_reference_text("chengdu")
    assert "法規(guī)" in raw and "現(xiàn)" in raw
    result = parsed_reference("chengdu")
    article5 = result.statute.article(5).text()
    assert "市和区（市）县人民政府" in article5
    assert result.report.count("pinyin") > 1000


def test_pinyin_rule_leaves_real_parentheses_alone():
    report = CleaningReport()
    text = "法規(guī)與區(市)、建設轉讓(BT)、(PPP)、(一)及現(xiàn)在"
    assert (
        remove_pinyin_annotations(text, report) == "法規與區(市)、建設轉讓(BT)、(PPP)、(一)及現在"
    )
    assert report.count("pinyin") == 2


def test_yingtan_latin_abbreviations_keep_full_width_parentheses():
    article = next(
        a for a in parsed_reference("yingtan").statute.articles() if "（BT）" in a.text()
    )
    assert "政府与社会资本合作（PPP）" in article.text()


def test_t2s_keeps_smart_city_vocabulary_in_yingtan():
    raw = raw_reference_text("yingtan")
    body = body_text_without_damage(parsed_reference("yingtan"))
    assert "智慧城市" in body and "智能城市" not in body
    # Character-level t2s: 建立 is never rewritten to 创建 as the phrase converters do.
    assert body.count("建立") == to_simplified(raw).count("建立") - _explanation_count("建立")


def _explanation_count(word: str) -> int:
    result = parsed_reference("yingtan")
    outside_body = to_simplified(raw_reference_text("yingtan")).count(word)
    return outside_body - body_text_without_damage(result).count(word)


def test_haikou_taiwan_vocabulary_restored_and_reported():
    result = parsed_reference("haikou")
    body = body_text_without_damage(result)
    assert "互联网" in body and "网际网路" not in body and "套用" not in body
    assert "人工智能" in body and "智能制造" in body and "知识产权" in body
    assert "政务信息资源共享目录" in result.statute.article(12).text()
    # Genuine 智慧 terms survive: only the converter's 智慧型 and 人工智慧 are undone.
    assert "智慧城市" in body and "智慧医疗" in body
    reported = {key for key in result.report.replaced if key.startswith("taiwan_term")}
    assert "taiwan_term: 网际网路 → 互联网" in reported
    assert "taiwan_term: 套用 → 应用" in reported
    assert "taiwan_term: 已分享资料夹 → 共享目录" in reported
    assert sum(result.report.replaced[key] for key in reported) >= 50


@pytest.mark.parametrize("ref_id", ["yingtan", "chengdu", "jining", "wuxi"])
def test_taiwan_map_is_not_applied_without_the_signature(ref_id):
    simplified = to_simplified(raw_reference_text(ref_id))
    assert not has_taiwan_signature(simplified)
    assert clean_text(raw_reference_text(ref_id)).taiwan_vocabulary is False


def test_taiwan_map_targets_are_mainland_terms():
    for taiwan, mainland in TAIWAN_TO_MAINLAND.items():
        assert taiwan != mainland and not has_traditional(mainland)


def test_mojibake_in_yingtan_explanation_is_flagged_verbatim():
    result = parsed_reference("yingtan")
    texts = [span.text for span in result.explanation_damaged]
    assert texts.count("?!稐l") == 4
    assert REASON_LOST_ORDINAL in {span.reason for span in result.explanation_damaged}
    paragraphs = result.explanation.split("\n")
    for span in result.explanation_damaged:
        assert paragraphs[span.paragraph - 1][span.start : span.end] == span.text


def test_mojibake_at_end_of_chengdu_article_6_is_flagged():
    article = parsed_reference("chengdu").statute.article(6)
    assert len(article.damaged) == 1
    span = article.damaged[0]
    assert span.reason == REASON_MOJIBAKE and span.paragraph == 6
    text = article.paragraphs[5].text
    assert text[span.start : span.end] == span.text == "?qū)m椥袆佑媱潯?/p>"
    assert text.startswith("市和区（市）县有关部门（单位）") and text.endswith(span.text)


def test_no_damage_found_in_clean_references():
    for ref_id in ("haikou", "jining", "wuxi"):
        assert find_damage(raw_reference_text(ref_id)) == []


def test_question_mark_in_latin_context_is_not_damage():
    assert find_damage("访问 http://example.com/a?id=3 查看") == []


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("鹰潭市,发展;如下:(一)", "鹰潭市，发展；如下：（一）"),
        ("时间:2022-12-07 13:44", "时间：2022-12-07 13:44"),
        ("推进IPv6升级,支持5G", "推进IPv6升级，支持5G"),
        ("建设转让(BT)、合作(PPP)", "建设转让（BT）、合作（PPP）"),
        ("f(x) = a,b", "f(x) = a,b"),
    ],
)
def test_punctuation_rule(line, expected):
    assert to_full_width_punctuation(line, CleaningReport()) == expected


def test_wuxi_keeps_ipv6_and_article_21_missing_space():
    statute = parsed_reference("wuxi").statute
    assert "IPv6" in statute.article(16).text()
    assert statute.article(21).paragraphs[0].text.startswith("市、县级市、区人民政府")


def test_jining_markdown_headings_and_comments_removed():
    result = parsed_reference("jining")
    assert "#" not in body_text_without_damage(result)
    assert all(not c.title.startswith("#") for c in result.statute.chapters)
    assert "INFO END" not in "".join(e["text"] for e in result.report.removed)


def test_ideographic_and_nbsp_spaces_normalised():
    cleaned = clean_text("第一章\u3000总\u3000\u3000则\n\u3000\u3000第一条\u00a0为了规范。\n")
    assert cleaned.lines[1] == "第一条 为了规范。"
