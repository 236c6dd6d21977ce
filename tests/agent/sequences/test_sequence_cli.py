"""`outreach sequence` and `outreach report` as people use them, on SQLite and PostgreSQL.

The metrics come from short simulations on the real scheduler, writer and dry-run outboxes: a
3-step campaign whose leads answer the first and second steps (and one opts out), and a 5-step
campaign whose LinkedIn and call steps a person works through. What the report says is checked
against the simulation's own timeline: sends and replies per step, and the time to reply.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import statistics
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import typer
import yaml
from typer.testing import CliRunner

from agent.campaigns.spec import CampaignSpec
from agent.campaigns.stored import store_spec
from agent.cli.report import report
from agent.cli.sequence import sequence_app
from agent.sequences.simulation import ScriptedReply, Simulation, TimelineEntry, simulate
from agent.settings import Settings
from storage.database import Database
from tests.conftest import EXAMPLES
from tests.demo_people import person

START = dt.datetime(2027, 1, 11, 8, 0, tzinfo=dt.UTC)  # a Monday
LATER = START + dt.timedelta(days=35)  # the 5-step campaign starts when the 3-step one is over


def campaign_spec(name: str, sequence: Any) -> CampaignSpec:
    data: dict[str, Any] = yaml.safe_load((EXAMPLES / "campaign.yaml").read_text())
    data["target_audience"] = data.pop("target")
    data.update(name=name, sequence=sequence, policy={"auto_send": True})
    return CampaignSpec.model_validate(data)


# The fourth works at a company of its own: a colleague of the first, who answers with
# interest, would be stopped with her (agent/replies/account_stop.py), and this one finishes.
ELSEWHERE = {"email": "maya.okafor.3@northwind-labs.example"}
THREE = [
    person("maya", 0), person("daniel", 1), person("jonas", 2),
    person("maya", 3).model_copy(update=ELSEWHERE),
]  # fmt: skip
FIVE = [person("daniel", 4), person("jonas", 5), person("maya", 6)]
THREE_REPLIES = [
    ScriptedReply(1, THREE[0].email or "", 1.3, "Sounds good, could we talk Thursday?"),
    ScriptedReply(2, THREE[1].email or "", 4.5, "Interesting. What does it cost?"),
    ScriptedReply(3, THREE[2].email or "", 6.2, "Please remove me from your list."),
]
FIVE_REPLIES = [ScriptedReply(11, FIVE[0].email or "", 8.0, "Fine, send me a calendar link.")]


@dataclass(frozen=True)
class Simulated:
    """Both campaigns' timelines, on one database."""

    three: Simulation
    five: Simulation
    settings: Settings


async def simulate_both(database_url: str, folder: Path, resolve: dict[str, str]) -> Simulated:
    """Run the 3-step campaign for three weeks, then the 5-step one for four."""
    settings = Settings(
        database_url=database_url,
        data_dir=folder,
        llm_provider="offline",
        allow_private_networks=True,
        _env_file=None,  # type: ignore[call-arg]
    )
    three = await simulate(
        settings, campaign_spec("three-step", "3-step"), THREE, THREE_REPLIES,
        start=START, days=21, resolve=resolve,
    )  # fmt: skip
    five = await simulate(
        settings, campaign_spec("five-step", "5-step"), FIVE, FIVE_REPLIES,
        start=LATER, days=28, resolve=resolve,
    )  # fmt: skip
    return Simulated(three, five, settings)


@pytest.fixture
def simulated(database_url: str, tmp_path: Path, demo_resolve: dict[str, str]) -> Simulated:
    return asyncio.run(simulate_both(database_url, tmp_path / "simulation", demo_resolve))


def outreach() -> typer.Typer:
    """The `outreach` command with `sequence` and `report` (mounted here until app.py has them)."""
    from agent.cli.app import app

    groups = {group.name for group in app.registered_groups}
    commands = {c.name or getattr(c.callback, "__name__", "") for c in app.registered_commands}
    if "sequence" in groups and "report" in commands:
        return app
    local = typer.Typer()
    local.add_typer(sequence_app, name="sequence")
    local.command()(report)
    return local


@pytest.fixture
def runner(database_url: str, tmp_path: Path, demo_resolve: dict[str, str]) -> CliRunner:
    return CliRunner(
        env={
            "OUTREACH_DATABASE_URL": database_url,
            "OUTREACH_DATA_DIR": str(tmp_path / "data"),
            "OUTREACH_LLM_PROVIDER": "offline",
            "OUTREACH_ALLOW_PRIVATE_NETWORKS": "true",
            "OUTREACH_RESOLVE": json.dumps(demo_resolve),
            "COLUMNS": "250",
        }
    )


def step_sends(timeline: list[TimelineEntry]) -> dict[tuple[str, int], dt.datetime]:
    return {(e.lead, e.step): e.at for e in timeline if e.event == "sent"}


def replies(timeline: list[TimelineEntry]) -> list[TimelineEntry]:
    return [e for e in timeline if e.event == "replied" and e.detail.startswith("replied")]


def test_report_shows_each_steps_reply_rate_and_time_to_reply(
    simulated: Simulated, runner: CliRunner
) -> None:
    timeline = simulated.three.timeline
    sent = step_sends(timeline)
    answered = replies(timeline)
    assert [(e.lead, e.step) for e in answered] == [(THREE[0].email, 1), (THREE[1].email, 2)]
    hours = {e.step: (e.at - sent[(e.lead, e.step)]).total_seconds() / 3600 for e in answered}

    result = runner.invoke(outreach(), ["report", "three-step", "--json"])
    assert result.exit_code == 0, result.output
    sequence = json.loads(result.stdout)["sequence"]
    assert sequence["leads"] == {
        "enrolled": 4, "active": 0, "paused": 0, "stopped": 3, "finished": 1,
    }  # fmt: skip
    per_step = Counter(step for _, step in sent)
    steps = {s["step"]: s for s in sequence["steps"]}
    for number in (1, 2, 3):
        replied = sum(1 for e in answered if e.step == number)
        assert steps[number]["sent"] == per_step[number] > 0
        assert steps[number]["replied"] == replied
        assert steps[number]["reply_rate"] == round(100 * replied / per_step[number], 2)
    assert steps[1]["median_time_to_reply_hours"] == pytest.approx(hours[1], abs=0.01)
    assert steps[2]["median_time_to_reply_hours"] == pytest.approx(hours[2], abs=0.01)
    assert steps[3]["median_time_to_reply_hours"] is None
    assert sequence["performance"]["median_time_to_reply_hours"] == pytest.approx(
        statistics.median(hours.values()), abs=0.01
    )
    assert (steps[2]["unsubscribed"], steps[1]["unsubscribed"]) == (1, 0)  # asked in words
    # "Sounds good, could we talk Thursday?" asks for a meeting; a question about the price
    # is not (yet) a positive reply.
    positive = [
        e for e in answered if "(meeting_request)" in e.detail or "(interested)" in e.detail
    ]
    assert len(positive) == 1 and positive[0].step == 1
    assert sequence["performance"]["positive_replies"] == 1
    arms = sequence["ab_testing"]["arms"]
    assert sum(a["leads"] for a in arms) == 4 and sum(a["replied"] for a in arms) == 2

    table = runner.invoke(outreach(), ["report", "three-step"])
    assert table.exit_code == 0, table.output
    out = table.output
    assert "Sequence, step by step" in out and "3-step over 8 business days" in out
    assert "4 leads enrolled: 0 active, 0 paused, 3 stopped, 1 finished" in out
    assert f"median time to reply {round(statistics.median(hours.values()), 2):g} h" in out
    assert "Tones across the whole sequence" in out


def test_metrics_count_the_tasks_of_linkedin_and_call_steps(
    simulated: Simulated, runner: CliRunner
) -> None:
    timeline = simulated.five.timeline
    tasks = Counter(e.step for e in timeline if e.event == "task")
    sent = Counter(step for _, step in step_sends(timeline))
    [answer] = replies(timeline)
    assert (answer.lead, answer.step) == (FIVE[0].email, 3)  # after the new angle, on day 8
    assert (tasks[2], tasks[4]) == (3, 2)  # then no call for the one who answered

    result = runner.invoke(outreach(), ["sequence", "metrics", "five-step", "--json"])
    assert result.exit_code == 0, result.output
    metrics = json.loads(result.stdout)
    steps = {s["step"]: s for s in metrics["steps"]}
    assert [steps[n]["channel"] for n in range(1, 6)] == [
        "email", "linkedin_connect", "email", "call", "email",
    ]  # fmt: skip
    assert steps[2]["tasks"] == {"open": 0, "done": 3, "skipped": 0}
    assert steps[4]["tasks"] == {"open": 0, "done": 2, "skipped": 0}
    assert steps[1]["tasks"] is None and steps[4]["sent"] == 0
    assert steps[3]["replied"] == 1 and steps[3]["reply_rate"] == round(100 / sent[3], 2)
    assert steps[5]["sent"] == sent[5] == 2
    assert metrics["leads"] == {
        "enrolled": 3, "active": 0, "paused": 0, "stopped": 1, "finished": 2,
    }  # fmt: skip

    table = runner.invoke(outreach(), ["sequence", "metrics", "five-step"])
    assert table.exit_code == 0, table.output
    assert "3 done" in table.output and "linkedin_connect" in table.output


async def store_campaigns(url: str) -> None:
    async with await Database.connect(url, migrate=True) as db, db.sessions.begin() as session:
        await store_spec(session, campaign_spec("nurture", "3-step"))
        await store_spec(session, campaign_spec("one-off", None))


LEADS_CSV = (
    "name,email,company,title,profile_url,company_url\n"
    "Maya Okafor,maya.okafor@northwind-robotics.example,Northwind Robotics,VP Engineering,"
    "http://northwind-robotics.example/team/maya-okafor,http://northwind-robotics.example/\n"
    "Daniel Brandt,daniel.brandt@lumenledger.example,Lumen Ledger,Head of Platform,"
    "http://danielbrandt.example/,http://lumenledger.example/\n"
    "Nobody,not-an-email,,,,\n"
)


def test_enroll_show_pause_and_resume(runner: CliRunner, database_url: str, tmp_path: Path) -> None:
    asyncio.run(store_campaigns(database_url))
    leads = tmp_path / "leads.csv"
    leads.write_text(LEADS_CSV)
    cli = outreach()

    enrolled = runner.invoke(cli, ["sequence", "enroll", "nurture", str(leads)])
    assert enrolled.exit_code == 0, enrolled.output
    assert "Enrolled 2 leads in nurture" in enrolled.stdout and "is active" in enrolled.stdout
    assert "leads.csv row 4" in " ".join(enrolled.stderr.split())
    again = runner.invoke(cli, ["sequence", "enroll", "nurture", str(leads)])
    assert "Enrolled 0 leads in nurture (2 were enrolled already)" in again.stdout

    maya = "maya.okafor@northwind-robotics.example"
    shown = runner.invoke(cli, ["sequence", "show", "nurture", maya])
    assert shown.exit_code == 0, shown.output
    assert "Maya Okafor" in shown.stdout and "active · step 1 of 3" in shown.stdout
    assert "scheduled" in shown.stdout and "to come" in shown.stdout
    view = json.loads(runner.invoke(cli, ["sequence", "show", "nurture", maya, "--json"]).stdout)
    assert [(s["step"], s["status"]) for s in view["steps"]] == [(1, "scheduled")]
    assert [(p["step"], p["kind"]) for p in view["upcoming"]] == [(2, "soft_nudge"), (3, "breakup")]

    paused = runner.invoke(cli, ["sequence", "pause", "nurture", "--lead", maya])
    assert paused.exit_code == 0, paused.output
    assert f"Paused lead {maya} in nurture: 1 step paused" in " ".join(paused.stdout.split())
    view = json.loads(runner.invoke(cli, ["sequence", "show", "nurture", maya, "--json"]).stdout)
    assert (view["status"], view["steps"][0]["status"]) == ("paused", "paused")
    whole = runner.invoke(cli, ["sequence", "pause", "nurture"])
    assert "1 step paused; the campaign is paused" in " ".join(whole.stdout.split())
    lead_back = runner.invoke(cli, ["sequence", "resume", "nurture", "--lead", maya])
    assert "the campaign is paused: the lead's steps go once it is resumed" in " ".join(
        lead_back.stdout.split()
    )
    resumed = runner.invoke(cli, ["sequence", "resume", "nurture"])
    assert "1 step scheduled again; the campaign is active" in " ".join(resumed.stdout.split())
    for who in (maya, "daniel.brandt@lumenledger.example"):
        view = json.loads(runner.invoke(cli, ["sequence", "show", "nurture", who, "--json"]).stdout)
        assert (view["status"], view["steps"][0]["status"]) == ("active", "scheduled")


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["sequence", "enroll", "one-off", "LEADS"], "campaign 'one-off' has no sequence"),
        (["sequence", "enroll", "nowhere", "LEADS"], "there is no campaign 'nowhere'"),
        (["sequence", "show", "nurture", "tom@harborpine.example"], "there is no lead"),
        (["sequence", "show", "nurture", "999"], "there is no lead '999'"),
        (["sequence", "metrics", "one-off"], "has no sequence"),
        (["sequence", "pause", "nurture"], "a draft campaign cannot become paused"),
        (["report", "nowhere"], "there is no campaign 'nowhere'"),
    ],
)
def test_what_cannot_be_done_is_one_readable_line(
    runner: CliRunner, database_url: str, tmp_path: Path, args: list[str], said: str
) -> None:
    asyncio.run(store_campaigns(database_url))
    leads = tmp_path / "leads.csv"
    leads.write_text(LEADS_CSV)
    result = runner.invoke(outreach(), [str(leads) if a == "LEADS" else a for a in args])
    assert result.exit_code == 1, result.output
    assert said in " ".join(result.stderr.split()) and "Traceback" not in result.output


def test_preview_prints_every_step_and_stores_nothing(
    runner: CliRunner, database_url: str, tmp_path: Path
) -> None:
    asyncio.run(store_campaigns(database_url))
    leads = tmp_path / "leads.csv"
    leads.write_text(LEADS_CSV)
    cli = outreach()
    runner.invoke(cli, ["sequence", "enroll", "nurture", str(leads)])
    maya = "maya.okafor@northwind-robotics.example"

    shown = runner.invoke(cli, ["sequence", "preview", "nurture", maya])
    assert shown.exit_code == 0, shown.output
    out = shown.stdout
    for step in ("Step 1 · email · first_touch", "Step 2 · email · soft_nudge", "Step 3 · email"):
        assert step in out
    assert "Subject: Re: " in out and "Drafts only: nothing was sent or stored." in out
    lines = runner.invoke(cli, ["sequence", "preview", "nurture", maya, "--json"]).stdout
    previews = [json.loads(line) for line in lines.splitlines()]
    assert [p["step"] for p in previews] == [1, 2, 3]
    view = json.loads(runner.invoke(cli, ["sequence", "show", "nurture", maya, "--json"]).stdout)
    assert [(s["status"], s["message_id"]) for s in view["steps"]] == [("scheduled", None)]
    assert not (tmp_path / "data" / "outbox.jsonl").exists()


def test_help_explains_the_commands() -> None:
    result = CliRunner().invoke(outreach(), ["sequence", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    for command in ("enroll", "show", "preview", "pause", "resume", "metrics"):
        assert command in result.output
    report_help = CliRunner().invoke(outreach(), ["report", "--help"], env={"COLUMNS": "200"})
    assert "sequence step by step" in report_help.output
