"""The window's long-lived objects, kept out of the garbage collector's full passes.

A full (generation 2) collection walks every object the collector tracks. With 20,000
references the window holds some 120,000 that live as long as it does (the listing, its
rows, the suggestion filters), and a full pass over them took 55-160 ms. Searching the
library or loading references makes enough new objects to start such a pass every few
seconds, and the window stalled for each. Frozen objects are left out of every pass
(gc.freeze, the remedy CPython documents for long-lived heaps); they are still freed by
reference counting when the window drops them, as a reloaded listing does.
"""

from __future__ import annotations

import gc


def freeze_long_lived() -> None:
    """Freeze what is alive now. The young generations are collected first (a few ms),
    so fresh garbage with reference cycles is not frozen with the rest."""
    gc.collect(1)
    gc.freeze()
