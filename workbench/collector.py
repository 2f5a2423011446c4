"""The garbage collector around a start-up's big imports and the long jobs.

An import makes objects that live as long as the process; a collection during it walks all
of them and frees nothing. With SQLAlchemy or Textual that is about a tenth of the import.
A long job's records (an import, an export) hold no cycles: reference counting frees them as
before (peak memory measured unchanged), while the collector would scan the young objects
again and again to find nothing, 8-12 % of a 100,000-claim export or import.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused(*, freeze: bool = False) -> Iterator[None]:
    """No collection inside the block; the collector as it was afterwards. With `freeze`,
    every object there is at the end of the block is put out of the collector's reach for
    good (gc.freeze): otherwise the first collection after a big import walks all it made
    once more and frees nothing (about 20 ms after Textual's, before the first frame)."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
        if freeze:
            gc.freeze()
    finally:
        if collecting:
            gc.enable()
