"""`outreach simulate`: a campaign's whole sequence on a simulated clock, as a JSON timeline."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import sys
import tempfile
from collections import Counter
from contextlib import ExitStack
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from agent.campaigns.files import CampaignFileError, load_campaign_spec
from agent.cli.demo import lead_hosts
from agent.cli.errors import USER_ERRORS, fail
from agent.demo.fixtures import EXAMPLES_DIR
from agent.demo.web import DemoWeb
from agent.leads.files import read_leads
from agent.settings import Settings


def _start(text: str | None) -> dt.datetime:
    if text is None:
        return dt.datetime.now(dt.UTC).replace(microsecond=0)
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise typer.BadParameter(
            f"{text!r} is not an ISO 8601 time like 2027-01-04T08:00Z"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def simulate(
    leads: Annotated[Path, typer.Argument(help="Lead file: CSV or JSONL.")],
    campaign_file: Annotated[
        Path,
        typer.Option(help="Campaign YAML/JSON with a `sequence:` (a preset or a list of steps)."),
    ],
    replies: Annotated[
        Path | None,
        typer.Option(
            help='Scripted replies, JSON lines {"email", "day": days after the start, "text", '
            '"subject"?, "from"?} (from: a sender other than the lead, e.g. MAILER-DAEMON).'
        ),
    ] = None,
    days: Annotated[float, typer.Option(min=0.1, max=366, help="How long to simulate.")] = 28,
    start: Annotated[
        str | None, typer.Option(help="When the campaign starts (ISO 8601, UTC); default: now.")
    ] = None,
    leave_tasks: Annotated[
        bool,
        typer.Option(
            "--leave-tasks",
            help="Leave LinkedIn and call tasks undone (default: a person does each on its "
            "due day), to see sequences wait on them.",
        ),
    ] = False,
    demo_sites: Annotated[
        bool,
        typer.Option(
            "--demo-sites",
            help="Research on the bundled fictional websites (examples/sites) served on "
            "loopback, as `outreach demo` does: for the example leads, with no network.",
        ),
    ] = False,
    data_dir: Annotated[
        Path | None,
        typer.Option(help="Keep the simulation's database and outboxes here (default: discard)."),
    ] = None,
) -> None:
    """Run a campaign's sequence on a simulated clock and print its timeline as JSON lines.

    The real scheduler, writer, critic and sending limits run on a fresh database with the
    dry-run outboxes; nothing is sent. Each line is {"at", "lead", "step", "channel",
    "event": scheduled|sent|queued|task|skipped|paused|resumed|stopped|replied, "detail"}.
    Scripted replies go through the same path as real inbound replies, so a reply, bounce or
    opt-out stops that lead's sequence as it would in production.
    """
    from agent.sequences.simulation import read_replies
    from agent.sequences.simulation import simulate as run_simulation

    err = Console(stderr=True)
    try:
        spec = load_campaign_spec(campaign_file)
        if spec.sequence is None:
            raise CampaignFileError(
                f"{campaign_file} has no sequence: add `sequence: 3-step` (or 5-step, 7-step, "
                "soft_nudge, direct_cta) or a list of steps"
            )
        spec.pipeline_campaign()
        lead_file = read_leads(leads, spec.channel)
        scripted, reply_errors = read_replies(replies) if replies else ([], [])
        for problem in [*(f"{leads.name} {e}" for e in lead_file.errors), *reply_errors]:
            err.print(f"[yellow]skipped:[/] {problem}", markup=True, highlight=False)
        with tempfile.TemporaryDirectory(prefix="outreach-simulate-") as scratch:
            folder = data_dir or Path(scratch)
            settings = Settings().model_copy(
                update={
                    "data_dir": folder,
                    "database_url": None,
                    "email_provider": "dry-run",
                    "sms_provider": "dry-run",
                }
            )
            folder.mkdir(parents=True, exist_ok=True)
            if (folder / "outreach.db").exists():
                raise ValueError(
                    f"{folder} already holds a database (outreach.db): a simulation needs a "
                    "fresh one; pass an empty folder to --data-dir"
                )

            with ExitStack() as stack:
                resolve = None
                if demo_sites:
                    web = stack.enter_context(DemoWeb(EXAMPLES_DIR / "sites"))
                    resolve = web.resolve_map(lead_hosts(lead_file))
                    settings = settings.model_copy(update={"allow_private_networks": True})
                result = asyncio.run(
                    run_simulation(
                        settings,
                        spec,
                        [lead for _, lead in lead_file.leads],
                        scripted,
                        start=_start(start),
                        days=days,
                        resolve=resolve,
                        do_tasks=not leave_tasks,
                    )
                )
    except (*USER_ERRORS, ValueError, LookupError) as exc:
        raise fail(str(exc)) from None
    for entry in result.timeline:
        sys.stdout.write(json.dumps(entry.as_json(), ensure_ascii=False) + "\n")
    counts = Counter(entry.event for entry in result.timeline)
    summary = ", ".join(f"{n} {event}" for event, n in sorted(counts.items())) or "nothing"
    err.print(f"{len(lead_file.leads)} leads over {days:g} days: {summary}", highlight=False)
