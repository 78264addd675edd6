"""`python -m drafter` behaves like the `drafter` command."""

import multiprocessing
import sys

from drafter.cli.main import main

if __name__ == "__main__":
    # The index build's worker processes start this module again under another name
    # ("spawn"), and a frozen app starts its own executable: neither must run the CLI.
    multiprocessing.freeze_support()
    sys.exit(main())
