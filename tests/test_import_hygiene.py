"""Layering and start-up: the domain never imports Textual, and `workbench --help` imports
neither Textual, httpx nor an extraction library (GUIDE section 6.2)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("textual", "httpx", "trafilatura", "lxml", "sqlalchemy", "alembic")


def _modules_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys, json; print(json.dumps(sorted(sys.modules)))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return set(json.loads(out.splitlines()[-1]))


def test_help_imports_nothing_heavy() -> None:
    loaded = _modules_after(
        "import contextlib, io\nfrom workbench.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try:\n        main(['--help'])\n    except SystemExit:\n        pass"
    )
    assert not {m.split(".")[0] for m in loaded} & set(HEAVY)


@pytest.mark.parametrize(
    "module",
    [
        "workbench.storage.models",
        "workbench.storage.store",
        "workbench.core.visibility",
        "workbench.claims.reading",
        "workbench.verdicts.service",
        "workbench.listing.browse",
        "workbench.desk",
        "workbench.config",
        "workbench.demo",
    ],
)
def test_domain_does_not_import_textual(module: str) -> None:
    loaded = _modules_after(f"import {module}")
    assert "textual" not in {m.split(".")[0] for m in loaded}
