"""App-level messages. Results travel from thread workers to the UI as dataclass messages
(posting a message is thread-safe); a newer `generation` makes older results stale."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from textual.message import Message

from workbench.core.results import ClaimRow, Total

if TYPE_CHECKING:
    from textual.dom import DOMNode
    from textual.worker import Worker

    from workbench.core.details import ClaimDetail


def forward_worker_state(node: DOMNode, event: Worker.StateChanged) -> None:
    """Worker messages do not bubble: each screen, dialog and widget with workers hands
    them to the app, which turns a failure into a notification."""
    report = getattr(node.app, "report_worker", None)
    if report is not None:
        report(event)


@dataclass
class WindowLoaded(Message):
    """Rows of the claims list from `offset` on; with `total` when the list was (re)counted."""

    generation: int
    offset: int
    rows: list[ClaimRow]
    total: Total | None = None


@dataclass
class ExactCount(Message):
    """The exact size of a large search, computed after its first page was shown."""

    generation: int
    count: int


@dataclass
class CountsLoaded(Message):
    """Claims per status, for the counts bar."""

    counts: dict[str, int] = field(default_factory=dict)


@dataclass
class DataChanged(Message):
    """The database changed (here or in another process): screens reload what they show."""

    marker: int


@dataclass
class OpenClaim(Message):
    """The reviewer asked to open a claim (Enter, or a click on the highlighted row)."""

    claim_id: int


@dataclass
class CursorMoved(Message):
    """The highlighted row changed."""

    row: ClaimRow | None


@dataclass
class ClaimLoaded(Message):
    """The full detail of one claim, for the claim screen."""

    detail: ClaimDetail


@dataclass
class ListFailed(Message):
    """A read for the claims list failed; the message says why."""

    error: str
