"""The look-ahead classes that speed up normalising must never change a result."""

from __future__ import annotations

import random
import re

from drafter.library import ReferenceLibrary
from drafter.matching.corpus import library_records
from drafter.matching.normalize import (
    _BOILERPLATE,
    _DROP,
    _NUMBER,
    Normalizer,
    _trie_pattern,
    first_characters,
    fold_chars,
    strip_boilerplate,
)


def test_first_characters_of_patterns():
    assert first_characters("(?:市|区县)*(?:人民政府|政府)") == "人区市政"
    assert first_characters("a?b") == "ab"
    assert first_characters("[0-9]+") == "0123456789"
    # What it cannot tell, it does not guess: then no look-ahead is added.
    assert first_characters("a*") is None  # may match nothing
    assert first_characters(r"[^x]") is None and first_characters(r"\d") is None
    assert first_characters("(?=a)a") is None


def test_lookahead_patterns_give_the_same_text_on_every_reference(isolated_user_data):
    records = list(library_records(ReferenceLibrary()))
    cities = sorted({record.city for record in records})
    normalizer = Normalizer(cities)
    trie = _trie_pattern(normalizer.replacements)
    plain = re.compile(f"(?P<p>{trie})|(?P<n>{_NUMBER})|(?P<d>{_DROP})")
    assert "(?=[" in normalizer._pattern.pattern  # the fast one has its look-ahead
    for record in records:
        folded = fold_chars(record.text)
        fast = normalizer.normalize(record.text)
        assert fast == plain.sub(normalizer._replace, folded)
        assert strip_boilerplate(fast) == _BOILERPLATE.sub("", fast)
    texts = [record.text for record in records]
    assert normalizer.normalize_many(texts) == [normalizer.normalize(t) for t in texts]


def test_phrases_numbers_then_dropping_is_the_one_pattern_on_any_text():
    # The fast normalise matches phrases and numbers, then drops what is left over; the
    # one-pattern form decides at each position between the three. Strings over phrases'
    # pieces, digits, letters, punctuation and NULs are where the two could part.
    normalizer = Normalizer(["海口市", "成都市"])
    assert normalizer._words is not None
    pieces = ["海口", "市", "成都", "区（市）县", "区", "5", "5G", "g", "Wi-Fi", "wi", "-", "fi",
              "12", "３", "，", " ", "\n", "\0", "数据", "共享", "开放", "互联网+", "政务服务",
              "臺", "Ａ"]  # fmt: skip
    rng = random.Random(11)
    texts = []
    for _ in range(5_000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        expected = normalizer._pattern.sub(normalizer._replace, fold_chars(text))
        assert normalizer.normalize(text) == expected, text
        texts.append(text)
    assert normalizer.normalize_many(texts) == [normalizer.normalize(t) for t in texts]
    clean = [t for t in texts if "\0" not in t]
    assert normalizer.normalize_many(clean) == [normalizer.normalize(t) for t in clean]
    assert normalizer.normalize_many([]) == [] and normalizer.normalize_many([""]) == [""]


def test_literal_first_boilerplate_strips_as_the_pattern_on_any_text():
    # Every string over the boilerplate's own characters (and a few others) is where a
    # change of order between alternatives would show; 20,000 of them, up to 30 long.
    rng = random.Random(7)
    alphabet = "市区县乡镇街道和及人民政府有关相主管部门其他应当依法按照"
    alphabet += "根据本条例规定自然非组织公或者任何单位个数据"
    for _ in range(20_000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        assert strip_boilerplate(text) == _BOILERPLATE.sub("", text), text
    for text in ["市区人民政府及其有关部门应当", "县和乡镇政府", "其他有关主管部门", "有关规定"]:
        assert strip_boilerplate(text) == _BOILERPLATE.sub("", text) == ""
