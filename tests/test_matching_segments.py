"""The suggestion index as segments: imports add a delta, removals leave tombstones, and
damage or drift leads to a full build — each checked through the real library and engine."""

from __future__ import annotations

import json

import numpy as np
import pytest

from drafter.library import ReferenceLibrary
from drafter.matching import segments
from drafter.matching.engine import SuggestionEngine
from drafter.matching.library_index import INDEX_DIR_NAME, update_library_index
from drafter.matching.segments import MANIFEST, SegmentedCorpus

# A regulation whose third article says something no bundled reference says.
SUZHOU = """苏州市算力网络促进条例

第一章 总则

第一条 为了促进算力网络发展，根据有关法律、法规，结合本市实际，制定本条例。

第二条 本市行政区域内算力网络的规划、建设、运营和应用，适用本条例。

第二章 算力调度

第三条 市人民政府应当建设量子加密算力调度枢纽，推动太湖沿岸超算中心与边缘节点协同调度。

第四条 算力网络运营单位应当建立能耗监测制度，定期公开绿色算力指标。

第三章 附则

第五条 本条例自2027年1月1日起施行。
"""
UNIQUE_QUERY = "量子加密算力调度枢纽 超算中心与边缘节点协同调度"


def _import(tmp_path, name: str = "suzhou", text: str = SUZHOU, **kwargs) -> str:
    source = tmp_path / f"{name}.txt"
    source.write_text(text, encoding="utf-8")
    return ReferenceLibrary().import_file(source, **kwargs).id


def _root(data_dir):
    return data_dir / INDEX_DIR_NAME


def _manifest(data_dir) -> dict:
    return json.loads((_root(data_dir) / MANIFEST).read_text(encoding="utf-8"))


def test_an_import_adds_a_delta_and_is_found(tmp_path, isolated_user_data):
    corpus, update = update_library_index(ReferenceLibrary())
    assert update.kind == "full"
    main_name = _manifest(isolated_user_data)["main"]["name"]
    stamp = (_root(isolated_user_data) / main_name / "corpus.json").stat().st_mtime_ns

    ref = _import(tmp_path)
    corpus, update = update_library_index(ReferenceLibrary())
    assert (update.kind, update.added, update.removed) == ("delta", [ref], [])
    assert isinstance(corpus, SegmentedCorpus)
    manifest = _manifest(isolated_user_data)
    assert manifest["main"]["name"] == main_name  # the main segment was not rewritten
    assert (_root(isolated_user_data) / main_name / "corpus.json").stat().st_mtime_ns == stamp
    assert [list(d["refs"]) for d in manifest["deltas"]] == [[ref]]

    engine = SuggestionEngine(corpus=corpus)
    assert ref in engine.ref_ids()
    best = engine.suggest(UNIQUE_QUERY, top=3)[0]
    assert (best.ref, best.article, best.city) == (ref, 3, "苏州市")
    assert "量子加密算力调度枢纽" in best.text
    # Filters see the new reference and its chapters.
    assert engine.suggest(UNIQUE_QUERY, refs=[ref])[0].article == 3
    assert engine.suggest(UNIQUE_QUERY, chapters=["算力调度"])[0].ref == ref

    # Opening again changes nothing.
    _, update = update_library_index(ReferenceLibrary())
    assert update.kind == "none"


def test_a_delta_ranks_like_a_full_build(tmp_path, isolated_user_data):
    update_library_index(ReferenceLibrary())
    _import(tmp_path)
    segmented, _ = update_library_index(ReferenceLibrary())
    queries = [UNIQUE_QUERY, "首席数据官制度", "公共数据开放", "算力网络运营单位能耗监测"]
    with_delta = SuggestionEngine(corpus=segmented)

    # The same library indexed from scratch (a process that had the old index open keeps
    # reading its mapped files).
    _root(isolated_user_data).rename(tmp_path / "old-index")
    whole, update = update_library_index(ReferenceLibrary())
    assert update.kind == "full" and not isinstance(whole, SegmentedCorpus)
    full = SuggestionEngine(corpus=whole)
    for query in queries:
        ours = [(s.ref, s.article, s.paragraph) for s in with_delta.suggest(query, top=5)]
        theirs = [(s.ref, s.article, s.paragraph) for s in full.suggest(query, top=5)]
        assert ours[0] == theirs[0], query
        assert len(set(ours) & set(theirs)) >= 4, query


def test_removal_is_a_tombstone_and_a_reimport_replaces_it(tmp_path, isolated_user_data):
    update_library_index(ReferenceLibrary())
    ref = _import(tmp_path)
    update_library_index(ReferenceLibrary())

    ReferenceLibrary().remove(ref)
    corpus, update = update_library_index(ReferenceLibrary())
    assert (update.kind, update.added, update.removed) == ("delta", [], [ref])
    assert _manifest(isolated_user_data)["deltas"][0]["dead"] == [ref]
    engine = SuggestionEngine(corpus=corpus)
    assert ref not in engine.ref_ids()
    assert all(s.ref != ref for s in engine.suggest(UNIQUE_QUERY, top=20))

    changed = SUZHOU.replace("太湖沿岸", "阳澄湖畔")
    again = _import(tmp_path, text=changed, ref_id=ref)
    corpus, update = update_library_index(ReferenceLibrary())
    assert update.added == [again] and update.kind == "delta"
    engine = SuggestionEngine(corpus=corpus)
    found = [s for s in engine.suggest(UNIQUE_QUERY, top=10) if s.ref == ref]
    assert len(found) == 1 and "阳澄湖畔" in found[0].text  # the old text is hidden


def test_a_correction_replaces_only_that_reference(tmp_path, isolated_user_data):
    update_library_index(ReferenceLibrary())
    library = ReferenceLibrary()
    original = library.get("wuxi").statute.article(44).paragraphs[0].text
    library.correct("wuxi", article=44, paragraph=1, original=original[:4], corrected="【更正】")
    corpus, update = update_library_index(ReferenceLibrary())
    assert (update.kind, update.added, update.removed) == ("delta", ["wuxi"], ["wuxi"])
    engine = SuggestionEngine(corpus=corpus)
    texts = [s.text for s in engine.suggest("首席数据官制度", top=10, refs=["wuxi"])]
    assert any(t.startswith("【更正】") for t in texts)
    assert not any(t == original for t in texts)


def test_many_deltas_are_merged_into_one(tmp_path, isolated_user_data, monkeypatch):
    monkeypatch.setattr(segments, "MAX_DELTAS", 2)
    monkeypatch.setattr(segments, "REBUILD_DELTA_SHARE", 10.0)
    update_library_index(ReferenceLibrary())
    main_name = _manifest(isolated_user_data)["main"]["name"]
    refs = []
    for number in range(3):
        refs.append(_import(tmp_path, name=f"s{number}", ref_id=f"su{number}"))
        corpus, update = update_library_index(ReferenceLibrary())
    assert update.kind == "merge"
    manifest = _manifest(isolated_user_data)
    assert manifest["main"]["name"] == main_name
    assert [sorted(d["refs"]) for d in manifest["deltas"]] == [sorted(refs)]
    folders = {p.name for p in _root(isolated_user_data).iterdir() if p.name.startswith("seg-")}
    assert len(folders) >= 2  # the merged-away deltas go once no process can want them
    engine = SuggestionEngine(corpus=corpus)
    assert {s.ref for s in engine.suggest(UNIQUE_QUERY, top=10)} >= set(refs)


def test_deltas_past_their_share_lead_to_a_full_build(tmp_path, isolated_user_data, monkeypatch):
    monkeypatch.setattr(segments, "REBUILD_DELTA_SHARE", 0.0001)
    update_library_index(ReferenceLibrary())
    first_main = _manifest(isolated_user_data)["main"]["name"]
    ref = _import(tmp_path)
    corpus, update = update_library_index(ReferenceLibrary())
    assert update.kind == "full"
    manifest = _manifest(isolated_user_data)
    assert manifest["main"]["name"] != first_main and manifest["deltas"] == []
    assert ref in manifest["main"]["refs"]
    assert not (_root(isolated_user_data) / first_main).exists()
    assert ref in SuggestionEngine(corpus=corpus).ref_ids()


@pytest.mark.parametrize("damage", ["manifest", "postings", "delta", "missing"])
def test_a_damaged_index_is_rebuilt(tmp_path, isolated_user_data, damage):
    update_library_index(ReferenceLibrary())
    ref = _import(tmp_path)
    update_library_index(ReferenceLibrary())
    root = _root(isolated_user_data)
    manifest = _manifest(isolated_user_data)
    if damage == "manifest":
        (root / MANIFEST).write_text('{"format": 1, "key": ', encoding="utf-8")
    elif damage == "postings":
        postings = root / manifest["main"]["name"] / "index" / "post_lo.npy"
        postings.write_bytes(postings.read_bytes()[: postings.stat().st_size // 2])
    elif damage == "delta":
        delta = root / manifest["deltas"][0]["name"] / "index" / "term_ptr.npy"
        np.save(delta, np.zeros(3, dtype=np.int64))
    else:
        import shutil

        shutil.rmtree(root / manifest["deltas"][0]["name"])
    corpus, update = update_library_index(ReferenceLibrary())
    assert update.kind == "full"
    best = SuggestionEngine(corpus=corpus).suggest(UNIQUE_QUERY, top=1)[0]
    assert best.ref == ref


def test_a_new_city_does_not_rebuild(tmp_path, isolated_user_data):
    """The library's city names fold in the delta and in queries; the main segment stays."""
    update_library_index(ReferenceLibrary())
    main_name = _manifest(isolated_user_data)["main"]["name"]
    text = SUZHOU.replace("苏州市", "昆玉市").replace("本市", "昆玉市")
    ref = _import(tmp_path, name="kunyu", text=text, city="昆玉市")
    corpus, update = update_library_index(ReferenceLibrary())
    assert update.kind == "delta"
    assert _manifest(isolated_user_data)["main"]["name"] == main_name
    assert "昆玉市" in corpus.cities
    assert corpus.normalizer.normalize("昆玉市人民政府") == corpus.normalizer.normalize(
        "无锡市人民政府"
    )
    assert SuggestionEngine(corpus=corpus).suggest(UNIQUE_QUERY, top=1)[0].ref == ref


def test_every_segment_reads_the_same_query_terms(tmp_path, isolated_user_data, monkeypatch):
    """A delta's copy of a paragraph scores as the original does, even when the budget
    leaves most of the query unread (a delta reading more terms would outrank the library)."""
    from drafter.matching import engine as engine_module
    from drafter.matching.corpus import library_records
    from drafter.matching.scoring import QueryFeatures

    update_library_index(ReferenceLibrary())
    original = next(r for r in library_records(ReferenceLibrary()) if len(r.text) > 60)
    copy = SUZHOU.replace(
        "第四条 算力网络运营单位应当建立能耗监测制度，定期公开绿色算力指标。",
        "第四条 " + original.text,
    )
    ref = _import(tmp_path, text=copy)
    corpus, _ = update_library_index(ReferenceLibrary())
    assert isinstance(corpus, SegmentedCorpus)
    engine = SuggestionEngine(corpus=corpus)
    features = QueryFeatures.of(
        engine.normalizer.normalize(original.text), engine.index, corpus.full_terms
    )
    monkeypatch.setattr(engine_module, "POSTINGS_BUDGET", 1)  # the four heaviest terms
    assert len(features.known_ids) > 8
    cosine = engine.cosines(features).values
    refs = [corpus.refs[int(i)] for i in corpus.ref_of]
    at = {
        (refs[p], int(corpus.article_of[p])): cosine[p]
        for p in range(len(corpus))
        if corpus.norm_texts[p] == features.content
    }
    assert at[(ref, 4)] == pytest.approx(max(v for k, v in at.items() if k[0] != ref))


def test_a_library_from_another_data_directory_keeps_its_index_beside_it(
    tmp_path, isolated_user_data
):
    # The suggestion process is told which data directory to open; its index went to the
    # default one, and two libraries rebuilt each other's index at every switch.
    other = tmp_path / "other-data"
    _, update = update_library_index(ReferenceLibrary(other))
    assert update.kind == "full" and (_root(other) / MANIFEST).is_file()
    assert not _root(isolated_user_data).exists()
    update_library_index(ReferenceLibrary())  # the default library, an index of its own
    _, update = update_library_index(ReferenceLibrary(other))
    assert update.kind == "none"
