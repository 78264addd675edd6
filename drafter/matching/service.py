"""The suggestion engine in a child process, so that its numpy work never holds the
window's interpreter lock.

A query costs tens of milliseconds of numpy at a million paragraphs, most of it in calls
that keep the GIL (bincount, argpartition, fancy indexing). In a thread of the window's
own interpreter those calls delay the event loop by as much, and typing stutters. In a
child process they cost the window nothing: the window's thread that waits for an answer
waits on a pipe, which releases the lock.

Protocol: one JSON object per line each way, UTF-8. Requests carry an ``op``:

- ``{"op": "open", "data_dir": …}`` or ``{"op": "open", "corpus": …}`` opens the
  library's index (updating it as `update_library_index` does) or a saved corpus folder;
  the answer describes what can be filtered on (references, cities, titles, chapters).
  It comes as a first line with ``"parts": N`` and N more lines, each a slice of the
  references with their cities and titles (`info_lines`): one line of 2 MB at 20,000
  references held the window's interpreter lock 16–33 ms while it was parsed;
- ``{"op": "suggest", "query", "top", "refs", "chapters"}`` answers ``{"results": […]}``;
- ``{"op": "counterparts", "ref", "article"}`` answers ``{"articles": […]}``, the 对照 of
  one reference article (`counterparts.find_counterparts`), so that the window does not
  load a second engine of its own;
- end of input ends the service.

Every answer has ``"ok"``; a failure answers ``{"ok": false, "error": "…"}`` and the
service goes on. The child starts as ``<python> -m drafter --suggest-service`` (or the
frozen executable with that argument): `drafter.cli.main` hands it to `serve` before
any argument parsing.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from drafter.errors import DrafterError
from drafter.matching.suggestion import Spans, Suggestion

if TYPE_CHECKING:  # the engine (and numpy) load in the search process, not the window's
    from drafter.matching.counterparts import ComparedArticle
    from drafter.matching.engine import SuggestionEngine

SERVICE_ARGUMENT = "--suggest-service"
# BLAS threads compete with the window and with each other on a busy 2-core PC: the
# engine's matrix products are small, so one thread is faster under load (the child
# always has one; other processes default to one, see drafter/__init__). glibc's malloc
# thresholds are set by the engine itself when it opens (drafter/memory.py).
_CHILD_ENVIRONMENT = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


class ServiceError(DrafterError):
    """The suggestion process failed or ended."""


def suggestion_to_wire(suggestion: Suggestion) -> dict:
    data = suggestion.to_json()
    data["chapter_title"] = suggestion.chapter_title
    return data


def suggestion_from_wire(data: dict) -> Suggestion:
    spans = data["spans"]
    return Suggestion(
        ref=data["ref"],
        city=data["city"],
        article=int(data["article"]),
        paragraph=int(data["paragraph"]),
        chapter_title=data.get("chapter_title", ""),
        score=float(data["score"]),
        text=data["text"],
        spans=Spans(
            [(int(s[0]), int(s[1])) for s in spans["query"]],
            [(int(s[0]), int(s[1])) for s in spans["text"]],
        ),
    )


def describe(engine: SuggestionEngine, titles: dict[str, str]) -> dict:
    """What a search can be filtered on, as the window's filters show it."""
    corpus = engine.corpus
    chapters: dict[str, None] = {}
    for title in corpus.chapters:
        if title.strip():
            chapters.setdefault(title.strip(), None)
    return {
        "refs": engine.ref_ids(),
        "cities": {ref: corpus.ref_cities[i] for ref, i in corpus.ref_index().items()},
        "titles": titles,
        "chapters": list(chapters),
    }


# References per line of an `open` answer (about 100 KB, a millisecond or two to parse).
REFS_PER_LINE = 1000
_PER_REFERENCE = ("refs", "cities", "titles")


def info_lines(info: dict) -> list[dict]:
    """`describe`'s answer as lines: the rest first, then the references a slice a line."""
    refs = info["refs"]
    starts = range(0, len(refs), REFS_PER_LINE)
    head = {key: value for key, value in info.items() if key not in _PER_REFERENCE}
    lines = [{"ok": True, **head, "parts": len(starts)}]
    cities, titles = info["cities"], info["titles"]
    for start in starts:
        part = refs[start : start + REFS_PER_LINE]
        lines.append(
            {
                "refs": part,
                "cities": [cities.get(r) for r in part],
                "titles": [titles.get(r) for r in part],
            }
        )
    return lines


def info_from_lines(head: dict, parts: list[dict]) -> dict:
    """What `info_lines` cut, joined again."""
    info = {key: value for key, value in head.items() if key != "parts"}
    info |= {"refs": [], "cities": {}, "titles": {}}
    for part in parts:
        info["refs"] += part["refs"]
        for key in ("cities", "titles"):
            info[key].update(
                (r, v) for r, v in zip(part["refs"], part[key], strict=True) if v is not None
            )
    return info


def _open(request: dict) -> tuple[SuggestionEngine, dict, object | None]:
    """The engine, what it can be filtered on, and the library it was opened on (None for
    a corpus folder)."""
    from drafter.matching.engine import SuggestionEngine

    if request.get("corpus"):
        from drafter.matching.corpus import Corpus

        engine = SuggestionEngine(corpus=Corpus(Path(request["corpus"])))
        return engine, describe(engine, {}), None
    from drafter.library import ReferenceLibrary

    data_dir = request.get("data_dir")
    library = ReferenceLibrary(Path(data_dir) if data_dir else None)
    engine = SuggestionEngine(library)
    titles = {r.id: r.title for r in library.summaries()}
    info = describe(engine, titles) | {"fingerprint": library.fingerprint()}
    return engine, info, library


def _counterparts(engine: SuggestionEngine | None, library: object | None, request: dict) -> dict:
    from drafter.matching.counterparts import find_counterparts

    if engine is None or library is None:
        raise ServiceError("参考法规库尚未打开")
    columns = find_counterparts(library, engine, request["ref"], int(request["article"]))
    return {"ok": True, "articles": [column.to_json() for column in columns]}


def serve(stdin: IO[str], stdout: IO[str]) -> int:
    """Answer requests until the input ends."""
    engine: SuggestionEngine | None = None
    library: object | None = None
    for line in stdin:
        if not line.strip():
            continue
        answer: dict[str, Any]
        more: list[dict] = []
        try:
            request = json.loads(line)
            op = request.get("op")
            if op == "open":
                engine, info, library = _open(request)
                answer, *more = info_lines(info)
            elif op == "counterparts":
                answer = _counterparts(engine, library, request)
            elif op == "suggest":
                if engine is None:
                    raise ServiceError("索引尚未打开")
                refs, chapters = request.get("refs"), request.get("chapters")
                results = engine.suggest(
                    request["query"], top=int(request.get("top", 10)), refs=refs, chapters=chapters
                )
                answer = {"ok": True, "results": [suggestion_to_wire(s) for s in results]}
            else:
                raise ServiceError(f"未知请求：{op!r}")
        except DrafterError as error:
            answer = {"ok": False, "error": str(error)}
        except Exception as error:  # the service outlives one bad request
            answer = {"ok": False, "error": f"{type(error).__name__}: {error}"}
        for reply in (answer, *more):
            stdout.write(json.dumps(reply, ensure_ascii=False) + "\n")
        stdout.flush()
    return 0


def main() -> int:
    """The child's entry point (stdin/stdout carry the protocol, in UTF-8)."""
    stdin = open(sys.stdin.fileno(), encoding="utf-8", closefd=False)
    stdout = open(sys.stdout.fileno(), "w", encoding="utf-8", closefd=False)
    # Anything printed by accident would corrupt the protocol: stdout is only ours.
    sys.stdout = sys.stderr
    return serve(stdin, stdout)


def service_command() -> list[str]:
    """How to start the child: the frozen executable, or this interpreter."""
    if getattr(sys, "frozen", False):
        # The console executable beside the windowed one: a Windows GUI-subsystem process
        # may start without standard handles, and the protocol needs stdin and stdout
        # (CREATE_NO_WINDOW keeps its console from showing).
        here = Path(sys.executable).parent
        for name in ("drafter.exe", "drafter"):
            console = here / name
            if console.is_file() and console != Path(sys.executable):
                return [str(console), SERVICE_ARGUMENT]
        return [sys.executable, SERVICE_ARGUMENT]
    return [sys.executable, "-m", "drafter", SERVICE_ARGUMENT]


class RemoteEngine:
    """A client of the suggestion process: `suggest` as the engine has it (blocking;
    call it off the UI thread), and what `open` said about the library."""

    def __init__(self, *, data_dir: Path | str | None = None, corpus: Path | str | None = None):
        self._open_request = {
            "op": "open",
            "data_dir": str(data_dir) if data_dir is not None else None,
            "corpus": str(corpus) if corpus is not None else None,
        }
        self._lock = threading.Lock()
        self._process: subprocess.Popen[str] | None = None
        self.info: dict = {}
        with self._lock:
            self._start()

    def _start(self) -> None:
        flags = getattr(subprocess, "CREATE_NO_WINDOW", 0)  # no console flashes on Windows
        environment = dict(os.environ, **_CHILD_ENVIRONMENT, PYTHONIOENCODING="utf-8")
        self._process = subprocess.Popen(
            service_command(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            encoding="utf-8",
            env=environment,
            creationflags=flags,
        )
        self.info = self._ask(self._open_request)

    def _ask(self, request: dict) -> dict:
        process = self._process
        if process is None or process.stdin is None or process.stdout is None:
            raise ServiceError("检索进程未启动")
        try:
            process.stdin.write(json.dumps(request, ensure_ascii=False) + "\n")
            process.stdin.flush()
        except (OSError, ValueError) as error:
            raise ServiceError(f"检索进程已退出（{error}）") from None
        answer = json.loads(self._line(process))
        if not answer.get("ok"):
            raise DrafterError(answer.get("error", "检索失败"))
        if "parts" in answer:  # parsed a line at a time: the window's thread lets go between
            parts = [json.loads(self._line(process)) for _ in range(answer["parts"])]
            return info_from_lines(answer, parts)
        return answer

    @staticmethod
    def _line(process: subprocess.Popen[str]) -> str:
        assert process.stdout is not None
        try:
            line = process.stdout.readline()
        except (OSError, ValueError) as error:
            raise ServiceError(f"检索进程已退出（{error}）") from None
        if not line:
            raise ServiceError(f"检索进程已退出（退出码 {process.poll()}）")
        return line

    def suggest(
        self,
        query: str,
        *,
        top: int = 10,
        refs: Sequence[str] | None = None,
        chapters: Sequence[str] | None = None,
    ) -> list[Suggestion]:
        request = {
            "op": "suggest",
            "query": query,
            "top": top,
            "refs": list(refs) if refs is not None else None,
            "chapters": list(chapters) if chapters is not None else None,
        }
        answer = self._request(request)
        return [suggestion_from_wire(s) for s in answer["results"]]

    def counterparts(self, ref_id: str, article: int) -> list[ComparedArticle]:
        """The 对照 of a reference article, found by the child's engine and library."""
        from drafter.matching.counterparts import ComparedArticle

        answer = self._request({"op": "counterparts", "ref": ref_id, "article": article})
        return [ComparedArticle.from_json(data) for data in answer["articles"]]

    def _request(self, request: dict) -> dict:
        with self._lock:
            try:
                return self._ask(request)
            except ServiceError:
                # The child died (killed, out of memory): one fresh start, then the answer
                # or the error.
                self.close()
                self._start()
                return self._ask(request)

    def reopen(self) -> dict:
        """Open the library again after it changed (the index is updated in the child)."""
        with self._lock:
            if self._process is None or self._process.poll() is not None:
                self.close()
                self._start()
            else:
                self.info = self._ask(self._open_request)
            return self.info

    def ref_ids(self) -> list[str]:
        return list(self.info.get("refs", []))

    def close(self) -> None:
        """End the child (its input closes; it is killed if it does not end at once)."""
        process, self._process = self._process, None
        if process is None:
            return
        try:
            if process.stdin is not None:
                process.stdin.close()
            process.wait(timeout=2)
        except (OSError, subprocess.TimeoutExpired):
            process.kill()
            process.wait()
        finally:
            if process.stdout is not None:
                process.stdout.close()
