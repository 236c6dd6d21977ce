"""The meeting invite: a METHOD:REQUEST calendar file that names who meets when, and nothing more."""

from __future__ import annotations

import datetime as dt

import pytest
from icalendar import Calendar

from tools.calendar import Slot, meeting_invite

SLOT = Slot(
    dt.datetime(2026, 11, 24, 15, 0, tzinfo=dt.UTC),
    dt.datetime(2026, 11, 24, 15, 30, tzinfo=dt.UTC),
)
STAMP = dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.UTC)


def invite(**overrides: str) -> bytes:
    fields = {
        "organizer_name": "Alex Rivera",
        "organizer_email": "alex@brightpath.example",
        "attendee_name": "Dana Smith",
        "attendee_email": "dana@acme.example",
        "summary": "Brightpath x Acme",
        "description": "A short call about your CI pipeline.",
        "uid_seed": "lead-42/meeting-1",
    }
    fields.update(overrides)
    return meeting_invite(SLOT, stamp=STAMP, **fields)


def unfolded_lines(ics: bytes) -> list[str]:
    return ics.decode().replace("\r\n ", "").split("\r\n")


def test_the_invite_reads_back_as_a_request_for_the_slot() -> None:
    calendar = Calendar.from_ical(invite())
    assert str(calendar["METHOD"]) == "REQUEST"
    (event,) = calendar.events
    assert event.start == SLOT.start and event.end == SLOT.end
    assert isinstance(event.start, dt.datetime) and event.start.utcoffset() == dt.timedelta(0)
    assert "DTSTART:20261124T150000Z" in unfolded_lines(invite())
    assert event.DTSTAMP == STAMP
    assert event.sequence == 0
    assert str(event["SUMMARY"]) == "Brightpath x Acme"
    assert str(event["DESCRIPTION"]) == "A short call about your CI pipeline."
    organizer = event["ORGANIZER"]
    assert str(organizer) == "mailto:alex@brightpath.example"
    assert organizer.params["CN"] == "Alex Rivera"
    attendee = event["ATTENDEE"]
    assert str(attendee) == "mailto:dana@acme.example"
    assert attendee.params["CN"] == "Dana Smith"
    assert attendee.params["RSVP"] == "TRUE"
    assert attendee.params["PARTSTAT"] == "NEEDS-ACTION"


def test_the_same_meeting_keeps_its_uid() -> None:
    first = Calendar.from_ical(invite()).events[0]["UID"]
    again = Calendar.from_ical(invite(summary="Renamed")).events[0]["UID"]
    other = Calendar.from_ical(invite(uid_seed="lead-42/meeting-2")).events[0]["UID"]
    assert first == again and first != other


def test_a_name_with_a_line_break_cannot_add_a_line_or_an_attendee() -> None:
    ics = invite(
        attendee_name="Eve\r\nATTENDEE:mailto:evil@example.com",
        organizer_name='Alex "The Closer"; ROLE=CHAIR: x\nORGANIZER:mailto:evil@example.com',
        summary="Call\r\nATTENDEE;CN=Evil:mailto:evil@example.com",
        description="Agenda:\r\n1. CI\r\nATTENDEE:mailto:evil@example.com",
    )
    lines = unfolded_lines(ics)
    assert sum(line.startswith("ATTENDEE") for line in lines) == 1
    assert sum(line.startswith("ORGANIZER") for line in lines) == 1
    assert not any(
        line.startswith(("ATTENDEE:mailto:evil", "ORGANIZER:mailto:evil")) for line in lines
    )
    event = Calendar.from_ical(ics).events[0]
    assert [str(a) for a in event.attendees] == ["mailto:dana@acme.example"]
    assert str(event["ORGANIZER"]) == "mailto:alex@brightpath.example"
    assert "\n" not in event["ATTENDEE"].params["CN"]
    assert '"' not in event["ORGANIZER"].params["CN"]
    assert "\n" not in str(event["SUMMARY"])
    # The description keeps its line breaks as text, escaped inside one property.
    assert str(event["DESCRIPTION"]) == "Agenda:\n1. CI\nATTENDEE:mailto:evil@example.com"


@pytest.mark.parametrize(
    "address", ["dana@acme.example\r\nATTENDEE:mailto:evil@example.com", "not an address", ""]
)
def test_an_address_that_is_not_an_email_is_refused(address: str) -> None:
    with pytest.raises(ValueError, match="attendee's email"):
        invite(attendee_email=address)


def test_a_slot_that_ends_before_it_starts_is_refused() -> None:
    backwards = Slot(SLOT.end, SLOT.start)
    with pytest.raises(ValueError, match="end after it starts"):
        meeting_invite(
            backwards,
            organizer_name="Alex",
            organizer_email="alex@brightpath.example",
            attendee_name="Dana",
            attendee_email="dana@acme.example",
            summary="Call",
            description="",
            uid_seed="x",
        )
