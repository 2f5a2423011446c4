"""The words of the workbench and their limits: claim statuses, evidence stances, sizes.

Pure checks only (no database): every service and both front ends use these, so a status
or a stance is spelled and validated in one place.
"""

from __future__ import annotations

from workbench.errors import ValidationError

STATUSES = ("new", "in-progress", "reviewed", "approved", "dismissed")
# Statuses a reviewer may set by hand; "reviewed" comes with a verdict, "approved" with
# approval. A claim may also arrive with one of these (an import) without a verdict.
MANUAL_STATUSES = ("new", "in-progress", "dismissed")
STANCES = ("supports", "refutes", "context")
MAX_CLAIM_CHARS = 5000
MAX_RATIONALE_CHARS = 20000
MAX_NAME_CHARS = 200
MAX_NOTE_CHARS = 5000
MAX_REQUEST_ID_CHARS = 200


def require_reviewer(reviewer: str) -> str:
    name = reviewer.strip()
    if not name:
        raise ValidationError(
            "the reviewer name is empty; pass --reviewer NAME or set WORKBENCH_REVIEWER"
        )
    return name


def clean_text(value: str, what: str, limit: int) -> str:
    """`value` with its whitespace collapsed; refuses it empty or over `limit` characters."""
    cleaned = " ".join(value.split())
    if not cleaned:
        raise ValidationError(f"the {what} is empty; write the {what} in full")
    if len(cleaned) > limit:
        raise ValidationError(f"the {what} is {len(cleaned)} characters; the limit is {limit}")
    return cleaned


def check_stance(stance: str) -> str:
    value = stance.strip().lower()
    if value not in STANCES:
        raise ValidationError(f"unknown stance {stance!r}; valid stances: {', '.join(STANCES)}")
    return value


def check_status(status: str) -> str:
    if status not in STATUSES:
        raise ValidationError(f"unknown status {status!r}; valid: {', '.join(STATUSES)}")
    return status


def optional_text(value: str | None) -> str | None:
    """A quote or note as given, or None when it is missing or blank."""
    return value.strip() if value and value.strip() else None
