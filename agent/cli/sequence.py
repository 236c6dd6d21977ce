"""`outreach sequence`: enrol leads in a campaign's sequence, see where a lead stands, preview
every step for a lead before launch, pause and resume, and read the metrics per step.

CAMPAIGN is a campaign's name (or a unique prefix) or id; LEAD is a lead's email address or id.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from agent.campaigns.stored import spec_of
from agent.cli.errors import USER_ERRORS, fail
from agent.cli.report import render_sequence
from agent.planning.operations import next_week, week_of
from agent.planning.plan_enrollment import PlanNotFollowable
from agent.planning.stored_plan import enroll_stored_week
from agent.sequences.operations import (
    LeadSequence,
    NoSequence,
    SequenceConflict,
    campaign_ref,
    enroll_lead_file,
    lead_ref,
    lead_sequence,
    sequence_metrics,
    set_paused,
)
from agent.sequences.preview import StepPreview, preview_sequence
from agent.settings import Settings
from storage.database import Database
from storage.models import CampaignRow
from tools.facts import utc_now

sequence_app = typer.Typer(
    help="A campaign's sequence of follow-ups. `enroll` adds the leads of a file (their first "
    "step goes on the next business day, in each lead's window); `show` prints where a lead "
    "stands, step by step; `preview` drafts every step for a lead before launch (nothing is "
    "sent); `pause` and `resume` a campaign or one lead (--lead); `metrics` reports each "
    "step's sends, replies, reply rate and median time to reply; `enroll-week` hands the "
    "week's plan (`outreach plan-week`) to the scheduler. The scheduler runs in "
    "`outreach serve` and `outreach worker`.",
    short_help="Campaign sequences: enroll, enroll-week, show, preview, pause, resume, metrics.",
    no_args_is_help=True,
)
ERRORS = (*USER_ERRORS, LookupError, NoSequence, SequenceConflict, PlanNotFollowable)
CampaignArg = Annotated[str, typer.Argument(help="The campaign's name (or a unique prefix) or id.")]
LeadArg = Annotated[str, typer.Argument(help="The lead's email address or id.")]
LeadOption = Annotated[
    str | None, typer.Option("--lead", help="Only this lead (email address or id).")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]
T = TypeVar("T")


def _run(work: Callable[[Database, Settings], Awaitable[T]]) -> T:
    """Open the configured database, do the work, and turn what went wrong into one line."""
    settings = Settings()

    async def go() -> T:
        async with await Database.connect(settings.database) as db:
            return await work(db, settings)

    try:
        return asyncio.run(go())
    except ERRORS as exc:
        raise fail(str(exc)) from None


def _when(moment: dt.datetime | None) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC") if moment else "-"


@sequence_app.command("enroll")
def enroll_command(
    campaign: CampaignArg,
    leads: Annotated[Path, typer.Argument(help="Lead file: CSV or JSONL, as `outreach run`.")],
) -> None:
    """Store a lead file's leads and enrol them in the campaign's sequence.

    Bad rows are listed by row and skipped; leads enrolled before are left as they are.
    """

    async def work(db: Database, settings: Settings) -> Any:
        campaign_id = await campaign_ref(db, campaign)
        return await enroll_lead_file(db, settings, campaign_id, leads, now=utc_now())

    lead_file, done = _run(work)
    err = Console(stderr=True)
    for error in lead_file.errors:
        err.print(f"[yellow]skipped:[/] {escape(leads.name)} {escape(str(error))}", soft_wrap=True)
    if done is None:
        raise fail(f"{leads.name} has no lead that can be enrolled")
    already = f" ({len(done.already)} were enrolled already)" if done.already else ""
    Console().print(
        f"Enrolled {len(done.enrolled)} lead{'' if len(done.enrolled) == 1 else 's'} in "
        f"{escape(campaign)}{already}; the campaign is {done.campaign_status}. Each lead's "
        "first step goes on the next business day, inside its window.",
        highlight=False,
        soft_wrap=True,
    )


@sequence_app.command("enroll-week")
def enroll_week_command(
    campaign: CampaignArg,
    week: Annotated[
        dt.datetime | None,
        typer.Option(
            "--week",
            formats=["%Y-%m-%d"],
            help="A day of the week to plan (its Monday starts it); default: next week.",
        ),
    ] = None,
) -> None:
    """Plan the week over the stored leads (as `outreach plan-week` and the cadence API do)
    and enrol each planned first touch with its first step due on its planned day; the
    scheduler sends it and its follow-ups from the mailbox the plan gave it, within that
    mailbox's ramped cap, in its segment's own sequence where its angle names one. Refused,
    naming why, when the sending path would not follow the plan."""

    async def work(db: Database, settings: Settings) -> Any:
        campaign_id = await campaign_ref(db, campaign)
        async with db.sessions() as session:
            row = await session.get(CampaignRow, campaign_id)
        assert row is not None
        now = utc_now()
        start = week_of(week.date()) if week is not None else next_week(now.date())
        return await enroll_stored_week(
            db, settings, spec_of(row), campaign_id, now=now, week_start=start
        )

    report, days = _run(work)
    console = Console()
    for problem in report.problems:
        console.print(f"{problem.level}: {escape(problem.text())}", highlight=False)
    for day in days:
        already = f" ({len(day.already)} enrolled before)" if day.already else ""
        console.print(f"{day.date:%a %d %b}: {len(day.enrolled)} first touches due{already}")
    for leftover in report.plan.leftovers:
        console.print(f"did not fit: {escape(leftover.message)}", highlight=False)
    console.print(
        f"Enrolled {sum(len(d.enrolled) for d in days)} leads of the week of "
        f"{report.plan.week_start:%d %b %Y} in {escape(campaign)}; the scheduler sends each "
        "first touch on its planned day.",
        highlight=False,
        soft_wrap=True,
    )


def _steps_table(view: LeadSequence) -> Table:
    table = Table(title=f"Steps ({len(view.steps)} of {view.total_steps} so far)")
    for name in ("step", "channel", "kind", "status", "due", "finished", "message", "task"):
        table.add_column(name, no_wrap=name in ("due", "finished"))
    table.add_column("detail", ratio=1)
    for step in view.steps:
        task = f"{step.task_id} ({step.task_status})" if step.task_id else "-"
        table.add_row(
            str(step.step), step.channel, step.kind, step.status, _when(step.due_at),
            _when(step.finished_at), str(step.message_id or "-"), task, escape(step.detail),
        )  # fmt: skip
    for planned in view.upcoming:
        wait = f"+{planned.delay_business_days} business days"
        table.add_row(
            f"[dim]{planned.step}[/]", f"[dim]{planned.channel}[/]", f"[dim]{planned.kind}[/]",
            "[dim]to come[/]", f"[dim]{wait}[/]", "", "", "", f"[dim]window {planned.window}[/]",
        )  # fmt: skip
    return table


@sequence_app.command("show")
def show_command(campaign: CampaignArg, lead: LeadArg, as_json: JsonOption = False) -> None:
    """Show a lead's sequence: its state, each step so far, and the steps still to come."""

    async def work(db: Database, settings: Settings) -> LeadSequence:
        return await lead_sequence(db, await campaign_ref(db, campaign), await lead_ref(db, lead))

    view = _run(work)
    if as_json:
        typer.echo(json.dumps(view.as_dict()))
        return
    console = Console()
    why = f" ({escape(view.stop_reason)})" if view.stop_reason else ""
    console.print(
        f"[bold]{escape(view.lead)}[/] {escape(view.email or '')} · campaign "
        f"{escape(view.campaign)} · {view.status}{why} · step {view.current_step} of "
        f"{view.total_steps}",
        highlight=False,
        soft_wrap=True,
    )
    console.print(_steps_table(view))


def _print_preview(console: Console, preview: StepPreview) -> None:
    console.print(
        f"\n[bold]Step {preview.step}[/] · {preview.channel} · {preview.kind} · business day "
        f"+{preview.due_offset_business_days} ({_when(preview.planned_at)}) · "
        f"[bold]{preview.decision}[/]: {escape(preview.reason)}",
        highlight=False,
        soft_wrap=True,
    )
    if preview.subject:
        console.print(f"Subject: {escape(preview.subject)}", highlight=False, soft_wrap=True)
    script = preview.call_script
    if script:
        console.print(f"Opener: {escape(str(script.get('opener', '')))}", highlight=False)
        console.print(f"Why we call: {escape(str(script.get('reason', '')))}", highlight=False)
        console.print("Voicemail:", highlight=False)
    console.print(escape(preview.body), highlight=False, soft_wrap=True)
    for hook in preview.hooks:
        cited = ", ".join(str(i) for i in hook.get("fact_ids") or [])
        console.print(f"[dim]  hook: {escape(str(hook.get('text', '')))} [{escape(cited)}][/]")
    for issue in preview.issues:
        console.print(f"[yellow]  ✗ {escape(issue)}[/]", highlight=False, soft_wrap=True)


@sequence_app.command("preview")
def preview_command(campaign: CampaignArg, lead: LeadArg, as_json: JsonOption = False) -> None:
    """Draft every step of the sequence for a lead; nothing is sent or stored.

    Each step is written as the scheduler would write it: from the lead's stored facts,
    through the critic and the send/queue/reject decision; a call step as a call script.
    """

    async def work(db: Database, settings: Settings) -> list[StepPreview]:
        campaign_id, lead_id = await campaign_ref(db, campaign), await lead_ref(db, lead)
        return await preview_sequence(settings, db, campaign_id, lead_id, clock=utc_now)

    previews = _run(work)
    if as_json:
        for preview in previews:
            typer.echo(json.dumps(preview.as_dict()))
        return
    console = Console()
    for preview in previews:
        _print_preview(console, preview)
    console.print("\n[dim]Drafts only: nothing was sent or stored.[/]")


def _pause(campaign: str, lead: str | None, *, paused: bool) -> None:
    async def work(db: Database, settings: Settings) -> Any:
        campaign_id = await campaign_ref(db, campaign)
        lead_id = await lead_ref(db, lead) if lead is not None else None
        return await set_paused(db, campaign_id, paused=paused, lead_id=lead_id, now=utc_now())

    outcome = _run(work)
    verb = "Paused" if paused else "Resumed"
    who = f"lead {lead} in {campaign}" if lead is not None else f"campaign {campaign}"
    steps = outcome.steps_changed
    line = (
        f"{verb} {who}: {steps} step{'' if steps == 1 else 's'} "
        f"{'paused' if paused else 'scheduled again'}; the campaign is {outcome.campaign_status}"
    )
    Console().print(escape(line), highlight=False, soft_wrap=True)
    if outcome.note:
        Console().print(f"[yellow]Note:[/] {escape(outcome.note)}", highlight=False)


@sequence_app.command("pause")
def pause_command(campaign: CampaignArg, lead: LeadOption = None) -> None:
    """Pause a campaign's sequence (every scheduled step), or one lead's with --lead."""
    _pause(campaign, lead, paused=True)


@sequence_app.command("resume")
def resume_command(campaign: CampaignArg, lead: LeadOption = None) -> None:
    """Resume a paused campaign or lead; steps that fell due meanwhile are due now."""
    _pause(campaign, lead, paused=False)


@sequence_app.command("metrics")
def metrics_command(campaign: CampaignArg, as_json: JsonOption = False) -> None:
    """Report the sequence per step: sends, replies, reply rate, time to reply, tasks.

    Also leads by state, positive replies, unsubscribes and bounces per step, and the tones
    as arms of the whole sequence.
    """

    async def work(db: Database, settings: Settings) -> dict[str, Any]:
        return await sequence_metrics(db, await campaign_ref(db, campaign))

    data = _run(work)
    if as_json:
        typer.echo(json.dumps(data))
        return
    console = Console()
    console.print(f"[bold]{escape(data['name'])}[/] · {escape(data['status'])}", highlight=False)
    render_sequence(console, data)
