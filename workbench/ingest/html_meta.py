"""A page's title and site name alone, the way trafilatura's full metadata pass finds them.

The full pass (with_metadata=True) also looks for the author, the date (htmldate), categories,
tags and a licence: on news pages that is 40% of the extraction's CPU, and a fetched source
stores only the title and the site name. This takes the same steps for those two fields:
<meta> tags, then JSON-LD, then the page's headings and <title>, then its site-name hints.
"""

from __future__ import annotations

from typing import Any

__all__ = ["available", "title_and_site"]


def _helpers() -> tuple[Any, ...] | None:
    """trafilatura's metadata helpers used here (not its documented API), or None if gone."""
    try:
        from trafilatura.metadata import (
            META_URL,
            examine_meta,
            extract_meta_json,
            extract_sitename,
            extract_title,
            extract_url,
        )
        from trafilatura.utils import load_html
    except ImportError:
        return None
    return (META_URL, examine_meta, extract_meta_json, extract_sitename, extract_title,
            extract_url, load_html)  # fmt: skip


def available() -> bool:
    """Whether the helpers are there; when not, callers take the full metadata pass."""
    return _helpers() is not None


def title_and_site(html: Any, url: str | None = None) -> dict[str, Any]:
    """{"title", "sitename", "url"}, each None when not found; {} if the page won't parse.

    ``html`` is the page's text or its lxml tree (as trafilatura.load_html gives it)."""
    helpers = _helpers()
    if helpers is None:
        return {}
    (host_pattern, examine_meta, extract_meta_json, extract_sitename, extract_title,
     extract_url, load_html) = helpers  # fmt: skip
    tree = load_html(html)
    if tree is None:
        return {}
    found = examine_meta(tree)
    try:
        found = extract_meta_json(tree, found)
    except Exception:  # trafilatura's JSON-LD reader has bugs of its own; meta tags still count
        pass
    title = found.title or extract_title(tree)
    site = (found.sitename or extract_sitename(tree) or "").lstrip("@") or None
    if site and "." not in site and not site[0].isupper():
        site = site.title()  # as trafilatura does
    page_url = found.url or extract_url(tree, url)
    if not site and page_url:  # the host name of the page's own (canonical) URL
        match = host_pattern.match(page_url)
        site = match[1] if match else None
    return {"title": title, "sitename": site, "url": page_url}
