"""Export JSON, import into an empty database, export again: the same document apart from
generated ids and the export time."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.export_fixtures import build_hostile, build_simple
from workbench.storage.store import Store

GENERATED = {
    "id",
    "article_id",
    "exported_at",
    "audit_head",
}  # audit_head: each database its own chain


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


def test_report_in_any_layout_and_broken_lines(tmp_path: Path, store: Store, cli: Any) -> None:
    build_simple(store)
    exported = tmp_path / "report.json"
    assert cli("export", "--format", "json", "-o", str(exported)).code == 0
    original = json.loads(exported.read_text(encoding="utf-8"))
    # Re-indented by another tool: read whole instead of line by line, same result.
    pretty = tmp_path / "pretty.json"
    pretty.write_text(json.dumps(original, indent=2), encoding="utf-8")
    other = f"sqlite:///{tmp_path / 'other.db'}"
    assert cli("import", str(pretty), "--strict", "--json", db=other).json()["added"]["claims"] == 4
    again = tmp_path / "again.json"
    assert cli("export", "--format", "json", "-o", str(again), db=other).code == 0
    assert strip(json.loads(again.read_text(encoding="utf-8"))) == strip(original)
    # One claim line broken in the exporter's layout: reported by index, the rest imported.
    lines = exported.read_text(encoding="utf-8").splitlines(keepends=True)
    first_claim = lines.index('"claims":[\n') + 1
    lines[first_claim + 1] = '{"text": broken\n'
    broken = tmp_path / "broken.json"
    broken.write_text("".join(lines), encoding="utf-8")
    third = f"sqlite:///{tmp_path / 'third.db'}"
    data = cli("import", str(broken), "--json", db=third).json()
    assert data["added"]["claims"] == 3
    assert [p["where"] for p in data["problems"]] == ["claims[1]"]
    assert "not JSON" in data["problems"][0]["message"]
    strict = cli("import", str(broken), "--strict", db=f"sqlite:///{tmp_path / 'fourth.db'}")
    assert strict.code == 1 and "claims[1]" in strict.err
    assert cli("claims", "--json", db=f"sqlite:///{tmp_path / 'fourth.db'}").json() == []
