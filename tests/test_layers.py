"""Seams between the layers that no type checker sees."""

from __future__ import annotations

import dataclasses
import json
import typing
from pathlib import Path

import pytest

from workbench.config import fetch_options, load_settings
from workbench.core.fetch_limits import FetchLimits
from workbench.errors import WorkbenchError
from workbench.sources.fetch import FetchConfig
from workbench.sources.fetching import fetch_config

FETCH_OPTIONS = fetch_options()


def test_fetch_options_of_the_config_file_are_fetch_config_fields() -> None:
    """The [fetch] table (config.fetch_options(), read without loading httpx) names fields of
    FetchConfig with their types, so sources.fetching.fetch_config can pass them on as given."""
    hints = typing.get_type_hints(FetchConfig)
    fields = {f.name for f in dataclasses.fields(FetchConfig)}
    policy = {"allow_private_networks"}  # an address policy, passed as allow_private
    assert set(FETCH_OPTIONS) - policy <= fields
    for name, kind in FETCH_OPTIONS.items():
        if name not in policy:
            # None where the default is worked out at run time (workers: one per core).
            assert hints[name] in (kind, kind | None), name


def test_config_file_accepts_every_fetch_option_and_fetch_config_takes_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each name of the [fetch] table parses, with a value of its type, and reaches the
    FetchConfig a fetch runs with; a name outside the table is refused, naming the known ones."""
    monkeypatch.delenv("WORKBENCH_ALLOW_PRIVATE_NETWORKS", raising=False)
    values = {float: 7.5, int: 3, bool: True}
    assert set(FETCH_OPTIONS) == {f.name for f in dataclasses.fields(FetchLimits)} | {
        "allow_private_networks"
    }
    for name, kind in FETCH_OPTIONS.items():
        path = tmp_path / f"{name}.toml"
        path.write_text(f"[fetch]\n{name} = {json.dumps(values[kind])}\n", encoding="utf-8")
        settings = load_settings(path)
        assert settings.fetch == {name: values[kind]}, name
        config = fetch_config(settings)
        field = "allow_private" if name == "allow_private_networks" else name
        assert getattr(config, field) == values[kind], name
    path = tmp_path / "typo.toml"
    path.write_text("[fetch]\nconnect_timout = 3\n", encoding="utf-8")
    with pytest.raises(WorkbenchError, match="fetch.connect_timout.*known: connect_timeout"):
        load_settings(path)
