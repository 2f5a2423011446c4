"""The Jinja2 environments for the report templates (package data in templates/).

Autoescape is decided by template name, explicitly: `select_autoescape()` does not cover
`*.html.j2`, and the Markdown templates need Markdown escaping instead (applied to every
`{{ ... }}` through `finalize`, so a template cannot forget it).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from functools import cache
from itertools import islice
from typing import Any, TextIO

from jinja2 import Environment, PackageLoader, StrictUndefined

from workbench.export.safety import md_text, safe_url

HTML_TEMPLATES = frozenset({"report.html.j2"})
MARKDOWN_TEMPLATES = frozenset({"report.md.j2"})


def _autoescape(name: str | None) -> bool:
    if name in HTML_TEMPLATES:
        return True
    if name in MARKDOWN_TEMPLATES:
        return False  # escaped for Markdown by the finalize hook instead
    return True  # a template we do not know about: the safe default


class Raw(str):
    """Markdown the exporter built itself (links, tables): passed through unescaped."""

    __slots__ = ()


def _md_finalize(value: Any) -> str:
    if isinstance(value, Raw):
        return str(value)
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return md_text(value)


def when(value: datetime | str | None) -> str:
    """ "2026-11-01 10:00 UTC" from a time or a report record's UTC text."""
    if value is None:
        return ""
    if isinstance(value, str):
        return f"{value[:10]} {value[11:16]} UTC"
    if value.utcoffset():
        value = value.astimezone(UTC)
    # isoformat is C code; strftime was a tenth of the HTML report's time.
    return value.isoformat(" ", "minutes")[:16] + " UTC"


def stream_to(chunks: Iterator[str], out: TextIO, batch: int = 4096) -> None:
    """Writes a template stream in large pieces: a report yields a million tiny chunks, and
    joining them in C (islice + join) instead of a Python loop halves the render time."""
    while True:
        piece = "".join(islice(chunks, batch))
        if not piece:
            return
        out.write(piece)


def _environment(**format_options: Any) -> Environment:
    """The packaged templates, escaped (_autoescape), strict about undefined names."""
    return Environment(
        loader=PackageLoader("workbench.export", "templates"),
        autoescape=_autoescape,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
        **format_options,
    )


@cache
def html_environment() -> Environment:
    env = _environment()
    env.filters["safe_url"] = safe_url
    env.filters["when"] = when
    return env


@cache
def markdown_environment() -> Environment:
    env = _environment(keep_trailing_newline=True, finalize=_md_finalize)
    env.filters["when"] = lambda value: Raw(when(value))
    return env
