"""Who an interested reply stops at its account: also a colleague whose message from a batch
run waits unsent outside any sequence; and nobody at a domain with a hundred or more contacts
in the campaign (an internet provider's or a university's addresses are no one company), with
the reply's actions saying why."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from agent.planning.accounts import HUGE_ACCOUNT
from agent.settings import Settings
from storage.database import Database
from storage.models import LeadRow, MessageRow
from storage.sequence_models import SequenceEnrollmentRow
from tests.agent.replies.test_account_stop import (
    INTERESTED,
    enrol,
    message,
    reply,
    seed,
    settings,
    tick,
)

__all__ = ["settings"]  # the fixture


async def _lead(session: AsyncSession, address: str) -> LeadRow:
    lead = LeadRow(name=address.split("@")[0].title(), email=address, email_normalized=address,
                   company=address.split("@")[1], status="sent", extra={})  # fmt: skip
    session.add(lead)
    await session.flush()
    return lead


async def test_a_colleagues_unsent_batch_message_is_stopped_too(
    database_url: str, settings: Settings
) -> None:
    async with await Database.connect(database_url, migrate=True) as db:
        seeded = await seed(db)
        async with db.sessions.begin() as session:
            ivy = await _lead(session, "ivy@northwind.example")
            waiting = message(seeded.campaign_id, ivy.id, 1, status="approved")
            session.add(waiting)
            await session.flush()
            ivy_id, waiting_id = ivy.id, waiting.id
        outcome = await reply(db, settings, seeded, "maya@northwind.example", INTERESTED)
        sent = await tick(db, settings)
        async with db.sessions() as session:
            held = await session.get(MessageRow, waiting_id)
    assert "4 colleague(s) at northwind.example stopped" in " ".join(outcome.actions)
    assert "ivy@northwind.example" not in sent
    assert held is not None and held.status == "stopped" and ivy_id == held.lead_id
    assert "maya@northwind.example" in held.reason


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_nobody_is_stopped_at_a_domain_with_a_hundred_contacts(
    database_url: str, settings: Settings
) -> None:
    async with await Database.connect(database_url, migrate=True) as db:
        seeded = await seed(db)
        async with db.sessions.begin() as session:
            contacts = [
                await _lead(session, f"user{n}@bigisp.example") for n in range(HUGE_ACCOUNT)
            ]
            for lead in contacts:
                await enrol(session, seeded.campaign_id, lead, "scheduled")
        seeded.first_headers["user0@bigisp.example"] = (
            f"<first-{seeded.campaign_id}-{contacts[0].id}@x>"
        )
        outcome = await reply(db, settings, seeded, "user0@bigisp.example", INTERESTED)
        async with db.sessions() as session:
            open_now = await session.scalars(
                select(SequenceEnrollmentRow.lead_id).where(
                    SequenceEnrollmentRow.campaign_id == seeded.campaign_id,
                    SequenceEnrollmentRow.status == "active",
                    SequenceEnrollmentRow.lead_id.in_([c.id for c in contacts[1:]]),
                )
            )
            still_active = len(list(open_now))
    said = [a for a in outcome.actions if "colleague" in a]
    assert said == [
        f"colleagues not stopped: {HUGE_ACCOUNT} or more contacts at bigisp.example in this "
        "campaign look like a mail provider's or an institution's addresses, not one company"
    ]
    assert still_active == HUGE_ACCOUNT - 1
