"""What goes wrong reading a lead file: the whole file (LeadFileError) or one row (RowError)."""

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
