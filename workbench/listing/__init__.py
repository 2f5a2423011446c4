"""Lists of claims: paged windows for the TUI, sorted lists for the CLI and reports."""
