"""What goes wrong reading a lead file: the whole file (LeadFileError), one row (RowError), or
one cell of a row that still runs (RowNote)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass


class LeadFileError(Exception):
    """The whole file cannot be read; the message says why."""


@dataclass(frozen=True)
class RowError:
    """One row that cannot run, with the field at fault."""

    row: int
    field: str
    message: str
    raw: dict[str, str] = dataclasses.field(default_factory=dict)

    def __str__(self) -> str:
        return f"row {self.row}: {self.field}: {self.message}"


@dataclass(frozen=True)
class RowNote:
    """A cell that was ignored in a row that still runs (an unknown language, say)."""

    row: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}: {self.field}: {self.message}"
