"""Timezones by IANA name, refused with a sentence that says what to write instead."""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


class UnknownTimezone(ValueError):
    """A timezone name that is not in the IANA database."""


def zone_named(name: str | ZoneInfo) -> ZoneInfo:
    """Return the IANA zone called `name` (a ZoneInfo passes through)."""
    if isinstance(name, ZoneInfo):
        return name
    cleaned = name.strip()
    try:
        if not cleaned or cleaned.startswith(("/", ".")) or ".." in cleaned:
            raise ValueError(cleaned)
        return ZoneInfo(cleaned)
    except (ZoneInfoNotFoundError, ValueError, OSError) as exc:
        raise UnknownTimezone(
            f"unknown timezone {name!r}: use an IANA name such as Europe/Berlin or America/New_York"
        ) from exc
