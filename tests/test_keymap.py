"""The documented `[keymap]` forms work: a short id, a dotted id (quoted or not: unquoted,
TOML makes it a nested table), several keys; a bad one is named with the valid ids."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.tui_helpers import demo_app, notifications, settle
from workbench.config import load_settings
from workbench.errors import WorkbenchError
from workbench.keymap import resolve
from workbench.store import Store
from workbench.tui.screens.claims import ClaimsScreen
from workbench.tui.screens.modals import HelpScreen, VerdictDialog

SIZE = (120, 32)
KNOWN = ["claim.verdict", "claim.cite", "choice.cancel", "dialog.cancel", "table.open"]


def load(tmp_path: Path, body: str) -> dict[str, str]:
    path = tmp_path / "config.toml"
    path.write_text("[keymap]\n" + body + "\n", encoding="utf-8")
    return load_settings(path).keymap


@pytest.mark.parametrize(
    "body",
    ['verdict = "V"', 'claim.verdict = "V"', '"claim.verdict" = "V"', "claim = { verdict = 'V' }"],
)
def test_every_documented_form_binds_the_verdict_key(tmp_path: Path, body: str) -> None:
    keymap = load(tmp_path, body)
    assert resolve(keymap, KNOWN).bindings == {"claim.verdict": "V"}


def test_several_keys_and_problems(tmp_path: Path) -> None:
    keymap = load(tmp_path, 'verdict = "V, ctrl+v"\ncancel = "q"\nverdikt = "x"')
    resolved = resolve(keymap, KNOWN)
    assert resolved.bindings == {"claim.verdict": "V,ctrl+v"}
    message = resolved.message(KNOWN)
    assert "'cancel' could be choice.cancel or dialog.cancel; write the full id" in message
    assert "unknown binding id 'verdikt'" in message
    assert "valid ids: choice.cancel, claim.cite, claim.verdict" in message


@pytest.mark.parametrize(
    ("body", "why"),
    [("verdict = 3", "verdict must be keys in quotes"), ('claim.verdict = ""', "claim.verdict")],
)
def test_a_bad_value_names_the_file_line_and_form(tmp_path: Path, body: str, why: str) -> None:
    with pytest.raises(WorkbenchError) as caught:
        load(tmp_path, body)
    assert "config.toml" in str(caught.value) and why in str(caught.value)
    assert "e.g." in str(caught.value)


def test_keymap_that_is_not_a_table(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('keymap = "v"\n', encoding="utf-8")
    with pytest.raises(WorkbenchError, match=r"line 1: key .keymap. must be a table .*\[keymap\]"):
        load_settings(path)


async def test_tui_takes_the_short_and_the_dotted_form(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[keymap]\nverdict = "V"\nclaim.cite = "C"\nnope = "z"\n', encoding="utf-8")
    app = demo_app(store, settings=load_settings(path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert any("unknown binding id 'nope'" in n for n in notifications(app))
        await pilot.press("v")
        assert isinstance(app.screen, ClaimsScreen)
        await pilot.press("V")
        assert isinstance(app.screen, VerdictDialog)
        await pilot.press("escape")
        await pilot.press("question_mark")
        await settle(pilot)
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        assert any(keys == "V" and d == "Verdict" for keys, d, _ in help_screen.entries)
        # Every example the help screen gives is valid TOML that binds a key.
        examples = re.findall(r'([\w.]+ = "[^"]+")', help_screen.config_hint)
        assert len(examples) >= 2
        for example in examples:
            keymap = load(tmp_path, example)
            known = [e[0] for e in app.binding_entries(with_ids=True)]
            assert resolve(keymap, known).bindings and not resolve(keymap, known).problems
