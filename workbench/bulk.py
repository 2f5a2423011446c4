"""Helpers for the long bulk jobs (a report export, an import) that make millions of
short-lived objects."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pauses Python's cyclic garbage collector for the job. Its records hold no cycles, so
    reference counting frees them as before (peak memory measured unchanged), while the
    collector would scan the young objects again and again to find nothing: 8-12 % of a
    100,000-claim export or import."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
