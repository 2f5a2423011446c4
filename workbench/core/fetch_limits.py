"""The fetch limits a user may set in the `[fetch]` table of the configuration, named once.

`sources.fetch.FetchConfig` extends `FetchLimits` with what is not the user's to set; the
configuration reads the names and types from these fields (`option_types`) without loading
the fetcher (httpx), which a command that fetches nothing must not pay for.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from dataclasses import dataclass


@dataclass(frozen=True)
class FetchLimits:
    connect_timeout: float = 10.0
    read_timeout: float = 20.0  # longest silence between two reads
    deadline: float = 60.0  # overall per fetch: redirects, retries and waits included
    max_bytes: int = 10 * 1024 * 1024  # of the decoded body
    max_redirects: int = 5
    concurrency: int = 8
    per_host: int = 2
    retries: int = 2
    # Processes that extract fetched pages (fetch_and_record); None: one per core.
    workers: int | None = None


def option_types() -> dict[str, type]:
    """Each limit's name and the type a configured value must have (`int | None`: int)."""
    hints = typing.get_type_hints(FetchLimits)
    found: dict[str, type] = {}
    for limit in dataclasses.fields(FetchLimits):
        kind = hints[limit.name]
        if isinstance(kind, types.UnionType):
            kind = next(arg for arg in typing.get_args(kind) if arg is not type(None))
        found[limit.name] = kind
    return found
