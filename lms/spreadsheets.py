"""Cells for CSV and XLSX exports that a spreadsheet will not run as formulas.

A name, a comment or an HR note that starts with ``=``, ``+``, ``-``, ``@`` (or a tab/CR) would be
evaluated by Excel or LibreOffice when the export is opened (formula injection, e.g.
``=HYPERLINK(...)`` leaking neighbouring cells). Such text gets a leading apostrophe, which
spreadsheets show as plain text. Numbers, dates and booleans pass through unchanged.
"""

from collections.abc import Iterable
from typing import Any

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [safe_cell(value) for value in values]
