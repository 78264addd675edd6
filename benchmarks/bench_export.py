"""Time the Word export of a 300-article draft (issue 5: ≤ 2 s).

    python benchmarks/bench_export.py [--articles 300] [--repeat 5]

The draft is built through the draft API (a third of its articles adopted from the bundled
references, the rest inserted), saved as a project file, then exported from that file the
way `drafter export` does: load, build, write. Prints the median and the worst of the runs.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from drafter.draft.project_file import load_project, save_project  # noqa: E402
from drafter.export import export_draft  # noqa: E402
from drafter.library import ReferenceLibrary  # noqa: E402
from tests.test_export_samples import large_draft  # noqa: E402

CASES = {
    "draft only": {},
    "draft + 起草说明 + 对照表": {"explanation": "e.docx", "table": "t.docx"},
    "all in one (--all-in-one --comments)": {"all_in_one": True, "comments": True},
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        library = ReferenceLibrary(data_dir=folder / "data")
        project = folder / "draft.drafter.json"
        save_project(large_draft(library, args.articles), project, clear_autosave=False)
        export_draft(load_project(project), folder / "warm.docx", library=library)  # warm caches
        print(f"{args.articles} articles, {args.repeat} runs each (seconds: median / worst)")
        for name, options in CASES.items():
            times = []
            for _ in range(args.repeat):
                extra = {
                    key: folder / value if isinstance(value, str) else value
                    for key, value in options.items()
                }
                start = time.perf_counter()
                export_draft(load_project(project), folder / "d.docx", library=library, **extra)
                times.append(time.perf_counter() - start)
            print(f"  {statistics.median(times):.2f} / {max(times):.2f}  {name}")


if __name__ == "__main__":
    main()
