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


class BusyError(DatabaseError):
    """Another program held the write lock longer than the busy timeout; nothing was saved."""


class DiskFullError(DatabaseError):
    """The disk (or the database's size limit) is full; nothing was saved."""
