"""Smoke-test the frozen app in dist/drafter/ (built by `pyinstaller build.spec`), offline.

    python tools/smoke_frozen.py [--dist dist/drafter] [--draft FILE] [--timings 3]

Runs the executables, never the checkout's code: the environment loses PYTHONPATH,
PYTHONHOME and VIRTUAL_ENV, the working directory is a fresh temporary folder, and user
data goes to a temporary DRAFTER_DATA_DIR. On Linux every command runs in a network
namespace of its own (`unshare --net`), so a command that needed the network would fail
here; elsewhere (or without unshare) the script says that the network was not cut off.
Any Python 3.10+ runs it: it needs nothing beyond the standard library.

Checks: --version (of both executables) against pyproject.toml; `refs list` shows the five
bundled references; `suggest` in simplified and in traditional characters gives the same
top result (that needs OpenCC's dictionaries inside the app); `new --from` a sample draft,
then `export` of the draft, its 起草说明 and 条文对照表 as .docx (that needs python-docx's
templates and templates/); `--self-test` opens the window offscreen with the references
loaded and closes it (both executables). The last line is `smoke: N passed, N failed`.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_support import ROOT, project_metadata

DEFAULT_DIST = ROOT / "dist" / "drafter"
DEFAULT_DRAFT = ROOT / "tests" / "data" / "drafts" / "realistic_draft.txt"
MANIFEST = ROOT / "resources" / "references" / "manifest.json"
TIMEOUT_SECONDS = 180

# Used when the checkout's sample draft is absent (a release folder without tests/).
FALLBACK_DRAFT = """某市智慧城市促进条例（草案）

第一章　总则

第一条　为了促进智慧城市建设，根据有关法律、法规，结合本市实际，制定本条例。

第二条　本市行政区域内智慧城市建设及相关管理活动适用本条例。

第二章　保障措施

第三条　市、区人民政府及其部门应当建立首席数据官队伍，推动数字化转型工作。

第三章　附则

第四条　本条例自　年　月　日起施行。
"""

TERM = "首席数据官"
_DROPPED_VARIABLES = ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "VIRTUAL_ENV")


@dataclass
class Step:
    """One command of the smoke test and what its result must show."""

    name: str
    argv: list[str]
    check: Callable[[subprocess.CompletedProcess[str]], str | None] = field(
        default=lambda result: None
    )


def executable(dist: Path, name: str) -> Path:
    """The path of one of the app's executables (`.exe` on Windows)."""
    return dist / (f"{name}.exe" if os.name == "nt" else name)


def network_isolation() -> list[str]:
    """A command prefix that runs a program without network access, or [] if none works."""
    unshare = shutil.which("unshare")
    if not unshare or not sys.platform.startswith("linux"):
        return []
    for prefix in ([unshare, "--net"], [unshare, "--net", "--map-root-user"]):
        probe = subprocess.run([*prefix, "true"], capture_output=True, check=False)
        if probe.returncode == 0:
            return prefix
    return []


def clean_environment(data_dir: Path) -> dict[str, str]:
    """The environment of the frozen app: no Python of ours, temporary user data, offscreen."""
    env = {k: v for k, v in os.environ.items() if k not in _DROPPED_VARIABLES}
    env["DRAFTER_DATA_DIR"] = str(data_dir)
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["PYTHONIOENCODING"] = "utf-8"
    # The first `suggest` builds the index: in worker processes even for five references,
    # so that the frozen executable is seen to start its own workers (freeze_support).
    env["DRAFTER_WORKER_PROCESSES"] = "2"
    return env


def run(prefix: list[str], argv: list[str], env: dict[str, str], cwd: Path):
    """Run one command; returns its CompletedProcess and its wall time in seconds."""
    start = time.perf_counter()
    result = subprocess.run(
        [*prefix, *argv],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=TIMEOUT_SECONDS,
        check=False,
    )
    return result, time.perf_counter() - start


def expect_output(*needles: str) -> Callable[[subprocess.CompletedProcess[str]], str | None]:
    """A check that every needle appears in stdout."""

    def check(result: subprocess.CompletedProcess[str]) -> str | None:
        missing = [needle for needle in needles if needle not in result.stdout]
        return f"missing from the output: {', '.join(missing)}" if missing else None

    return check


def expect_files(*paths: Path) -> Callable[[subprocess.CompletedProcess[str]], str | None]:
    """A check that each path exists; .docx files must be Word packages with a body."""

    def check(result: subprocess.CompletedProcess[str]) -> str | None:
        for path in paths:
            if not path.is_file():
                return f"{path.name} was not written"
            if path.suffix == ".docx":
                with zipfile.ZipFile(path) as package:
                    if "word/document.xml" not in package.namelist():
                        return f"{path.name} has no word/document.xml"
        return None

    return check


def first_result(output: str) -> str:
    """The first line of `drafter suggest`'s answer (its best match)."""
    return next((line for line in output.splitlines() if line.strip()), "")


def steps(dist: Path, work: Path, draft_text: Path, version: str) -> list[Step]:
    """The smoke test's commands, in order."""
    cli = str(executable(dist, "drafter"))
    gui = str(executable(dist, "drafter-gui"))
    reference_ids = [entry["id"] for entry in json.loads(MANIFEST.read_text("utf-8"))["references"]]
    project = work / "draft.drafter.json"
    documents = [work / "draft.docx", work / "explanation.docx", work / "table.docx"]
    return [
        Step("drafter --version", [cli, "--version"], expect_output(f"drafter {version}")),
        # The windowed executable has no stdout on Windows: only its exit code counts.
        Step("drafter-gui --version", [gui, "--version"]),
        Step("drafter refs list", [cli, "refs", "list"], expect_output(*reference_ids)),
        Step("drafter suggest 首席数据官", [cli, "suggest", "首席数据官"], expect_output(TERM)),
        Step("drafter suggest 首席數據官 (traditional)", [cli, "suggest", "首席數據官"]),
        Step(
            "drafter new --from",
            [cli, "new", "--from", str(draft_text), "-o", str(project)],
            expect_files(project),
        ),
        Step(
            "drafter export",
            [cli, "export", str(project), "-o", str(documents[0]),
             "--explanation", str(documents[1]), "--table", str(documents[2])],
            expect_files(*documents),
        ),
        Step("drafter --self-test", [cli, "--self-test"]),
        Step("drafter-gui --self-test", [gui, "--self-test"]),
        # What a file association runs: the window opens the draft (then closes).
        Step("drafter-gui --self-test DRAFT", [gui, "--self-test", str(project)]),
    ]  # fmt: skip


def folder_size(path: Path) -> int:
    """Bytes in all files below path."""
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def main(argv: list[str] | None = None) -> int:
    """Run the smoke test; returns 0 when every step passed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=DEFAULT_DIST, help="the app folder")
    parser.add_argument("--draft", type=Path, help="a draft .txt for `drafter new --from`")
    parser.add_argument(
        "--timings", type=int, default=0, metavar="N",
        help="then time --version and --self-test N times each and print the medians",
    )  # fmt: skip
    args = parser.parse_args(argv)
    dist = args.dist.resolve()
    if not executable(dist, "drafter").is_file():
        print(f"smoke: no app in {dist}; build it with `pyinstaller build.spec`", file=sys.stderr)
        return 2
    version = project_metadata()["version"]
    prefix = network_isolation()
    print(f"app: {dist} ({folder_size(dist) / 2**20:.0f} MiB), version {version}")
    print("network: " + ("cut off (" + " ".join(prefix) + ")" if prefix else "NOT cut off"))

    with tempfile.TemporaryDirectory(prefix="drafter-smoke-") as temporary:
        work = Path(temporary)
        env = clean_environment(work / "data")
        draft_text = args.draft or DEFAULT_DRAFT
        if not draft_text.is_file():
            draft_text = work / "sample_draft.txt"
            draft_text.write_text(FALLBACK_DRAFT, encoding="utf-8")
        passed = failed = 0
        outputs: dict[str, str] = {}
        for step in steps(dist, work, draft_text, version):
            result, seconds = run(prefix, step.argv, env, work)
            outputs[step.name] = result.stdout
            problem = f"exit code {result.returncode}" if result.returncode else step.check(result)
            if problem is None and "traditional" in step.name:
                simplified = outputs.get("drafter suggest 首席数据官", "")
                if first_result(result.stdout) != first_result(simplified):
                    problem = "best match differs from the simplified query's (OpenCC data?)"
            if problem is None:
                passed += 1
                print(f"ok    {step.name}  ({seconds:.2f} s)")
            else:
                failed += 1
                print(f"FAIL  {step.name}: {problem}")
                for stream in (result.stdout, result.stderr):
                    for line in stream.strip().splitlines()[-8:]:
                        print(f"      | {line}")

        if args.timings > 0:
            for name, extra in (("--version", ["--version"]), ("--self-test", ["--self-test"])):
                cli = str(executable(dist, "drafter"))
                # Without the namespace, whose set-up would be counted as start time.
                times = [run([], [cli, *extra], env, work)[1] for _ in range(args.timings)]
                listed = ", ".join(f"{t:.2f}" for t in times)
                print(f"time  drafter {name}: median {statistics.median(times):.2f} s ({listed})")

    print(f"smoke: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
