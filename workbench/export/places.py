"""Where a report goes when the user does not say: a reports folder of their own (not the
folder the program happened to start in), and a path they typed checked before anything is
written, so a mistake is a message in the dialog rather than a failed export."""

from __future__ import annotations

import os
from pathlib import Path

from workbench.errors import ValidationError

REPORTS_FOLDER = "workbench-reports"


def reports_folder() -> Path:
    """~/Documents/workbench-reports (the desktop's documents folder, $XDG_DOCUMENTS_DIR
    first); on a machine without one, a reports folder in the workbench's data folder."""
    from platformdirs import user_data_dir, user_documents_dir

    # platformdirs reads the documents folder from user-dirs.dirs only; the variable wins.
    documents = Path(os.environ.get("XDG_DOCUMENTS_DIR") or user_documents_dir()).expanduser()
    if documents.is_dir():
        return documents / REPORTS_FOLDER
    return Path(user_data_dir("workbench")) / "reports"


def report_name(fmt: str) -> str:
    return "workbench-report." + ("claimreview.json" if fmt == "claimreview" else fmt)


def default_report_path(fmt: str) -> Path:
    return reports_folder() / report_name(fmt)


def report_target(typed: str) -> Path:
    """The absolute file a typed path names: `~` expanded, a bare name put in the reports
    folder. A folder, or a file in a folder that does not exist (other than the reports
    folder, which is made when the report is written), is refused with what to do."""
    text = typed.strip()
    if not text:
        raise ValidationError("give a file to write the report to")
    path = Path(text).expanduser()
    if not path.is_absolute():
        path = reports_folder() / path
    path = Path(os.path.abspath(path))
    if path.is_dir():
        raise ValidationError(f"{path} is a folder; add a file name, e.g. {path / 'report.html'}")
    folder = path.parent
    if folder != reports_folder() and not folder.is_dir():
        what = "is not a folder" if folder.exists() else "does not exist"
        raise ValidationError(f"the folder {folder} {what}; create it or choose another path")
    return path


def make_room(path: Path) -> None:
    """Creates the reports folder when the report goes there (the first export)."""
    if path.parent == reports_folder() and not path.parent.is_dir():
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ValidationError(
                f"cannot create the reports folder {path.parent}: {exc.strerror or exc}; "
                "choose another path"
            ) from None
