"""The shortcuts that make a query faster must never change what it returns."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from drafter.library import ReferenceLibrary
from drafter.matching.corpus import library_records
from drafter.matching.highlight import shared_spans
from drafter.matching.index import TextStore
from drafter.matching.normalize import (
    Normalizer,
    _char_table,
    fold_chars,
    strip_boilerplate,
    strip_each,
    to_spans,
)
from drafter.matching.provenance import coverage_mask, runs_of
from drafter.matching.scoring import QueryFeatures, coverage, coverage_and_cosine


@pytest.fixture(scope="module")
def texts(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The paragraphs of the bundled references (read with a data folder of their own)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DRAFTER_DATA_DIR", str(tmp_path_factory.mktemp("data")))
        return [record.text for record in library_records(ReferenceLibrary())]


def test_fold_chars_is_the_character_table(texts):
    table = _char_table()
    # Traditional script, full-width forms, capitals, an ideographic space, a character
    # beyond the BMP that the table maps and one that it does not.
    unusual = ["", "A", "ＡＢＣ臺灣資料", "\u3000x", chr(0x20000) + "abc", "數據" + chr(0x1F600)]
    unusual += ["数据\ud800資料", "\udfff"]  # lone surrogates pass through
    mapped_astral = [chr(k) for k in table if k >= 0x10000][:3]
    for text in texts + unusual + mapped_astral:
        assert fold_chars(text) == text.translate(table)


def test_text_store_reads_a_run_as_it_reads_each_text(tmp_path: Path, texts):
    sample = [*texts[:60], "", "𠀀𠀁跨平面", "末"]
    TextStore.write(sample, tmp_path / "t")
    store = TextStore.load(tmp_path / "t")
    for start, end in [(0, 1), (0, 60), (10, 13), (59, 63), (61, 62), (5, 5)]:
        assert store.between(start, end) == [store[i] for i in range(start, end)]


def test_shared_spans_are_the_spans_of_the_coverage_masks(texts):
    normalizer = Normalizer(["苏州市"])
    sample = [*texts[:120], "", "，。", "苏州市人民政府2026年", "数据\n（一）数据"]
    queries = [texts[0][:14], texts[3][5:25], texts[7], "首席数据官", "数据" * 5, "a", "苏州市数据"]
    batch = normalizer.codes_with_offsets(sample)
    for query in queries:
        query_norm, query_offsets = normalizer.normalize_with_offsets(query)
        size = 2 if len(query_norm) <= 24 else 3
        found = shared_spans(normalizer.codes_with_offsets([query])[0], batch, size)
        for text, (query_spans, text_spans) in zip(sample, found, strict=True):
            norm, offsets = normalizer.normalize_with_offsets(text)
            assert query_spans == to_spans(
                query_offsets, runs_of(coverage_mask(query_norm, norm, size))
            )
            assert text_spans == to_spans(offsets, runs_of(coverage_mask(norm, query_norm, size)))
    assert shared_spans(normalizer.codes_with_offsets(["数据"])[0], [], 2) == []


def test_many_texts_normalised_at_once_are_each_normalised_alone(texts):
    normalizer, general = Normalizer(["苏州市"]), Normalizer(["苏州市"])
    general._words = None  # the one-match-per-run path, which normalises one by one
    unusual = ["", "12", "苏州市", "数据\n（一）", "ＡＢＣ 123 海口市", "数据\ud800共享", "\n\n"]
    sample = unusual + texts + unusual
    for batch in [sample[i : i + 10] for i in range(0, len(sample), 10)] + [unusual[:1], []]:
        for each in (normalizer, general):
            for text, codes in zip(batch, each.codes_with_offsets(batch), strict=True):
                norm, offsets = normalizer.normalize_with_offsets(text)
                assert codes.codes.tobytes().decode("utf-32-le", "surrogatepass") == norm
                assert list(zip(codes.starts.tolist(), codes.ends.tolist(), strict=True)) == offsets


def test_coverage_is_the_coverage_of_coverage_and_cosine(texts, tmp_path: Path):
    from drafter.matching.index import BigramIndex

    normalizer = Normalizer()
    norms = [normalizer.normalize(t) for t in texts]
    index = BigramIndex.build(norms, tmp_path / "index")
    for query in ["首席数据官", "公共数据开放", norms[10][:20], "无此词语"]:
        features = QueryFeatures.of(query, index, index)  # type: ignore[arg-type]
        expected, _ = coverage_and_cosine(features, norms[:200], index)
        assert np.allclose(coverage(features, norms[:200]), expected)


def test_stripping_many_texts_at_once_strips_each(texts):
    normalizer = Normalizer()
    norms = [normalizer.normalize(t) for t in texts]
    # Ends and starts that would make boilerplate if two texts ran together.
    norms += ["数据市", "人民政府应当", "", "部门", "有关"]
    assert strip_each(norms) == [strip_boilerplate(t) for t in norms]
    assert strip_each([]) == []


def test_the_largest_among_the_postings_read_are_the_largest_of_all():
    from drafter.matching.engine import largest_positive

    rng = np.random.default_rng(5)
    for size, touched, k in [(4000, 300, 40), (4000, 900, 40), (100_000, 5_000, 40), (500, 30, 40)]:
        values = np.zeros(size)
        positions = rng.integers(0, size, touched)  # with repeats, as postings are
        # Few distinct levels: many equal values, some at the cut.
        values[positions] = rng.integers(1, 6, touched) / 8.0
        reference = largest_positive(values, k)
        assert np.array_equal(largest_positive(values, k, among=positions), reference)
        top = np.sort(values[values > 0])[::-1][:k]
        assert np.allclose(np.sort(values[reference])[::-1], top)
        # Of equal values at the cut, the first positions.
        cut = top[-1]
        tied = np.flatnonzero(values == cut)
        assert set(reference[values[reference] == cut]) == set(
            tied[: np.sum(values[reference] == cut)]
        )


def test_every_paragraph_with_a_sum_was_touched(texts, tmp_path: Path):
    from drafter.matching.index import BigramIndex, bigram_keys

    normalizer = Normalizer()
    index = BigramIndex.build([normalizer.normalize(t) for t in texts], tmp_path / "index")
    ids = index.term_ids(np.unique(bigram_keys("公共数据资源目录")))
    ids = ids[ids >= 0]
    sums = index.accumulate(ids, index.idf[ids].astype(np.float64), budget=10**9)
    assert set(np.flatnonzero(sums.values > 0)) == set(sums.touched.tolist())


def test_offsets_without_a_match_per_dropped_run_are_the_same(texts):
    cities = ["苏州市", "南京市"]
    fast, general = Normalizer(cities), Normalizer(cities)
    general._words = None  # the one-match-per-run path
    assert fast._words is not None
    unusual = [
        "",
        "，。；",
        "区（市）县人民政府",
        "2026年1月1日起施行",
        "ＡＢＣ 123 海口市",
        "数据\n（一）",
        "数据\ud800共享",  # a lone surrogate
    ]
    for text in texts + unusual:
        assert fast.normalize_with_offsets(text) == general.normalize_with_offsets(text)
        assert fast.normalize_with_offsets(text)[0] == fast.normalize(text)
