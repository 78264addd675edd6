"""Parse once: references are stored parsed in SQLite and read back without parsing again."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from drafter.cli.main import main
from drafter.library import ReferenceLibrary, ReferenceSummary
from drafter.library import library as library_module
from drafter.library import store as store_module
from drafter.library.store import (
    _BY_LISTING,
    _TOKENS_QUERY,
    _UNANCHORED_QUERY,
    SCHEMA_VERSION,
    LibraryStore,
)
from drafter.parsing import parse_regulation_text
from tests.helpers import BUNDLED_IDS, raw_reference_text
from tests.test_reliability_validation import read_only_data_dir  # noqa: F401 (fixture)


def _forbid_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(text: str) -> None:
        raise AssertionError("parsed again")

    monkeypatch.setattr(library_module, "_parse_cached", refuse)


def _count_parsing(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []
    original = library_module._parse_cached

    def counting(text: str):
        calls.append(text[:20])
        return original(text)

    monkeypatch.setattr(library_module, "_parse_cached", counting)
    return calls


def _full(reference) -> dict:
    data = reference.to_json()
    data["report_examples"] = reference.report.replacement_examples
    data["uids"] = [(c.uid, [a.uid for a in c.articles]) for c in reference.statute.chapters]
    return data


def _import_damaged(tmp_path: Path, library: ReferenceLibrary) -> str:
    # 成都's text carries damaged spans; imported under another city and title.
    source = tmp_path / "rongcheng.txt"
    text = raw_reference_text("chengdu").replace("成都市智慧蓉城", "蓉城市智慧城市", 1)
    source.write_text(text, encoding="utf-8")
    return library.import_file(source, ref_id="rongcheng").id


def test_stored_parse_equals_a_fresh_parse(tmp_path, monkeypatch):
    data_dir = tmp_path / "data"
    first = ReferenceLibrary(data_dir)
    imported = _import_damaged(tmp_path, first)
    first.correct(
        "chengdu",
        article=6,
        paragraph=6,
        original=first.get("chengdu").statute.article(6).damaged[0].text,
        corrected="本区域专项行动计划。",
    )
    expected = {ref_id: _full(first.get(ref_id)) for ref_id in [*BUNDLED_IDS, imported]}
    assert first.get(imported).damaged_count() > 0

    _forbid_parsing(monkeypatch)
    stored = ReferenceLibrary(data_dir)
    for ref_id, data in expected.items():
        assert _full(stored.get(ref_id)) == data, ref_id
    assert (
        stored.get("chengdu").corrections and not stored.get("chengdu").statute.article(6).damaged
    )
    assert stored.get("chengdu", corrected=False).statute.article(6).damaged

    # And what was stored is what the parser makes of the text today.
    fresh = parse_regulation_text(raw_reference_text("haikou"))
    haikou = stored.get("haikou", corrected=False)
    assert haikou.statute.to_json()["chapters"] == fresh.statute.to_json()["chapters"]
    assert haikou.report.to_json() == fresh.report.to_json()
    assert haikou.explanation == fresh.explanation


def test_listing_reads_no_text_and_parses_nothing(tmp_path, monkeypatch, capsys):
    library = ReferenceLibrary()
    imported = _import_damaged(tmp_path, library)
    library.correct("haikou", article=1, paragraph=1, original="为了", corrected="为")
    expected = [ReferenceSummary.of(r) for r in ReferenceLibrary().references()]

    _forbid_parsing(monkeypatch)
    summaries = ReferenceLibrary().summaries()
    assert summaries == expected
    assert summaries[-1].id == imported and summaries[-1].damaged > 0
    assert main(["refs", "list"]) == 0
    out = capsys.readouterr().out
    assert imported in out and "haikou" in out and "处乱码待核" in out
    assert main(["refs", "list", "--json"]) == 0


def test_the_rows_of_a_few_references_are_those_of_the_listing(tmp_path):
    library = ReferenceLibrary()
    imported = _import_damaged(tmp_path, library)
    library.correct("haikou", article=1, paragraph=1, original="为了", corrected="为")
    listing = {s.id: s for s in ReferenceLibrary().summaries()}
    # What a window that listed the library before this import and correction reads.
    rows = ReferenceLibrary().summaries_of([imported, "haikou", "gone"])
    assert rows == [listing[imported], listing["haikou"]]
    assert rows[1].corrections == 1


def test_duplicate_detection_reads_the_identities_from_the_listing_indexes(tmp_path, monkeypatch):
    library = ReferenceLibrary()
    imported = _import_damaged(tmp_path, library)
    expected = [(s.id, s.title, s.city, s.article_count) for s in library.summaries()]
    with _traced(monkeypatch) as statements:
        assert ReferenceLibrary().identities() == expected
    joined = [s for s in statements if "LEFT JOIN parsed_reference" in s]
    assert joined and "INDEXED BY parsed_listing" in joined[0]
    assert expected[-1][0] == imported


@contextmanager
def _traced(monkeypatch) -> Iterator[list[str]]:
    """Every SQL statement run by connections opened meanwhile."""
    statements: list[str] = []
    connect = sqlite3.connect

    def traced(*args, **kwargs):
        connection = connect(*args, **kwargs)
        connection.set_trace_callback(statements.append)
        return connection

    with monkeypatch.context() as patch:
        patch.setattr(sqlite3, "connect", traced)
        yield statements


def test_index_tokens_are_read_from_the_listing_index_alone(tmp_path, monkeypatch):
    # A reference's parse row holds its whole parse: reading 20,000 of them for their
    # source hash was a second of every engine start from a cold disk cache.
    data_dir = tmp_path / "data"
    library = ReferenceLibrary(data_dir)
    imported = _import_damaged(tmp_path, library)
    with _traced(monkeypatch) as statements:
        tokens = library.reference_tokens()
    assert any(_BY_LISTING in statement for statement in statements), statements
    assert imported in tokens and tokens[imported].count("|") == 2  # time, city, hash
    with sqlite3.connect(data_dir / "library.sqlite3") as connection:
        plan = connection.execute(
            "EXPLAIN QUERY PLAN " + _TOKENS_QUERY.format(hint=_BY_LISTING)
        ).fetchall()
        assert any("COVERING INDEX parsed_listing" in row[3] for row in plan), plan
    # A file from before that index (opened read-only, so never given it) still answers.
    monkeypatch.setattr(store_module, "_BY_LISTING", "INDEXED BY no_such_index ")
    assert ReferenceLibrary(data_dir).reference_tokens() == tokens


def test_duplicate_anchors_are_read_without_the_samples(tmp_path, monkeypatch):
    # A sketch's sample fills most of a page: reading the whole library's anchors must not
    # touch them (49 MB at 20,000 references, half of a cold one-file import).
    store = LibraryStore(tmp_path / "library.sqlite3")
    samples = {f"r{n}": bytes(range(n, n + 200)) for n in range(3)}
    store.put_sketches([(ref, b"d" + ref.encode(), sample) for ref, sample in samples.items()])
    with _traced(monkeypatch) as statements:
        anchors = store.duplicate_anchors()
    assert anchors == {ref: (b"d" + ref.encode(), s[:64]) for ref, s in samples.items()}
    assert not any("sample" in statement for statement in statements), statements
    with sqlite3.connect(store.path) as connection:
        plan = connection.execute("EXPLAIN QUERY PLAN " + _UNANCHORED_QUERY).fetchall()
        assert "COVERING INDEX" in plan[0][3], plan
    assert store.duplicate_samples(["r2", "r0", "gone"]) == {
        "r0": samples["r0"],
        "r2": samples["r2"],
    }
    store.remove_imported("r1")
    assert set(store.duplicate_anchors()) == {"r0", "r2"}


def test_damaged_database_is_moved_aside_and_rebuilt(tmp_path):
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    (data_dir / "library.sqlite3").write_bytes(b"this is not a database" * 100)
    library = ReferenceLibrary(data_dir)
    assert library.ids() == list(BUNDLED_IDS)
    assert [s.id for s in library.summaries()] == list(BUNDLED_IDS)
    assert _import_damaged(tmp_path, library) in ReferenceLibrary(data_dir).ids()
    assert list(data_dir.glob("library.sqlite3.damaged-*"))


def test_damaged_parse_row_is_parsed_again(tmp_path, monkeypatch):
    data_dir = tmp_path / "data"
    before = ReferenceLibrary(data_dir).get("wuxi").to_json()
    with sqlite3.connect(data_dir / "library.sqlite3") as connection:
        connection.execute("UPDATE parsed_reference SET data = '{' WHERE ref_id = 'wuxi'")
    calls = _count_parsing(monkeypatch)
    assert ReferenceLibrary(data_dir).get("wuxi").to_json() == before
    assert len(calls) == 1
    assert ReferenceLibrary(data_dir).get("wuxi").to_json() == before
    assert len(calls) == 1


def test_new_app_version_parses_bundled_references_again_once(tmp_path, monkeypatch):
    data_dir = tmp_path / "data"
    ReferenceLibrary(data_dir).summaries()
    imported = _import_damaged(tmp_path, ReferenceLibrary(data_dir))
    calls = _count_parsing(monkeypatch)
    ReferenceLibrary(data_dir).summaries()
    assert calls == []

    monkeypatch.setattr(library_module, "__version__", "999.0")
    ReferenceLibrary(data_dir).summaries()
    assert len(calls) == len(BUNDLED_IDS)  # the import was parsed at import, and is kept
    ReferenceLibrary(data_dir).references()
    assert len(calls) == len(BUNDLED_IDS)
    with sqlite3.connect(data_dir / "library.sqlite3") as connection:
        versions = dict(connection.execute("SELECT ref_id, app_version FROM parsed_reference"))
    assert {versions[ref_id] for ref_id in BUNDLED_IDS} == {"999.0"}
    assert versions[imported] != "999.0"


def test_old_schema_keeps_imports_and_parses_them_once(tmp_path, monkeypatch):
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    with sqlite3.connect(data_dir / "library.sqlite3") as connection:
        connection.executescript(
            "CREATE TABLE imported_reference (id TEXT PRIMARY KEY, city TEXT NOT NULL,"
            " title TEXT NOT NULL, status TEXT NOT NULL, source_name TEXT NOT NULL,"
            " source_text TEXT NOT NULL, imported_at TEXT NOT NULL);"
            "CREATE TABLE correction (id INTEGER PRIMARY KEY AUTOINCREMENT, ref_id TEXT NOT NULL,"
            " article INTEGER NOT NULL, paragraph INTEGER NOT NULL, item INTEGER NOT NULL,"
            " original TEXT NOT NULL, corrected TEXT NOT NULL, note TEXT NOT NULL DEFAULT '',"
            " created_at TEXT NOT NULL); PRAGMA user_version = 1;"
        )
        connection.execute(
            "INSERT INTO imported_reference VALUES (?, ?, ?, ?, ?, ?, ?)",
            ("old", "旧市", "旧市条例", "", "old.txt", raw_reference_text("wuxi"), "2025-01-01"),
        )
    calls = _count_parsing(monkeypatch)
    summaries = ReferenceLibrary(data_dir).summaries()
    assert summaries[-1].id == "old" and summaries[-1].article_count > 10
    parsed_now = len(calls)
    ReferenceLibrary(data_dir).summaries()
    assert len(calls) == parsed_now
    with sqlite3.connect(data_dir / "library.sqlite3") as connection:
        assert connection.execute("SELECT version FROM schema_version").fetchone() == (
            SCHEMA_VERSION,
        )
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_read_only_data_dir_with_a_stored_library_still_lists_and_shows(
    tmp_path, capsys, monkeypatch
):
    # A library written earlier (WAL mode), then its directory made read-only.
    data_dir = tmp_path / "ro-data"
    library = ReferenceLibrary(data_dir)
    imported = _import_damaged(tmp_path, library)
    expected = [s.summary_json() for s in library.summaries()]
    if os.geteuid() == 0:
        if subprocess.run(["mount", "--bind", str(data_dir), str(data_dir)]).returncode:
            pytest.skip("root without mount")
        subprocess.run(["mount", "-o", "remount,ro,bind", str(data_dir)], check=True)
    else:
        data_dir.chmod(0o555)
    try:
        monkeypatch.setenv("DRAFTER_DATA_DIR", str(data_dir))
        again = ReferenceLibrary(data_dir)
        assert again.store.read_only_reason
        assert [s.summary_json() for s in again.summaries()] == expected
        assert again.get(imported).damaged_count() > 0
        assert main(["refs", "show", imported, "--article", "6"]) == 0
        assert "第六条" in capsys.readouterr().out
    finally:
        if os.geteuid() == 0:
            subprocess.run(["umount", str(data_dir)], check=True)
        else:
            data_dir.chmod(0o755)


def test_empty_read_only_data_dir_parses_in_memory(read_only_data_dir):  # noqa: F811
    library = ReferenceLibrary(read_only_data_dir)
    assert [s.id for s in library.summaries()] == list(BUNDLED_IDS)
    assert library.get("haikou").article_count > 10
    assert not list(read_only_data_dir.iterdir())


def test_concurrent_imports_are_all_kept(tmp_path):
    # Same file name in every process: each must find a free id, none may be lost.
    script = (
        "import sys; from pathlib import Path; from drafter.library import ReferenceLibrary\n"
        "for path in sys.argv[1:]: ReferenceLibrary().import_file(Path(path))\n"
    )
    text = raw_reference_text("haikou")
    groups = []
    for process in range(3):
        paths = []
        for number in range(4):
            folder = tmp_path / f"p{process}-{number}"
            folder.mkdir()
            (folder / "shenzhen.txt").write_text(text, encoding="utf-8")
            paths.append(str(folder / "shenzhen.txt"))
        groups.append(paths)
    env = dict(os.environ, DRAFTER_DATA_DIR=str(tmp_path / "data"))
    processes = [
        subprocess.Popen([sys.executable, "-c", script, *paths], env=env, stderr=subprocess.PIPE)
        for paths in groups
    ]
    for process in processes:
        assert process.wait(timeout=120) == 0, process.stderr.read().decode()
    summaries = ReferenceLibrary(tmp_path / "data").summaries()
    imported = [s.id for s in summaries if s.origin == "imported"]
    assert len(imported) == len(set(imported)) == 12


def test_a_batch_reuses_its_connection_in_its_own_thread_only(tmp_path):
    """Inside batch() the importing thread gets one kept connection (its statements still
    commit), and another thread, say the window listing, gets its own."""
    import threading

    library = ReferenceLibrary(tmp_path)
    store = library.store
    with store.batch():
        first, second = store._connect(write=True), store._connect()
        assert first is second
        with first:
            first.execute("INSERT INTO correction VALUES (NULL, 'x', 1, 1, 0, 'a', 'b', '', '')")
        first.close()  # what closing() does: the batch keeps it open
        first.execute("SELECT 1").fetchone()
        seen: list = []

        def other_thread():
            connection = store._connect()
            seen.append(connection is first)
            seen.append(connection.execute("SELECT count(*) FROM correction").fetchone()[0])
            connection.close()

        worker = threading.Thread(target=other_thread)
        worker.start()
        worker.join()
        assert seen == [False, 1]  # its own connection, which sees the committed row
    assert store._connect() is not first


def test_the_library_keeps_a_bounded_number_of_references_in_memory(tmp_path, monkeypatch):
    """A batch import or an index build reads every reference; only the last few stay."""
    monkeypatch.setattr(library_module, "CACHED_REFERENCES", 3)
    library = ReferenceLibrary(tmp_path)
    ids = [reference.id for reference in library.iter_references()]
    assert ids == list(BUNDLED_IDS) and len(library._cache) == 3
    assert list(library._cache) == list(BUNDLED_IDS[-3:])
    first = library.get(BUNDLED_IDS[0])  # read again, and now the most recent
    assert list(library._cache)[-1] == BUNDLED_IDS[0] and len(library._cache) == 3
    assert library.get(BUNDLED_IDS[0]) is first


def test_iterating_the_library_streams_imports_from_one_query(tmp_path, monkeypatch):
    """An index build reads every reference: the imports come from one streamed query (a
    connection per reference was three quarters of reading 20,000), corrected, and a
    reference without a usable stored parse is parsed again as `get` would."""
    library = ReferenceLibrary(tmp_path)
    imported = []
    for number in range(6):
        source = tmp_path / f"city{number}.txt"
        text = raw_reference_text("wuxi").replace("无锡市", f"甲{number}市")
        source.write_text(text, encoding="utf-8")
        imported.append(library.import_file(source, ref_id=f"city{number}").id)
    library.correct(imported[1], article=2, paragraph=1, original="数字化", corrected="数智化")
    with sqlite3.connect(tmp_path / "library.sqlite3") as connection:
        connection.execute("DELETE FROM parsed_reference WHERE ref_id = ?", (imported[2],))
    expected = [ReferenceLibrary(tmp_path).get(ref_id).to_json() for ref_id in library.ids()]
    connects = []
    real_connect = sqlite3.connect
    monkeypatch.setattr(
        sqlite3, "connect", lambda *a, **k: connects.append(a) or real_connect(*a, **k)
    )
    fresh = ReferenceLibrary(tmp_path)
    streamed = [reference.to_json() for reference in fresh.iter_references()]
    assert streamed == expected
    assert "数智化" in list(fresh.get(imported[1]).statute.articles())[1].paragraphs[0].text
    # Bundled ones and the unparsed one are read by id; the rest shares one connection.
    assert len(connects) < 3 * (len(BUNDLED_IDS) + 1) + 3
