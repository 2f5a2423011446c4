"""Claim use cases (adding, editing, status) and reading claims as a reviewer may see them."""
