"""The weekly plan over the API: a stored campaign's mailboxes, segments and sequence planned
over its stored leads; enrolled leads' steps take their room first; bad mailboxes refused by
name; hostile requests answered with a 4xx."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections import Counter
from typing import Any

import httpx
from sqlalchemy import select, update

from storage.database import Database
from storage.sequence_models import SequenceEnrollmentRow, SequenceStepRow
from tests.server.api_helpers import create_campaign

MAILBOXES = [
    {"address": "alex@seller.example", "daily_cap": 6, "warmup": {"start": 4, "step": 1}},
    {"address": "sam@seller.example", "daily_cap": 4, "days": ["mon", "tue", "wed"]},
]
SEGMENTS = [
    {"name": "leaders", "share": 0.5, "match": {"seniority": ["c_level", "vp"]}},
    {"name": "managers", "share": 0.5, "match": {"title": "manager"}},
]
LEADS = [
    {"name": f"Person {n}", "company": f"Co {n // 3}", "email": f"p{n}@co{n // 3}.example",
     "title": "CTO" if n % 2 else "Engineering Manager", "country": "US"}
    for n in range(90)
]  # fmt: skip


async def move_first_steps(url: str, day: dt.datetime) -> None:
    async with await Database.connect(url) as db, db.sessions.begin() as session:
        await session.execute(update(SequenceStepRow).values(due_at=day))


def test_the_week_is_planned_over_stored_leads_with_caps_holidays_and_accounts(
    client: httpx.Client, database_url: str
) -> None:
    assert client.post("/api/v1/leads", json={"leads": LEADS}).status_code == 200
    ids = [lead["id"] for lead in client.get("/api/v1/leads?limit=200").json()["items"]]
    campaign = create_campaign(
        client, segments=SEGMENTS, mailboxes=MAILBOXES, sequence="3-step",
        max_contacts_per_account=2,
    )  # fmt: skip
    assert campaign["mailboxes"] == MAILBOXES and campaign["max_contacts_per_account"] == 2
    enrolled = client.post(
        f"/api/v1/campaigns/{campaign['id']}/sequence/enroll", json={"lead_ids": ids[:2]}
    )
    assert enrolled.status_code == 200, enrolled.text
    tuesday = dt.datetime(2026, 11, 24, 14, 0, tzinfo=dt.UTC)
    asyncio.run(move_first_steps(database_url, tuesday))

    answer = client.post(f"/api/v1/campaigns/{campaign['id']}/cadence/weekly", json={})
    assert answer.status_code == 200, answer.text
    plan = answer.json()
    assert plan["week"] == "2026-11-23"  # the Monday after the server's day (22 November)
    days = {day["date"]: day for day in plan["days"]}
    assert days["2026-11-26"]["closed"] == "holiday: Thanksgiving Day"
    for day in plan["days"]:
        for box in day["mailboxes"]:
            assert box["sends"] <= box["cap"]
        accounts = Counter(t["account"] for t in day["first_touches"])
        assert not accounts or max(accounts.values()) == 1
    caps = {b["mailbox"]: b["cap"] for b in days["2026-11-25"]["mailboxes"]}
    assert caps == {"alex@seller.example": 6, "sam@seller.example": 4}  # the ramp: 4, 5, 6
    assert [b["cap"] for b in days["2026-11-23"]["mailboxes"]] == [4, 4]
    stored = [s for s in days["2026-11-24"]["follow_ups"] if s["source"] == "enrolled"]
    assert sorted(s["lead_id"] for s in stored) == sorted(ids[:2])
    waiting = {x["reason"]: x["count"] for x in plan["did_not_fit"]}
    assert waiting["enrolled"] == 2
    assert waiting["account_limit"] == 30  # 30 companies of three contacts, two planned
    assert plan["totals"]["first_touches"] + sum(waiting.values()) == 90
    assert {s["name"] for s in plan["segments"]} == {"leaders", "managers", "unsegmented"}

    seeded = client.post(
        "/api/v1/outreach/cadence/weekly",
        json={"user_id": "user123", "campaign_id": campaign["id"], "week": "2026-11-25",
              "target_connection_requests": 40, "target_followups": 30,
              "include_leads": False},
    )  # fmt: skip
    assert seeded.status_code == 200, seeded.text
    assert seeded.json()["week"] == "2026-11-23"
    assert seeded.json()["totals"] == plan["totals"]
    assert all(d["first_touches"] == [] for d in seeded.json()["days"])


def test_bad_mailboxes_are_refused_by_name_and_hostile_bodies_get_a_4xx(
    client: httpx.Client,
) -> None:
    bad: list[dict[str, Any]] = [
        {"address": "zero@seller.example", "daily_cap": 0},
        {"address": "typo@seller.example", "daily_cpa": 30},
    ]
    refused = client.post(
        "/api/v1/campaigns", json={"name": "bad", "channel": "email", "mailboxes": bad}
    )
    assert refused.status_code == 422
    fields = {e["field"] for e in refused.json()["errors"]}
    assert fields == {
        "mailboxes.zero@seller.example.daily_cap",
        "mailboxes.typo@seller.example.daily_cpa",
        "mailboxes",  # and so no mailbox can send
    }
    campaign = create_campaign(client)
    url = f"/api/v1/campaigns/{campaign['id']}/cadence/weekly"
    for body in (
        {"week": "not a date"},
        {"week": "2026-13-40"},
        {"max_leads": 0},
        {"lead_ids": [0]},
        {"surprise": 1},
    ):
        assert client.post(url, json=body).status_code == 422, body
    assert client.post("/api/v1/campaigns/999999/cadence/weekly", json={}).status_code == 404
    empty = client.post(url, json={})
    assert empty.status_code == 200 and empty.json()["totals"]["first_touches"] == 0


async def first_steps_due(url: str) -> dict[int, dt.datetime]:
    async with await Database.connect(url) as db, db.sessions() as session:
        rows = await session.execute(
            select(SequenceStepRow.lead_id, SequenceStepRow.due_at).where(SequenceStepRow.step == 1)
        )
        return {lead_id: due for lead_id, due in rows}


def test_the_plan_is_handed_to_the_scheduler_on_its_days(
    client: httpx.Client, database_url: str
) -> None:
    leads = [{"name": f"P {n}", "company": f"C {n}", "email": f"p{n}@c{n}.example",
              "title": "CTO"} for n in range(12)]  # fmt: skip
    assert client.post("/api/v1/leads", json={"leads": leads}).status_code == 200
    campaign = create_campaign(client, sequence="3-step")
    url = f"/api/v1/campaigns/{campaign['id']}/cadence/weekly"
    plan = client.post(url, json={}).json()
    planned = {t["lead_id"]: d["date"] for d in plan["days"] for t in d["first_touches"]}
    assert len(planned) == 12 and len(set(planned.values())) == 4  # spread; Thursday a holiday

    handed = client.post(f"{url}/enroll", json={})
    assert handed.status_code == 200, handed.text
    assert handed.json()["enrolled"] == 12 and handed.json()["already"] == 0
    due = asyncio.run(first_steps_due(database_url))
    # Each first step falls due on its planned day, at the window's opening (09:00, UTC leads).
    assert {lead: moment.date().isoformat() for lead, moment in due.items()} == planned
    assert {_utc(moment).time() for moment in due.values()} == {dt.time(9, 0)}
    again = client.post(url, json={}).json()
    assert again["totals"]["first_touches"] == 0
    assert {x["reason"]: x["count"] for x in again["did_not_fit"]} == {"enrolled": 12}
    stored = [(d["date"], s["step"], s["lead_id"]) for d in again["days"]
              for s in d["follow_ups"] if s["source"] == "enrolled"]  # fmt: skip
    # The enrolled first touches hold their room in the plan, and so do the second steps
    # they bring in the week: Monday's, three business days on (Thursday is a holiday).
    assert sorted((day, lead) for day, step, lead in stored if step == 1) == sorted(
        (day, lead) for lead, day in planned.items()
    )
    mondays = sorted(lead for lead, day in planned.items() if day == "2026-11-23")
    assert sorted(lead for day, step, lead in stored if step == 2) == mondays
    assert {day for day, step, _ in stored if step == 2} == {"2026-11-27"}


async def followed_presets(url: str) -> dict[int, str | None]:
    async with await Database.connect(url) as db, db.sessions() as session:
        rows = await session.execute(
            select(SequenceEnrollmentRow.lead_id, SequenceEnrollmentRow.sequence_preset)
        )
        return dict(rows.all())


def test_a_segments_own_sequence_is_enrolled_and_a_plan_without_one_is_refused_by_reason(
    client: httpx.Client, database_url: str
) -> None:
    assert client.post("/api/v1/leads", json={"leads": LEADS[:9]}).status_code == 200
    # A campaign without a sequence: its leads in a segment without one have none to follow.
    bare_segments = create_campaign(
        client, name="no campaign sequence", mailboxes=MAILBOXES,
        segments=[{"name": "ctos", "share": 0.5, "match": {"title": "CTO"},
                   "angle": {"sequence": "5-step"}},
                  {"name": "rest", "share": 0.5, "match": {}}],
    )  # fmt: skip
    url = f"/api/v1/campaigns/{bare_segments['id']}/cadence/weekly/enroll"
    refused = client.post(url, json={})
    assert refused.status_code == 409
    reasons = " ".join(e["message"] for e in refused.json()["errors"])
    assert "segment 'rest' has no sequence of its own and the campaign has none" in reasons
    assert "'ctos'" not in reasons
    assert asyncio.run(first_steps_due(database_url)) == {}  # nobody enrolled
    bare = create_campaign(client, name="no sequence")
    none = client.post(f"/api/v1/campaigns/{bare['id']}/cadence/weekly/enroll", json={})
    assert none.status_code == 409 and "has no sequence" in none.text
    # A segment whose angle names 5-step in a 3-step campaign: its leads follow the 5-step.
    campaign = create_campaign(
        client, sequence="3-step", mailboxes=MAILBOXES,
        segments=[{"name": "all", "share": 1, "match": {}, "angle": {"sequence": "5-step"}}],
    )  # fmt: skip
    handed = client.post(f"/api/v1/campaigns/{campaign['id']}/cadence/weekly/enroll", json={})
    assert handed.status_code == 200, handed.text
    followed = asyncio.run(followed_presets(database_url))
    assert len(followed) == handed.json()["enrolled"] > 0
    assert set(followed.values()) == {"5-step"}
    lead_id = next(iter(followed))
    view = client.get(f"/api/v1/campaigns/{campaign['id']}/leads/{lead_id}/sequence")
    assert view.status_code == 200, view.text
    assert view.json()["total_steps"] == 5  # the lead's own sequence, not the campaign's 3


def _utc(moment: dt.datetime) -> dt.datetime:
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)
