"""Command-line interface: `drafter` opens the window, `drafter <command>` reaches the core."""
