"""Building only the parser of the command a process runs.

Each command's parser costs about half a millisecond to make (argparse builds a formatter, a
registry and a -h for each), and there are about forty: most of a CLI read's parsing time.
So `main` makes the parser of the command named on the line, and stands in a do-nothing
parser for every other. `workbench --help`, a mistyped command or a line `command_word`
cannot read get the whole parser, so what they print is unchanged.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

# The options before the command that take a value (`--db PATH`), and the ones asking for help.
GLOBAL_WITH_VALUE = ("--db", "--reviewer")
HELP = ("-h", "--help")


def command_word(argv: Sequence[str]) -> str | None:
    """The command named on the line ('' for none: the terminal UI), or None when the line
    asks for help before any command or cannot be read this simply."""
    words = iter(argv)
    for word in words:
        if word in HELP:
            return None
        if word in GLOBAL_WITH_VALUE:
            next(words, None)
        elif not word.startswith("-"):
            return word
        elif word.split("=", 1)[0] not in GLOBAL_WITH_VALUE:
            return None  # an option argparse must judge
    return ""


class _Unused:
    """Stands in for a parser, a subparsers action or a group that no one will parse with:
    every call does nothing and gives back another stand-in."""

    def __getattr__(self, _name: str) -> Any:
        return lambda *args, **kw: self


class OnlyCommand:
    """argparse's subparsers action, making a real parser for `wanted` alone and noting the
    names of the others."""

    def __init__(self, sub: Any, wanted: str) -> None:
        self.sub = sub
        self.wanted = wanted
        self.names: set[str] = set()

    def add_parser(self, name: str, **kw: Any) -> Any:
        self.names.add(name)
        return self.sub.add_parser(name, **kw) if name == self.wanted else _Unused()
