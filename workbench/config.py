"""Configuration: one TOML file, overridden by environment variables, overridden by flags.

The file is `config.toml` in the platform's user config directory, or WORKBENCH_CONFIG.
A missing file means defaults; a broken one is an error naming the file, line and key.
"""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from workbench.core.keymap import KeymapError
from workbench.core.keymap import flatten as flatten_keymap
from workbench.core.ratings import DEFAULT_SCALE, RatingScale
from workbench.errors import ValidationError, WorkbenchError

APP_NAME = "workbench"
# Placeholders until `[organisation]` is configured: ClaimReview needs some author, but a
# report's header shows them to no reader (export/__init__.py: header_organisation).
DEFAULT_ORGANISATION_NAME = "Workbench fact-check desk"
DEFAULT_ORGANISATION_URL = "https://example.org/fact-checks"


@cache
def fetch_options() -> dict[str, type]:
    """The [fetch] table's keys and their types: the limits (core.fetch_limits, also the fields
    of sources.fetch.FetchConfig) and the address policy (Settings.allow_private_networks,
    passed on as allow_private). Made when first asked for: the limits' dataclass costs
    milliseconds to import, and most starts read no [fetch] table."""
    from workbench.core.fetch_limits import option_types

    return {**option_types(), "allow_private_networks": bool}


@dataclass(frozen=True)
class Settings:
    database: str | None = None
    reviewer: str | None = None
    organisation_name: str = DEFAULT_ORGANISATION_NAME
    organisation_url: str = DEFAULT_ORGANISATION_URL
    scale: RatingScale = DEFAULT_SCALE
    fetch: dict[str, Any] = field(default_factory=dict)
    ingest_threshold: float | None = None
    ingest_max_bytes: int = 5 * 1024 * 1024
    keymap: dict[str, str] = field(default_factory=dict)
    path: Path | None = None
    # [factchecks]: api_key and endpoint of the Fact Check Tools API (factcheck_search.py)
    factchecks: dict[str, str] = field(default_factory=dict)

    @property
    def allow_private_networks(self) -> bool:
        if os.environ.get("WORKBENCH_ALLOW_PRIVATE_NETWORKS", "").strip() in {"1", "true", "yes"}:
            return True
        return bool(self.fetch.get("allow_private_networks", False))


def config_path() -> Path:
    explicit = os.environ.get("WORKBENCH_CONFIG")
    if explicit:
        return Path(explicit)
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP_NAME)) / "config.toml"


def default_database_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME)) / "workbench.db"


def default_reviewer() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "reviewer"


def _line_of(text: str, key: str) -> int | None:
    leaf = key.rsplit(".", 1)[-1]
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if stripped.startswith(leaf) and stripped[len(leaf) :].lstrip().startswith("="):
            return number
    return None


def load_settings(path: Path | None = None) -> Settings:
    path = path or config_path()
    try:
        raw_text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Settings()
    except (OSError, UnicodeDecodeError) as exc:
        raise WorkbenchError(f"cannot read config file {path}: {exc}") from None
    import tomllib  # here: most people have no config file, and its import costs milliseconds

    try:
        data = tomllib.loads(raw_text)
    except tomllib.TOMLDecodeError as exc:
        raise WorkbenchError(f"config file {path} is not valid TOML: {exc}") from None

    def bad(key: str, why: str) -> WorkbenchError:
        line = _line_of(raw_text, key)
        where = f", line {line}" if line else ""
        return WorkbenchError(f"config file {path}{where}: key '{key}' {why}")

    def text(key: str, value: Any) -> str:
        if not isinstance(value, str):
            raise bad(key, "must be a string")
        return value

    known = {
        "database",
        "reviewer",
        "organisation",
        "ratings",
        "fetch",
        "ingest",
        "keymap",
        "factchecks",
    }
    for key in data:
        if key not in known:
            raise bad(key, f"is not a known setting (known: {', '.join(sorted(known))})")

    kwargs: dict[str, Any] = {"path": path}
    if "database" in data:
        kwargs["database"] = text("database", data["database"])
    if "reviewer" in data:
        kwargs["reviewer"] = text("reviewer", data["reviewer"])
    organisation = data.get("organisation", {})
    if not isinstance(organisation, dict):
        raise bad("organisation", "must be a table with 'name' and 'url'")
    if "name" in organisation:
        kwargs["organisation_name"] = text("organisation.name", organisation["name"])
    if "url" in organisation:
        kwargs["organisation_url"] = text("organisation.url", organisation["url"])
    if "ratings" in data:
        entries = data["ratings"]
        if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
            raise bad("ratings", "must be an array of tables ([[ratings]] name = ..., value = ...)")
        try:
            kwargs["scale"] = RatingScale.from_config(entries)
        except ValidationError as exc:
            raise bad("ratings", str(exc).split(": ", 1)[-1]) from None
    fetch = data.get("fetch", {})
    if not isinstance(fetch, dict):
        raise bad("fetch", "must be a table")
    for key, value in fetch.items():
        expected = fetch_options().get(key)
        if expected is None:
            raise bad(f"fetch.{key}", f"is not known (known: {', '.join(fetch_options())})")
        ok = isinstance(value, expected) or (expected is float and isinstance(value, int))
        if not ok or (expected is not bool and isinstance(value, bool)):
            raise bad(
                f"fetch.{key}", f"must be {'a number' if expected is float else expected.__name__}"
            )
        if expected is not bool and value <= 0:
            raise bad(f"fetch.{key}", "must be greater than zero")
    kwargs["fetch"] = dict(fetch)
    ingest = data.get("ingest", {})
    if not isinstance(ingest, dict):
        raise bad("ingest", "must be a table")
    if "threshold" in ingest:
        threshold = ingest["threshold"]
        if isinstance(threshold, bool) or not isinstance(threshold, int | float):
            raise bad("ingest.threshold", "must be a number between 0 and 1")
        if not 0 <= threshold <= 1:
            raise bad("ingest.threshold", "must be a number between 0 and 1")
        kwargs["ingest_threshold"] = float(threshold)
    if "max_bytes" in ingest:
        size = ingest["max_bytes"]
        if isinstance(size, bool) or not isinstance(size, int) or size <= 0:
            raise bad("ingest.max_bytes", "must be a positive whole number of bytes")
        kwargs["ingest_max_bytes"] = size
    keymap = data.get("keymap", {})
    if not isinstance(keymap, dict):
        raise bad("keymap", 'must be a table of binding id = "keys", e.g. [keymap] verdict = "V"')
    try:
        kwargs["keymap"] = flatten_keymap(keymap)
    except KeymapError as exc:
        raise bad("keymap", f"has a bad entry: {exc}") from None
    factchecks = data.get("factchecks", {})
    if not isinstance(factchecks, dict):
        raise bad("factchecks", 'must be a table: api_key = "...", endpoint = "https://..."')
    for key, value in factchecks.items():
        if key not in ("api_key", "endpoint"):
            raise bad(f"factchecks.{key}", "is not known (known: api_key, endpoint)")
        text(f"factchecks.{key}", value)
    kwargs["factchecks"] = dict(factchecks)
    return Settings(**kwargs)
