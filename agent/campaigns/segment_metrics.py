"""A campaign's metrics by segment, angle, sequence and ISO week: leads first written to, and
how many replied, replied positively and booked a meeting, as rates with Wilson 95% intervals;
the best sequences and angles by the interval's lower bound; and the week-over-week trend.

GET /campaigns/{id}/analytics/segments, its weekly-trend plot and `outreach report` read this.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from agent.campaigns.lead_attribution import BASIS_NOTES, AngleKey, AttributedLead, attribute
from agent.campaigns.metric_tally import MIN_RANKED_LEADS, MIN_WEEK_LEADS, Tally, change, ranked
from agent.campaigns.spec import CampaignSpec
from agent.campaigns.stored import spec_of
from agent.planning.segment_config import UNSEGMENTED, read_segments
from storage.first_touches import FirstTouch, first_touches
from storage.lock_order import in_lists
from storage.models import CampaignRow
from storage.prospect_reads import facts_cited, leads_with_facts

Offload = Callable[..., Awaitable[dict[str, Any]]]
"""Runs a function with its arguments off the event loop (starlette's run_in_threadpool)."""

MIN_WEEKS, MAX_WEEKS, DEFAULT_WEEKS = 1, 52, 8
TOP = 10
"""How many sequences and angles the rankings list."""
UNIT_NOTE = (
    "Each lead counts once, in the ISO week (UTC) its first message in the campaign went: sent is "
    "leads first written to; replied and positive replies are those leads who answered any of "
    "the campaign's messages (positive: interested or asking for a meeting, as the reply "
    "classifier read it); meetings are leads marked meeting_booked (or won). Rates are percent "
    "of sent, with Wilson 95% intervals."
)
RANKING_NOTE = (
    "Sequences and angles are ranked by the lower bound of the positive-reply rate's 95% "
    "interval, so a few lucky leads do not outrank a large sample; `sent` is the sample size, "
    f"and those under {MIN_RANKED_LEADS} leads come last (`small_sample`)."
)
TREND_NOTE = (
    "Week over week: a rate is called up or down only when the two weeks' 95% intervals do not "
    f"overlap, and not at all when either week has fewer than {MIN_WEEK_LEADS} leads. The "
    "latest weeks' leads have had less time to answer: their rates may still rise."
)
UNREAD_NOTE = (
    "{unread} replied leads have no reply the reply classifier read (recorded before it): they "
    "count as replies, not as positive ones."
)


class WeeksOutOfRange(ValueError):
    """The number of weeks asked for is outside 1 to 52."""


def week_window(until: dt.date, weeks: int) -> tuple[dt.datetime, dt.datetime, list[str]]:
    """Return the window of `weeks` ISO weeks ending with the week holding `until`: its start,
    its end (exclusive, UTC) and the weeks' labels, oldest first."""
    if not MIN_WEEKS <= weeks <= MAX_WEEKS:
        raise WeeksOutOfRange(
            f"weeks must be from {MIN_WEEKS} to {MAX_WEEKS} (got {weeks}): how many ISO weeks, "
            "ending with this one, to report"
        )
    monday = until - dt.timedelta(days=until.weekday())
    first = monday - dt.timedelta(weeks=weeks - 1)
    mondays = [first + dt.timedelta(weeks=n) for n in range(weeks)]
    labels = [f"{d.isocalendar()[0]}-W{d.isocalendar()[1]:02d}" for d in mondays]
    start = dt.datetime.combine(first, dt.time(), dt.UTC)
    return start, dt.datetime.combine(monday + dt.timedelta(days=7), dt.time(), dt.UTC), labels


def _count(leads: Sequence[AttributedLead], key: Any) -> dict[Any, Tally]:
    tallies: dict[Any, Tally] = defaultdict(Tally)
    for lead in leads:
        touch = lead.touch
        tallies[key(lead)].add(
            replied=touch.replied,
            positive=touch.positive,
            read=touch.read,
            meeting=touch.meeting,
            leads=touch.leads,
        )
    return tallies


def _weekly(leads: Sequence[AttributedLead], labels: list[str]) -> list[dict[str, Any]]:
    tallies = _count(leads, lambda lead: lead.week)
    rows: list[dict[str, Any]] = []
    for label in labels:
        row = {"week": label, **tallies.get(label, Tally()).row()}
        row["change"] = change(rows[-1], row) if rows else None
        rows.append(row)
    return rows


def _segment_order(names: list[str], defined: list[str]) -> list[str]:
    position = {name: n for n, name in enumerate(defined)}
    return sorted(names, key=lambda n: (n == UNSEGMENTED, position.get(n, len(defined)), n.lower()))


async def _lead_rows(
    session: AsyncSession, touches: Sequence[FirstTouch], *, rules: bool
) -> dict[int, tuple[Any, list[Any]]]:
    """Read what placing the leads that came back one by one needs: a lead to place with the
    rules, with all its facts; a lead whose hook cites a fact, that fact."""
    placed = [t.lead_id for t in touches if t.lead_id is not None and rules and t.segment is None]
    rows: dict[int, tuple[Any, list[Any]]] = {}
    for chunk in in_lists(placed):
        for lead, facts in await leads_with_facts(session, lead_ids=chunk, limit=len(chunk)):
            rows[lead.id] = (lead, facts)
    cited = [
        (t.lead_id, t.hook_fact_id)
        for t in touches
        if t.lead_id is not None and t.hook_fact_id is not None and t.lead_id not in rows
    ]
    for lead_id, facts in (await facts_cited(session, cited)).items():
        rows[lead_id] = (None, facts)
    return rows


async def segment_metrics(
    session: AsyncSession,
    campaign: CampaignRow,
    *,
    weeks: int = DEFAULT_WEEKS,
    until: dt.date,
    top: int = TOP,
    offload: Offload | None = None,
) -> dict[str, Any]:
    """Return the campaign's metrics by segment, angle, sequence and week over the `weeks` ISO
    weeks ending with the one holding `until` (WeeksOutOfRange outside 1 to 52).

    offload: runs the counting (placing the leads that came back one by one, the intervals:
    seconds at tens of thousands of leads placed by rules) off the caller's event loop, as a
    server passes run_in_threadpool; the database reads stay on it."""
    start, end, labels = week_window(until, weeks)
    spec = spec_of(campaign)
    rules = bool(read_segments(spec.segments, spec.segment_split).segments)
    mondays = [start + dt.timedelta(weeks=n) for n in range(len(labels))]
    touches = await first_touches(
        session, campaign_id=campaign.id, mondays=mondays, until=end, rules=rules
    )
    rows = await _lead_rows(session, touches, rules=rules)
    window = (start, end, labels)
    if offload is None:
        return _tables(campaign.id, campaign.name, spec, touches, rows, window, top)
    return await offload(_tables, campaign.id, campaign.name, spec, touches, rows, window, top)


def _tables(
    campaign_id: int,
    name: str,
    spec: CampaignSpec,
    touches: Sequence[FirstTouch],
    rows: dict[int, tuple[Any, list[Any]]],
    window: tuple[dt.datetime, dt.datetime, list[str]],
    top: int,
) -> dict[str, Any]:
    start, end, labels = window
    leads, basis = attribute(spec, touches, rows)
    total = _count(leads, lambda _: "all").get("all", Tally())
    defined = [s.name for s in read_segments(spec.segments, spec.segment_split).segments]
    by_segment = _count(leads, lambda lead: lead.segment)
    names = _segment_order(list(by_segment), defined)
    by_angle: dict[AngleKey, Tally] = _count(leads, lambda lead: lead.angle)
    angles = [
        {"angle": key.as_dict(), "label": key.label(), **tally.row()}
        for key, tally in by_angle.items()
    ]
    sequences = [
        {"sequence": name, **tally.row()}
        for name, tally in _count(leads, lambda lead: lead.sequence).items()
    ]
    notes = [UNIT_NOTE, BASIS_NOTES[basis], RANKING_NOTE, TREND_NOTE]
    if total.unread:
        notes.append(UNREAD_NOTE.format(unread=total.unread))
    return {
        "campaign_id": campaign_id,
        "name": name,
        "weeks": labels,
        "from": start.date().isoformat(),
        "until": (end - dt.timedelta(days=1)).date().isoformat(),
        "segment_basis": basis,
        "defined_segments": defined,
        "totals": total.row(),
        "segments": [{"segment": name, **by_segment[name].row()} for name in names],
        "angles": sorted(angles, key=lambda row: (-row["sent"], row["label"])),
        "weekly": _weekly(leads, labels),
        "weekly_by_segment": [
            {"segment": name, "weeks": _weekly([x for x in leads if x.segment == name], labels)}
            for name in names
        ],
        "top_sequences": ranked(sequences, top=top),
        "top_angles": ranked(angles, top=top),
        "notes": notes,
    }
