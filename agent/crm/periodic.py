"""The HubSpot sync beside the scheduler in `outreach worker`: every OUTREACH_CRM_SYNC_INTERVAL_S
seconds while HubSpot is configured. A failed or slow sync is logged and tried again next
time; it never holds up a tick, a send or the worker's shutdown."""

from __future__ import annotations

import asyncio
import logging

from agent.crm.connection import crm_is_on
from agent.crm.sync_run import sync_crm_if_on
from agent.settings import Settings
from storage.database import Database

log = logging.getLogger("outreach.crm")


async def sync_periodically(settings: Settings, db: Database) -> None:
    """Sync until cancelled (returns at once when HubSpot is off or the interval is 0)."""
    interval = settings.crm_sync_interval_s
    if not crm_is_on(settings) or interval <= 0:
        return
    while True:
        try:
            report = await sync_crm_if_on(settings, db)
            if report is not None:
                log.info(
                    "CRM sync: %d lead(s) synced, %d failed%s",
                    len(report.synced),
                    len(report.failed),
                    f", stopped: {report.stopped}" if report.stopped else "",
                )
        except Exception:  # the CRM is optional: whatever went wrong waits for the next turn
            log.exception("CRM sync failed")
        await asyncio.sleep(interval)
