"""Ingesting one source: read or fetch it, prepare it, store it. On a machine with more than
one core the preparing (trafilatura, the model) runs in a forked process while this one
imports what storing needs (articles/ahead.py): each takes about half of a one-page ingest."""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from workbench import collector
from workbench.articles.ahead import prepared_ahead
from workbench.articles.preparing import PreparedArticle, prepare_article
from workbench.articles.reading import fetch_source, read_source
from workbench.errors import ValidationError
from workbench.progress import Progress
from workbench.storage.dbfiles import refuse_database_file

if TYPE_CHECKING:
    from workbench.articles.service import IngestResult
    from workbench.desk import Desk


def ingest_source(
    desk: Desk, source: str, *, title: str | None = None, progress: Progress | None = None
) -> IngestResult:
    """Reads or fetches one SOURCE (a path, '-' or an http(s) URL) and stores it."""
    settings = desk.settings
    lowered = source.strip().lower()
    url: str | None = None
    if lowered.startswith(("http://", "https://")):
        data, kind, charset, url = fetch_source(source.strip(), settings)
        name = source
    elif "://" in lowered:
        from workbench.sources.url_typos import suggested_url

        meant = suggested_url(source.strip())
        if meant is not None:
            raise ValidationError(f"{source}: the scheme is mistyped; write {meant}")
        raise ValidationError(f"{source}: only http and https URLs can be ingested")
    else:
        refuse_database_file(source, desk.sqlite_path, "ingest")
        data, kind, charset = read_source(source, max_bytes=settings.ingest_max_bytes)
        name = "standard input" if source == "-" else source
    prepare = partial(prepare_article, data, kind, charset=charset, url=url, title=title, name=name)
    prepared = prepared_ahead(
        prepare, progress, len(data), meanwhile=partial(_ready_to_store, desk)
    )
    del data, prepare  # the prepared text is all that is stored
    if prepared.title is None and url is None and source != "-":
        prepared = _with_title(prepared, Path(source).stem)
    from workbench.articles.service import store_article

    return desk.write(
        store_article,
        prepared,
        threshold=settings.ingest_threshold,
        source=source,
        progress=progress,
    )


def _ready_to_store(desk: Desk) -> None:
    """What storing needs, made ready while the article is prepared: the ORM and the models
    imported, the database's engine made."""
    with collector.paused():
        import workbench.articles.service  # noqa: F401
    desk.store  # noqa: B018


def _with_title(prepared: PreparedArticle, title: str) -> PreparedArticle:
    from dataclasses import replace

    return replace(prepared, title=title)
