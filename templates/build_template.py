"""Write templates/regulation.docx, the Word template every export starts from.

Run after changing the styles in drafter/export/styles.py:

    python templates/build_template.py

An office may replace regulation.docx with its own template (or pass --template); it must
define the styles listed in `drafter.export.styles.REQUIRED_STYLES`.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from drafter.export.styles import TEMPLATE_NAME, build_template_document  # noqa: E402


def main() -> None:
    target = HERE / TEMPLATE_NAME
    build_template_document().save(str(target))
    print(f"wrote {target}")


if __name__ == "__main__":
    main()
