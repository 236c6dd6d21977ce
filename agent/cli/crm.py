"""`outreach crm`: sync leads, sent messages and replies to HubSpot, and check who it holds.

Off until OUTREACH_HUBSPOT_ACCESS_TOKEN is set (a HubSpot private app's token). `sync` is safe
to run again and again (from cron, or after each send): what it wrote before is in its ledger
and is not written twice. A lead HubSpot fails is named with the reason, the others go on, and
the exit code is 1 so a scheduler notices.
"""

from __future__ import annotations

import asyncio
import json
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from agent.campaigns.stored import find_campaign
from agent.cli.errors import USER_ERRORS, fail
from agent.crm.connection import CrmOff, crm_from_settings, crm_is_on
from agent.crm.send_gate import crm_blocks
from agent.crm.sync_run import CrmSyncReport, sync_crm
from agent.settings import Settings
from storage.database import Database
from tools.crm.hubspot_client import HubSpotCrm

crm_app = typer.Typer(
    help="HubSpot CRM sync: contacts by email, companies by domain, each sent message and "
    "reply on the contact's timeline, lifecycle stage moved forward; contacts HubSpot has at "
    "opportunity, customer or evangelist are held (never contacted). Needs "
    "OUTREACH_HUBSPOT_ACCESS_TOKEN.",
    no_args_is_help=True,
)
CampaignOption = Annotated[
    str | None, typer.Option(help="Only the leads this campaign wrote to (name or id).")
]
LeadOption = Annotated[
    list[int] | None, typer.Option("--lead", help="Only this lead id (repeat for more).")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON object per lead.")]
NOUNS = {
    "contact": ("contact created", "contacts created"),
    "contact_update": ("contact updated", "contacts updated"),
    "company": ("company created", "companies created"),
    "company_link": ("company link", "company links"),
    "email": ("email logged", "emails logged"),
    "note": ("note logged", "notes logged"),
}


def _crm(settings: Settings) -> HubSpotCrm:
    try:
        return crm_from_settings(settings)
    except CrmOff as exc:
        raise fail(str(exc)) from None


def _print_json(report: CrmSyncReport) -> None:
    for lead in report.synced:
        line = {
            "lead_id": lead.lead_id,
            "email": lead.email,
            "contact": lead.contact,
            "stage": lead.stage,
            "hold": lead.hold,
            "written": dict(lead.written),
        }
        typer.echo(json.dumps(line))
    for failure in report.failed:
        line = {"lead_id": failure.lead_id, "email": failure.email, "error": failure.error}
        typer.echo(json.dumps(line))


def _print_summary(report: CrmSyncReport) -> None:
    console = Console(highlight=False)
    written = report.written
    wrote = ", ".join(
        f"{count} {NOUNS[kind][count != 1]}" for kind, count in sorted(written.items()) if count
    )
    console.print(
        f"HubSpot: {len(report.synced)} lead(s) synced, {len(report.failed)} failed; "
        f"{wrote or 'nothing new to write'}."
    )
    for lead in report.held:
        console.print(
            f"held: {escape(lead.email)} is at {lead.stage} in HubSpot; it will not be "
            f"contacted (suppressed as {lead.hold})"
        )


@crm_app.command("sync")
def sync(
    campaign: CampaignOption = None, lead: LeadOption = None, as_json: JsonOption = False
) -> None:
    """Write leads, sent messages and replies to HubSpot, and hold its customers. Safe to
    repeat: nothing is written twice. Exit 1 when any lead failed (the others are synced)."""
    settings = Settings()
    crm = _crm(settings)

    async def go() -> CrmSyncReport:
        try:
            async with await Database.connect(settings.database) as db:
                campaign_id = None
                if campaign is not None:
                    async with db.sessions() as session:
                        row = await find_campaign(session, campaign)
                    if row is None:
                        raise LookupError(f"there is no campaign {campaign!r}")
                    campaign_id = row.id
                return await sync_crm(
                    db,
                    crm,
                    campaign_id=campaign_id,
                    lead_ids=lead or None,
                    default_country=settings.default_country,
                )
        finally:
            crm.close()

    try:
        report = asyncio.run(go())
    except (LookupError, *USER_ERRORS) as exc:
        raise fail(str(exc)) from None
    if as_json:
        _print_json(report)
    else:
        _print_summary(report)
    errors = Console(stderr=True, highlight=False)
    for failure in report.failed:
        errors.print(
            f"[yellow]lead {failure.lead_id} ({escape(failure.email)}):[/] "
            f"{escape(failure.error)}; the next sync tries again"
        )
    if report.stopped:
        raise fail(f"the sync stopped: {report.stopped}")
    if report.failed:
        raise typer.Exit(code=1)


@crm_app.command("check")
def check(email: Annotated[str, typer.Argument(help="The address to check.")]) -> None:
    """Say whether HubSpot keeps us from writing to an address (asking HubSpot when the sync
    is on, and recording a hold for a customer, opportunity or evangelist)."""
    settings = Settings()
    crm = _crm(settings) if crm_is_on(settings) else None

    async def go() -> str | None:
        try:
            async with await Database.connect(settings.database) as db:
                return await crm_blocks(email, db=db, crm=crm)
        finally:
            if crm is not None:
                crm.close()

    try:
        hold = asyncio.run(go())
    except USER_ERRORS as exc:
        raise fail(str(exc)) from None
    console = Console(highlight=False)
    if hold:
        console.print(f"{escape(email)}: held ({hold}); it will not be contacted")
    else:
        where = "" if crm is not None else " (HubSpot sync is off: only local holds checked)"
        console.print(f"{escape(email)}: not held by the CRM{where}")
