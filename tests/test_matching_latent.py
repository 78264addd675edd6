"""The latent topic space (LSA of the library's bigrams) and the item-level rerank evidence."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from drafter.matching import latent
from drafter.matching.corpus import Corpus, ParagraphRecord
from drafter.matching.engine import SuggestionEngine
from drafter.matching.evaluation import query_text
from drafter.matching.index import bigram_keys
from drafter.matching.latent import LatentSpace

DATA = Path(__file__).parent / "data"


def _bigrams(text: str) -> set[int]:
    return {int(k) for k in bigram_keys(text) if k >= 0x10000}


@pytest.mark.parametrize(
    ("text", "related", "unrelated"),
    [
        ("智慧农业", "农产品加工", "网络安全"),
        ("医疗健康", "诊疗服务", "数据共享"),
        ("智慧旅游", "景区游客", "政务服务"),
    ],
)
def test_topic_space_relates_words_that_share_no_bigram(bundled_engine, text, related, unrelated):
    space = bundled_engine.corpus.latent
    assert space is not None
    norm = [bundled_engine.normalizer.normalize(t) for t in (text, related, unrelated)]
    assert not _bigrams(norm[0]) & _bigrams(norm[1])  # nothing a bigram index could see
    vectors = space.project(norm)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0)
    assert vectors[0] @ vectors[1] > 0.4
    assert vectors[0] @ vectors[2] < 0.1


def test_topic_space_is_deterministic_and_bounded(bundled_engine, tmp_path):
    corpus = bundled_engine.corpus
    rebuilt = LatentSpace.build(corpus.norm_texts, tmp_path / "again")
    assert rebuilt is not None
    assert np.array_equal(np.asarray(rebuilt.basis), np.asarray(corpus.latent.basis))
    assert rebuilt.dimensions == min(latent.DIMENSIONS, len(corpus) // 2)
    assert len(rebuilt.vocab) <= latent.VOCABULARY
    # A text with no known bigram projects to zero, not to NaN.
    assert not rebuilt.project(["鑫"]).any()


def test_randomised_svd_finds_the_leading_right_singular_vectors():
    rng = np.random.default_rng(3)
    dense = rng.standard_normal((300, 12)) @ rng.standard_normal((12, 200))  # rank 12
    dense[rng.random(dense.shape) < 0.5] = 0.0
    rows, cols = np.nonzero(dense)
    vals = dense[rows, cols].astype(np.float32)
    found = latent._top_right_singular_vectors(rows, cols, vals, 300, 200, 8)
    exact = np.linalg.svd(dense, full_matrices=False)[2][:8].T
    # Same subspace: the cosines of its principal angles are all ~1.
    cosines = np.linalg.svd(exact.T @ found, compute_uv=False)
    assert cosines.min() > 0.999


def test_a_small_library_has_no_topic_space_and_still_ranks(tmp_path):
    # One imported regulation alone (60 articles or so) is too small to learn topics from.
    filler = [
        f"第{n}项工作应当按照计划推进并接受监督检查{n}。" for n in range(latent.MIN_PARAGRAPHS - 3)
    ]
    texts = ["市人民政府应当加强数据安全管理。", "鼓励企业参与智慧城市建设。", *filler]
    records = [ParagraphRecord("a", "甲市", "总则", n, 1, t) for n, t in enumerate(texts, 1)]
    corpus = Corpus.build(lambda: iter(records), tmp_path / "corpus")
    assert corpus.latent is None
    engine = SuggestionEngine(corpus=corpus)
    query = "市人民政府应当加强本行政区域内的数据安全管理工作，建立健全数据安全制度和保障措施。"
    found = engine.suggest(query)
    assert found and found[0].article == 1
    assert 0 < found[0].score <= 100


def test_identical_clause_still_scores_near_100(bundled_engine, bundled_library):
    # The topic feature is divided out with the others: a copy keeps its near-100 score
    # (16-bit postings keep it just below 100, as before the feature).
    article = bundled_library.get("wuxi").statute.article(9)
    found = bundled_engine.suggest(article.paragraphs[0].full_text(), refs=["wuxi"], top=1)
    assert found[0].article == 9 and found[0].score >= 95.0


def test_a_clause_matching_one_item_of_a_long_list_finds_that_article(
    bundled_engine, bundled_library
):
    # 无锡 25 (digital finance: 移动支付, 交易, 登记托管) corresponds to item (六) of 海口 25,
    # a paragraph listing six industries; read whole, the list dilutes the finance item.
    gold = json.loads((DATA / "gold_holdout.json").read_text(encoding="utf-8"))
    pair = next(p for p in gold["pairs"] if p["q"] == ["wuxi", 25, None])
    assert pair["targets"] == {"haikou": [25]}
    query = query_text(bundled_library, pair["q"])
    found = bundled_engine.rank_articles(query, refs=["haikou"], top=3)
    assert found[0].article == 25
