"""The JSON-LD blocks of an HTML page (`<script type="application/ld+json">`), the way
fact-checkers publish ClaimReview, the page's own language (`<html lang>`) and address
(`<link rel="canonical">`, else `og:url`), against which relative URLs are read."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any


@dataclass
class Block:
    index: int  # 0-based among the page's JSON-LD scripts
    line: int  # where the script starts in the page
    document: Any = None
    error: str | None = None  # why the block is not JSON


@dataclass
class Page:
    blocks: list[Block] = field(default_factory=list)
    language: str | None = None
    address: str | None = None  # an http(s) URL, or None


class _Scripts(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)  # script text is raw; &amp; stays as written
        self.page = Page()
        self._open: Block | None = None
        self._text: list[str] = []
        self._address_from = ""  # "link" or "meta": where page.address came from

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): (v or "") for k, v in attrs}
        if tag == "html" and values.get("lang") and self.page.language is None:
            self.page.language = values["lang"].strip()[:20] or None
        self._note_address(tag, values)
        if tag == "script":
            kind = values.get("type", "").split(";", 1)[0].strip().lower()
            if kind == "application/ld+json":
                self._open = Block(len(self.page.blocks), self.getpos()[0])
                self._text = []

    def _note_address(self, tag: str, values: dict[str, str]) -> None:
        if tag == "link" and "canonical" in values.get("rel", "").lower().split():
            found = values.get("href", "")
        elif tag == "meta" and values.get("property", "").lower() == "og:url":
            found = values.get("content", "")
        else:
            return
        found = found.strip()  # HTMLParser has already decoded &amp; in attributes
        if not found.lower().startswith(("http://", "https://")):
            return
        # The first canonical link wins; og:url only stands in until one is seen.
        if self._address_from != "link" and (tag == "link" or self.page.address is None):
            self.page.address = found
            self._address_from = tag

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._open is not None:
            block, self._open = self._open, None
            raw = "".join(self._text).strip()
            # Some CMSs wrap the JSON in an HTML comment or CDATA marker.
            for start, end in (("<!--", "-->"), ("<![CDATA[", "]]>")):
                if raw.startswith(start) and raw.endswith(end):
                    raw = raw[len(start) : -len(end)].strip()
            try:
                block.document = json.loads(raw)
            except json.JSONDecodeError as exc:
                block.error = f"not JSON ({exc.msg}, line {exc.lineno} of the block)"
            self.page.blocks.append(block)


def looks_like_html(name: str, content: str) -> bool:
    if name.lower().endswith((".html", ".htm", ".xhtml")):
        return True
    head = content.lstrip()[:200].lower()
    return head.startswith(("<!doctype html", "<html", "<head", "<meta", "<script", "<!--"))


def read_page(content: str) -> Page:
    parser = _Scripts()
    parser.feed(content)
    parser.close()
    return parser.page
