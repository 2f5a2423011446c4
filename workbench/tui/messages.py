"""App-level messages. Results travel from thread workers to the UI as messages (posting a
message is thread-safe); a newer `generation` makes older results stale.

Written as Textual writes its own messages, with an `__init__`, not as dataclasses: the first
screen needs all of them, and making a dataclass costs about half a millisecond at import.
"""

from __future__ import annotations

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


class WindowLoaded(Message):
    """Rows of the claims list from `offset` on; with `total` when the list was (re)counted."""

    def __init__(
        self, generation: int, offset: int, rows: list[ClaimRow], total: Total | None = None
    ) -> None:
        super().__init__()
        self.generation = generation
        self.offset = offset
        self.rows = rows
        self.total = total


class ExactCount(Message):
    """The exact size of a large search, computed after its first page was shown."""

    def __init__(self, generation: int, count: int) -> None:
        super().__init__()
        self.generation = generation
        self.count = count


class CountsLoaded(Message):
    """Claims per status, for the counts bar."""

    def __init__(self, counts: dict[str, int]) -> None:
        super().__init__()
        self.counts = counts


class DataChanged(Message):
    """The database changed (here or in another process): screens reload what they show."""

    def __init__(self, marker: int) -> None:
        super().__init__()
        self.marker = marker


class OpenClaim(Message):
    """The reviewer asked to open a claim (Enter, or a click on the highlighted row)."""

    def __init__(self, claim_id: int) -> None:
        super().__init__()
        self.claim_id = claim_id


class ClaimLoaded(Message):
    """The full detail of one claim, for the claim screen."""

    def __init__(self, detail: ClaimDetail) -> None:
        super().__init__()
        self.detail = detail


class ListFailed(Message):
    """A read for the claims list failed; the message says why."""

    def __init__(self, error: str) -> None:
        super().__init__()
        self.error = error
