"""Docket: due-process case management for membership organizations."""

__version__ = "0.1.0"
