"""The parser built for one command (cli/only.py) reads that command's line exactly as the
whole parser does, and says the same about it."""

from __future__ import annotations

import argparse

import pytest

from workbench.cli import build_parser
from workbench.cli.only import command_word


def _commands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


FULL = build_parser()


@pytest.mark.parametrize("name", sorted(_commands(FULL)))
def test_each_commands_own_parser_is_the_whole_parsers(name: str) -> None:
    alone = _commands(build_parser(name))
    assert list(alone) == [name]
    assert alone[name].format_help() == _commands(FULL)[name].format_help()


@pytest.mark.parametrize(
    "line",
    [
        [],
        ["--db", "x.db", "--reviewer", "bob"],
        ["--db=x.db", "claims", "--limit", "3", "--json"],
        ["claim", "show", "5", "--json"],
        ["--reviewer", "ann", "ingest", "a.html", "-", "--title", "T"],
        ["verdict", "7", "false", "--rationale", "because"],
    ],
)
def test_a_line_reads_the_same_either_way(line: list[str]) -> None:
    word = command_word(line)
    assert word is not None
    assert vars(build_parser(word).parse_args(line)) == vars(FULL.parse_args(line))


def test_a_mistyped_command_gets_the_whole_parsers_answer(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit):
        FULL.parse_args(["claimz"])
    whole = capsys.readouterr().err
    assert "invalid choice: 'claimz'" in whole
    with pytest.raises(SystemExit):
        build_parser("claimz").parse_args(["claimz"])
    assert capsys.readouterr().err == whole


def test_the_command_word_is_found_past_the_global_options() -> None:
    assert command_word(["--db", "claims", "history", "3"]) == "history"
    assert command_word(["--reviewer=ann", "claims"]) == "claims"
    assert command_word(["--db", "x.db"]) == ""
    # Help, or an option only argparse can judge, before any command: the whole parser.
    assert command_word(["-h"]) is None
    assert command_word(["--json", "claims"]) is None
