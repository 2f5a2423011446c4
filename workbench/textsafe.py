"""Text from anywhere made safe to show in a terminal: no control or escape sequences."""

from __future__ import annotations

import re

# C0 controls except tab and newline, DEL, and C1 controls (which include CSI and OSC).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Whole escape sequences first, so their printable tails (e.g. "[31m") do not survive.
_ESCAPE_SEQUENCE = re.compile(
    r"\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC ... BEL or ST (e.g. OSC 52 clipboard writes)
    r"|\x1b[P^_X][^\x1b]*(?:\x1b\\)?"  # DCS, PM, APC, SOS strings
    r"|\x1b\[[0-?]*[ -/]*[@-~]"  # CSI sequences
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
    r"|\x1b[@-Z\\-_]"  # other two-byte escapes
)


def printable(text: str, *, keep_newlines: bool = True) -> str:
    """Removes terminal escape sequences and control characters."""
    cleaned = _CONTROL.sub("", _ESCAPE_SEQUENCE.sub("", text))
    if not keep_newlines:
        cleaned = " ".join(cleaned.split())
    return cleaned


def one_line(text: str, width: int | None = None) -> str:
    flat = printable(text, keep_newlines=False)
    if width is not None and len(flat) > width:
        return flat[: max(width - 1, 0)] + "…"
    return flat
