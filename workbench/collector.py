"""The garbage collector around a start-up's big imports.

An import makes objects that live as long as the process; a collection during it walks all
of them and frees nothing. With SQLAlchemy or Textual that is about a tenth of the import.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """No collection inside the block; the collector as it was afterwards."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()
