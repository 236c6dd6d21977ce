"""`outreach report CAMPAIGN`: a campaign's results, with its sequence step by step.

The same report the analytics API returns (GET /campaigns/{id}/analytics): counts, rates and
cost, the A/B read of the message variants, and for a campaign with a sequence its leads, a
table of every step (sent, replies, reply rate, median time to reply, tasks) and the tones as
arms of the whole sequence; then the metrics by segment, angle and week
(GET /campaigns/{id}/analytics/segments), and with --plot their weekly trend as SVG or PNG.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from agent.campaigns.report import AbMetric, campaign_report
from agent.campaigns.segment_metrics import DEFAULT_WEEKS, MAX_WEEKS, MIN_WEEKS, segment_metrics
from agent.campaigns.trend_plot import UnknownPlotFormat, format_of
from agent.cli.errors import USER_ERRORS, fail
from agent.cli.metrics_view import render_segment_metrics, write_plot
from agent.sequences.operations import campaign_ref, campaign_row
from agent.settings import Settings
from storage.database import Database

CampaignArg = Annotated[str, typer.Argument(help="The campaign's name (or a unique prefix) or id.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print the report as one JSON object.")]


MetricOption = Annotated[
    AbMetric,
    typer.Option(
        "--metric",
        help="What the A/B test compares: reply_rate, or positive_reply_rate (interested or "
        "asking for a meeting, as the reply classifier read them).",
    ),
]


WeeksOption = Annotated[
    int,
    typer.Option(
        "--weeks",
        min=MIN_WEEKS,
        max=MAX_WEEKS,
        help="How many ISO weeks the metrics by segment, angle and week cover (1-52), ending "
        "with this week (or --until's).",
    ),
]
UntilOption = Annotated[
    dt.datetime | None,
    typer.Option(
        "--until",
        formats=["%Y-%m-%d"],
        help="A day in the last week the metrics cover (default: today).",
    ),
]
PlotOption = Annotated[
    Path | None,
    typer.Option(
        "--plot",
        help="Write the weekly trend of reply and positive-reply rates to this .svg or .png file.",
    ),
]


async def load_report(
    settings: Settings,
    ref: str,
    metric: AbMetric = "reply_rate",
    *,
    weeks: int = DEFAULT_WEEKS,
    until: dt.date | None = None,
) -> dict[str, Any]:
    """Open the configured database and return the campaign's report, its metrics by
    segment, angle and week under `segment_metrics`."""
    async with await Database.connect(settings.database) as db:
        campaign_id = await campaign_ref(db, ref)
        async with db.sessions() as session:
            row = await campaign_row(session, campaign_id)
            found = await campaign_report(session, row, metric=metric)
            found["segment_metrics"] = await segment_metrics(
                session, row, weeks=weeks, until=until or dt.datetime.now(dt.UTC).date()
            )
            return found


def _number(value: Any) -> str:
    if value is None:
        return "-"
    return f"{value:g}" if isinstance(value, float) else str(value)


def _interval(bounds: list[float]) -> str:
    return f"{bounds[0]:g}–{bounds[1]:g}"


def _p_value(comparison: dict[str, Any] | None) -> str:
    if comparison is None:
        return "No comparison yet: it needs two arms with leads."
    first, second = (str(key) for key in comparison["between"])
    p_value, needed = comparison["p_value"], comparison["leads_needed_per_arm"]
    line = (
        f"{escape(first)} vs {escape(second)}: {comparison['rates'][0]:g}% vs "
        f"{comparison['rates'][1]:g}%, {comparison['test']} p = {_number(p_value)}"
    )
    return line + (f"; about {needed} leads per arm would tell them apart" if needed else "")


def sequence_steps_table(sequence: dict[str, Any]) -> Table:
    """Return one row per step: what it is, how many it reached, and what came back."""
    table = Table(title="Sequence, step by step", title_justify="left")
    for name in ("step", "channel", "kind", "day", "reached", "sent", "replied", "reply %"):
        table.add_column(name, justify="right" if name not in ("channel", "kind") else "left")
    for name in ("95% CI", "median reply h", "positive", "unsub", "bounced", "tasks", "now here"):
        table.add_column(name, justify="left" if name in ("tasks", "now here") else "right")
    for step in sequence["steps"]:
        tasks = step["tasks"]
        here = ", ".join(f"{n} {status}" for status, n in step["leads"].items() if n)
        table.add_row(
            str(step["step"]),
            escape(step["channel"] or "?"),
            escape(step["kind"] or "?"),
            f"+{step['due_offset_business_days']}" if step["kind"] else "-",
            str(step["reached"]),
            str(step["sent"]),
            str(step["replied"]),
            _number(step["reply_rate"]) if step["sent"] else "-",
            _interval(step["reply_rate_ci"]) if step["sent"] else "-",
            _number(step["median_time_to_reply_hours"]),
            _number(step["positive_replies"]),
            str(step["unsubscribed"]),
            str(step["bounced"]),
            ", ".join(f"{n} {status}" for status, n in tasks.items() if n) if tasks else "",
            here,
        )
    return table


def render_sequence(console: Console, sequence: dict[str, Any]) -> None:
    """Print a campaign's sequence section: its leads, each step, and the tones as arms."""
    leads, total = sequence["leads"], sequence["performance"]
    shape = sequence["preset"] or f"{sequence['steps_defined']} steps"
    console.print(
        f"\n[bold]Sequence[/] {escape(shape)} over {sequence['total_business_days']} business "
        f"days · {leads['enrolled']} leads enrolled: {leads['active']} active, "
        f"{leads['paused']} paused, {leads['stopped']} stopped, {leads['finished']} finished",
        highlight=False,
    )
    console.print(
        f"{total['sent']} sent, {total['replied']} replied ({total['reply_rate']:g}% of sent), "
        f"median time to reply {_number(total['median_time_to_reply_hours'])} h, "
        f"{total['unsubscribed']} unsubscribed, {total['bounced']} bounced",
        highlight=False,
    )
    console.print(sequence_steps_table(sequence))
    ab = sequence["ab_testing"]
    if ab["arms"]:
        arms = Table(title="Tones across the whole sequence", title_justify="left")
        for name in ("tone", "leads", "replied", "reply %", "95% CI"):
            arms.add_column(name, justify="left" if name == "tone" else "right")
        for arm in ab["arms"]:
            arms.add_row(
                escape(arm["tone"]),
                str(arm["leads"]),
                str(arm["replied"]),
                _number(arm["reply_rate"]),
                _interval(arm["reply_rate_ci"]),
            )
        console.print(arms)
        console.print(_p_value(ab["comparison"]), highlight=False)
    for note in sequence["notes"]:
        console.print(f"[dim]{escape(note)}[/]", highlight=False)


def render_report(console: Console, report: dict[str, Any]) -> None:
    """Print the campaign report for people."""
    performance, cost, ab = report["performance"], report["cost"], report["ab_testing"]
    console.print(
        f"[bold]{escape(report['name'])}[/] · {escape(report['status'])} "
        f"{escape(report['channel'])} campaign · {performance['total_messages']} messages",
        highlight=False,
    )
    console.print(
        ", ".join(
            f"{performance[name]} {name}"
            for name in ("sent", "delivered", "opened", "clicked", "replied", "bounced")
        )
        + f" · reply rate {performance['reply_rate']:g}% of delivered"
        + f" · cost ${cost['total_usd']:.4f}",
        highlight=False,
    )
    render_replies(console, report["replies"], report["lead_stages"])
    render_segments(console, report["segments"])
    if ab["winner"]:
        metric = ab["primary_metric"].replace("_", " ")
        console.print(f"A/B winner on {metric}: {escape(ab['winner'])}", highlight=False)
    else:
        console.print(f"A/B: no winner yet: {escape('; '.join(ab['not_yet']))}", highlight=False)
    if report.get("sequence"):
        render_sequence(console, report["sequence"])
    else:
        console.print("[dim]No sequence: one message per lead.[/]")


def render_replies(console: Console, replies: dict[str, Any], stages: dict[str, int]) -> None:
    """Print what replies said, the reasons behind every no, and where the leads stand."""
    if replies["replied"]:
        said = ", ".join(f"{n} {escape(intent)}" for intent, n in replies["intents"].items())
        console.print(
            f"Replies: {said or 'none read yet'} · positive {replies['positive_replies']} "
            f"({replies['positive_reply_rate']:g}%), meeting requests "
            f"{replies['meeting_requests']} ({replies['meeting_request_rate']:g}%)",
            highlight=False,
        )
        for intent, reasons in replies["reasons"].items():
            if reasons:
                why = ", ".join(f"{escape(reason)} {n}" for reason, n in reasons.items())
                console.print(f"  {escape(intent)} because: {why}", highlight=False)
        for note in replies["notes"]:
            console.print(f"[dim]{escape(note)}[/]", highlight=False)
    reached = ", ".join(f"{n} {stage.replace('_', ' ')}" for stage, n in stages.items() if n)
    if reached:
        console.print(f"Leads: {reached}", highlight=False)


def render_segments(console: Console, segments: list[dict[str, Any]]) -> None:
    """A table of segments when there are several: sends, replies, positives, meetings."""
    if len(segments) < 2:
        return
    table = Table(title="Segments", title_justify="left")
    for name in ("segment", "sent", "replied", "reply %", "positive", "positive %", "meetings"):
        table.add_column(name, justify="left" if name == "segment" else "right")
    for row in segments:
        table.add_row(
            escape(row["segment"]),
            str(row["sent"]),
            str(row["replied"]),
            _number(row["reply_rate"]),
            str(row["positive_replies"]),
            _number(row["positive_reply_rate"]),
            str(row["meeting_requests"]),
        )
    console.print(table)


def report(
    campaign: CampaignArg,
    as_json: JsonOption = False,
    metric: MetricOption = "reply_rate",
    weeks: WeeksOption = DEFAULT_WEEKS,
    until: UntilOption = None,
    plot: PlotOption = None,
) -> None:
    """Print a campaign's results, with its sequence step by step and its metrics by segment,
    angle and week.

    Counts, rates and cost, the A/B read of the variants, and for a campaign with a sequence:
    its leads, each step's sends, replies, reply rate, median time to reply and tasks, and the
    tones as arms of the whole sequence. Then, over --weeks ISO weeks: leads first written to,
    replies, positive replies and meetings per segment and per week (Wilson 95% intervals, the
    change week over week), and the best sequences and angles. --json prints what GET
    /campaigns/{id}/analytics returns, with `segment_metrics` as GET .../analytics/segments
    returns it; --plot writes the weekly trend as an SVG or PNG picture.
    """
    try:
        if plot is not None:
            format_of(plot)  # a wrong suffix is said before the database is opened
        data = asyncio.run(
            load_report(
                Settings(), campaign, metric, weeks=weeks, until=until.date() if until else None
            )
        )
    except (*USER_ERRORS, LookupError, UnknownPlotFormat) as exc:
        raise fail(str(exc)) from None
    if plot is not None:
        try:
            write_plot(data["segment_metrics"], plot)
        except OSError as exc:
            raise fail(f"--plot {plot}: cannot write the picture ({exc.strerror or exc})") from None
    if as_json:
        typer.echo(json.dumps(data, default=str))
        return
    console = Console()
    render_report(console, data)
    render_segment_metrics(console, data["segment_metrics"])
    if plot is not None:
        console.print(f"Weekly trend written to {escape(str(plot))}", highlight=False)
