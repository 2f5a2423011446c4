"""Preparing an article in a forked process while this one gets ready to store it.

A one-page ingest is two halves of about the same cost that need nothing of each other:
preparing (trafilatura and the model, imported and run) and getting ready to store
(SQLAlchemy and the models imported, the engine made). On two cores they overlap. The child
is a plain fork, so it starts with everything imported so far and the bytes already read;
its progress and its result come back through a pipe.

Forking is safe only with no other thread (a lock one holds stays locked in the child), so
anything else (one core, a worker thread of the TUI, a big article whose result would be
costly to send back) prepares in this process, as does a child that dies without answering.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from workbench.errors import WorkbenchError
from workbench.progress import Progress

T = TypeVar("T")

# Above this size the text and its offsets sent back cost more than the overlap saves.
AHEAD_MAX_BYTES = 4 * 1024 * 1024
CHILD_EXIT_SECONDS = 5.0


def prepared_ahead(
    prepare: Callable[..., T],
    progress: Progress | None,
    size: int,
    *,
    meanwhile: Callable[[], None],
) -> T:
    """`prepare(progress=...)`'s result, computed in a child process while `meanwhile()` runs
    here when that can overlap, else `prepare` then `meanwhile` here. Errors a user can act on
    (WorkbenchError) raised in the child are raised here."""
    if not _can_fork(size):
        result = prepare(progress=progress)
        meanwhile()
        return result
    context = multiprocessing.get_context("fork")
    receiving, sending = context.Pipe(duplex=False)
    child = context.Process(target=_prepare_in_child, args=(sending, prepare), daemon=True)
    child.start()
    sending.close()  # the child's copy is its own: EOF here once it exits
    try:
        meanwhile()
        outcome = _answer(receiving, progress)
        child.join(CHILD_EXIT_SECONDS)  # it has answered: only its exit is left
    finally:
        receiving.close()
        if child.is_alive():  # interrupted, or stuck on its way out
            child.kill()
        child.join()
    if outcome is None:  # the child died or failed unexpectedly: the same work, here
        return prepare(progress=progress)
    prepared: T = outcome[0]
    return prepared


def _can_fork(size: int) -> bool:
    if size > AHEAD_MAX_BYTES or threading.active_count() > 1:
        return False
    if "fork" not in multiprocessing.get_all_start_methods():
        return False
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        cores = os.cpu_count() or 1
    return cores > 1


def _prepare_in_child(sending: Any, prepare: Callable[..., Any]) -> None:
    def relay(done: int, total: int, what: str) -> None:
        sending.send(("progress", (done, total, what)))

    try:
        sending.send(("done", prepare(progress=relay)))
    except WorkbenchError as exc:
        sending.send(("error", exc))
    except BaseException:  # noqa: BLE001 - a bug shows its traceback when redone in the parent
        sending.send(("redo", None))
    finally:
        sending.close()


def _answer(receiving: Any, progress: Progress | None) -> tuple[Any] | None:
    """The child's result as a 1-tuple, its progress passed on to `progress` as it comes;
    None when it must be redone here."""
    while True:
        try:
            kind, value = receiving.recv()
        except (EOFError, OSError):
            return None
        if kind == "progress":
            if progress is not None:
                progress(*value)
        elif kind == "done":
            return (value,)
        elif kind == "error":
            raise value
        else:
            return None
