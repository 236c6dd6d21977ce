"""One current message per lead, campaign and sequence step, kept by the database itself.

Issue 17, item 7: re-runs gave one lead four messages in one campaign, and each could be sent.
The schema now refuses a second current message for a lead and step (a unique index), the
migration that adds it first settles existing duplicates, a second run of the same campaign
rewrites the drafts nobody acted on instead of adding messages, and the send ledger refuses a
second send to a person the campaign already reached.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from agent.leads.files import read_leads
from agent.runs.batch import run_batch
from agent.runs.durable_pipeline import open_durable_pipeline
from agent.runs.store import RunStore
from agent.settings import Settings
from graphs.lead import Campaign
from storage.database import session_maker
from storage.deliveries import DeliveryLedger
from storage.migrations import upgrade
from storage.models import CampaignRow, LeadRow, MessageRow, RunRow
from tests.conftest import EXAMPLES, NOW


async def _campaign_lead_runs(engine: AsyncEngine, runs: int, campaign: str = "c") -> None:
    async with session_maker(engine).begin() as session:
        row = CampaignRow(name=campaign, channel="email", value_proposition="v", settings={})
        session.add(row)
        if not await session.scalar(select(func.count()).select_from(LeadRow)):
            session.add(LeadRow(name="Maya", company="Northwind", email="maya@nw.example"))
        await session.flush()
        for number in range(runs):
            session.add(RunRow(id=f"{campaign}-run{number}", campaign_id=row.id))


def _message(run: int, **fields: object) -> MessageRow:
    values: dict[str, object] = {"status": "queued", "reason": "", "campaign_id": 1}
    return MessageRow(lead_id=1, run_id=f"c-run{run}", **(values | fields))


async def test_a_second_current_message_for_a_lead_and_step_is_refused(
    engine: AsyncEngine,
) -> None:
    await upgrade(engine)
    await _campaign_lead_runs(engine, runs=3)
    sessions = session_maker(engine)
    async with sessions.begin() as session:
        session.add(_message(0))
    with pytest.raises(IntegrityError):
        async with sessions.begin() as session:
            session.add(_message(1))
    async with sessions.begin() as session:
        # A later sequence step is a message of its own; so is a superseded (history) row.
        session.add(_message(1, sequence_step=1))
        session.add(_message(2, superseded_by=1, status="superseded"))
    async with sessions() as session:
        steps = await session.scalars(select(MessageRow.sequence_step).order_by(MessageRow.id))
        assert list(steps) == [0, 1, 0]


MESSAGES_AT_0007 = (
    "INSERT INTO messages (id, campaign_id, lead_id, run_id, variants, status, reason, "
    "generation, input_tokens, output_tokens, cost_usd, version, reviews, sent_at) VALUES "
    "(:id, :campaign, :lead, :run, '[]', :status, '', '{}', 0, 0, 0, 1, '[]', :sent_at)"
)


async def test_the_migration_keeps_one_current_message_per_lead_and_settles_the_rest(
    engine: AsyncEngine,
) -> None:
    await upgrade(engine, "0007")
    async with engine.begin() as connection:
        await connection.execute(
            text(
                "INSERT INTO campaigns (id, name, status, channel, target_audience, "
                "min_qualification_score, value_proposition, settings, total_messages, "
                "messages_sent, total_cost_usd) VALUES (1, 'c', 'active', 'email', '{}', 0, "
                "'v', '{}', 6, 1, 0)"
            )
        )
        for lead in (1, 2, 3):
            await connection.execute(
                text(
                    "INSERT INTO leads (id, name, company, extra, status) "
                    "VALUES (:id, 'n', 'c', '{}', 'new')"
                ),
                {"id": lead},
            )
        for number in range(4):
            await connection.execute(
                text(
                    "INSERT INTO runs (id, campaign_id, status, total, processed, sent, "
                    "queued, rejected, options) VALUES (:id, 1, 'completed', 1, 1, 0, 0, 0, '{}')"
                ),
                {"id": f"r{number}"},
            )
        sent = NOW.replace(tzinfo=None)
        rows = [
            # lead 1: four messages, as the issue found; one went out, one waits to go.
            (1, 1, "r0", "queued", None),
            (2, 1, "r1", "sent", sent),
            (3, 1, "r2", "approved", None),
            (4, 1, "r3", "queued", None),
            # lead 2: nothing sent or approved: the newest drafts waiting for review stay.
            (5, 2, "r0", "rejected", None),
            (6, 2, "r1", "queued", None),
            (7, 2, "r2", "rejected", None),
            # lead 3: one message, untouched.
            (8, 3, "r0", "approved", None),
        ]
        for id_, lead, run, status, sent_at in rows:
            await connection.execute(
                text(MESSAGES_AT_0007),
                {"id": id_, "campaign": 1, "lead": lead, "run": run, "status": status,
                 "sent_at": sent_at},
            )  # fmt: skip
    await upgrade(engine)
    async with session_maker(engine)() as session:
        messages = {m.id: m for m in await session.scalars(select(MessageRow))}
    current = {m.lead_id: m.id for m in messages.values() if m.superseded_by is None}
    assert current == {1: 2, 2: 6, 3: 8}
    assert {i: messages[i].superseded_by for i in (1, 3, 4, 5, 7)} == {
        1: 2, 3: 2, 4: 2, 5: 6, 7: 6,
    }  # fmt: skip
    # The duplicates that had not gone out can never go now: not approved, not queued.
    assert {messages[i].status for i in (1, 3, 4, 5, 7)} == {"superseded"}
    assert "superseded by message 2" in messages[3].reason
    assert messages[2].status == "sent" and messages[8].status == "approved"
    assert {m.sequence_step for m in messages.values()} == {0}


async def _run_demo(settings: Settings, campaign: Campaign, resolve: dict[str, str]) -> str:
    lead_file = read_leads(EXAMPLES / "leads.csv")
    async with open_durable_pipeline(settings, resolve=resolve, clock=lambda: NOW) as (db, pipe):
        store = await RunStore.start(
            db, campaign=campaign, run_id=pipe.context.run_id, total=8, options={}
        )
        await run_batch(pipe, lead_file, campaign, concurrency=4, store=store.save)
        await store.close("completed")
        return pipe.context.run_id


async def test_a_second_run_rewrites_waiting_drafts_and_sends_nobody_twice(
    database_url: str,
    engine: AsyncEngine,
    campaign: Campaign,
    demo_resolve: dict[str, str],
    tmp_path: Path,
) -> None:
    await upgrade(engine)
    settings = Settings(
        database_url=database_url, allow_private_networks=True, auto_send=True, data_dir=tmp_path
    )
    first = await _run_demo(settings, campaign, demo_resolve)
    async with session_maker(engine)() as session:
        before = {m.lead_id: m for m in await session.scalars(select(MessageRow))}
    second = await _run_demo(settings, campaign, demo_resolve)

    outbox = [json.loads(line) for line in (tmp_path / "outbox.jsonl").read_text().splitlines()]
    recipients = [m["to"] for m in outbox]
    assert len(recipients) == 4 and len(set(recipients)) == 4, "nobody was written to twice"
    async with session_maker(engine)() as session:
        after = {m.lead_id: m for m in await session.scalars(select(MessageRow))}
        total = await session.scalar(select(func.count()).select_from(MessageRow))
        row = await session.scalar(select(CampaignRow))
    assert total == 7 and row is not None and row.total_messages == 7
    for lead_id, message in before.items():
        now = after[lead_id]
        assert now.id == message.id
        if message.status == "sent":
            assert (now.run_id, now.version) == (first, message.version), "sent: left alone"
        else:  # queued or rejected: rewritten by the second run, its earlier drafts kept
            assert now.run_id == second and now.version > message.version
            assert now.generation["history"][-1]["run_id"] == first
    assert row.messages_sent == 4


async def test_the_ledger_refuses_a_second_send_to_a_person_the_campaign_reached(
    engine: AsyncEngine,
) -> None:
    await upgrade(engine)
    await _campaign_lead_runs(engine, runs=2, campaign="c")
    await _campaign_lead_runs(engine, runs=1, campaign="other")
    ledger = DeliveryLedger(session_maker(engine))
    claim = {"channel": "email", "recipient": "maya@nw.example"}
    assert (await ledger.claim("k0", run_id="c-run0", owner="a|maya", **claim)).state == "new"
    await ledger.confirm("k0", provider="dry-run", message_id="m0", tone="direct")
    again = await ledger.claim(
        "k1", run_id="c-run1", owner="a|maya", channel="email", recipient="Maya@NW.example"
    )
    assert again.state == "taken" and again.owner is not None and "c-run0" in again.owner
    # Another campaign is another conversation; the same key is still the same send.
    assert (await ledger.claim("k2", run_id="other-run0", owner="a|maya", **claim)).state == "new"
    assert (await ledger.claim("k0", run_id="c-run0", owner="a|maya", **claim)).state == "sent"
