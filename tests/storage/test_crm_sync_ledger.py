"""The CRM sync ledger and CRM holds, on SQLite and PostgreSQL: what was written to HubSpot is
remembered once per record, goes with an erased person, and a hold stops sending like any
suppression while keeping an earlier reason."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import func, select

from storage.crm_models import CrmSyncRow
from storage.crm_sync import (
    crm_hold,
    domain_key,
    hold_for_crm,
    lead_key,
    message_key,
    record_synced,
    synced_company,
    synced_for_lead,
)
from storage.database import Database
from storage.models import LeadRow
from storage.suppressions import erase_lead, suppress, suppression_reason

EMAIL = "maya.okafor@northwind-robotics.example"


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    async with await Database.connect(database_url, migrate=True) as database:
        yield database


async def _lead(db: Database, email: str = EMAIL) -> int:
    async with db.sessions.begin() as session:
        lead = LeadRow(name="Maya Okafor", email=email, company="Northwind", status="sent")
        session.add(lead)
        await session.flush()
        return lead.id


async def test_a_record_is_remembered_once_and_a_changed_id_replaces_the_old(db: Database) -> None:
    lead_id = await _lead(db)
    async with db.sessions.begin() as session:
        for hubspot_id in ("501", "501", "777"):  # HubSpot merged the contact: a new id
            await record_synced(
                session, kind="contact", local_key=lead_key(lead_id), hubspot_id=hubspot_id,
                lead_id=lead_id,
            )  # fmt: skip
        await record_synced(
            session, kind="email", local_key=message_key(9), hubspot_id="900", lead_id=lead_id
        )
        await record_synced(
            session, kind="company", local_key=domain_key("Northwind.example"), hubspot_id="42",
            lead_id=None,
        )  # fmt: skip
        with pytest.raises(ValueError, match="unknown CRM object kind"):
            await record_synced(session, kind="deal", local_key="x", hubspot_id="1", lead_id=None)
    async with db.sessions() as session:
        assert await synced_for_lead(session, lead_id) == {
            ("contact", lead_key(lead_id)): "777",
            ("email", message_key(9)): "900",
        }
        assert await synced_company(session, "northwind.example") == "42"
        assert await synced_company(session, "quietpeak.example") is None


async def test_erasing_a_person_forgets_what_was_synced_for_them(db: Database) -> None:
    lead_id = await _lead(db)
    async with db.sessions.begin() as session:
        await record_synced(
            session, kind="contact", local_key=lead_key(lead_id), hubspot_id="501", lead_id=lead_id
        )
        await record_synced(
            session, kind="company", local_key=domain_key("northwind.example"), hubspot_id="42",
            lead_id=None,
        )  # fmt: skip
    async with db.sessions.begin() as session:
        assert await erase_lead(session, lead_id=lead_id) is not None
    async with db.sessions() as session:
        rows = list(await session.scalars(select(CrmSyncRow)))
        assert [(row.kind, row.hubspot_id) for row in rows] == [("company", "42")]


async def test_a_crm_hold_suppresses_the_address_and_keeps_an_earlier_reason(db: Database) -> None:
    other = "jonas.weber@quietpeak.example"
    async with db.sessions.begin() as session:
        await suppress(session, address=other, reason="unsubscribed")
        assert await hold_for_crm(session, addresses=[EMAIL, EMAIL.upper()], stage="customer")
        assert not await hold_for_crm(session, addresses=[EMAIL, other], stage="opportunity")
    async with db.sessions() as session:
        assert await suppression_reason(session, EMAIL) == "crm_customer"
        assert await crm_hold(session, EMAIL) == "crm_customer"
        # An opt-out stays an opt-out; it is not a CRM hold.
        assert await suppression_reason(session, other) == "unsubscribed"
        assert await crm_hold(session, other) is None
        assert await crm_hold(session, "ana.ruiz@northwind-robotics.example") is None
        count = select(func.count()).select_from(CrmSyncRow)
        assert await session.scalar(count) == 0
