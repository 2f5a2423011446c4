"""A citation (a book, a call, a dataset: nothing to fetch) shown as a citation, in one
wording for the CLI, the TUI and the reports:

    citation  "quoted passage" (stance: supports)  from: Council minutes, 12 May

instead of the fetch columns (site, fetch status, hash) a web page has."""

from __future__ import annotations

CITATION = "citation"


def is_citation(kind: str | None, url: str | None) -> bool:
    return kind == CITATION or (kind is None and not url)


def cited_from(title: str | None, citation: str | None, url: str | None) -> str:
    """What the citation names: its text, else a title or a URL a person gave with it."""
    return citation or title or url or "(no reference given)"


def citation_head(stance: str, quote: str | None) -> str:
    """`citation  "quoted passage" (stance: supports)`: the part before `from:`."""
    quoted = f'  "{quote}"' if quote else ""
    return f"{CITATION}{quoted} (stance: {stance})"


def citation_line(
    stance: str, quote: str | None, title: str | None, citation: str | None, url: str | None
) -> str:
    return f"{citation_head(stance, quote)}  from: {cited_from(title, citation, url)}"
