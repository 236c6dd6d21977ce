"""Phone numbers on the suppression list, on SQLite and PostgreSQL: kept as the hash of their
E.164 form next to email addresses, found however they got there (an opt-out text, an
unsubscribe event on the lead's message, an erasure), and lifted only for an opt-in."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from storage.database import Database
from storage.engagement import record_engagement
from storage.models import CampaignRow, LeadRow, MessageRow, RunRow, SuppressionRow
from storage.suppressions import (
    address_hash,
    erase_lead,
    phone_suppression_reason,
    suppress,
    suppress_phone,
    suppression_reason,
    unsuppress_phone,
)

PHONE = "+14155552671"
EMAIL = "maya.okafor@northwind-robotics.example"


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    async with await Database.connect(database_url, migrate=True) as database:
        yield database


async def _lead_with_sent_text(db: Database) -> tuple[int, int]:
    """Store an SMS campaign's lead (with email and phone) and a text sent to them."""
    async with db.sessions.begin() as session:
        campaign = CampaignRow(name="Texts", channel="sms", value_proposition="Faster CI.")
        session.add(campaign)
        await session.flush()
        session.add(RunRow(id="run-sms", campaign_id=campaign.id, total=1))
        lead = LeadRow(name="Maya", email=EMAIL, company="Northwind", phone=PHONE, status="sent")
        session.add(lead)
        await session.flush()
        message = MessageRow(
            campaign_id=campaign.id,
            lead_id=lead.id,
            run_id="run-sms",
            status="sent",
            provider_message_id="SM" + "0" * 32,
        )
        session.add(message)
        await session.flush()
        return lead.id, message.id


async def test_a_suppressed_phone_is_found_and_keeps_its_first_reason(db: Database) -> None:
    async with db.sessions.begin() as session:
        assert await phone_suppression_reason(session, PHONE) is None
        await suppress_phone(session, PHONE, "unsubscribed")
        await suppress_phone(session, PHONE, "bounced")
    async with db.sessions() as session:
        assert await phone_suppression_reason(session, PHONE) == "unsubscribed"
        # One table for every kind of address, and only hashes in it.
        rows = list(await session.scalars(select(SuppressionRow)))
        assert [row.email_hash for row in rows] == [address_hash(PHONE)]
        assert PHONE not in {row.email_hash for row in rows}
        assert await phone_suppression_reason(session, "+14155552672") is None
        assert await suppression_reason(session, EMAIL) is None


async def test_phones_must_be_in_e164_form(db: Database) -> None:
    async with db.sessions.begin() as session:
        for number in ("(415) 555-2671", "14155552671", "+1 415 555 2671", "", "+0123456789"):
            with pytest.raises(ValueError, match=r"E\.164"):
                await suppress_phone(session, number, "unsubscribed")
            with pytest.raises(ValueError, match=r"E\.164"):
                await phone_suppression_reason(session, number)
        with pytest.raises(ValueError, match="unknown suppression reason"):
            await suppress_phone(session, PHONE, "bored")


async def test_email_suppression_is_unchanged_beside_phones(db: Database) -> None:
    async with db.sessions.begin() as session:
        await suppress(session, address=f"  {EMAIL.upper()} ", reason="bounced")
        await suppress_phone(session, PHONE, "unsubscribed")
    async with db.sessions() as session:
        assert await suppression_reason(session, EMAIL) == "bounced"
        assert await phone_suppression_reason(session, PHONE) == "unsubscribed"


async def test_an_unsubscribe_on_the_leads_text_suppresses_their_phone(db: Database) -> None:
    _, message_id = await _lead_with_sent_text(db)
    async with db.sessions.begin() as session:
        message = await session.get(MessageRow, message_id)
        assert message is not None
        await record_engagement(session, message, "unsubscribed", external_id="twilio:SMx")
    async with db.sessions() as session:
        assert await phone_suppression_reason(session, PHONE) == "unsubscribed"


async def test_an_erased_persons_phone_stays_suppressed(db: Database) -> None:
    lead_id, _ = await _lead_with_sent_text(db)
    async with db.sessions.begin() as session:
        await suppress_phone(session, PHONE, "unsubscribed")
        erasure = await erase_lead(session, lead_id=lead_id)
        assert erasure is not None and erasure.suppressed == 2
    async with db.sessions.begin() as session:
        assert await phone_suppression_reason(session, PHONE) == "erased"
        # Texting START cannot undo an erasure.
        assert await unsuppress_phone(session, PHONE) is False
        assert await phone_suppression_reason(session, PHONE) == "erased"


async def test_an_opt_in_lifts_only_an_opt_out(db: Database) -> None:
    other = "+14155552672"
    async with db.sessions.begin() as session:
        await suppress_phone(session, PHONE, "unsubscribed")
        await suppress_phone(session, other, "bounced")
    async with db.sessions.begin() as session:
        assert await unsuppress_phone(session, PHONE) is True
        assert await unsuppress_phone(session, PHONE) is False
        assert await unsuppress_phone(session, other) is False
    async with db.sessions() as session:
        assert await phone_suppression_reason(session, PHONE) is None
        assert await phone_suppression_reason(session, other) == "bounced"
