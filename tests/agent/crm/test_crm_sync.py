"""The CRM sync against a loopback HubSpot, on SQLite and PostgreSQL: what a sales team sees in
HubSpot after one sync and after two, lifecycle stages that only move forward, customers that
are never written to, and a sync that rides out a rate limit and an outage of one record."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from pydantic import SecretStr
from sqlalchemy import select

from agent.crm.send_gate import crm_blocks, recipient_check
from agent.crm.sync_run import sync_crm, sync_crm_if_on
from agent.delivery.dispatcher import Dispatcher
from agent.settings import Settings
from storage.database import Database
from storage.models import MessageRow
from storage.suppressions import suppression_reason
from tests.agent.crm.crm_seeds import ANA, JONAS, MAYA, MAYA_BODY, Seeded, seed
from tests.fakes.hubspot_fake import DEFAULT_TOKEN, HubSpotFake, Waits
from tools.crm.hubspot_client import HubSpotCrm
from tools.delivery.email_message import OutgoingEmail


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    async with await Database.connect(database_url, migrate=True) as database:
        yield database


@pytest.fixture
async def seeded(db: Database) -> Seeded:
    return await seed(db)


@pytest.fixture
def hubspot() -> Iterator[HubSpotFake]:
    with HubSpotFake() as fake:
        yield fake


@pytest.fixture
def waits() -> Waits:
    return Waits()


@pytest.fixture
def crm(hubspot: HubSpotFake, waits: Waits) -> Iterator[HubSpotCrm]:
    client = HubSpotCrm(DEFAULT_TOKEN, base_url=hubspot.base_url, sleep=waits)
    yield client
    client.close()


async def test_one_sync_fills_hubspot_and_a_second_writes_nothing(
    db: Database, seeded: Seeded, hubspot: HubSpotFake, crm: HubSpotCrm
) -> None:
    report = await sync_crm(db, crm)
    assert report.ok
    maya, jonas, ana = (hubspot.contact(e) for e in (MAYA, JONAS, ANA))
    assert maya == {
        "email": MAYA, "firstname": "Maya", "lastname": "Okafor", "company": "Northwind Robotics",
        "website": "https://www.northwind-robotics.example", "jobtitle": "VP Engineering",
        "lifecyclestage": "salesqualifiedlead",  # she replied with interest
    }  # fmt: skip
    assert jonas is not None and jonas["lifecyclestage"] == "lead"
    assert ana is not None and ana["lifecyclestage"] == "lead"
    assert sorted(c["domain"] for c in hubspot.companies()) == [
        "acme-logistics.example", "northwind-robotics.example", "quietpeak.example",
    ]  # fmt: skip
    assert hubspot.companies_of(MAYA) == ["northwind-robotics.example"]
    assert hubspot.companies_of(JONAS) == ["quietpeak.example"]
    # Each sent message on its contact's timeline, as the variant that went out.
    [email] = hubspot.engagements("emails", MAYA)
    assert email["hs_email_subject"] == "Northwind and CI"
    assert email["hs_email_text"] == MAYA_BODY
    assert email["hs_timestamp"] == "2026-11-20T09:30:00.000Z"
    assert len(hubspot.engagements("emails", JONAS)) == 1
    assert hubspot.engagements("emails", ANA) == []  # approved, not sent yet
    # Her reply as a note: what she said and how it was read.
    [note] = hubspot.engagements("notes", MAYA)
    assert "read as interested: asks for a call" in note["hs_note_body"]
    assert "Sounds good: Tuesday at 10?" in note["hs_note_body"]
    assert note["hs_timestamp"] == "2026-11-21T14:05:00.000Z"
    assert report.written == {
        "contact": 3, "company": 3, "company_link": 3, "email": 2, "note": 1,
    }  # fmt: skip

    writes = list(hubspot.writes)
    again = await sync_crm(db, crm)
    assert again.ok and again.written == {}
    assert hubspot.writes == writes, "the second sync wrote to HubSpot"
    assert [lead.contact for lead in again.synced] == ["unchanged"] * 3


async def test_new_activity_is_added_and_nothing_else_is_written_again(
    db: Database, seeded: Seeded, hubspot: HubSpotFake, crm: HubSpotCrm
) -> None:
    await sync_crm(db, crm)
    async with db.sessions.begin() as session:
        message = await session.get(MessageRow, seeded.ana_message)
        assert message is not None
        message.status, message.sent_at = "sent", message.created_at
        message.mailbox = "alex@outreach.example"
    writes = len(hubspot.writes)
    report = await sync_crm(db, crm)
    assert report.written == {"email": 1}
    assert hubspot.writes[writes:] == [("POST", "/crm/v3/objects/emails")]
    assert len(hubspot.engagements("emails", ANA)) == 1


async def test_the_lifecycle_stage_only_moves_forward_and_hubspot_values_stay(
    db: Database, seeded: Seeded, hubspot: HubSpotFake, crm: HubSpotCrm
) -> None:
    hubspot.add_contact(MAYA, firstname="Maya (from the fair)", lifecyclestage="subscriber")
    hubspot.add_contact(JONAS, lifecyclestage="salesqualifiedlead")
    hubspot.add_contact(ANA, lifecyclestage="marketingqualifiedlead")
    report = await sync_crm(db, crm)
    assert report.ok, report.failed  # HubSpot refuses a backward move: none was tried
    maya, jonas, ana = (hubspot.contact(e) for e in (MAYA, JONAS, ANA))
    assert maya is not None and maya["lifecyclestage"] == "salesqualifiedlead"
    assert maya["firstname"] == "Maya (from the fair)"  # theirs stays
    assert maya["lastname"] == "Okafor"  # a blank is filled
    assert jonas is not None and jonas["lifecyclestage"] == "salesqualifiedlead"
    assert ana is not None and ana["lifecyclestage"] == "marketingqualifiedlead"
    assert len(hubspot.contacts()) == 3


async def test_a_hubspot_customer_is_held_and_the_dispatcher_does_not_send(
    db: Database,
    seeded: Seeded,
    hubspot: HubSpotFake,
    crm: HubSpotCrm,
    tmp_path: Path,
    database_url: str,
) -> None:
    hubspot.add_contact(ANA, firstname="Ana", lifecyclestage="customer")
    report = await sync_crm(db, crm)
    assert report.ok
    [held] = report.held
    assert (held.email, held.stage, held.hold) == (ANA, "customer", "crm_customer")
    assert hubspot.contact(ANA) == {"email": ANA, "firstname": "Ana", "lifecyclestage": "customer"}
    assert hubspot.companies_of(ANA) == []  # sales' account: nothing written to it
    async with db.sessions() as session:
        assert await suppression_reason(session, ANA) == "crm_customer"
        assert await suppression_reason(session, MAYA) is None

    class NeverCalled:
        name = "never"

        async def send(self, email: OutgoingEmail) -> str:
            raise AssertionError(f"a held lead was sent to: {email}")

    settings = Settings(database_url=database_url, data_dir=tmp_path)
    dispatched = await Dispatcher(db, settings, NeverCalled()).dispatch_message(seeded.ana_message)
    assert dispatched.suppressed == [seeded.ana_message]
    async with db.sessions() as session:
        message = await session.scalar(
            select(MessageRow).where(MessageRow.id == seeded.ana_message)
        )
        assert message is not None and message.status == "suppressed"
        assert "crm_customer" in message.reason


async def test_without_a_sync_yet_the_dispatcher_asks_hubspot_before_sending(
    db: Database, seeded: Seeded, hubspot: HubSpotFake, tmp_path: Path, database_url: str
) -> None:
    """A customer imported as a lead this morning, before any sync: the send asks first."""
    hubspot.add_contact(ANA, lifecyclestage="customer")

    class NeverCalled:
        name = "never"

        async def send(self, email: OutgoingEmail) -> str:
            raise AssertionError(f"a HubSpot customer was sent to: {email}")

    settings = Settings(
        database_url=database_url,
        data_dir=tmp_path,
        hubspot_access_token=SecretStr(DEFAULT_TOKEN),
        hubspot_base_url=hubspot.base_url,
    )
    dispatcher = Dispatcher(
        db, settings, NeverCalled(), recipient_check=recipient_check(settings, db)
    )
    dispatched = await dispatcher.dispatch_message(seeded.ana_message)
    assert dispatched.suppressed == [seeded.ana_message]
    async with db.sessions() as session:
        assert await suppression_reason(session, ANA) == "crm_customer"


async def test_the_sending_path_can_ask_and_a_down_hubspot_never_blocks(
    db: Database, seeded: Seeded, hubspot: HubSpotFake, crm: HubSpotCrm
) -> None:
    hubspot.add_contact(JONAS, lifecyclestage="opportunity")
    hubspot.add_contact(MAYA, lifecyclestage="lead")
    assert await crm_blocks(JONAS, db=db) is None  # no hold recorded yet, HubSpot not asked
    assert await crm_blocks(JONAS, db=db, crm=crm) == "crm_opportunity"
    async with db.sessions() as session:
        assert await suppression_reason(session, JONAS) == "crm_opportunity"
    assert await crm_blocks(JONAS, db=db) == "crm_opportunity"  # now known locally
    assert await crm_blocks(MAYA, db=db, crm=crm) is None
    hubspot.break_contact(ANA, 503)
    assert await crm_blocks(ANA, db=db, crm=crm) is None


async def test_a_rate_limit_is_waited_out_and_every_lead_is_synced_once(
    db: Database, seeded: Seeded, hubspot: HubSpotFake, crm: HubSpotCrm, waits: Waits
) -> None:
    hubspot.fail_next(429, times=2, retry_after="2")
    report = await sync_crm(db, crm)
    assert report.ok
    assert hubspot.faults_answered == [429, 429]
    assert waits.asked == [2.0, 2.0]
    assert sorted(c["email"] for c in hubspot.contacts()) == sorted([MAYA, JONAS, ANA])


async def test_a_lead_hubspot_keeps_failing_is_reported_and_the_others_are_synced(
    db: Database, seeded: Seeded, hubspot: HubSpotFake, crm: HubSpotCrm
) -> None:
    hubspot.break_contact(JONAS, 500)
    report = await sync_crm(db, crm)
    [failure] = report.failed
    assert (failure.lead_id, failure.email) == (seeded.jonas, JONAS)
    assert "HTTP 500" in failure.error and "after 4 attempts" in failure.error
    assert sorted(lead.email for lead in report.synced) == sorted([MAYA, ANA])
    assert hubspot.contact(JONAS) is None
    assert len(hubspot.engagements("emails", MAYA)) == 1

    hubspot.mend_contact(JONAS)
    writes = len(hubspot.writes)
    retried = await sync_crm(db, crm)
    assert retried.ok
    assert retried.written == {"contact": 1, "company": 1, "company_link": 1, "email": 1}
    assert len(hubspot.writes) - writes == 4  # Jonas's four; Maya and Ana had theirs
    assert len(hubspot.engagements("emails", MAYA)) == 1  # not logged twice


async def test_a_refused_token_stops_the_run_with_the_reason(
    db: Database, seeded: Seeded, hubspot: HubSpotFake
) -> None:
    crm = HubSpotCrm("pat-na1-revoked", base_url=hubspot.base_url)
    report = await sync_crm(db, crm)
    crm.close()
    assert not report.ok and report.synced == [] and report.failed == []
    assert report.stopped is not None and "refused the access token" in report.stopped


async def test_a_worker_syncs_only_when_a_token_is_configured(
    db: Database, seeded: Seeded, hubspot: HubSpotFake, tmp_path: Path, database_url: str
) -> None:
    off = Settings(database_url=database_url, data_dir=tmp_path, hubspot_access_token=None)
    assert await sync_crm_if_on(off, db) is None
    assert hubspot.writes == []
    on = off.model_copy(
        update={
            "hubspot_access_token": SecretStr(DEFAULT_TOKEN),
            "hubspot_base_url": hubspot.base_url,
        }
    )
    report = await sync_crm_if_on(on, db)
    assert report is not None and report.ok
    assert len(hubspot.contacts()) == 3
