"""The export dialog: a format and a file, pre-filled with a file in the user's reports
folder. A path that cannot be written is said in the dialog (the input kept); an existing
file is replaced only after the user says so."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from workbench.errors import ValidationError
from workbench.export.places import default_report_path, report_name, report_target
from workbench.textsafe import printable
from workbench.tui.screens.modals import Dialog

EXPORT_FORMATS = ("md", "html", "json", "csv", "claimreview")


@dataclass(frozen=True)
class ExportInput:
    fmt: str
    path: str  # absolute


class ExportDialog(Dialog[ExportInput]):
    """A format and a file; the claims are those of the list's current filter."""

    TITLE_TEXT = "Export a report (the claims the list shows)"
    SAVE_LABEL = "Export"

    def body(self) -> ComposeResult:
        folder = default_report_path("html").parent
        yield Label("Format")
        yield Select(
            [(f, f) for f in EXPORT_FORMATS], value="html", allow_blank=False, id="export-format"
        )
        yield Label(
            Content(f"Write to (Enter exports; a name alone goes in {printable(str(folder))})")
        )
        yield Input(value=str(default_report_path("html")), id="export-path")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#export-path", Input).focus()

    @on(Select.Changed, "#export-format")
    def _format(self, event: Select.Changed) -> None:
        # The file's extension follows the format while the name is still a default one.
        path = self.query_one("#export-path", Input)
        typed = Path(path.value)
        if typed.name in {report_name(f) for f in EXPORT_FORMATS}:
            path.value = str(typed.with_name(report_name(str(event.value))))

    def result(self) -> ExportInput | None:
        try:
            target = report_target(self.query_one("#export-path", Input).value)
        except ValidationError as exc:
            self.complain(f"{exc}.", "#export-path")
            return None
        return ExportInput(str(self.query_one("#export-format", Select).value), str(target))

    def action_save(self) -> None:
        value = self.result()
        if value is None:
            return
        if not Path(value.path).exists():
            self.dismiss(value)
            return

        def answered(replace: bool | None) -> None:
            if replace:
                self.dismiss(value)
            else:
                self.complain("Not replaced: give another file name.", "#export-path")

        self.app.push_screen(ReplaceDialog(value.path), answered)

    @on(Input.Submitted)
    def _submitted(self) -> None:
        self.action_save()


class ReplaceDialog(ModalScreen[bool]):
    """ "This file exists: replace it?" (y or Enter on Replace; n or escape keeps it)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Replace", tooltip="Replace the file", id="replace.yes"),
        Binding("n,escape", "answer(False)", "Keep", tooltip="Keep the file", id="replace.no"),
    ]

    def __init__(self, path: str) -> None:
        super().__init__()
        self.path = path

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(Content("The file exists already"), classes="dialog-title")
            yield Static(Content(f"{printable(self.path)}\nReplace it with the new report?"))
            with Horizontal(classes="dialog-buttons"):
                yield Button("Replace (y)", variant="warning", id="replace")
                yield Button("Keep it (n)", variant="primary", id="keep")

    def on_mount(self) -> None:
        self.query_one("#keep", Button).focus()  # Enter at once keeps the file

    def action_answer(self, replace: bool) -> None:
        self.dismiss(replace)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "replace")
