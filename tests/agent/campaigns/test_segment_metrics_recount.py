"""segment_metrics counts leads in SQL, alike ones together; here its figures are checked
against a plain recount, lead by lead in Python, of a randomly seeded campaign with every case
that decides where a lead counts: several messages per lead (the first before the window,
two sent at the same instant), segments recorded or not (placed by today's rules, or by the
lead's `segment` column), hooks citing facts of each kind or since removed, drafts citing no
fact at all, replies of each intent to first messages and follow-ups, another campaign's
replies, enrolments and meetings, and leads alike in everything, which SQL counts together.
On both backends."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from agent.campaigns import segment_metrics as segment_metrics_module
from agent.campaigns.metric_tally import Tally
from agent.campaigns.segment_metrics import segment_metrics
from storage.database import Database
from storage.first_touches import FirstTouch, first_touches
from storage.models import CampaignRow, EventRow, FactRow, LeadRow, MessageRow, RunRow
from storage.sequence_models import SequenceEnrollmentRow
from tests.agent.campaigns.metrics_seed import SEGMENTS

UNTIL = dt.date(2026, 12, 2)
WEEKS = 4
WINDOW_START = dt.datetime(2026, 11, 9, tzinfo=dt.UTC)
"""Monday of 2026-W46, the first of the four weeks ending with UNTIL's."""
TITLES = ("VP Platform", "Staff Engineer", "Owner")
RULED = {"VP Platform": ("leaders", "cut CI time"), "Staff Engineer": ("<script>", None)}
TONES = ("direct", "friendly", "professional", None)
INTENTS = ("interested", "meeting_request", "not_interested", "objection", None)
FACTS = {  # fact id: (kind, attributes, the hook type it gives)
    "f_fund": ("news", {"trigger": "funding"}, "funding"),
    "f_jobs": ("hiring", {}, "hiring"),
    "f_site": ("company", {}, "company"),
    "f_item": ("news", {}, "funding"),  # no trigger recorded: its headline says which
}


@dataclass
class Planned:
    """One lead as seeded, and what a recount makes of it."""

    title: str
    column: Any
    status: str
    enrolled: bool
    sends: list[dict[str, Any]] = field(default_factory=list)
    """Its messages in send order: sent_at, tone, recorded segment, hook fact id."""
    replies: list[tuple[int, str | None]] = field(default_factory=list)
    """(index into sends, intent) for each reply recorded in the campaign."""


def _plan(rnd: random.Random) -> list[Planned]:
    leads: list[Planned] = []
    for _ in range(90):
        lead = Planned(
            title=rnd.choice(TITLES),
            column=rnd.choice((None, "Fintech", "  health   care ", "", 7)),
            status=rnd.choice(("contacted", "replied", "meeting_booked", "won", "lost")),
            enrolled=rnd.random() < 0.4,
        )
        first = WINDOW_START + dt.timedelta(hours=rnd.randrange(-7 * 24, 4 * 7 * 24))
        for step in range(rnd.choice((1, 1, 2, 3))):
            at = first if step == 0 or rnd.random() < 0.2 else first + dt.timedelta(days=step)
            lead.sends.append(
                {
                    "sent_at": at,
                    "tone": rnd.choice(TONES),
                    "recorded": rnd.choice((None, None, "leaders", "as written", 3)),
                    "emphasis": rnd.choice((None, "", "recorded emphasis")),
                    "fact": rnd.choice((None, None, *FACTS, "f_gone")),
                    # Drafts with no hook citing a fact, in any variant: the lead may group.
                    "uncited": rnd.random() < 0.5,
                }
            )
        for _ in range(rnd.choice((0, 0, 1, 2))):
            lead.replies.append((rnd.randrange(len(lead.sends)), rnd.choice(INTENTS)))
        leads.append(lead)
    # Leads alike in everything the figures group by, four of each: counted together, with
    # no hook, or hooks citing a fact of the same kind (their own), or one since removed.
    for n, fact in enumerate((None, "f_fund", "f_jobs", "f_gone", "f_site", "f_item")):
        sent_at = WINDOW_START + dt.timedelta(days=3 + 5 * n)
        for _ in range(4):
            send = {
                "sent_at": sent_at, "tone": TONES[n % 3], "recorded": "leaders",
                "emphasis": "recorded emphasis", "fact": fact, "uncited": fact is None,
            }  # fmt: skip
            lead = Planned(title="Owner", column="Fintech", status="won", enrolled=n == 1)
            lead.sends.append(send)
            lead.replies.append((0, INTENTS[n % 3]))
            leads.append(lead)
    return leads


async def _seed(db: Database, plan: list[Planned], *, rules: bool) -> int:
    async with db.sessions.begin() as session:
        campaign = CampaignRow(
            name="Recount", channel="email", value_proposition="CI.",
            settings={"segments": SEGMENTS if rules else [], "sequence": "3-step"},
        )  # fmt: skip
        other = CampaignRow(name="Other", channel="email", value_proposition="CI.")
        session.add_all([campaign, other])
        await session.flush()
        runs = [f"r{campaign.id}-{step}" for step in range(3)]  # a lead's messages: one each
        session.add_all([RunRow(id=run, campaign_id=campaign.id) for run in runs])
        for n, planned in enumerate(plan):
            lead = LeadRow(
                name=f"Lead {n}", email=f"l{n}@c{campaign.id}.example", company=f"Co {n}",
                title=planned.title, status=planned.status,
                extra={} if planned.column is None else {"segment": planned.column},
            )  # fmt: skip
            session.add(lead)
            await session.flush()
            for fact_id, (kind, attributes, _) in FACTS.items():
                session.add(
                    FactRow(
                        lead_id=lead.id, fact_id=fact_id, kind=kind, text="A fact.",
                        title="Acme raises a Series B round" if kind == "news" else "A fact", source_url="http://c.example/", tool="company_research",
                        published=dt.date(2026, 11, 1), retrieved_at=WINDOW_START,
                        attributes=attributes,
                    )
                )  # fmt: skip
            if planned.enrolled:
                session.add(
                    SequenceEnrollmentRow(campaign_id=campaign.id, lead_id=lead.id, status="active")
                )
            messages = []
            for step, send in enumerate(planned.sends):
                message = MessageRow(
                    campaign_id=campaign.id, lead_id=lead.id, run_id=runs[step],
                    sequence_step=step, status="delivered", sent_at=send["sent_at"],
                    selected_variant=send["tone"], variants=_variants(send),
                    generation=_generation(send),
                )  # fmt: skip
                session.add(message)
                await session.flush()
                messages.append(message)
            for index, intent in planned.replies:
                session.add(_reply(campaign.id, messages[index].id, intent))
            # Another campaign's reply to this lead's message counts for neither.
            session.add(_reply(other.id, messages[0].id, "interested"))
        await session.flush()
        return campaign.id


def _variants(send: dict[str, Any]) -> list[dict[str, Any]]:
    if send["uncited"] and send["fact"] is None:
        return [{"tone": send["tone"], "subject": "CI", "body": "Hi.", "hooks": []}]
    hooks = [{"text": "a hook", "fact_ids": [send["fact"]]}] if send["fact"] else []
    others = [{"tone": "other", "hooks": [{"text": "x", "fact_ids": ["f_site"]}]}]
    return [*others, {"tone": send["tone"], "subject": "CI", "body": "Hi.", "hooks": hooks}]


def _generation(send: dict[str, Any]) -> dict[str, Any]:
    if send["recorded"] is None:
        return {"prompts": {"generate": {}}}
    angle = {"tone": None, "emphasis": send["emphasis"]}
    return {"prompts": {"generate": {"segment": {"segment": send["recorded"], "angle": angle}}}}


def _reply(campaign_id: int, message_id: int, intent: str | None) -> EventRow:
    payload = {} if intent is None else {"intent": intent, "intent_reason": "seeded"}
    return EventRow(
        type="replied", campaign_id=campaign_id, message_id=message_id, payload=payload,
        occurred_at=WINDOW_START,
    )  # fmt: skip


def _recount(plan: list[Planned], *, rules: bool) -> dict[str, dict[Any, Tally]]:
    """Count the plan lead by lead, as the module docstring of segment_metrics says."""
    end = WINDOW_START + dt.timedelta(weeks=WEEKS)
    by: dict[str, dict[Any, Tally]] = defaultdict(lambda: defaultdict(Tally))
    for lead in plan:
        # Sends were stored in list order: on a tie the lower id (earlier in the list) counts.
        first = min(lead.sends, key=lambda send: send["sent_at"])
        if not WINDOW_START <= first["sent_at"] < end:
            continue
        if isinstance(first["recorded"], str):
            segment, emphasis = first["recorded"], first["emphasis"] or None
        elif rules:
            segment, emphasis = RULED.get(lead.title, ("unsegmented", None))
        else:
            named = " ".join(str(lead.column).split()) if lead.column is not None else ""
            segment, emphasis = named or "unsegmented", None
        fact = first["fact"]
        hook = "no hook" if fact is None else FACTS[fact][2] if fact in FACTS else ""
        parts = (first["tone"] or "no tone", f"“{emphasis}”" if emphasis else None)
        angle = " · ".join(p for p in (*parts, hook or "fact since removed") if p)
        intents = [intent for _, intent in lead.replies]
        counted = {
            "replied": bool(intents),
            "positive": any(i in ("interested", "meeting_request") for i in intents),
            "read": any(i is not None for i in intents),
            "meeting": lead.status in ("meeting_booked", "won"),
        }
        year, week, _ = first["sent_at"].isocalendar()
        keys = {
            "totals": "all",
            "segments": segment,
            "angles": angle,
            "sequences": "3-step" if lead.enrolled else "one message",
            "weekly": f"{year}-W{week:02d}",
            "weekly_by_segment": (segment, f"{year}-W{week:02d}"),
        }
        for table, key in keys.items():
            by[table][key].add(**counted)
    return by


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    async with await Database.connect(database_url, migrate=True) as opened:
        yield opened


@pytest.mark.parametrize("rules", [True, False])
async def test_the_figures_equal_a_recount_lead_by_lead(
    db: Database, rules: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = _plan(random.Random(24))
    campaign_id = await _seed(db, plan, rules=rules)
    returned: list[FirstTouch] = []

    async def spied(*args: Any, **kwargs: Any) -> list[FirstTouch]:
        touches = await first_touches(*args, **kwargs)
        returned.extend(touches)
        return touches

    monkeypatch.setattr(segment_metrics_module, "first_touches", spied)
    async with db.sessions() as session:
        campaign = await session.get(CampaignRow, campaign_id)
        assert campaign is not None
        report = await segment_metrics(session, campaign, weeks=WEEKS, until=UNTIL)
    expected = _recount(plan, rules=rules)

    # Leads alike were counted together (the grouping path ran), and every lead was counted.
    assert max(touch.leads for touch in returned) > 1
    assert any(touch.lead_id is None for touch in returned)
    assert {"news", "hiring", ""} <= {t.hook_kind for t in returned if t.leads > 1}
    assert sum(touch.leads for touch in returned) == report["totals"]["sent"]
    assert report["totals"] == expected["totals"]["all"].row()
    assert report["totals"]["sent"] > 40 and report["totals"]["unread_replies"] > 0
    assert {r["segment"]: r for r in report["segments"]} == {
        name: {"segment": name, **tally.row()} for name, tally in expected["segments"].items()
    }
    assert {r["label"]: r["sent"] for r in report["angles"]} == {
        label: tally.sent for label, tally in expected["angles"].items()
    }
    assert {r["label"]: r["positive_replies"] for r in report["angles"]} == {
        label: tally.positive_replies for label, tally in expected["angles"].items()
    }
    assert {r["sequence"]: r["sent"] for r in report["top_sequences"]} == {
        name: tally.sent for name, tally in expected["sequences"].items()
    }
    weekly = {r["week"]: r for r in report["weekly"]}
    assert {week: {**row, "change": None} for week, row in weekly.items()} == {
        week: {"week": week, **expected["weekly"].get(week, Tally()).row(), "change": None}
        for week in report["weeks"]
    }
    by_segment = {
        (s["segment"], w["week"]): w["sent"]
        for s in report["weekly_by_segment"]
        for w in s["weeks"]
    }
    assert {key: sent for key, sent in by_segment.items() if sent} == {
        key: tally.sent for key, tally in expected["weekly_by_segment"].items()
    }
    assert report["segment_basis"] == "recorded_and_rules"
    if not rules:
        assert {"Fintech", "health care", "7"} <= {r["segment"] for r in report["segments"]}
