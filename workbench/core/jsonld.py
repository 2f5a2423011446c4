"""JSON-LD as publishers write it: nodes that refer to each other by `@id`, values given as
one item or as a list, types with or without the schema.org prefix.

Only what reading ClaimReview needs, not a JSON-LD processor: no @context expansion (every
feed we have seen uses schema.org terms directly), no framing. References are resolved
lazily and with a depth limit, so a node that refers to itself cannot loop.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urljoin, urlsplit

MAX_DEPTH = 8  # how deep references are followed from one value
# Line breaks and runs of spaces are layout; a non-breaking space (French « ») is text.
_LAYOUT_SPACE = re.compile(r"[ \t\r\n\f\v]+")


def types(node: Any) -> set[str]:
    """The node's @type names without the vocabulary prefix ("http://schema.org/Claim")."""
    if not isinstance(node, dict):
        return set()
    value = node.get("@type")
    names = value if isinstance(value, list) else [value]
    return {v.rstrip("/").rsplit("/", 1)[-1] for v in names if isinstance(v, str) and v}


def as_list(value: Any) -> list[Any]:
    """A property's values: JSON-LD allows one value or a list of them."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def is_reference(value: Any) -> bool:
    """{"@id": ...} alone (or with a @type) points at a node described elsewhere."""
    return (
        isinstance(value, dict)
        and isinstance(value.get("@id"), str)
        and set(value) <= {"@id", "@type"}
    )


class Graph:
    """Every node of a document that has an @id, so references can be followed."""

    def __init__(self, document: Any) -> None:
        self.nodes: dict[str, dict[str, Any]] = {}
        self._collect(document, 0)

    def _collect(self, value: Any, depth: int) -> None:
        if depth > 64:  # a pathological nesting is not a reason to crash
            return
        if isinstance(value, list):
            for item in value:
                self._collect(item, depth + 1)
        elif isinstance(value, dict):
            node_id = value.get("@id")
            if isinstance(node_id, str) and not is_reference(value):
                # The fullest description of a node wins when it is described twice.
                known = self.nodes.get(node_id)
                if known is None or len(value) > len(known):
                    self.nodes[node_id] = value
            for item in value.values():
                self._collect(item, depth + 1)

    def resolve(self, value: Any, depth: int = 0) -> Any:
        """The value with references replaced by the nodes they name (recursively)."""
        if depth > MAX_DEPTH:
            return value
        if is_reference(value):
            target = self.nodes.get(value["@id"])
            if target is None:
                return value
            return self.resolve(target, depth + 1)
        if isinstance(value, list):
            return [self.resolve(v, depth + 1) for v in value]
        if isinstance(value, dict):
            return {k: self.resolve(v, depth + 1) for k, v in value.items()}
        return value


def text_of(value: Any) -> str | None:
    """The first non-empty text of a value: a string, a list of them, or a node's name
    (`name`, `@value`, `alternateName`). Layout whitespace is collapsed."""
    for item in as_list(value):
        if isinstance(item, dict):
            item = item.get("name") or item.get("@value") or item.get("alternateName")
            if isinstance(item, list):
                item = text_of(item)
        if isinstance(item, str) and item.strip():
            return _LAYOUT_SPACE.sub(" ", item).strip()
    return None


def url_of(value: Any, base: str | None = None) -> str | None:
    """The first http(s) URL of a value: a string, a list, or a node's url/@id. With `base`
    (the page's own address), a relative URL ("/verifica/x/") is read against it."""
    for item in as_list(value):
        if isinstance(item, dict):
            item = item.get("url") or item.get("@id")
            if isinstance(item, list):
                item = url_of(item, base)
        if not isinstance(item, str) or not item.strip():
            continue
        item = item.strip()
        if base and not item.lower().startswith(("http://", "https://")):
            item = urljoin(base, item)
        if item.lower().startswith(("http://", "https://")):
            return item
    return None


def host_of(url: str | None) -> str | None:
    """ "www.politifact.com" -> "politifact.com": a name for a publisher known only by URL."""
    if not url:
        return None
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return None
    return host.removeprefix("www.") or None


def walk(value: Any, path: str, stop: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every node typed `stop` inside `value` (not descending into one once found), with
    its path, e.g. "@graph[2].mainEntity"."""
    if isinstance(value, list):
        for index, item in enumerate(value):
            yield from walk(item, f"{path}[{index}]", stop)
        return
    if not isinstance(value, dict):
        return
    if stop in types(value):
        yield path, value
        return
    for key, item in value.items():
        if isinstance(item, dict | list):
            yield from walk(item, f"{path}.{key}" if path else key, stop)
