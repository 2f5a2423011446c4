"""A history event as a person would write it: "rating changed from mostly-false to
mostly-true", "source attached: https://...", "verdict approved". The one wording of the
audit trail, for the CLI's `history` and `claim show` and the TUI's claim screen; the JSON
keeps the raw before and after states."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from workbench.core.details import EventView
from workbench.wording import counted

State = dict[str, Any]

# Long values (a claim's text, a quote) are cut so one event stays one readable line.
_WIDTH = 80


def describe_event(event: EventView) -> str:
    """What the event did, without who or when (the front ends show those beside it)."""
    before, after = event.before or {}, event.after or {}
    phrase = _PHRASES.get(event.action)
    parts = [phrase(before, after) if phrase else _unknown(event.action)]
    parts += _field_changes(event.action, before, after)
    return "; ".join(p for p in parts if p) or _unknown(event.action)


def _short(value: Any) -> str:
    text = " ".join(str(value).split())
    return text if len(text) <= _WIDTH else text[: _WIDTH - 1] + "…"


def _unknown(action: str) -> str:
    return action.replace(".", " ").replace("_", " ")


def _field_changes(action: str, before: State, after: State) -> list[str]:
    """The claim fields an event changed, each in words; a field the viewer may not see
    (a rating under blind review) is absent from both states and so says nothing."""
    if not before:
        return []
    out: list[str] = []
    if "rating" in after and before.get("rating") != after["rating"]:
        out.append(_changed("rating", before.get("rating"), after["rating"]))
    if "status" in after and before.get("status") != after["status"]:
        out.append(_changed("status", before.get("status"), after["status"]))
    if action != "claim.assign" and "assignee" in after:
        if before.get("assignee") != after["assignee"]:
            out.append(_changed("assignee", before.get("assignee"), after["assignee"]))
    if action != "claim.edit" and "text" in after and "text" in before:
        if before["text"] != after["text"]:
            out.append("text changed")
    return out


def _changed(field: str, old: Any, new: Any) -> str:
    if old is None:
        return f"{field} set to {new}"
    if new is None:
        return f"{field} cleared (was {old})"
    return f"{field} changed from {old} to {new}"


def _stance(state: State) -> str:
    return f" (stance: {state['stance']})" if state.get("stance") else ""


def _evidence_added(_before: State, after: State) -> str:
    if after.get("source_kind") == "citation" or (after.get("citation") and not after.get("url")):
        said = f"citation added: {_short(after.get('citation') or '')}"
    else:
        said = f"source attached: {_short(after.get('url') or '')}"
    quote = f' quoting "{_short(after["quote"])}"' if after.get("quote") else ""
    return said + _stance(after) + quote


def _evidence_removed(before: State, _after: State) -> str:
    if before.get("url"):
        return f"source removed: {_short(before['url'])}"
    if before.get("citation"):
        return f"citation removed: {_short(before['citation'])}"
    return "source removed"


def _quote_pinned(before: State, after: State) -> str:
    quote = f': "{_short(after["quote"])}"' if after.get("quote") else ""
    return f"quote pinned{quote}{_stance(after)}"


def _fetched(_before: State, after: State) -> str:
    url = _short(after.get("url") or "")
    status = after.get("fetch_status")
    if status == "ok":
        return f"source fetched: {url}"
    code = f", HTTP {after['http_status']}" if after.get("http_status") else ""
    return f"fetch failed: {url} ({status or 'no answer'}{code})"


def _verdict(_before: State, after: State) -> str:
    return "blind verdict recorded" if after.get("blind") else "verdict recorded"


def _assigned(before: State, after: State) -> str:
    name = after.get("assignee")
    if not name:
        return f"unassigned (was {before['assignee']})" if before.get("assignee") else "unassigned"
    blind = " for a blind review" if after.get("blind_review") else ""
    return f"assigned to {name}{blind}"


def _sent_back(_before: State, after: State) -> str:
    note = f": {_short(after['note'])}" if after.get("note") else ""
    return "verdict sent back" + note


def _summary(_before: State, after: State) -> str:
    if after.get("summary"):
        return f'short form set to "{_short(after["summary"])}"'
    return "short form cleared"


def _status(_before: State, after: State) -> str:
    return "status changed for several claims at once" if after.get("bulk") else ""


def _matches(_before: State, after: State) -> str:
    return f"{counted(len(after.get('matches') or []), 'earlier fact-check')} suggested"


def _fixed(text: str) -> Callable[[State, State], str]:
    return lambda _before, _after: text


_PHRASES: dict[str, Callable[[State, State], str]] = {
    "claim.add": _fixed("claim added"),
    "claim.import": _fixed("claim imported"),
    "claim.edit": _fixed("text edited"),
    "claim.summary": _summary,
    "claim.status": _status,
    "claim.assign": _assigned,
    "claim.send_back": _sent_back,
    "claim.approve": _fixed("verdict approved"),
    "verdict.add": _verdict,
    "evidence.add": _evidence_added,
    "evidence.remove": _evidence_removed,
    "evidence.quote": _quote_pinned,
    "source.fetch": _fetched,
    "match.suggest": _matches,
    "match.confirm": _fixed("earlier fact-check confirmed as a match"),
    "match.reject": _fixed("earlier fact-check rejected as a match"),
    "article.ingest": _fixed("article ingested"),
    "import.file": _fixed("file imported"),
}
