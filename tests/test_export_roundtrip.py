"""Export JSON, import into an empty database, export again: the same document apart from
generated ids and the export time."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from export_fixtures import build_hostile, build_simple

from workbench.store import Store

GENERATED = {"id", "article_id", "exported_at"}


def strip(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: strip(v) for k, v in value.items() if k not in GENERATED}
    if isinstance(value, list):
        return [strip(v) for v in value]
    return value


def test_json_round_trip(tmp_path: Path, store: Store, cli: Any) -> None:
    build_simple(store)
    build_hostile(store)
    first = tmp_path / "first.json"
    assert cli("export", "--format", "json", "-o", str(first)).code == 0
    empty = f"sqlite:///{tmp_path / 'empty.db'}"
    imported = cli("import", str(first), "--json", "--strict", db=empty)
    assert imported.code == 0, imported.err
    second = tmp_path / "second.json"
    assert cli("export", "--format", "json", "-o", str(second), db=empty).code == 0
    a = json.loads(first.read_text(encoding="utf-8"))
    b = json.loads(second.read_text(encoding="utf-8"))
    assert a["summary"]["claims"] == 25 and a["claims"][0]["evidence"]
    assert strip(a) == strip(b)
    # Importing it again adds nothing.
    again = cli("import", str(first), "--json", db=empty).json()
    assert again["added"]["claims"] == 0 and again["duplicates"] == 25
