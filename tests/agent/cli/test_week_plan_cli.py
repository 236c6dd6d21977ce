"""`outreach plan-week` over a generated lead file: the table, the JSON, bad mailboxes named."""

from __future__ import annotations

import asyncio
import csv
import datetime as dt
import json
from collections import Counter
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from typer.testing import CliRunner

from agent.campaigns.spec import CampaignSpec
from agent.campaigns.stored import store_spec
from agent.cli.app import app
from agent.leads.store import store_leads
from graphs.lead import Lead
from storage.database import Database
from storage.sequence_models import SequenceEnrollmentRow, SequenceStepRow

CAMPAIGN: dict[str, Any] = {
    "name": "weekly",
    "value_proposition": "We cut CI time by a third.",
    "target": {"titles": ["CTO", "VP Engineering"]},
    "sequence": "3-step",
    "segments": [
        {"name": "leaders", "share": 0.5, "match": {"seniority": ["c_level", "vp"]}},
        {"name": "managers", "share": 0.5, "match": {"title": "manager"}},
    ],
    "mailboxes": [
        {"address": "alex@seller.example", "daily_cap": 10},
        {"address": "zero@seller.example", "daily_cap": 0},
    ],
}


def files(tmp_path: Path, count: int = 120) -> tuple[str, str]:
    leads = tmp_path / "leads.csv"
    with leads.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["name", "email", "company", "title", "country"])
        for n in range(count):
            title = "CTO" if n % 2 else "Engineering Manager"
            domain = "bigco.example" if n < 6 else f"co{n}.example"
            writer.writerow([f"Person {n}", f"p{n}@{domain}", f"Co {n}", title, "US"])
    campaign = tmp_path / "campaign.yaml"
    campaign.write_text(yaml.safe_dump(CAMPAIGN))
    return str(leads), str(campaign)


def test_plan_week_prints_the_week_and_what_did_not_fit(tmp_path: Path) -> None:
    leads, campaign = files(tmp_path)
    runner = CliRunner(env={"COLUMNS": "200"})
    args = ["plan-week", leads, "--campaign-file", campaign, "--no-facts"]
    shown = runner.invoke(app, [*args, "--week", "2027-01-13"])
    assert shown.exit_code == 0, shown.output
    out = " ".join(shown.stdout.split())
    assert "Week of Mon 11 Jan 2027" in out
    assert "error: mailbox zero@seller.example: daily_cap 0" in out
    assert "leads wait for next week: mailbox caps" in out
    assert "10/10" in out  # the one mailbox that can send, full on Monday

    printed = runner.invoke(app, [*args, "--json", "--today", "2027-01-06"])
    assert printed.exit_code == 0, printed.output
    plan = json.loads(printed.stdout)
    assert plan["week"] == "2027-01-11"  # the Monday after --today
    assert [m["address"] for m in plan["mailboxes"]] == ["alex@seller.example"]
    for day in plan["days"]:
        for box in day["mailboxes"]:
            assert box["sends"] <= box["cap"] == 10
        accounts = [t["account"] for t in day.get("first_touches", [])]
        assert len(accounts) == len(set(accounts))
    waiting = {x["reason"]: x["count"] for x in plan["did_not_fit"]}
    touches = plan["totals"]["first_touches"]
    assert touches + sum(waiting.values()) == 120
    assert waiting["account_limit"] == 3  # six contacts at bigco.example, three planned
    assert "daily_cap 0" in printed.stderr


def test_a_campaign_file_the_plan_cannot_read_is_refused_by_field(tmp_path: Path) -> None:
    leads, campaign = files(tmp_path, 5)
    Path(campaign).write_text(yaml.safe_dump({**CAMPAIGN, "max_contacts_per_account": 0}))
    refused = CliRunner().invoke(app, ["plan-week", leads, "--campaign-file", campaign,
                                       "--no-facts"])  # fmt: skip
    assert refused.exit_code == 1
    assert "max_contacts_per_account" in refused.output


async def stored_campaign(url: str, count: int, **fields: Any) -> None:
    spec = CampaignSpec.model_validate(
        {**CAMPAIGN, "name": "enrolled", "mailboxes": [],
         "sender": {"email": "alex@seller.example", "postal_address": "1 Example St"},
         **fields}
    )  # fmt: skip
    async with await Database.connect(url, migrate=True) as db:
        async with db.sessions.begin() as session:
            await store_spec(session, spec)
        await store_leads(db, [Lead(name=f"P {n}", company=f"C {n}", email=f"p{n}@c{n}.example",
                                    title="CTO" if n % 2 == 0 else "Engineering Manager")
                               for n in range(count)])  # fmt: skip


async def first_steps(url: str) -> dict[int, dt.date]:
    async with await Database.connect(url) as db, db.sessions() as session:
        rows = await session.execute(
            select(SequenceStepRow.lead_id, SequenceStepRow.due_at).where(SequenceStepRow.step == 1)
        )
        return {lead_id: due.date() for lead_id, due in rows}


def test_enroll_week_hands_the_plan_to_the_scheduler(database_url: str) -> None:
    asyncio.run(stored_campaign(database_url, 10))
    runner = CliRunner(env={"OUTREACH_DATABASE_URL": database_url, "COLUMNS": "200"})
    done = runner.invoke(app, ["sequence", "enroll-week", "enrolled", "--week", "2030-01-14"])
    assert done.exit_code == 0, done.output
    out = " ".join(done.stdout.split())
    assert "Enrolled 10 leads of the week of 14 Jan 2030" in out
    due = asyncio.run(first_steps(database_url))
    assert len(due) == 10
    assert sorted(Counter(due.values()).values()) == [2, 2, 2, 2, 2]  # two a day, Monday to Friday
    assert min(due.values()) == dt.date(2030, 1, 14)


async def followed(url: str) -> dict[int, str | None]:
    async with await Database.connect(url) as db, db.sessions() as session:
        rows = await session.execute(
            select(SequenceEnrollmentRow.lead_id, SequenceEnrollmentRow.sequence_preset)
        )
        return dict(rows.all())


def test_enroll_week_enrols_a_segment_in_its_own_sequence(database_url: str) -> None:
    own = [{"name": "all", "share": 1, "match": {}, "angle": {"sequence": "5-step"}}]
    asyncio.run(stored_campaign(database_url, 3, segments=own))
    runner = CliRunner(env={"OUTREACH_DATABASE_URL": database_url})
    done = runner.invoke(app, ["sequence", "enroll-week", "enrolled", "--week", "2030-01-14"])
    assert done.exit_code == 0, done.output
    assert "Enrolled 3 leads" in " ".join(done.stdout.split())
    assert set(asyncio.run(followed(database_url)).values()) == {"5-step"}


def test_enroll_week_refuses_a_plan_the_sending_path_would_not_follow(database_url: str) -> None:
    split = [
        {"name": "ctos", "share": 0.5, "match": {"title": "CTO"}, "angle": {"sequence": "5-step"}},
        {"name": "rest", "share": 0.5, "match": {}},
    ]
    asyncio.run(stored_campaign(database_url, 3, segments=split, sequence=None))
    runner = CliRunner(env={"OUTREACH_DATABASE_URL": database_url})
    refused = runner.invoke(app, ["sequence", "enroll-week", "enrolled", "--week", "2030-01-14"])
    assert refused.exit_code == 1
    assert "segment 'rest' has no sequence of its own" in " ".join(refused.output.split())
    assert asyncio.run(first_steps(database_url)) == {}
