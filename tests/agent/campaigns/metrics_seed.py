"""A campaign with two segments and three weeks of first touches, written through the storage
functions the sender, the webhooks and the people's stage changes use.

Segments: `leaders` (title VP; direct, "cut CI time") and `<script>` (title engineer;
friendly), and one unsegmented owner. Weeks 2026-W47, W48 and W49 (Mondays 16, 23 and 30
November); one lead first written to in W46 falls outside a three-week window ending W49.

    segment      week  sent replied positive meetings
    leaders      W47   4    2       1        1
    leaders      W48   5    3       2        0
    leaders      W49   2    0       0        0
    <script>     W47   3    1       0        0
    <script>     W48   2    1       1        1
    <script>     W49   1    1       1        0
    unsegmented  W47   1    0       0        0

The first W47 leader replies only to a follow-up sent in W49 (counted in W47, positive); one
<script> W47 reply predates the reply classifier (no intent: replied, not positive). Leaders'
first messages cite a funding fact (hook type `funding`), the others cite none; W47 leaders
are enrolled in the campaign's 3-step sequence, everyone else got one message.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from storage.database import Database
from storage.engagement import record_engagement
from storage.models import CampaignRow, FactRow, LeadRow, MessageRow, RunRow
from storage.sequences import StepPlan, enroll
from storage.stage_changes import set_stage

SCRIPT = "<script>"
SEGMENTS: list[dict[str, Any]] = [
    {
        "name": "leaders",
        "share": 0.5,
        "match": {"title": "VP"},
        "angle": {"tone": "direct", "emphasis": "cut CI time"},
    },
    {"name": SCRIPT, "share": 0.3, "match": {"title": "engineer"}, "angle": {"tone": "friendly"}},
]
MONDAYS = {
    "W46": dt.datetime(2026, 11, 9, 10, tzinfo=dt.UTC),
    "W47": dt.datetime(2026, 11, 16, 10, tzinfo=dt.UTC),
    "W48": dt.datetime(2026, 11, 23, 10, tzinfo=dt.UTC),
    "W49": dt.datetime(2026, 11, 30, 10, tzinfo=dt.UTC),
}
UNTIL = dt.date(2026, 12, 2)
"""A Wednesday of W49: a three-week window holds W47 to W49."""
TITLES = {"leaders": "VP Platform", SCRIPT: "Staff Engineer", "unsegmented": "Owner"}
TONES = {"leaders": "direct", SCRIPT: "friendly", "unsegmented": "professional"}


@dataclass(frozen=True)
class Touch:
    """One lead's first touch: its segment, week and what came back."""

    segment: str
    week: str
    reply: str | None = None
    """'none' for a reply without intent, else its intent; None: no reply."""
    meeting: bool = False
    enrolled: bool = False
    late_reply: bool = False
    """The reply answers a follow-up sent in W49, not the first message."""


def touches() -> list[Touch]:
    """Return every lead of the table in the module docstring, and one from W46."""
    return [
        Touch("leaders", "W47", "interested", meeting=True, enrolled=True, late_reply=True),
        Touch("leaders", "W47", "not_interested", enrolled=True),
        Touch("leaders", "W47", enrolled=True),
        Touch("leaders", "W47", enrolled=True),
        Touch("leaders", "W48", "meeting_request"),
        Touch("leaders", "W48", "interested"),
        Touch("leaders", "W48", "objection"),
        Touch("leaders", "W48"),
        Touch("leaders", "W48"),
        Touch("leaders", "W49"),
        Touch("leaders", "W49"),
        Touch(SCRIPT, "W47", "none"),
        Touch(SCRIPT, "W47"),
        Touch(SCRIPT, "W47"),
        Touch(SCRIPT, "W48", "interested", meeting=True),
        Touch(SCRIPT, "W48"),
        Touch(SCRIPT, "W49", "meeting_request"),
        Touch("unsegmented", "W47"),
        Touch("leaders", "W46", "interested"),
    ]


def _variants(tone: str, fact_id: str | None) -> list[dict[str, Any]]:
    hooks = [{"text": "your Series B", "fact_ids": [fact_id]}] if fact_id else []
    return [{"tone": tone, "subject": "CI", "body": "Hello.", "hooks": hooks}]


async def _send(session: Any, message: MessageRow, at: dt.datetime) -> None:
    session.add(message)
    await session.flush()
    await record_engagement(session, message, "sent", occurred_at=at)


async def seed_metrics_campaign(db: Database, name: str = "Metrics", *, rules: bool = True) -> int:
    """Write the campaign of the module docstring; return its id. Without `rules` the campaign
    defines no segments and each lead carries its segment in its `segment` column instead."""
    async with db.write_lock, db.sessions.begin() as session:
        campaign = CampaignRow(
            name=name,
            channel="email",
            status="active",
            value_proposition="We cut CI time by a third.",
            settings={"segments": SEGMENTS if rules else [], "sequence": "3-step"},
        )
        session.add(campaign)
        await session.flush()
        for run in ("metrics", "follow-up"):
            session.add(RunRow(id=f"{run}-{campaign.id}", campaign_id=campaign.id))
        await session.flush()
        for n, touch in enumerate(touches()):
            await _lead(session, campaign.id, n, touch, column=not rules)
        return campaign.id


async def _lead(session: Any, campaign_id: int, n: int, touch: Touch, *, column: bool) -> None:
    email = f"lead{n}@c{campaign_id}.example"
    lead = LeadRow(
        name=f"Lead {n}",
        email=email,
        email_normalized=email,
        company=f"Company {n}",
        title=TITLES[touch.segment],
        extra={"segment": touch.segment} if column and touch.segment != "unsegmented" else {},
    )
    session.add(lead)
    await session.flush()
    fact_id = None
    if touch.segment == "leaders":
        fact_id = f"f_fund_{n}"
        session.add(
            FactRow(
                lead_id=lead.id, fact_id=fact_id, kind="news", text="Raised a Series B.",
                title="Company raises $30M Series B", source_url="http://c.example/news",
                tool="company_research", published=dt.date(2026, 11, 1),
                retrieved_at=MONDAYS["W46"], attributes={"trigger": "funding"},
            )
        )  # fmt: skip
    sent_at = MONDAYS[touch.week] + dt.timedelta(hours=n % 5)
    tone = TONES[touch.segment]
    run_id = f"metrics-{campaign_id}"
    first = MessageRow(
        campaign_id=campaign_id, lead_id=lead.id, run_id=run_id, variants=_variants(tone, fact_id),
        selected_variant=tone, status="approved",
    )  # fmt: skip
    await _send(session, first, sent_at)
    if touch.enrolled:
        await enroll(
            session, campaign_id=campaign_id, lead_id=lead.id,
            first=StepPlan(step=2, kind="soft_nudge", channel="email"),
            due_at=sent_at + dt.timedelta(days=3), timezone=None, country=None,
        )  # fmt: skip
    answered = first
    if touch.late_reply:
        answered = MessageRow(
            campaign_id=campaign_id, lead_id=lead.id, run_id=f"follow-up-{campaign_id}",
            sequence_step=1,
            variants=_variants(tone, None), selected_variant=tone, status="approved",
        )  # fmt: skip
        await _send(session, answered, MONDAYS["W49"])
    if touch.reply is not None:
        payload = {} if touch.reply == "none" else {"intent": touch.reply}
        await record_engagement(
            session, answered, "replied", payload=payload,
            occurred_at=(MONDAYS["W49"] if touch.late_reply else sent_at) + dt.timedelta(days=1),
        )  # fmt: skip
    if touch.meeting:
        await set_stage(session, lead.id, "meeting_booked", now=sent_at + dt.timedelta(days=2))
