"""The `[keymap]` table of the config file: binding id = "keys".

Three spellings name a binding, all documented: the full id quoted (`"claim.verdict" = "V"`),
the full id unquoted (`claim.verdict = "V"`, which TOML reads as a nested table
`{claim = {verdict = "V"}}`), and the id's last part alone when only one binding has it
(`verdict = "V"`). `flatten` turns the table into dotted ids; `resolve` matches them to the
bindings the terminal UI has and says, for any it cannot place, which ids are valid.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any


class KeymapError(ValueError):
    """A value in the table that is neither keys nor a table of them."""


def flatten(table: dict[str, Any], prefix: str = "") -> dict[str, str]:
    """{"claim": {"verdict": "V"}, "cite": "C"} -> {"claim.verdict": "V", "cite": "C"}."""
    flat: dict[str, str] = {}
    for key, value in table.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(flatten(value, name + "."))
        elif isinstance(value, str) and value.strip():
            flat[name] = ",".join(part.strip() for part in value.split(",") if part.strip())
        else:
            raise KeymapError(f'{name} must be keys in quotes, e.g. {name} = "V"')
    return flat


@dataclass
class Resolved:
    bindings: dict[str, str] = field(default_factory=dict)  # full binding id -> keys
    problems: list[str] = field(default_factory=list)

    def message(self, known: Iterable[str]) -> str:
        return f"keymap: {'; '.join(self.problems)}; valid ids: {', '.join(sorted(known))}"


def resolve(keymap: dict[str, str], known: Iterable[str]) -> Resolved:
    """Full ids as they are; a short id when it ends exactly one known id."""
    ids = sorted(set(known))
    result = Resolved()
    for name, keys in keymap.items():
        if name in ids:
            result.bindings[name] = keys
            continue
        matches = [i for i in ids if i.rsplit(".", 1)[-1] == name]
        if len(matches) == 1:
            result.bindings[matches[0]] = keys
        elif matches:
            result.problems.append(f"{name!r} could be {' or '.join(matches)}; write the full id")
        else:
            result.problems.append(f"unknown binding id {name!r}")
    return result
