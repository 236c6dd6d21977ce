"""`outreach segment` and `outreach prioritize`: a lead file split over a campaign's segments,
and ranked by priority with the reasons for each score.

Both read researched facts stored in the database for the file's addresses (a lead researched
by an earlier run), and say how many leads had any; without facts, only the file's columns
count (title, industry, company size, country, email status, ...).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Protocol

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from agent.campaigns.files import CampaignFileError, load_campaign_spec
from agent.campaigns.spec import CampaignSpec
from agent.cli.errors import USER_ERRORS, fail
from agent.leads.files import LeadFile, read_leads
from agent.learning.reply_chance import OutcomeReplyChance, stored_reply_chance
from agent.planning.operations import prioritize, segment
from agent.planning.prospects import Prospect, prospects_of
from agent.planning.segment_config import UNSEGMENTED
from agent.planning.stored_facts import StoredEvidence, evidence_for_emails
from agent.settings import Settings
from graphs.lead import Channel
from storage.database import Database
from storage.models import CampaignRow
from tools.facts import utc_now

SHOWN_ROW_ERRORS = 20

LeadsArg = Annotated[
    Path,
    typer.Argument(
        help="CSV or JSONL lead file, as `outreach run` reads it (bad rows are reported by row "
        "and reason, and the rest go on).",
        dir_okay=False,
    ),
]
CampaignFileOption = Annotated[
    Path,
    typer.Option(
        "--campaign-file",
        help="Campaign YAML/JSON with `target`, `segments` (name, share, match or rules, "
        "angle), `segment_split` (partial or full) and optionally `scoring`. See README, "
        "'Planning: segments and priorities'.",
        dir_okay=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON object per lead.")]
FactsOption = Annotated[
    bool,
    typer.Option(
        "--facts/--no-facts",
        help="Use researched facts stored in the database (OUTREACH_DATABASE_URL) for the "
        "file's addresses; --no-facts uses the file's columns alone.",
    ),
]
TodayOption = Annotated[
    dt.datetime | None,
    typer.Option(
        "--today",
        formats=["%Y-%m-%d"],
        help="The day trigger ages are counted from (default: today, UTC).",
    ),
]


class Problem(Protocol):
    """A problem with the campaign's planning fields: a level and a line of text."""

    @property
    def level(self) -> str: ...
    def text(self) -> str: ...


class FactsUnavailable(Exception):
    """The database with the leads' researched facts cannot be read."""


async def _evidence(
    emails: list[str], campaign: str
) -> tuple[StoredEvidence, str, OutcomeReplyChance | None]:
    """The leads' stored facts and suppressions, and what the stored campaign of this name
    has learnt from its outcomes (None when no such campaign is stored)."""
    settings = Settings()
    async with await Database.connect(settings.database) as db:
        evidence = await evidence_for_emails(db, emails)
        async with db.sessions() as session:
            row = await session.scalar(select(CampaignRow).where(CampaignRow.name == campaign))
            chance = await stored_reply_chance(session, row) if row is not None else None
        return evidence, db.url, chance


@dataclass
class PlanningInputs:
    """What segmenting, ranking and planning a lead file read."""

    spec: CampaignSpec
    lead_file: LeadFile
    prospects: list[Prospect]
    note: str  # where the facts (and outcomes) came from
    reply_chance: OutcomeReplyChance | None = None


def read_planning_inputs(
    leads_path: Path, campaign_file: Path, use_facts: bool, today: dt.date
) -> PlanningInputs:
    """Read the campaign, the leads and their stored facts (and the stored campaign's outcomes
    of the same name); return them with a note saying where the facts came from."""
    spec = load_campaign_spec(campaign_file)
    try:
        spec.target()  # the priority score reads the audience's lists
    except ValueError as exc:
        raise CampaignFileError(f"campaign field target in {campaign_file}: {exc}") from None
    lead_file = read_leads(leads_path, Channel(spec.channel))
    evidence = StoredEvidence({}, {})
    chance: OutcomeReplyChance | None = None
    note = "facts: not read (--no-facts), so only the lead file's columns count"
    if use_facts:
        emails = [lead.email for _, lead in lead_file.leads if lead.email]
        try:
            evidence, url, chance = asyncio.run(_evidence(emails, spec.name))
        except (OSError, SQLAlchemyError) as exc:
            raise FactsUnavailable(
                f"cannot read stored facts from the database ({exc.__class__.__name__}: "
                f"{str(exc).splitlines()[0] if str(exc) else 'no detail'}); check "
                "OUTREACH_DATABASE_URL, or pass --no-facts to plan on the lead file alone"
            ) from None
        with_facts = sum(
            1 for _, lead in lead_file.leads if (lead.email or "").lower() in evidence.facts
        )
        note = (
            f"facts: {with_facts} of {len(lead_file.leads)} leads have researched facts in {url}"
            if with_facts
            else f"facts: none stored in {url} for these leads, so only the lead file's "
            "columns count"
        )
        if evidence.suppressed:
            note += (
                f"; {len(evidence.suppressed)} of them on the suppression list (never written to)"
            )
        if chance is not None and (sent := sum(row.sent for row in chance.learning.odds)):
            note += f"; reply chance from the outcomes of {sent} sends in campaign {spec.name!r}"
    prospects = prospects_of(
        lead_file.leads, evidence.facts, today=today, suppressed=evidence.suppressed
    )
    return PlanningInputs(spec, lead_file, prospects, note, chance)


def print_notes(
    console: Console, lead_file: LeadFile, problems: Sequence[Problem], note: str
) -> None:
    """Print the lead file's bad rows, where the facts came from, and the campaign's problems."""
    console.print(escape(lead_file.describe()), highlight=False)
    for error in lead_file.errors[:SHOWN_ROW_ERRORS]:
        console.print(f"  [yellow]skipped[/] {escape(str(error))}", highlight=False)
    if len(lead_file.errors) > SHOWN_ROW_ERRORS:
        console.print(f"  … and {len(lead_file.errors) - SHOWN_ROW_ERRORS} more rows")
    console.print(escape(note), highlight=False)
    for problem in problems:
        style = "red" if problem.level == "error" else "yellow"
        console.print(f"[{style}]{problem.level}:[/] {escape(problem.text())}", highlight=False)


def today_or_now(today: dt.datetime | None) -> dt.date:
    """Return the day given on the command line, else today (UTC)."""
    return today.date() if today is not None else utc_now().date()


def segment_command(
    leads_path: LeadsArg,
    campaign_file: CampaignFileOption,
    as_json: JsonOption = False,
    use_facts: FactsOption = True,
    today: TodayOption = None,
    show: Annotated[
        int, typer.Option(min=0, max=100_000, help="Leads listed under the split (table view).")
    ] = 20,
) -> None:
    """Split a lead file over the campaign's segments: each lead lands in the first segment
    (top to bottom) with a rule that matches it, else in `unsegmented`, and the rule that
    placed it is shown. Prints each segment's leads, share of the leads and target share of
    the week, then the leads; --json prints {"email", "segment", "rule", "matched", ...} per
    lead. A segment that cannot be read is named with its rule and field, and left out."""
    try:
        inputs = read_planning_inputs(leads_path, campaign_file, use_facts, today_or_now(today))
    except (*USER_ERRORS, FactsUnavailable) as exc:
        raise fail(str(exc)) from None
    spec, lead_file, prospects, note = inputs.spec, inputs.lead_file, inputs.prospects, inputs.note
    report = segment(spec, prospects)
    if as_json:
        print_notes(Console(stderr=True), lead_file, report.planning.problems, note)
        for line in report.lead_lines():
            typer.echo(json.dumps(line, ensure_ascii=False))
        return
    console = Console()
    print_notes(console, lead_file, report.planning.problems, note)
    table = Table(title=f"Segments of {escape(leads_path.name)}", title_justify="left")
    for name in ("segment", "leads", "% of leads", "target share", "angle", "rules"):
        table.add_column(name, justify="right" if name in ("leads", "% of leads") else "left")
    for count in report.split.counts:
        written = (
            f" (written {count.share_written:g})"
            if count.share_written
            not in (
                None,
                count.target_share,
            )
            else ""
        )
        table.add_row(
            escape(count.name),
            str(count.leads),
            f"{count.lead_share:.1%}",
            f"{count.target_share:.1%}{written}",
            escape(count.angle.text()),
            escape("\n".join(f"{n}. {text}" for n, text in enumerate(count.rules, start=1))),
        )
    console.print(table)
    if show:
        _lead_table(console, report.lead_lines()[:show], len(prospects))


def _lead_table(console: Console, lines: list[dict[str, Any]], total: int) -> None:
    shown = f" (first {len(lines)} of {total})" if len(lines) < total else ""
    table = Table(title=f"Leads{shown}", title_justify="left")
    for name in ("row", "lead", "segment", "rule", "matched"):
        table.add_column(name, justify="right" if name in ("row", "rule") else "left")
    for line in lines:
        table.add_row(
            str(line["row"] or ""),
            escape(line["email"] or line["name"]),
            escape(line["segment"]),
            str(line["rule"] or "-"),
            escape(line["matched"]),
        )
    console.print(table)


def prioritize_command(
    leads_path: LeadsArg,
    campaign_file: CampaignFileOption,
    top: Annotated[int, typer.Option(min=1, max=1_000_000, help="Show the best N leads.")] = 20,
    as_json: JsonOption = False,
    use_facts: FactsOption = True,
    today: TodayOption = None,
    only: Annotated[
        str | None, typer.Option("--segment", help="Only the leads placed in this segment.")
    ] = None,
) -> None:
    """Rank a lead file's leads by priority, best first. Each score is a sum of named parts,
    all shown: fit (title, seniority, industry, company size against the campaign's target;
    keywords the facts mention; excluded words), signal (fresh funding, hiring for the
    problem, launches, posts on the topic, each weighed by its age) and reachability
    (verified email, the campaign's channel, other channels). --json prints
    {"email", "segment", "score", "reasons": [...], ...} per lead."""
    day = today_or_now(today)
    try:
        inputs = read_planning_inputs(leads_path, campaign_file, use_facts, day)
    except (*USER_ERRORS, FactsUnavailable) as exc:
        raise fail(str(exc)) from None
    spec, lead_file, prospects, note = inputs.spec, inputs.lead_file, inputs.prospects, inputs.note
    report = prioritize(
        spec, prospects, today=day, top=None if only else top, reply_chance=inputs.reply_chance
    )
    if only is not None:
        names = [s.name for s in report.planning.setup.segments] + [UNSEGMENTED]
        if only not in names:
            raise fail(f"the campaign has no segment {only!r}; segments: {', '.join(names)}")
        report.ranked = [p for p in report.ranked if p.placement.segment == only][:top]
    if as_json:
        print_notes(Console(stderr=True), lead_file, report.planning.problems, note)
        for item in report.ranked:
            typer.echo(json.dumps(item.as_dict(), ensure_ascii=False))
        return
    console = Console()
    print_notes(console, lead_file, report.planning.problems, note)
    title = f"Priorities: the best {len(report.ranked)} of {report.scored} leads"
    if only is not None:
        title += f" (segment {only})"
    table = Table(title=escape(title), title_justify="left", show_lines=True)
    table.add_column("#", justify="right")
    table.add_column("score", justify="right")
    table.add_column("lead", max_width=36)
    table.add_column("segment")
    table.add_column("reasons", ratio=1)
    for place, item in enumerate(report.ranked, start=1):
        p = item.prospect
        table.add_row(
            str(place),
            f"{item.score:.2f}",
            escape(f"{p.name}, {p.company}\n{p.email or ''}".strip()),
            escape(item.placement.segment),
            escape("\n".join(part.text() for part in item.parts)),
        )
    console.print(table)
