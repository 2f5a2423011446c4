"""What an import reports: what it added, what it skipped, and why."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from workbench.errors import WorkbenchError
from workbench.importing.records import READABLE_FORMATS
from workbench.wording import counted

# Statuses a claim can arrive with without a verdict: "reviewed" and "approved" need one.
PLAIN_STATUSES = ("new", "in-progress", "dismissed")
LOOKUP_CHUNK = 500
MAX_PROBLEMS_KEPT = 1000


@dataclass(frozen=True)
class ImportProblem:
    where: str  # "line 4", "record 3", "claims[12].verdict.rating"
    message: str

    def to_json(self) -> dict[str, str]:
        return {"where": self.where, "message": self.message}

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass
class ImportResult:
    file: str
    format: str  # "csv", "jsonl", "claimreview" or "report"
    records: int = 0
    claims: int = 0
    fact_checks: int = 0
    articles: int = 0
    sources: int = 0
    evidence: int = 0
    verdicts: int = 0
    duplicates: int = 0
    problem_count: int = 0
    problems: list[ImportProblem] = field(default_factory=list)
    claim_ids: list[int] = field(default_factory=list)

    def problem(self, where: str, message: str) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS_KEPT:
            self.problems.append(ImportProblem(where, message))

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "format": self.format,
            "records": self.records,
            "added": {
                "claims": self.claims,
                "fact_checks": self.fact_checks,
                "articles": self.articles,
                "sources": self.sources,
                "evidence": self.evidence,
                "verdicts": self.verdicts,
            },
            "duplicates": self.duplicates,
            "problem_count": self.problem_count,
            "problems": [p.to_json() for p in self.problems],
        }


class ImportRejected(WorkbenchError):
    """A strict import found malformed records and wrote nothing."""

    def __init__(self, result: ImportResult) -> None:
        self.result = result
        first = result.problems[0] if result.problems else None
        super().__init__(
            f"{result.file}: {counted(result.problem_count, 'malformed record')}, nothing imported "
            f"(--strict); first: {first}"
        )


class ImportRefused(ImportRejected):
    """Every record of the file was refused: most likely a file in a format import does not
    read. Nothing is written."""

    def __init__(self, result: ImportResult) -> None:
        super().__init__(result)
        first = result.problems[0] if result.problems else None
        self.args = (
            f"{result.file}: none of its {result.records} record(s) could be imported "
            f"(first: {first}); {READABLE_FORMATS}",
        )


def refuse_if_nothing_read(result: ImportResult) -> None:
    """Raises ImportRefused when every record of the import was refused (a file in a format
    import does not read, most likely); raised inside the import's transaction, it drops
    the summary event too, so nothing at all is written."""
    if result.problem_count and not (result.claims or result.fact_checks or result.duplicates):
        raise ImportRefused(result)


class RecordError(Exception):
    """One record is malformed; the message says which field and why."""


@dataclass(frozen=True)
class Unparsable:
    message: str
