"""`outreach leads`: the leads and where each stands (new, contacted, replied, interested,
meeting booked, won or lost; paused, unsubscribed, bounced), and the stages people set."""

from __future__ import annotations

import asyncio
import json
from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from agent.cli.errors import USER_ERRORS, fail
from agent.sequences.operations import campaign_ref
from agent.settings import Settings
from storage.database import Database
from storage.lead_stages import STAGES, stages_of
from storage.leads import list_leads
from storage.stage_changes import StageConflict, set_stage
from tools.facts import utc_now

leads_app = typer.Typer(
    help="Leads and their lifecycle stage. Without a subcommand, lists leads with their stage "
    "(--stage narrows it, e.g. --stage interested for the replies a person should answer). "
    "`leads stage ID meeting_booked|won|lost` records what only a person knows; the lead's "
    "unsent messages and sequences stop.",
    short_help="Leads and their stage: list, set meeting_booked/won/lost.",
    invoke_without_command=True,
)

StageChoice = StrEnum("StageChoice", {name: name for name in STAGES})  # type: ignore[misc]


class PersonStage(StrEnum):
    """The stages a person sets."""

    MEETING_BOOKED = "meeting_booked"
    WON = "won"
    LOST = "lost"


StageOption = Annotated[
    StageChoice | None,
    typer.Option("--stage", help="Only leads at this stage."),
]
CampaignOption = Annotated[str | None, typer.Option(help="Only this campaign's leads.")]
LimitOption = Annotated[int, typer.Option(min=1, max=10_000, help="At most this many.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON object per line.")]


async def _rows(
    settings: Settings, stage: str | None, campaign: str | None, limit: int
) -> list[dict[str, Any]]:
    async with await Database.connect(settings.database) as db:
        campaign_id = await campaign_ref(db, campaign) if campaign else None
        async with db.sessions() as session:
            rows = await list_leads(session, limit=limit, campaign_id=campaign_id, stage=stage)
            stages = await stages_of(session, [row.id for row in rows])
    return [
        {
            "id": row.id,
            "name": row.name,
            "company": row.company,
            "email": row.email,
            "language": row.language,
            "stage": stages.get(row.id, "new"),
            "source": row.source,
        }
        for row in rows
    ]


@leads_app.callback()
def leads(
    ctx: typer.Context,
    stage: StageOption = None,
    campaign: CampaignOption = None,
    limit: LimitOption = 100,
    as_json: JsonOption = False,
) -> None:
    """List leads with their lifecycle stage, in import order."""
    if ctx.invoked_subcommand is not None:
        return
    try:
        rows = asyncio.run(_rows(Settings(), str(stage.value) if stage else None, campaign, limit))
    except (*USER_ERRORS, LookupError) as exc:
        raise fail(str(exc)) from None
    if as_json:
        for row in rows:
            typer.echo(json.dumps(row))
        return
    console = Console()
    if not rows:
        console.print("No leads" + (f" at stage {stage.value}" if stage else "") + ".")
        return
    table = Table(title="Leads", title_justify="left")
    for name in ("id", "name", "company", "email", "language", "stage"):
        table.add_column(name, justify="right" if name == "id" else "left")
    for row in rows:
        table.add_row(
            str(row["id"]),
            escape(row["name"]),
            escape(row["company"]),
            escape(row["email"] or ""),
            # Empty: none was given, so each run infers it (campaign, then the lead's pages).
            row["language"] or "",
            row["stage"].replace("_", " "),
        )
    console.print(table)


async def _set(settings: Settings, lead_id: int, stage: str) -> str:
    async with (
        await Database.connect(settings.database) as db,
        db.write_lock,
        db.sessions.begin() as session,
    ):
        row = await set_stage(session, lead_id, stage, now=utc_now())
        if row is None:
            raise LookupError(f"there is no lead {lead_id}")
        return row.name


@leads_app.command("stage")
def stage_command(
    lead_id: Annotated[int, typer.Argument(help="The lead's id (from `outreach leads`).")],
    stage: Annotated[PersonStage, typer.Argument(help="meeting_booked, won or lost.")],
) -> None:
    """Record a stage only a person knows: a meeting booked, the deal won or lost. The lead's
    unsent messages and sequences stop."""
    try:
        name = asyncio.run(_set(Settings(), lead_id, stage.value))
    except (*USER_ERRORS, LookupError, StageConflict) as exc:
        raise fail(str(exc)) from None
    Console().print(f"{escape(name)} (lead {lead_id}) is now {stage.value.replace('_', ' ')}.")
