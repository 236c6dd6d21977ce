"""The sender's calendar: busy time from an ICS file, free slots to propose, meeting invites.

`read_busy(path, ...)` turns an availability file into busy intervals in UTC (or raises an
`AvailabilityError` that names the file and the problem); `propose_slots(busy, ...)` picks two
or three free slots inside working hours, labelled in the recipient's timezone;
`meeting_invite(slot, ...)` writes the ICS invite once a slot is accepted.
"""

from tools.calendar.availability import (
    AvailabilityError,
    BusyInterval,
    busy_from_ics,
    read_busy,
)
from tools.calendar.invite import meeting_invite
from tools.calendar.slots import Slot, parse_working_hours, propose_slots
from tools.calendar.zones import UnknownTimezone, zone_named

__all__ = [
    "AvailabilityError",
    "BusyInterval",
    "Slot",
    "UnknownTimezone",
    "busy_from_ics",
    "meeting_invite",
    "parse_working_hours",
    "propose_slots",
    "read_busy",
    "zone_named",
]
