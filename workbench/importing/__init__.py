"""Importing claims (CSV, JSON Lines), earlier fact-checks (ClaimReview JSON-LD) and whole
JSON reports: readers turn a file into checked records, the writer stores them in bulk."""

from workbench.importing.results import ImportRefused, ImportRejected, ImportResult
from workbench.importing.service import import_file, import_text

__all__ = ["ImportRefused", "ImportRejected", "ImportResult", "import_file", "import_text"]
