"""HubSpot lifecycle stages: their order, the stage a lead's status earns, and who is off limits.

HubSpot does not move a contact's lifecycle stage backwards, and sales owns everything from
opportunity on: we write only the early stages, only forward, and never touch a stage we
cannot place (a portal's custom stage).
"""

from __future__ import annotations

STAGE_ORDER = (
    "subscriber", "lead", "marketingqualifiedlead", "salesqualifiedlead", "opportunity",
    "customer", "evangelist",
)  # fmt: skip
"""HubSpot's default lifecycle stages (internal values), earliest first."""
WRITABLE = ("subscriber", "lead", "marketingqualifiedlead", "salesqualifiedlead")
"""The stages the sync may set; the later ones are sales' to set."""
OFF_LIMITS = ("opportunity", "customer", "evangelist")
"""Contacts at these stages belong to an open deal or an account: outreach never writes to them."""

STAGE_FOR_STATUS: dict[str, str | None] = {
    "new": "lead",
    "queued": "lead",
    "approved": "lead",
    "rejected": "lead",
    "sent": "lead",
    "contacted": "lead",
    "paused": "lead",
    "replied": "lead",  # a reply can be a no: only interest makes it sales-qualified
    "interested": "salesqualifiedlead",
    "meeting_booked": "salesqualifiedlead",
    "won": "salesqualifiedlead",  # a deal is sales' to record in HubSpot, not ours
    "lost": None,
    "unsubscribed": None,
    "bounced": None,
    "complained": None,
}
"""The stage each lead status earns; None leaves the contact's stage as it is."""


def stage_for_status(status: str) -> str | None:
    """Return the lifecycle stage a lead with this status earns (None: leave it alone)."""
    return STAGE_FOR_STATUS.get(status, "lead")


def forward_stage(current: str | None, wanted: str | None) -> str | None:
    """Return `wanted` if writing it moves the contact forward, else None (write nothing)."""
    if wanted is None or wanted not in WRITABLE:
        return None
    if not current:
        return wanted
    if current not in STAGE_ORDER:
        return None  # a custom stage: we cannot tell forward from backward
    return wanted if STAGE_ORDER.index(wanted) > STAGE_ORDER.index(current) else None


def off_limits(stage: str | None) -> bool:
    """Tell whether a contact at this stage must never be contacted by outreach."""
    return stage in OFF_LIMITS
