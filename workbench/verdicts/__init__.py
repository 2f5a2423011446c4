"""Verdicts and their approval."""
