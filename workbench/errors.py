"""Errors a user can act on. Each message says what was wrong and what to do about it."""

from __future__ import annotations


class WorkbenchError(Exception):
    """A problem caused by input or environment, reported without a traceback (exit 1)."""


class NotFoundError(WorkbenchError):
    pass


class ValidationError(WorkbenchError):
    pass


class DatabaseError(WorkbenchError):
    pass


class ConflictError(WorkbenchError):
    """Someone else saved the record after it was read; the caller's input is still valid."""

    def __init__(
        self, message: str, *, claim_id: int | None = None, version: int | None = None
    ) -> None:
        super().__init__(message)
        self.claim_id = claim_id
        self.version = version  # the claim's version now, to reapply the change against


class BusyError(DatabaseError):
    """Another program held the write lock longer than the busy timeout; nothing was saved."""


class DiskFullError(DatabaseError):
    """The disk (or the database's size limit) is full; nothing was saved."""


class RefusedError(DatabaseError):
    """The database refused the login this (a missing grant, a row-level security policy or
    a rule of the team server); nothing was saved."""
