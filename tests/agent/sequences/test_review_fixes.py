"""Defects a review of the scheduler found: each test fails without its fix."""

from __future__ import annotations

import datetime as dt
from email.message import Message
from pathlib import Path

from sqlalchemy import select
from typer.testing import CliRunner

from agent.cli.app import app
from agent.replies.inbound import InboundReply, reply_kind
from agent.sequences.enrollment import lead_place
from agent.settings import Settings
from storage.database import Database
from storage.models import CampaignRow, LeadRow
from storage.sequence_models import SequenceEnrollmentRow, SequenceStepRow
from storage.sequences import StepPlan, enroll, revive_paused

NOW = dt.datetime(2027, 1, 12, 10, 0, tzinfo=dt.UTC)
FOOTER = "Not interested? Unsubscribe here: https://outreach.example.com/u/3.abc"


def reply(text: str) -> InboundReply:
    return InboundReply(Message(), text, "maya@northwind.example", "", "RE: CI", raw="x")


def test_an_outlook_reply_quoting_our_footer_is_a_reply_not_an_unsubscribe() -> None:
    outlook = (
        "Sounds good, Tuesday works.\n\n________________________________\n"
        "From: Alex Rivera <alex@brightpath.example>\nSent: Monday\n\nHi Maya, ...\n" + FOOTER
    )
    assert reply_kind(reply(outlook)) == "replied"
    gmail = "Sounds good.\n\nOn Mon, 11 Jan 2027, Alex Rivera <alex@b.example> wrote:\n" + FOOTER
    assert reply_kind(reply(gmail)) == "replied"
    assert reply_kind(reply("Please unsubscribe me.\n\n" + FOOTER)) == "unsubscribed"


def test_a_country_that_is_not_a_known_code_falls_back_to_the_default() -> None:
    settings = Settings(default_country="DE", _env_file=None)  # type: ignore[call-arg]
    for given, expected in (("gb", "GB"), ("United Kingdom", "DE"), ("ZZ", "DE"), (None, "DE")):
        lead = LeadRow(name="A", company="B", extra={"country": given} if given else {})
        assert lead_place(lead, settings)[1] == expected


async def test_steps_paused_by_a_campaign_pause_resume_however_it_is_resumed(
    database_url: str,
) -> None:
    async with await Database.connect(database_url, migrate=True) as db:
        async with db.sessions.begin() as session:
            campaign = CampaignRow(
                name="c", channel="email", value_proposition="x", status="paused", settings={}
            )
            leads = [LeadRow(name=f"L{n}", company="Co", status="new", extra={}) for n in range(2)]
            session.add_all([campaign, *leads])
            await session.flush()
            for lead in leads:
                await enroll(
                    session, campaign_id=campaign.id, lead_id=lead.id,
                    first=StepPlan(1, "first_touch", "email"), due_at=NOW - dt.timedelta(days=1),
                    timezone="UTC", country="US", paused=True,
                )  # fmt: skip
            await session.flush()
            held = await session.scalar(
                select(SequenceEnrollmentRow).where(SequenceEnrollmentRow.lead_id == leads[1].id)
            )
            assert held is not None
            held.status = "paused"  # this lead was paused on its own
            campaign.status = "active"  # e.g. PATCH /campaigns/{id} {"status": "active"}
        async with db.sessions.begin() as session:
            assert await revive_paused(session, now=NOW) == 1
        async with db.sessions() as session:
            rows = {
                row.lead_id: (row.status, row.due_at.replace(tzinfo=dt.UTC))
                for row in await session.scalars(select(SequenceStepRow))
            }
    assert rows[leads[0].id] == ("scheduled", NOW)  # due now, not on the missed day
    assert rows[leads[1].id][0] == "paused"  # its own pause stands


def test_simulate_never_overwrites_an_existing_database(tmp_path: Path) -> None:
    (tmp_path / "outreach.db").write_bytes(b"precious")
    campaign = tmp_path / "campaign.yaml"
    campaign.write_text("name: s\nvalue_proposition: CI insight\nsequence: 3-step\n")
    leads = tmp_path / "leads.csv"
    leads.write_text("name,email,company\nA B,a@b.example,B\n")
    result = CliRunner().invoke(
        app,
        ["simulate", str(leads), "--campaign-file", str(campaign), "--data-dir", str(tmp_path)],
    )
    assert result.exit_code == 1 and "already holds a database" in " ".join(result.stderr.split())
    assert (tmp_path / "outreach.db").read_bytes() == b"precious"
