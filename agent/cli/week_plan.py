"""`outreach plan-week`: next week's cadence for a lead file, day by day and mailbox by mailbox.

The plan is shown, never sent: first touches per day per segment within each mailbox's cap
after its warm-up ramp, the follow-ups and tasks they bring within the week, and what did not
fit, counted by reason ("42 leads wait for next week: mailbox caps").
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from agent.cli.errors import USER_ERRORS, fail
from agent.cli.planning import (
    CampaignFileOption,
    FactsOption,
    FactsUnavailable,
    JsonOption,
    LeadsArg,
    TodayOption,
    print_notes,
    read_planning_inputs,
    today_or_now,
)
from agent.planning.operations import WeekPlanReport, next_week, plan_week, week_of
from agent.settings import Settings

WeekOption = Annotated[
    dt.datetime | None,
    typer.Option(
        "--week",
        formats=["%Y-%m-%d"],
        help="A day of the week to plan (its Monday starts the plan); default: next week.",
    ),
]


def plan_week_command(
    leads_path: LeadsArg,
    campaign_file: CampaignFileOption,
    week: WeekOption = None,
    as_json: JsonOption = False,
    use_facts: FactsOption = True,
    today: TodayOption = None,
) -> None:
    """Plan next week's cadence (the weekly plan; nothing is sent): per business day (public
    holidays skipped) and per mailbox, the first touches per segment, best leads first and in
    the segments' shares, within each mailbox's daily cap after its warm-up ramp; the
    follow-ups and tasks for people (LinkedIn, calls) the sequence brings within the week; and
    what did not fit, counted by reason. Contacts at one company (email domain) never get two
    first touches on one day, and at most max_contacts_per_account of them are planned. The
    campaign file's `mailboxes:` lists each mailbox's address, daily_cap, warmup, window, days
    and country (README, 'The weekly plan'). --json prints the plan as one JSON object."""
    day = today_or_now(today)
    try:
        inputs = read_planning_inputs(leads_path, campaign_file, use_facts, day)
        settings = Settings()
    except (*USER_ERRORS, FactsUnavailable) as exc:
        raise fail(str(exc)) from None
    lead_file, note = inputs.lead_file, inputs.note
    start = week_of(week.date()) if week is not None else next_week(day)
    report = plan_week(
        inputs.spec, inputs.prospects, settings=settings, today=day, week_start=start,
        reply_chance=inputs.reply_chance,
    )  # fmt: skip
    if as_json:
        print_notes(Console(stderr=True), lead_file, report.problems, note)
        typer.echo(json.dumps(report.as_json(), ensure_ascii=False))
        return
    console = Console()
    print_notes(console, lead_file, report.problems, note)
    show_plan(console, report)


def _segments(counts: dict[str, int]) -> str:
    return ", ".join(f"{name} {n}" for name, n in counts.items() if n) or "-"


def show_plan(console: Console, report: WeekPlanReport) -> None:
    """Print the plan: a row per day, a column per mailbox, then segments and leftovers."""
    found: dict[str, Any] = report.as_json(include_leads=False)
    plan = report.plan
    table = Table(title=f"Week of {plan.week_start:%a %d %b %Y}", title_justify="left")
    table.add_column("day")
    addresses = [m["address"] for m in found["mailboxes"]]
    for address in addresses:
        table.add_column(escape(address), justify="right")
    table.add_column("first touches by segment")
    table.add_column("follow-ups", justify="right")
    table.add_column("tasks", justify="right")
    for entry in found["days"]:
        label = f"{entry['weekday']} {entry['date'][5:]}"
        if entry["closed"]:
            closed = escape(entry["closed"])
            table.add_row(label, *(["-"] * len(addresses)), f"[dim]{closed}[/]", "", "")
            continue
        boxes = {b["mailbox"]: b for b in entry["mailboxes"]}
        by_segment: dict[str, int] = {}
        for box in entry["mailboxes"]:
            for name, count in box["first_touches"].items():
                by_segment[name] = by_segment.get(name, 0) + count
        table.add_row(
            label,
            *(f"{boxes[a]['sends']}/{boxes[a]['cap']}" if a in boxes else "-" for a in addresses),
            escape(_segments(by_segment)),
            str(entry["follow_up_count"]),
            str(entry["task_count"]),
        )
    console.print(table)
    console.print("Each mailbox cell: emails planned / its cap that day (after the warm-up ramp).")
    totals = found["totals"]
    console.print(
        f"{totals['first_touches']} first touches, {totals['follow_ups']} follow-ups, "
        f"{totals['tasks']} tasks; {totals['sends']} of {totals['capacity']} sending slots used; "
        f"{totals['accounts_with_several_contacts']} accounts with several contacts, staggered."
    )
    shares = Table(title="Segments", title_justify="left")
    for name in ("segment", "target share", "planned share", "first touches", "leads"):
        shares.add_column(name, justify="left" if name == "segment" else "right")
    for line in found["segments"]:
        shares.add_row(
            escape(line["name"]),
            f"{line['target_share']:.0%}",
            f"{line['share']:.0%}",
            str(line["first_touches"]),
            str(line["eligible"]),
        )
    console.print(shares)
    for leftover in found["did_not_fit"]:
        console.print(f"[yellow]did not fit:[/] {escape(leftover['message'])}", highlight=False)
