"""May we write to this address, as far as HubSpot is concerned? For the sending path.

The local answer comes first: a hold the sync recorded (crm_customer, crm_opportunity, ...) is
on the suppression list the dispatcher already checks. Given a HubSpot client, an address with
no hold is looked up once; a contact at opportunity, customer or evangelist is held from then
on. HubSpot being down never blocks a send: the lookup's failure is logged and the answer is
"not blocked".
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable

from agent.crm.connection import crm_from_settings, crm_is_on
from agent.settings import Settings
from storage.crm_sync import crm_hold, hold_for_crm, hold_reason
from storage.database import Database
from tools.crm.hubspot_client import HubSpotCrm
from tools.crm.lifecycle import off_limits
from tools.crm.retries import CrmError

log = logging.getLogger(__name__)

CLEARED_FOR_S = 3600
"""How long an address HubSpot cleared is not asked about again (one look-up per recipient an
hour, not one per message: HubSpot's rate limits are per app)."""
CLEARED_MAX = 50_000


async def crm_blocks(email: str, *, db: Database, crm: HubSpotCrm | None = None) -> str | None:
    """Return why HubSpot keeps us from writing to this address (e.g. crm_customer), or None."""
    async with db.sessions() as session:
        hold = await crm_hold(session, email)
    if hold is not None or crm is None:
        return hold
    try:
        contact = await crm.find_contact(email)
    except CrmError as exc:
        log.warning("HubSpot lookup of a recipient failed; sending anyway: %s", exc)
        return None
    if contact is None or not off_limits(contact.lifecycle_stage):
        return None
    stage = contact.lifecycle_stage
    assert stage is not None
    async with db.write_lock, db.sessions.begin() as session:
        await hold_for_crm(session, addresses=[email], stage=stage)
    return hold_reason(stage)


def recipient_check(settings: Settings, db: Database) -> Callable[[str], Awaitable[str | None]]:
    """The dispatcher's look-up before each send when HubSpot is configured (else a local
    one: a hold an earlier sync recorded): a customer or an opportunity is held at once."""
    crm = crm_from_settings(settings) if crm_is_on(settings) else None
    cleared: dict[str, float] = {}
    """Addresses HubSpot cleared, and when: asked again only after CLEARED_FOR_S."""

    async def check(email: str) -> str | None:
        key = email.strip().lower()
        asked = cleared.get(key)
        if asked is not None and time.monotonic() - asked < CLEARED_FOR_S:
            return None
        hold = await crm_blocks(email, db=db, crm=crm)
        if hold is None:
            if len(cleared) >= CLEARED_MAX:
                cleared.clear()
            cleared[key] = time.monotonic()
        return hold

    return check
