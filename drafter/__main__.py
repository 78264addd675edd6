"""`python -m drafter` behaves like the `drafter` command."""

import sys

from drafter.cli.main import main

sys.exit(main())
