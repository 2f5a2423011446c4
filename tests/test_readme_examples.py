"""The README's examples run as written: every ```toml block loads through the config loader
(and its keymap names real bindings), every ```sh block runs in bash against a fresh folder,
with `workbench` on PATH and no other change.

Not run here: blocks that install software (a line with `pip install`, `python3 -m venv` or
`apt-get`): the Quickstart and the PostgreSQL set-up, which `.ci/run` runs as its own steps;
and a block marked by an HTML comment as run by another test (the team set-up needs a
PostgreSQL server: tests/test_team_roles.py runs it).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from workbench.config import load_settings
from workbench.keymap import resolve

README = (ROOT / "README.md").read_text(encoding="utf-8")
# (an HTML comment on the line before, e.g. "<!-- team-setup: tests/x.py runs this block -->",
# language, code)
FOUND = re.findall(r"(?:^(<!--.*?-->)\n)?^```(\w+)\n(.*?)^```$", README, re.M | re.S)
BLOCKS = [(lang, code) for note, lang, code in FOUND if "runs this block" not in note]
INSTALLS = re.compile(r"pip install|python3 -m venv|apt-get")
SHELL = [code for lang, code in BLOCKS if lang == "sh" and not INSTALLS.search(code)]
TOML = [code for lang, code in BLOCKS if lang == "toml"]


def test_the_readme_has_examples_of_each_kind() -> None:
    skipped = [code for lang, code in BLOCKS if lang == "sh" and INSTALLS.search(code)]
    assert SHELL and TOML and len(skipped) == 2  # Quickstart, PostgreSQL set-up
    assert {lang for lang, _ in BLOCKS} <= {"sh", "toml"}
    # A block that another test runs (it needs a PostgreSQL server) names that test.
    for note, _lang, _code in FOUND:
        if "runs this block" in note:
            test = re.search(r"tests/\S+\.py", note)
            assert test and (ROOT / test.group()).is_file(), note


@pytest.mark.parametrize("code", TOML, ids=[f"toml-{i}" for i in range(len(TOML))])
def test_toml_example_loads(code: str, tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(code, encoding="utf-8")
    settings = load_settings(path)  # raises, naming the line, on anything it refuses
    if settings.keymap:
        from workbench.tui.app import WorkbenchApp

        app = WorkbenchApp("sqlite:///" + str(tmp_path / "k.db"), settings=settings)
        known = [entry[0] for entry in app.binding_entries(with_ids=True)]
        resolved = resolve(settings.keymap, known)
        assert resolved.problems == [] and resolved.bindings


@pytest.mark.parametrize("code", SHELL, ids=[f"sh-{i}" for i in range(len(SHELL))])
def test_shell_example_runs_as_written(code: str, tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    env = {
        **os.environ,
        # The installed program first on PATH, as after the Quickstart.
        "PATH": str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", ""),
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
    }
    for name in ("WORKBENCH_DB", "WORKBENCH_CONFIG"):
        env.pop(name, None)
    done = subprocess.run(
        ["bash", "-e", "-o", "pipefail", "-c", code],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=300,
    )
    assert done.returncode == 0, f"{code}\n--- stdout\n{done.stdout}\n--- stderr\n{done.stderr}"
    assert "Traceback" not in done.stderr
    if "claims --search tunnel --json" in code:
        found = json.loads(done.stdout[done.stdout.rindex("[\n") :])
        assert found[0]["rating"] == "mostly-false" and "tunnel" in found[0]["text"]
