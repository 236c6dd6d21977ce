"""Times read back from the database as UTC-aware datetimes."""

from __future__ import annotations

import datetime as dt


def as_utc(moment: dt.datetime | None) -> dt.datetime | None:
    """The moment with its UTC zone: SQLite hands back its UTC timestamps without one."""
    return moment.replace(tzinfo=dt.UTC) if moment and moment.tzinfo is None else moment
