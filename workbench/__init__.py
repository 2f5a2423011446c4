"""workbench: a fact-checking workbench for newsroom fact-checkers."""

__version__ = "0.1.0"
