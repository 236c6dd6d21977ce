"""A meeting invite as an ICS file (METHOD:REQUEST), written once the recipient accepts a slot.

Names and text may come from a reply or a lead file: control characters (CR and LF among them)
become spaces and double quotes become single ones before they reach a property, so nothing
they hold can add a line, a parameter or an attendee to the invite.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata

from icalendar import Calendar, Event, vCalAddress

from tools.calendar.slots import Slot

PRODID = "-//Outreach Architect//Meeting invite//EN"
UID_DOMAIN = "outreach-architect"
NAME_LIMIT = 200
SUMMARY_LIMIT = 200
DESCRIPTION_LIMIT = 4000
_ADDRESS_CHARS = r"[^\s@<>()\[\]\\,;:\"]"
_EMAIL = re.compile(rf"^{_ADDRESS_CHARS}+@{_ADDRESS_CHARS}+\.{_ADDRESS_CHARS}+$")


def meeting_invite(
    slot: Slot,
    *,
    organizer_name: str,
    organizer_email: str,
    attendee_name: str,
    attendee_email: str,
    summary: str,
    description: str,
    uid_seed: str,
    stamp: dt.datetime | None = None,
) -> bytes:
    """Return an ICS invite for the slot, from the organizer to the attendee.

    The UID derives from `uid_seed` (the same meeting gets the same UID, so a resent invite
    updates it rather than adding a second one); `stamp` (DTSTAMP) defaults to now.
    """
    if slot.end <= slot.start:
        raise ValueError("a meeting must end after it starts")
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "REQUEST")
    event = Event()
    event.add("uid", invite_uid(uid_seed))
    event.add("dtstamp", (stamp or dt.datetime.now(dt.UTC)).astimezone(dt.UTC))
    event.add("dtstart", slot.start.astimezone(dt.UTC))
    event.add("dtend", slot.end.astimezone(dt.UTC))
    event.add("sequence", 0)
    event.add("status", "CONFIRMED")
    event.add("transp", "OPAQUE")
    event.add("summary", one_line(summary, SUMMARY_LIMIT) or "Meeting")
    text = plain_text(description, DESCRIPTION_LIMIT)
    if text:
        event.add("description", text)
    event.add("organizer", _address(organizer_email, organizer_name, "organizer"))
    attendee = _address(attendee_email, attendee_name, "attendee")
    attendee.params.update(
        {"CUTYPE": "INDIVIDUAL", "ROLE": "REQ-PARTICIPANT", "PARTSTAT": "NEEDS-ACTION"}
    )
    attendee.params["RSVP"] = "TRUE"
    event.add("attendee", attendee)
    calendar.add_component(event)
    return calendar.to_ical()


def invite_uid(seed: str) -> str:
    """Return the invite UID for a seed: the same seed always gives the same UID."""
    digest = hashlib.sha256(seed.encode("utf-8", errors="replace")).hexdigest()[:32]
    return f"{digest}@{UID_DOMAIN}"


def one_line(text: str, limit: int) -> str:
    """Return untrusted text on one line: controls and line breaks become spaces, quotes ' ."""
    cleaned = "".join(" " if _is_break(char) else char for char in text).replace('"', "'")
    line = " ".join(cleaned.split())
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"


def plain_text(text: str, limit: int) -> str:
    """Return untrusted text with its line breaks kept (as LF) and other controls removed."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept = "\n".join(
        "".join(" " if _is_break(char) else char for char in line).rstrip() for line in lines
    ).strip()
    return kept if len(kept) <= limit else kept[: limit - 1].rstrip() + "…"


def _is_break(char: str) -> bool:
    return unicodedata.category(char) in {"Cc", "Zl", "Zp"}


def _address(email: str, name: str, role: str) -> vCalAddress:
    address = email.strip()
    if not _EMAIL.match(address):
        raise ValueError(f"the {role}'s email {one_line(email, 80)!r} is not an email address")
    value = vCalAddress(f"mailto:{address}")
    common_name = one_line(name, NAME_LIMIT)
    if common_name:
        value.params["CN"] = common_name
    return value
