"""A large library's paragraphs are prepared in worker processes (build_pipeline.py): the
index they give must be the one this process gives, byte for byte, and a worker that
fails must cost nothing but time."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from concurrent.futures import Future
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import numpy as np
import pytest

from drafter import workers
from drafter.matching import postings_build
from drafter.matching.corpus import Corpus, ParagraphRecord
from tests.helpers import parsed_reference

ROOT = Path(__file__).resolve().parent.parent

CITIES = ("yingtan", "haikou", "chengdu", "jining", "wuxi")
# Cities no list knows: only the library's own city list folds them.
NEW_CITIES = ("星河市", "云岭市", "青川市", "白鹭市", "金沙市", "松原湾市", "玉泉市", "雁门市")


def _records(copies: int) -> list[ParagraphRecord]:
    """The five references' paragraphs, `copies` times over as references of other
    cities (each paragraph opening with its city's name, so that the texts differ)."""
    records = []
    for copy in range(copies):
        for ref_id in CITIES:
            statute = parsed_reference(ref_id).statute
            for chapter in statute.chapters:
                for article in chapter.articles:
                    for number, paragraph in enumerate(article.paragraphs, 1):
                        text = f"{NEW_CITIES[copy]}{paragraph.full_text()}"
                        records.append(
                            ParagraphRecord(
                                f"{ref_id}-{copy}",
                                NEW_CITIES[copy],
                                chapter.title,
                                article.number,
                                number,
                                text,
                            )
                        )
    return records


def _files(directory: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(directory)): path.read_bytes()
        for path in sorted(directory.rglob("*"))
        if path.is_file()
    }


@pytest.fixture
def small_chunks(monkeypatch):
    # Chunks of 496 paragraphs (whole blocks of packed text), so a few thousand make
    # enough of them to use workers.
    monkeypatch.setattr(postings_build, "CHUNK", 496)


def _build(
    records: list[ParagraphRecord], directory: Path, cities: tuple[str, ...] = NEW_CITIES
) -> dict[str, bytes]:
    Corpus.build(lambda: iter(records), directory, cities)
    return _files(directory)


def test_worker_processes_build_the_same_index(tmp_path, monkeypatch, small_chunks):
    records = _records(8)
    assert len(records) > 5 * postings_build.CHUNK
    monkeypatch.setenv(workers.PROCESSES_VARIABLE, "0")
    here = _build(records, tmp_path / "here")
    started: list[int] = []
    real_pool = workers.ProcessPoolExecutor

    def counting_pool(processes, **options):
        started.append(processes)
        return real_pool(processes, **options)

    monkeypatch.setattr(workers, "ProcessPoolExecutor", counting_pool)
    monkeypatch.setenv(workers.PROCESSES_VARIABLE, "2")
    in_workers = _build(records, tmp_path / "workers")
    assert started == [2]
    assert here.keys() == in_workers.keys()
    assert "index/post_lo.npy" in here and "full_terms/idf.npy" in here
    different = [name for name in here if here[name] != in_workers[name]]
    assert not different
    corpus = Corpus(tmp_path / "workers")
    assert len(corpus) == len(records) and corpus.texts[len(records) - 1] == records[-1].text


class _DeadPool:
    """A pool whose workers die at once (killed, or unable to start)."""

    def __init__(self, *args, **options) -> None:
        self.submitted = 0

    def submit(self, *args) -> Future:
        self.submitted += 1
        future: Future = Future()
        future.set_exception(BrokenProcessPool("killed"))
        return future

    def shutdown(self, wait: bool = True, cancel_futures: bool = False) -> None:
        pass


def test_a_dead_worker_pool_leaves_the_work_to_this_process(tmp_path, monkeypatch, small_chunks):
    records = _records(4)
    monkeypatch.setenv(workers.PROCESSES_VARIABLE, "0")
    here = _build(records, tmp_path / "here")
    pools: list[_DeadPool] = []

    def dead_pool(*args, **options):
        pools.append(_DeadPool())
        return pools[-1]

    monkeypatch.setattr(workers, "ProcessPoolExecutor", dead_pool)
    monkeypatch.setenv(workers.PROCESSES_VARIABLE, "2")
    assert _build(records, tmp_path / "dead") == here
    # Tried once; after the first failure the rest was never sent to a pool again.
    assert len(pools) == 1 and pools[0].submitted <= 2 * 2


def test_small_libraries_start_no_process(tmp_path, monkeypatch):
    monkeypatch.delenv(workers.PROCESSES_VARIABLE, raising=False)
    monkeypatch.setattr(workers, "ProcessPoolExecutor", _refuse)
    corpus = Corpus.build(lambda: iter(_records(1)), tmp_path / "c")
    assert len(corpus) > 300 and np.all(corpus.ref_of >= 0)


def _refuse(*args, **options):
    raise AssertionError("a worker process for a library of one chunk")


def test_a_city_the_caller_did_not_list_is_folded_all_the_same(tmp_path):
    """Texts are normalised as they are read, with the cities the caller lists; a
    reference of another city makes the build normalise again, knowing it."""
    records = _records(2)
    listed = _build(records, tmp_path / "listed", cities=NEW_CITIES[:2])  # those used
    unlisted = _build(records, tmp_path / "unlisted", cities=NEW_CITIES[:1])
    assert unlisted == listed
    corpus = Corpus(tmp_path / "unlisted")
    assert NEW_CITIES[1] in corpus.cities
    assert not corpus.full_texts[len(records) - 1].startswith("云岭")


_KILLED_BUILD = """
import multiprocessing, sys, time
from pathlib import Path
from drafter.matching import postings_build
from drafter.matching.corpus import Corpus, ParagraphRecord

def records():
    for number in range(100_000):
        if number == 2_000:  # the workers have chunks by now: report them, then hang
            print(" ".join(str(p.pid) for p in multiprocessing.active_children()), flush=True)
            time.sleep(600)
        text = f"第{number}条 数据资源管理{number}"
        yield ParagraphRecord("r", "星河市", "总则", number, 1, text)

if __name__ == "__main__":
    postings_build.CHUNK = 500
    Corpus.build(records, Path(sys.argv[1]), ["星河市"])
"""


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL")
def test_killing_the_build_ends_its_workers(tmp_path):
    script = tmp_path / "build.py"
    script.write_text(_KILLED_BUILD, encoding="utf-8")
    environment = dict(os.environ, DRAFTER_WORKER_PROCESSES="2", PYTHONPATH=str(ROOT))
    build = subprocess.Popen(
        [sys.executable, str(script), str(tmp_path / "corpus")],
        stdout=subprocess.PIPE,
        text=True,
        env=environment,
    )
    try:
        assert build.stdout is not None
        workers = [int(pid) for pid in build.stdout.readline().split()]
        assert len(workers) == 2
        build.send_signal(signal.SIGKILL)
        build.wait(10)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(_alive(pid) for pid in workers):
            time.sleep(0.1)
        assert not any(_alive(pid) for pid in workers)
    finally:
        build.kill()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (exited, not yet reaped by init) counts as gone.
    status = Path(f"/proc/{pid}/status")
    return not (status.exists() and "\tZ" in status.read_text())
