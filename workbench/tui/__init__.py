"""The reviewer's terminal UI (Textual)."""

import os

# Textual repaints at most 60 times a second unless told otherwise, so the answer to a
# keystroke can wait up to 17 ms for its frame; at 120 the wait is half that. Textual reads
# this when first imported, which is from this package; a TEXTUAL_FPS of one's own wins.
os.environ.setdefault("TEXTUAL_FPS", "120")
