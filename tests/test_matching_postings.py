"""The postings' compact layout: one-byte log weights, and paragraph numbers as a low half
plus one block number per run, checked against sums computed from the texts themselves."""

from __future__ import annotations

from itertools import pairwise

import numpy as np
import pytest

from drafter.matching.index import (
    BLOCK_BITS,
    WEIGHT_LEVELS,
    BigramIndex,
    TextStore,
    bigram_keys,
    chunk_triples,
    quantise_weights,
)
from tests.helpers import parsed_reference


def test_weights_keep_their_order_and_come_back_within_a_step():
    weights = np.geomspace(1e-4, 1.0, 2000)
    levels = quantise_weights(weights)
    assert levels.dtype == np.uint8 and np.all(np.diff(levels.astype(int)) >= 0)
    back = WEIGHT_LEVELS[levels]
    assert np.max(np.abs(back / weights - 1.0)) < 0.022  # half a step of 2 ** (1 / 16)
    assert quantise_weights(np.array([0.0]))[0] == 0 and WEIGHT_LEVELS[0] == 0.0


def _paragraphs(count: int) -> list[str]:
    """Real reference paragraphs, repeated with a number so that each text differs."""
    texts = [
        paragraph.text
        for article in parsed_reference("chengdu").statute.articles()
        for paragraph in article.paragraphs
    ]
    return [f"{texts[i % len(texts)]}{i % 997}" for i in range(count)]


def test_paragraph_numbers_past_one_block_are_read_back_exactly(tmp_path):
    texts = _paragraphs((1 << BLOCK_BITS) + 9_000)  # two blocks, the second partly filled
    index = BigramIndex.build(iter(texts), tmp_path / "index")
    assert index.size == len(texts) and len(index.run_pos) > 0
    docs, keys, _ = chunk_triples(texts)
    for key in (ord("市"), (ord("数") << 16) + ord("据"), (ord("9") << 16) + ord("9")):
        term = int(index.term_ids(np.array([key]))[0])
        found, levels = index.postings(term)
        expected = np.unique(docs[keys == key])
        assert np.array_equal(found, expected), key
        assert found.max() >= 1 << BLOCK_BITS and len(levels) == len(found)


def test_accumulated_cosine_matches_the_exact_one(tmp_path):
    texts = _paragraphs((1 << BLOCK_BITS) + 500)
    index = BigramIndex.build(iter(texts), tmp_path / "index")
    keys = np.unique(bigram_keys("公共数据资源目录"))
    ids = index.term_ids(keys)
    ids = ids[ids >= 0]
    weights = index.idf[ids].astype(np.float64)
    got = index.accumulate(ids, weights, budget=10**9).values
    # The exact sum, from unquantised weights recomputed from the texts.
    docs, all_keys, tf = chunk_triples(texts)
    terms = index.term_ids(all_keys)
    raw = np.power(tf.astype(np.float64), 0.75) * index.idf[terms]
    norms = np.sqrt(np.bincount(docs, weights=raw * raw, minlength=len(texts)))
    wanted = np.isin(terms, ids)
    exact = np.bincount(
        docs[wanted],
        weights=raw[wanted] / norms[docs[wanted]] * index.idf[terms[wanted]],
        minlength=len(texts),
    )
    assert np.allclose(got, exact, rtol=0.025, atol=1e-6)
    # The texts repeat, so many tie: the top 20 by the stored weights must be as good
    # as the exact top 20, within the quantisation.
    twentieth = np.sort(exact)[-20]
    assert np.all(exact[np.argsort(-got)[:20]] >= twentieth * 0.95)


def test_text_store_round_trips_every_plane(tmp_path):
    texts = ["第一条 为了规范公共数据管理", "", "𠀀𪚥 (扩展B区)", "line\nbreak"]
    TextStore.write(iter(texts), tmp_path / "t")
    store = TextStore.load(tmp_path / "t")
    assert [store[i] for i in range(len(store))] == texts
    assert list(TextStore.stream(tmp_path / "t")) == texts


def test_largest_positive_is_the_exact_top_k():
    from drafter.matching.engine import largest_positive

    rng = np.random.default_rng(3)
    for size, positives, k in (
        (1_000_000, 300_000, 40),
        (50_000, 100, 40),
        (500, 3, 40),
        (10, 0, 4),
    ):
        values = np.zeros(size)
        values[rng.choice(size, positives, replace=False)] = rng.random(positives)
        found = largest_positive(values, k)
        expected = np.sort(values[values > 0])[::-1][:k]
        assert np.array_equal(np.sort(values[found])[::-1], expected), (size, positives)


def test_packed_texts_read_back_in_any_order_and_streamed(tmp_path):
    from drafter.matching.packed_text import BLOCK, PackedTextStore

    texts = [*_paragraphs(BLOCK * 5 + 3), "", "𠀀𪚥 (扩展B区)", "line\nbreak"]
    PackedTextStore.write(iter(texts), tmp_path / "t")
    store = PackedTextStore.load(tmp_path / "t")
    assert len(store) == len(texts)
    order = list(range(len(texts)))[::-7] + list(range(len(texts)))
    assert all(store[i] == texts[i] for i in order)
    assert list(PackedTextStore.stream(tmp_path / "t")) == texts
    plain = sum(len(t.encode("utf-16-le")) for t in texts)
    assert (tmp_path / "t.deflate.npy").stat().st_size < 0.8 * plain


def test_texts_packed_apart_append_to_a_store(tmp_path):
    # An index build packs each chunk in a worker; the store reads as if written text by
    # text, and blocks arriving after a short block are added text by text.
    from drafter.matching.packed_text import BLOCK, PackedTextStore, PackedTextWriter, pack_blocks

    texts = [*_paragraphs(BLOCK * 7 + 3), "", "", "line\nbreak"]
    cuts = [0, BLOCK * 2, BLOCK * 4 + 5, BLOCK * 6 + 1, len(texts)]
    with PackedTextWriter(tmp_path / "t") as writer:
        for start, end in pairwise(cuts):
            writer.add_blocks(pack_blocks(texts[start:end]))
    store = PackedTextStore.load(tmp_path / "t")
    assert [store[i] for i in range(len(texts))] == texts
    assert list(PackedTextStore.stream(tmp_path / "t")) == texts
    PackedTextStore.write(iter(texts), tmp_path / "whole")
    for suffix in (".deflate.npy", ".blocks.npy", ".offsets.npy"):
        aligned = tmp_path / f"aligned{suffix}"
        if not aligned.exists():
            with PackedTextWriter(tmp_path / "aligned") as writer:
                writer.add_blocks(pack_blocks(texts[: BLOCK * 3]))
                writer.add_blocks(pack_blocks(texts[BLOCK * 3 :]))
        # Whole blocks packed apart are the very bytes of the store written in one go.
        assert aligned.read_bytes() == (tmp_path / f"whole{suffix}").read_bytes()


def test_texts_packed_one_zlib_stream_a_block_still_read(tmp_path):
    # Indexes built before the blocks became one flushed stream hold one zlib stream a
    # block in `.packed.npy`; they must read as before, not fail and force a rebuild.
    import zlib

    from drafter.matching.packed_text import BLOCK, PackedTextStore

    texts = [*_paragraphs(BLOCK * 3 + 5), "", "line\nbreak"]
    PackedTextStore.write(iter(texts), tmp_path / "t")
    new = PackedTextStore.load(tmp_path / "t")
    blocks = [new._block(b) for b in range(len(new.blocks) - 1)]
    packed = [zlib.compress(block, 1) for block in blocks]
    np.save(tmp_path / "t.packed.npy", np.frombuffer(b"".join(packed), dtype=np.uint8))
    np.save(tmp_path / "t.blocks.npy", np.cumsum([0] + [len(p) for p in packed]))
    (tmp_path / "t.deflate.npy").unlink()
    old = PackedTextStore.load(tmp_path / "t")
    assert [old[i] for i in range(len(texts))][::-1] == texts[::-1]
    assert list(PackedTextStore.stream(tmp_path / "t")) == texts
    PackedTextStore.write(iter([]), tmp_path / "empty")
    assert len(PackedTextStore.load(tmp_path / "empty")) == 0


def test_a_truncated_packed_store_is_refused_at_open(tmp_path):
    from drafter.matching.packed_text import PackedTextStore

    PackedTextStore.write(iter(_paragraphs(100)), tmp_path / "t")
    blocks = np.load(tmp_path / "t.blocks.npy")
    np.save(tmp_path / "t.blocks.npy", blocks[:-1])
    with pytest.raises(ValueError):
        PackedTextStore.load(tmp_path / "t")
    np.save(tmp_path / "t.blocks.npy", np.append(blocks[:-1], blocks[-1] + 5))
    with pytest.raises(ValueError):
        PackedTextStore.load(tmp_path / "t")


def test_chunk_and_range_sizes_do_not_change_the_index(tmp_path, monkeypatch):
    """The external sort places each range of terms from every chunk's run: any cut of the
    paragraphs into chunks and of the terms into ranges gives the same bytes."""
    from drafter.matching import postings_build

    texts = _paragraphs((1 << BLOCK_BITS) + 3_000)
    whole = BigramIndex.build(iter(texts), tmp_path / "whole")
    monkeypatch.setattr(postings_build, "CHUNK", 7_001)
    monkeypatch.setattr(postings_build, "_POSTINGS_PER_RANGE", 50_000)
    monkeypatch.setattr(postings_build, "_MERGE_GROUP", 3)
    cut = BigramIndex.build(iter(texts), tmp_path / "cut")
    for name in ("vocab", "idf", "term_ptr", "post_lo", "post_w", "run_pos", "run_block"):
        assert np.array_equal(getattr(whole, name), getattr(cut, name)), name
    assert len(cut.run_pos) > len(cut.vocab) // 2  # most terms have a run in each block
