"""A four-week campaign of 50 leads on a simulated clock, with scripted replies.

The simulation runs the real scheduler, writer, critic, dispatcher and dry-run outboxes; these
tests check what the recipients would have seen: who got which step when, and who got nothing
more after answering, bouncing or opting out.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from itertools import pairwise
from pathlib import Path
from typing import Any

import holidays
import pytest
import yaml
from sqlalchemy import func, select
from typer.testing import CliRunner

from agent.campaigns.spec import CampaignSpec
from agent.cli.app import app
from agent.sequences.simulation import ScriptedReply, Simulation, TimelineEntry, simulate
from agent.settings import Settings
from graphs.lead import Lead
from storage.database import Database
from storage.models import MessageRow
from storage.suppressions import suppression_reason
from tests.conftest import EXAMPLES
from tests.demo_people import people

START = dt.datetime(2026, 12, 14, 8, 0, tzinfo=dt.UTC)  # a Monday; Christmas and 1 January follow
DAILY_CAP = 20
SMS_CAP, SMS_GAP = 6, dt.timedelta(minutes=20)  # one sending number's texts a day, and apart
SEQUENCE = [
    {"channel": "email", "kind": "first_touch"},
    {"channel": "email", "kind": "soft_nudge", "delay_business_days": 2},
    {"channel": "sms", "kind": "new_angle", "delay_business_days": 2, "window": "10:00-16:00"},
    {"channel": "email", "kind": "direct_cta", "delay_business_days": 3},
    {"channel": "email", "kind": "breakup", "delay_business_days": 4},
]
POSITIVE = "maya.okafor.0@northwind-robotics.example"
OUT_OF_OFFICE = "daniel.brandt.0@lumenledger.example"
UNSUBSCRIBE = "priya.natarajan.0@copperleaf-health.example"
BOUNCE = "jonas.weber.0@quietpeak.example"
REPLIES = [
    ScriptedReply(1, BOUNCE, 1.2, "Address not found\n\nYour message wasn't delivered to "
                  "jonas.weber.0@quietpeak.example because the address couldn't be found.\n\n"
                  "550 5.1.1 The email account that you tried to reach does not exist.",
                  subject="Delivery Status Notification (Failure)",
                  sender="mailer-daemon@googlemail.com"),
    ScriptedReply(2, POSITIVE, 3.3, "Thanks Alex, this is timely. Could we talk on Thursday?"),
    ScriptedReply(3, OUT_OF_OFFICE, 3.3, "I am out of the office until January 4 with limited "
                  "access to email."),
    ScriptedReply(4, UNSUBSCRIBE, 4.4, "Please remove me from your list.\n\nOn Monday, Alex "
                  "Rivera wrote:\n> Worth a 15-minute call next week?"),
]  # fmt: skip


def fifty_leads() -> list[Lead]:
    """Twelve of each researched demo lead (own address and phone), a poor fit, a dead site."""
    leads = people(("maya", "daniel", "priya", "jonas"), 12)
    leads.append(
        Lead(name="Tom Keller", email="tom.keller@harborpine.example", company="Harbor & Pine "
             "Bakery", title="Owner", company_url="http://harborpine.example/")
    )  # fmt: skip
    leads.append(
        Lead(name="Alex Moreno", email="alex.moreno@brokenlink-labs.example", company="Brokenlink "
             "Labs", title="Head of Engineering", profile_url="http://brokenlink-labs.example/x")
    )  # fmt: skip
    return leads


def campaign_spec() -> CampaignSpec:
    data: dict[str, Any] = yaml.safe_load((EXAMPLES / "campaign.yaml").read_text())
    data["target_audience"] = data.pop("target")
    data["sequence"] = SEQUENCE
    data["policy"] = {"auto_send": True}
    return CampaignSpec.model_validate(data)


@pytest.fixture(scope="module")
def four_weeks(
    tmp_path_factory: pytest.TempPathFactory, demo_web: Any
) -> tuple[Simulation, Settings]:
    folder = tmp_path_factory.mktemp("simulation")
    settings = Settings(
        data_dir=folder,
        llm_provider="offline",
        allow_private_networks=True,
        send_daily_cap=DAILY_CAP,
        sms_daily_cap=SMS_CAP,
        sms_min_gap_s=SMS_GAP.total_seconds(),
        _env_file=None,  # type: ignore[call-arg]
    )
    import asyncio

    result = asyncio.run(
        simulate(
            settings,
            campaign_spec(),
            fifty_leads(),
            REPLIES,
            start=START,
            days=28,
            resolve=demo_web.resolve_map(["brokenlink-labs.example"]),
        )
    )
    return result, settings


def sends(result: Simulation) -> list[TimelineEntry]:
    return [e for e in result.timeline if e.event == "sent"]


def reply_time(email: str) -> dt.datetime:
    reply = next(r for r in REPLIES if r.email == email)
    return START + dt.timedelta(days=reply.day)


def test_nobody_gets_a_step_after_their_reply_bounce_or_unsubscribe(
    four_weeks: tuple[Simulation, Settings],
) -> None:
    result, _ = four_weeks
    for email in (POSITIVE, UNSUBSCRIBE, BOUNCE):
        before = [e for e in sends(result) if e.lead == email]
        assert before, f"{email} was never written to"
        assert all(e.at <= reply_time(email) for e in before), email
        events = [e.event for e in result.timeline if e.lead == email]
        assert "replied" in events and "stopped" in events
    # An out-of-office reply is not an answer: that sequence goes on.
    assert any(e.at > reply_time(OUT_OF_OFFICE) for e in sends(result) if e.lead == OUT_OF_OFFICE)


def test_opt_outs_and_bounces_are_suppressed(four_weeks: tuple[Simulation, Settings]) -> None:
    import asyncio

    _, settings = four_weeks

    async def reasons() -> list[str | None]:
        async with await Database.connect(settings.database) as db, db.sessions() as session:
            return [await suppression_reason(session, e) for e in (UNSUBSCRIBE, BOUNCE, POSITIVE)]

    assert asyncio.run(reasons()) == ["unsubscribed", "bounced", None]


def test_every_step_goes_inside_the_window_on_a_business_day(
    four_weeks: tuple[Simulation, Settings],
) -> None:
    result, _ = four_weeks
    us = holidays.country_holidays("US")
    assert len(sends(result)) > 150  # 48 researched leads, most of five steps in four weeks
    for entry in sends(result):
        assert entry.at.weekday() < 5 and entry.at.date() not in us, entry
        hours = (10, 16) if entry.channel == "sms" else (9, 17)
        assert hours[0] <= entry.at.hour < hours[1], entry
    days = {e.at.date() for e in sends(result)}
    assert dt.date(2026, 12, 25) not in days and dt.date(2027, 1, 1) not in days


def test_no_step_is_sent_twice_and_the_outboxes_hold_exactly_what_was_sent(
    four_weeks: tuple[Simulation, Settings],
) -> None:
    result, settings = four_weeks
    per_step = Counter((e.lead, e.step) for e in sends(result))
    assert max(per_step.values()) == 1
    email_lines = (settings.data_dir / "outbox.jsonl").read_text().splitlines()
    sms_lines = (settings.data_dir / "sms_outbox.jsonl").read_text().splitlines()
    assert len(email_lines) == sum(1 for e in sends(result) if e.channel == "email")
    assert len(sms_lines) == sum(1 for e in sends(result) if e.channel == "sms")
    threaded = [json.loads(line) for line in email_lines]
    follow_ups = [m for m in threaded if m["subject"].startswith("Re: ")]
    assert follow_ups and all("In-Reply-To" in m["metadata"]["headers"] for m in follow_ups)


def test_the_mailbox_never_sends_more_than_its_daily_cap(
    four_weeks: tuple[Simulation, Settings],
) -> None:
    import asyncio

    result, settings = four_weeks
    per_day = Counter(e.at.date() for e in sends(result) if e.channel == "email")
    assert max(per_day.values()) <= DAILY_CAP
    assert max(per_day.values()) == DAILY_CAP  # the cap, not the leads, set the pace

    async def stored() -> list[tuple[Any, int]]:
        async with await Database.connect(settings.database) as db, db.sessions() as session:
            day = func.date(MessageRow.sent_at)
            query = select(day, func.count()).where(MessageRow.sent_at.is_not(None))
            rows = await session.execute(query.group_by(day))
            return [(d, n) for d, n in rows]

    assert all(n <= DAILY_CAP + SMS_CAP for _, n in asyncio.run(stored()))  # + that day's SMS


def test_the_sending_number_keeps_its_daily_cap_and_its_gap_between_texts(
    four_weeks: tuple[Simulation, Settings],
) -> None:
    result, _ = four_weeks
    texts = sorted(e.at for e in sends(result) if e.channel == "sms")
    assert len(texts) > SMS_CAP  # more texts than one day allows: the cap spread them out
    per_day = Counter(at.date() for at in texts)
    assert max(per_day.values()) == SMS_CAP
    assert all(later - earlier >= SMS_GAP for earlier, later in pairwise(texts))


def test_a_poor_fit_gets_nothing_and_a_lead_without_research_waits_for_a_person(
    four_weeks: tuple[Simulation, Settings],
) -> None:
    result, _ = four_weeks
    tom = [e for e in result.timeline if e.lead == "tom.keller@harborpine.example"]
    assert [e.event for e in tom if e.event != "scheduled"] == ["stopped"]
    alex = [e for e in result.timeline if e.lead == "alex.moreno@brokenlink-labs.example"]
    assert "queued" in [e.event for e in alex] and "sent" not in [e.event for e in alex]


def test_simulate_prints_the_timeline_as_json_lines(tmp_path: Path, demo_web: Any) -> None:
    leads = tmp_path / "leads.csv"
    leads.write_text(
        "name,email,company,title,profile_url,company_url\n"
        "Maya Okafor,maya.okafor@northwind-robotics.example,Northwind Robotics,VP Engineering,"
        "http://northwind-robotics.example/team/maya-okafor,http://northwind-robotics.example/\n"
        "Nobody,not-an-email,,,,\n"
    )
    campaign = tmp_path / "campaign.yaml"
    data = yaml.safe_load((EXAMPLES / "campaign.yaml").read_text())
    data.update(sequence="3-step", policy={"auto_send": True})
    campaign.write_text(yaml.safe_dump(data))
    replies = tmp_path / "replies.jsonl"
    replies.write_text(
        '{"email": "maya.okafor@northwind-robotics.example", "day": 4, "text": "Yes, call me."}\n'
        "this is not json\n"
    )
    env = {
        "OUTREACH_LLM_PROVIDER": "offline",
        "OUTREACH_ALLOW_PRIVATE_NETWORKS": "true",
        "OUTREACH_RESOLVE": json.dumps(demo_web.resolve_map([])),
    }
    result = CliRunner().invoke(
        app,
        ["simulate", str(leads), "--campaign-file", str(campaign), "--replies", str(replies),
         "--days", "21", "--start", "2027-01-11T08:00Z"],
        env=env,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    maya = [line for line in lines if line["lead"] == "maya.okafor@northwind-robotics.example"]
    assert [(m["step"], m["event"]) for m in maya if m["event"] != "scheduled"] == [
        (1, "sent"), (2, "sent"), (2, "replied"), (3, "stopped"),
    ]  # fmt: skip
    assert set(maya[0]) == {"at", "lead", "step", "channel", "event", "detail"}
    assert maya[0]["at"].endswith("Z")
    said = " ".join(result.stderr.split())
    assert "replies.jsonl line 2" in said and "row 3" in said


def test_simulate_refuses_a_campaign_without_a_sequence(tmp_path: Path) -> None:
    campaign = tmp_path / "campaign.yaml"
    campaign.write_text("name: one-off\nvalue_proposition: CI insight\n")
    leads = tmp_path / "leads.csv"
    leads.write_text("name,email,company\nA B,a@b.example,B\n")
    result = CliRunner().invoke(app, ["simulate", str(leads), "--campaign-file", str(campaign)])
    assert result.exit_code == 1
    assert "has no sequence" in " ".join(result.stderr.split())


def test_the_readme_simulation_of_the_examples_runs_offline_on_the_demo_sites() -> None:
    result = CliRunner().invoke(
        app,
        ["simulate", str(EXAMPLES / "leads.csv"),
         "--campaign-file", str(EXAMPLES / "sequence-campaign.yaml"),
         "--replies", str(EXAMPLES / "replies.jsonl"),
         "--days", "28", "--start", "2027-01-11T08:00Z", "--demo-sites"],
        env={"OUTREACH_LLM_PROVIDER": "offline"},
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]

    def events(who: str) -> list[tuple[int, str]]:
        return [(e["step"], e["event"]) for e in lines if e["lead"].startswith(who)]

    assert events("maya")[-2:] == [(2, "replied"), (3, "stopped")]  # answered: nothing more
    assert (3, "stopped") in events("jonas") and (4, "sent") not in events("jonas")  # opted out
    # Out of office until Monday 25 January (day 5): nothing until Tuesday the 26th, then the
    # sequence goes on to its end.
    daniel = events("daniel")
    assert (3, "task") in daniel and (4, "sent") in daniel and (5, "sent") in daniel
    away = next(e for e in lines if e["lead"].startswith("daniel") and e["event"] == "replied")
    assert "auto_reply (out_of_office)" in away["detail"] and "2027-01-26" in away["detail"]
    sent = [e["at"] for e in lines if e["lead"].startswith("daniel") and e["event"] == "sent"]
    assert not [at for at in sent if away["at"] < at < "2027-01-26"]
    sms = next(
        e
        for e in lines
        if e["lead"].startswith("daniel") and e["channel"] == "sms" and e["event"] == "sent"
    )
    assert sms["at"] == "2027-01-28T10:00:00Z"  # two business days on, its own 10:00-16:00
    assert events("tom") == [(1, "stopped")]  # a poor fit gets nothing
