"""Seams between the layers that no type checker sees."""

from __future__ import annotations

import dataclasses
import typing

from workbench.config import FETCH_OPTIONS
from workbench.sources.fetch import FetchConfig


def test_fetch_options_of_the_config_file_are_fetch_config_fields() -> None:
    """The [fetch] table (config.FETCH_OPTIONS, read without loading httpx) names fields of
    FetchConfig with their types, so sources.fetching.fetch_config can pass them on as given."""
    hints = typing.get_type_hints(FetchConfig)
    fields = {f.name for f in dataclasses.fields(FetchConfig)}
    policy = {"allow_private_networks"}  # an address policy, passed as allow_private
    assert set(FETCH_OPTIONS) - policy <= fields
    for name, kind in FETCH_OPTIONS.items():
        if name not in policy:
            # None where the default is worked out at run time (workers: one per core).
            assert hints[name] in (kind, kind | None), name
