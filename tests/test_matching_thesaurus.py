"""The field thesaurus: groups map to one stable form, legally different words stay apart."""

from __future__ import annotations

import pytest

from drafter.matching import thesaurus
from drafter.matching.corpus import cache_key
from drafter.matching.normalize import Normalizer
from drafter.matching.thesaurus import GROUPS, SYNONYMS


@pytest.fixture(scope="module")
def normalizer() -> Normalizer:
    return Normalizer()


def test_every_variant_becomes_its_canonical_form_and_canonical_forms_are_stable(normalizer):
    # Replacement is not re-scanned: a variant inside another canonical form would break it.
    for canonical, variants in GROUPS:
        norm = normalizer.normalize(canonical)
        assert norm == canonical.lower(), canonical
        for variant in variants:
            assert normalizer.normalize(variant) == norm, (variant, canonical)


def test_groups_are_disjoint_and_mapping_is_derived_from_them():
    variants = [v for _, vs in GROUPS for v in vs]
    assert len(variants) == len(set(variants)) == len(SYNONYMS)
    canonicals = {c for c, _ in GROUPS}
    assert not canonicals & set(variants)


@pytest.mark.parametrize(
    ("text", "variant"),
    [
        ("提高办事效率", "网上办事"),  # 办事 alone is no channel
        ("推进政务服务一网统管", "一网通办"),  # 一网统管 (city operations) ≠ 一网通办
        ("政府信息公开", "政务信息"),
    ],
)
def test_near_misses_are_left_alone(normalizer, text, variant):
    assert normalizer.normalize(text) == text, variant


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("应当", "可以"),
        ("公共数据", "政务数据"),
        ("数据开放", "数据开发利用"),
        ("数据共享", "数据交换"),
        ("个人信息", "个人隐私"),
        ("罚款", "处分"),
        ("政务处分", "处分"),
        ("专家咨询", "专家论证"),
        ("考核", "评估"),
        ("标准", "规范"),
        ("无障碍", "适老化"),
        ("数字产业化", "产业数字化"),
        ("一网通办", "一网统管"),
        ("电子印章", "电子签名"),
    ],
)
def test_words_of_different_legal_meaning_stay_apart(normalizer, first, second):
    assert normalizer.normalize(first) != normalizer.normalize(second)


@pytest.mark.parametrize(
    "text",
    ["员工信息", "开发改造", "提供资金等保障", "参考评价结果", "存在线索"],
)
def test_abbreviations_do_not_fire_across_word_boundaries(normalizer, text):
    assert normalizer.normalize(text) == text


def test_field_synonyms_meet(normalizer):
    pairs = [
        ("设立专家咨询委员会", "设立专家委员会"),
        ("发挥专家咨询作用", "发挥专家智库作用"),
        ("市民热线", "百姓热线"),
        ("整合政务信息资源", "整合政务数据资源"),
        ("推行网上办理", "推行在线办理"),
        ("所需经费纳入财政预算", "所需资金列入财政预算"),
        ("行政服务中心", "政务服务大厅"),
        ("免费无线网络", "免费WiFi"),
    ]
    for first, second in pairs:
        assert normalizer.normalize(first) == normalizer.normalize(second), (first, second)


def test_index_key_changes_with_the_thesaurus(monkeypatch):
    # The persisted index is keyed on the normaliser's signature, so a new thesaurus
    # entry rebuilds old indexes instead of reusing text normalised without it.
    before = cache_key("library", Normalizer().signature())
    monkeypatch.setitem(thesaurus.SYNONYMS, "测试变体", "测试规范形式")
    assert cache_key("library", Normalizer().signature()) != before
