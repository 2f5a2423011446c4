"""The app's key bindings (each with an id, for the keymap) and its palette entries, and the
help listing of every binding of every screen."""

from __future__ import annotations

from typing import Any

from textual.binding import Binding, BindingType

from workbench.core.keymap import resolve as resolve_keymap


def _b(
    key: str, action: str, description: str, tooltip: str, binding_id: str, show: bool = True
) -> Binding:
    return Binding(key, action, description, show=show, tooltip=tooltip, id=binding_id)


APP_BINDINGS: list[BindingType] = [
    _b(
        "v",
        "verdict",
        "Verdict",
        "Record a verdict on the claim: a rating and a rationale",
        "claim.verdict",
    ),
    _b(
        "c",
        "cite",
        "Cite",
        "Attach a citation (book, call, dataset), stance, quote",
        "claim.cite",
    ),
    _b(
        "s",
        "status",
        "Status",
        "Change the claim's status (new, in-progress, dismissed)",
        "claim.status",
    ),
    _b(
        "a",
        "approve",
        "Approve",
        "Sign off the verdict (a reviewer other than its author)",
        "claim.approve",
    ),
    _b("n", "add_claim", "Add", "Add a claim by hand", "claim.add"),
    _b(
        "t",
        "summary",
        "Short form",
        "The claim's short form for ClaimReview",
        "claim.summary",
        show=False,
    ),
    _b(
        "f",
        "search_factchecks",
        "Fact-checks",
        "Earlier fact-checks of the claim, from Google's API",
        "claim.factchecks",
        show=False,
    ),
    _b(
        "w",
        "assign",
        "Assign",
        "Put the claim in a reviewer's queue, for a blind second review if asked",
        "claim.assign",
        show=False,
    ),
    _b(
        "S",
        "bulk_status",
        "Bulk status",
        "Set the status of every claim the list shows (its search and filters)",
        "claim.bulk_status",
        show=False,
    ),
    _b(
        "d",
        "dismiss_claim",
        "Dismiss",
        "Take the claim out of the queue (status dismissed)",
        "claim.dismiss",
        show=False,
    ),
    _b(
        "u",
        "attach_url",
        "Attach URL",
        "Attach a URL source; it is fetched in the background",
        "source.attach_url",
        show=False,
    ),
    _b(
        "e",
        "pick_evidence",
        "Evidence",
        "Pick an evidence passage from a source's ranked passages",
        "source.evidence",
        show=False,
    ),
    _b(
        "p",
        "promote",
        "Promote",
        "Make a sentence of an article a claim",
        "article.promote",
        show=False,
    ),
    _b(
        "i",
        "ingest",
        "Ingest",
        "Ingest an article from a file or a URL",
        "article.ingest",
        show=False,
    ),
    _b(
        "delete",
        "remove_source",
        "Remove source",
        "Remove a source attached by mistake (the history keeps it)",
        "source.remove",
        show=False,
    ),
    _b(
        "F",
        "refetch",
        "Refetch",
        "Fetch again the claim's URL sources that failed or were never fetched",
        "source.refetch",
        show=False,
    ),
    _b(
        "z",
        "undo",
        "Undo",
        "Undo the last dismissal, status change or source removal",
        "app.undo",
    ),
    _b("x", "export", "Export", "Export a verdict report", "report.export", show=False),
    _b(
        "r",
        "refresh",
        "Refresh",
        "Re-read the database now (also done every few seconds)",
        "app.refresh",
        show=False,
    ),
    _b("question_mark", "help", "Help", "Every key and what it does", "app.help"),
    _b("q", "quit", "Quit", "Leave the workbench", "app.quit"),
]

# Name, help and action of every command-palette entry.
PALETTE: list[tuple[str, str, str]] = [
    ("Record verdict", "Rate the claim and say why", "verdict"),
    ("Attach citation", "A book, a call, a dataset, with stance and quote", "cite"),
    ("Attach URL source", "Fetched in the background", "attach_url"),
    ("Pick evidence passage", "From a source's ranked passages", "pick_evidence"),
    ("Remove source", "One attached by mistake (the history keeps it)", "remove_source"),
    ("Refetch sources", "Fetch again the URL sources that failed", "refetch"),
    ("Change status", "new, in-progress or dismissed", "status"),
    ("Dismiss claim", "Take it out of the queue", "dismiss_claim"),
    ("Bulk status", "Every claim the list shows, at once", "bulk_status"),
    ("Approve verdict", "Sign off another reviewer's verdict", "approve"),
    ("Add claim", "Type a claim by hand", "add_claim"),
    ("Assign claim", "To a reviewer's queue; blind for a second review", "assign"),
    ("Short form of claim", "The few words ClaimReview publishes", "summary"),
    ("Search earlier fact-checks", "Google Fact Check Tools API", "search_factchecks"),
    ("Promote sentence to claim", "Pick a sentence of an article", "promote"),
    ("Ingest article", "From a file or a URL", "ingest"),
    ("Undo", "The last dismissal, status change or source removal", "undo"),
    ("Export report", "A verdict report", "export"),
    ("Refresh", "Re-read the database", "refresh"),
    ("Help: keys", "Every key and what it does", "help"),
]


def binding_entries(
    app: Any, keymap: dict[str, str], *, with_ids: bool = False
) -> list[tuple[str, str, str]]:
    """(key or id, description, tooltip) of every binding, with the keymap applied."""
    from workbench.tui.screens.claim import ClaimScreen
    from workbench.tui.screens.claims import ClaimsScreen
    from workbench.tui.screens.help import HelpScreen
    from workbench.tui.screens.modals import Dialog
    from workbench.tui.widgets.choice import ChoiceButton, ChoiceMenu
    from workbench.tui.widgets.claims_table import ClaimsTable

    order: list[str] = []
    keys: dict[str, list[str]] = {}
    about: dict[str, tuple[str, str]] = {}
    groups: list[list[BindingType]] = [
        ClaimsTable.BINDINGS,
        ClaimsScreen.BINDINGS,
        ChoiceButton.BINDINGS,
        ChoiceMenu.BINDINGS,
        ClaimScreen.BINDINGS,
        APP_BINDINGS,
        Dialog.BINDINGS,
        HelpScreen.BINDINGS,
    ]
    for group in groups:
        for binding in Binding.make_bindings(group):
            if binding.id is None:
                continue
            if binding.id not in keys:
                order.append(binding.id)
                keys[binding.id] = []
                about[binding.id] = (binding.description, binding.tooltip)
            keys[binding.id].append(binding.key)
    keymap = resolve_keymap(keymap, order).bindings
    entries: list[tuple[str, str, str]] = []
    for binding_id in order:
        description, tooltip = about[binding_id]
        if with_ids:
            entries.append((binding_id, description, tooltip))
            continue
        chosen = keymap[binding_id].split(",") if binding_id in keymap else keys[binding_id]
        shown = ", ".join(app.get_key_display(Binding(k.strip(), "")) for k in chosen)
        entries.append((shown, description, f"{tooltip}\t{binding_id}"))
    if not with_ids:
        entries.append(("^p", "Commands", "The command palette: every action by name\t-"))
        entries.append(("^q", "Quit", "Leave the workbench from anywhere\t-"))
    return entries
