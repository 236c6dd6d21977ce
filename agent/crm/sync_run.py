"""A CRM sync run: every lead (or a campaign's, or some) to HubSpot, one at a time.

A lead HubSpot fails (after the retries) is reported with the reason and the others go on; a
refused access token stops the run, since no call can succeed. Sending never waits for this:
it is a step of its own (`outreach crm sync`, or `sync_crm_if_on` from a worker).
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field

from agent.crm.connection import crm_from_settings, crm_is_on
from agent.crm.lead_sync import LeadSync, LeadSyncer
from agent.settings import Settings
from storage.crm_activity import crm_leads
from storage.database import Database
from tools.crm.hubspot_client import HubSpotCrm
from tools.crm.retries import CrmAuthError, CrmError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LeadFailure:
    """A lead the sync could not finish, and why."""

    lead_id: int
    email: str
    error: str


@dataclass
class CrmSyncReport:
    """What a sync run did, lead by lead."""

    synced: list[LeadSync] = field(default_factory=list)
    failed: list[LeadFailure] = field(default_factory=list)
    stopped: str | None = None
    """Why the run stopped before the end (HubSpot refused the token), if it did."""

    @property
    def written(self) -> Counter[str]:
        """Return HubSpot writes by kind, over every lead."""
        total: Counter[str] = Counter()
        for lead in self.synced:
            total.update(lead.written)
        return total

    @property
    def held(self) -> list[LeadSync]:
        """Return the leads HubSpot holds (opportunity, customer, evangelist)."""
        return [lead for lead in self.synced if lead.hold]

    @property
    def ok(self) -> bool:
        """Tell whether every lead synced."""
        return not self.failed and self.stopped is None


async def sync_crm(
    db: Database,
    crm: HubSpotCrm,
    *,
    campaign_id: int | None = None,
    lead_ids: list[int] | None = None,
    default_country: str = "US",
) -> CrmSyncReport:
    """Sync leads with an email (all, one campaign's, or these) to HubSpot and report per lead."""
    async with db.sessions() as session:
        leads = await crm_leads(session, campaign_id=campaign_id, lead_ids=lead_ids)
    syncer = LeadSyncer(db, crm, default_country=default_country)
    report = CrmSyncReport()
    for lead in leads:
        try:
            report.synced.append(await syncer.sync(lead))
        except CrmAuthError as exc:
            report.stopped = str(exc)
            break
        except CrmError as exc:
            log.warning("CRM sync of lead %s failed: %s", lead.id, exc)
            report.failed.append(LeadFailure(lead_id=lead.id, email=lead.email, error=str(exc)))
        except Exception as exc:  # e.g. the lead was erased meanwhile: the others go on
            log.exception("CRM sync of lead %s failed", lead.id)
            error = f"{type(exc).__name__} (the lead may have been erased meanwhile)"
            report.failed.append(LeadFailure(lead_id=lead.id, email=lead.email, error=error))
    return report


async def sync_crm_if_on(settings: Settings, db: Database) -> CrmSyncReport | None:
    """Sync every lead when HubSpot is configured; return None when the sync is off."""
    if not crm_is_on(settings):
        return None
    crm = crm_from_settings(settings)
    try:
        return await sync_crm(db, crm, default_country=settings.default_country)
    finally:
        crm.close()
