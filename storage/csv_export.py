"""Write CSV that a spreadsheet opens as data: every CSV the product writes goes through here.

A cell whose text starts like a formula is a formula to Excel, LibreOffice and Google Sheets
(`=cmd|' /C calc'!A0`, `=HYPERLINK(...)`), and lead fields and drafts are untrusted text. As
the OWASP guidance on CSV injection says, such a cell gets a leading single quote (read as
"this is text" and not shown), and every field is quoted, so a delimiter inside a cell cannot
start a new cell. Formula starts: `=`, `+`, `-`, `@`, tab and carriage return (OWASP), line
feed and NUL (ASVS 1.2.10 lists NUL), and the full-width `＝ ＋ － ＠` that East Asian input
methods type; also after leading whitespace, which spreadsheets may trim on import.

Numbers the product computed (scores, costs, counts) are written as numbers: they cannot
carry a formula, and a quote would turn them into text nobody can sum. Text that merely looks
like a number ("-5" from a lead file) is text and gets the quote like any other.

Here, not in agent/, so every layer that may write a CSV (storage exports, the CLI, the API,
evals reports) can reach it.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TextIO

FORMULA_STARTS = frozenset("=+-@\t\r\n\x00\uff1d\uff0b\uff0d\uff20")
"""A cell starting with one of these (after any whitespace) is neutralized."""


def neutralize_cell(value: object) -> object:
    """Return the value to write for one cell: formula-like text behind a single quote."""
    if not isinstance(value, str) or not value:
        return value  # None, numbers, booleans: written as they are
    if value[0] in FORMULA_STARTS or value.lstrip()[:1] in FORMULA_STARTS:
        return "'" + value
    return value


def write_csv(handle: TextIO, columns: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> int:
    """Write a header and the rows (columns in this order, every data field quoted and every
    cell neutralized); return how many rows were written. Open the handle with newline="".

    The header is the caller's own column names, quoted only where CSV needs it."""
    csv.writer(handle).writerow([neutralize_cell(name) for name in columns])
    writer = csv.writer(handle, quoting=csv.QUOTE_ALL)
    count = 0
    for row in rows:
        writer.writerow([neutralize_cell(row.get(name)) for name in columns])
        count += 1
    return count
