"""The HubSpot client wrapper against a loopback HubSpot: contacts by email, companies by domain,
engagements on the contact, and what a rate limit, an outage or a bad token does."""

from __future__ import annotations

import datetime as dt
import socket
from collections.abc import Iterator

import pytest

from tests.fakes.hubspot_fake import DEFAULT_TOKEN, HubSpotFake, Waits
from tools.crm.hubspot_client import HubSpotCrm
from tools.crm.hubspot_records import ActivityNote, SentEmail
from tools.crm.retries import CrmAuthError, CrmError, RetryPolicy

EMAIL = "maya.okafor@northwind-robotics.example"
SENT = dt.datetime(2026, 11, 22, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def fake() -> Iterator[HubSpotFake]:
    with HubSpotFake() as served:
        yield served


@pytest.fixture
def waits() -> Waits:
    return Waits()


@pytest.fixture
def crm(fake: HubSpotFake, waits: Waits) -> Iterator[HubSpotCrm]:
    client = HubSpotCrm(DEFAULT_TOKEN, base_url=fake.base_url, sleep=waits)
    yield client
    client.close()


async def test_a_contact_is_found_by_email_and_created_only_once(
    fake: HubSpotFake, crm: HubSpotCrm
) -> None:
    assert await crm.find_contact(EMAIL) is None
    made = await crm.create_contact({"email": EMAIL, "firstname": "Maya", "lifecyclestage": "lead"})
    found = await crm.find_contact(EMAIL.upper())
    assert found is not None and found.id == made.id
    assert found.lifecycle_stage == "lead"
    assert found.properties["firstname"] == "Maya"
    # Someone else created it meanwhile: HubSpot answers 409 and we carry on with theirs.
    again = await crm.create_contact({"email": EMAIL})
    assert again.id == made.id
    assert len(fake.contacts()) == 1


async def test_companies_links_and_engagements_land_on_the_contact(
    fake: HubSpotFake, crm: HubSpotCrm
) -> None:
    contact = await crm.create_contact({"email": EMAIL})
    assert await crm.find_company("northwind-robotics.example") is None
    company = await crm.create_company("northwind-robotics.example", "Northwind Robotics")
    assert await crm.find_company("northwind-robotics.example") == company
    await crm.link_contact_to_company(contact.id, company)
    sent = SentEmail(sent_at=SENT, to_address=EMAIL, body="Worth a call?", subject="CI")
    await crm.log_email(contact.id, sent)
    await crm.log_note(contact.id, ActivityNote(occurred_at=SENT, headline="Replied"))
    assert fake.companies() == [
        {"domain": "northwind-robotics.example", "name": "Northwind Robotics"}
    ]
    assert fake.companies_of(EMAIL) == ["northwind-robotics.example"]
    [email] = fake.engagements("emails", EMAIL)
    assert (email["hs_email_subject"], email["hs_email_text"]) == ("CI", "Worth a call?")
    [note] = fake.engagements("notes", EMAIL)
    assert note["hs_note_body"] == "<p>Replied</p>"


async def test_a_rate_limit_is_waited_out_as_hubspot_asks(
    fake: HubSpotFake, crm: HubSpotCrm, waits: Waits
) -> None:
    fake.add_contact(EMAIL, lifecyclestage="lead")
    fake.fail_next(429, retry_after="7")
    fake.fail_next(503)
    found = await crm.find_contact(EMAIL)
    assert found is not None and found.lifecycle_stage == "lead"
    assert fake.faults_answered == [429, 503]
    assert waits.asked == [7.0, 1.0]  # Retry-After honoured, then the doubled backoff


async def test_an_outage_fails_after_the_bounded_attempts(
    fake: HubSpotFake, crm: HubSpotCrm, waits: Waits
) -> None:
    fake.break_contact(EMAIL, 500)
    with pytest.raises(CrmError, match=r"read the contact .*: HTTP 500.* after 4 attempts"):
        await crm.find_contact(EMAIL)
    assert fake.faults_answered == [500] * 4
    assert waits.asked == [0.5, 1.0, 2.0]


async def test_a_retry_after_beyond_our_limit_ends_the_attempts(
    fake: HubSpotFake, waits: Waits
) -> None:
    crm = HubSpotCrm(
        DEFAULT_TOKEN, base_url=fake.base_url, sleep=waits, policy=RetryPolicy(max_wait_s=10)
    )
    fake.fail_next(429, retry_after="3600")
    with pytest.raises(CrmError, match="asked to wait 3600 s, over our 10 s limit"):
        await crm.find_contact(EMAIL)
    assert waits.asked == []
    crm.close()


async def test_a_refused_token_is_not_retried_and_says_what_to_check(
    fake: HubSpotFake, waits: Waits
) -> None:
    crm = HubSpotCrm("pat-na1-revoked", base_url=fake.base_url, sleep=waits)
    with pytest.raises(CrmAuthError, match="OUTREACH_HUBSPOT_ACCESS_TOKEN"):
        await crm.find_contact(EMAIL)
    assert waits.asked == []
    crm.close()


async def test_a_refused_write_is_not_retried(
    fake: HubSpotFake, crm: HubSpotCrm, waits: Waits
) -> None:
    contact = await crm.create_contact({"email": EMAIL, "lifecyclestage": "salesqualifiedlead"})
    with pytest.raises(CrmError, match="HTTP 400: lifecycle stage cannot move backwards"):
        await crm.update_contact(contact.id, {"lifecyclestage": "lead"})
    assert waits.asked == []


async def test_no_server_at_all_is_retried_then_reported(waits: Waits) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    crm = HubSpotCrm(DEFAULT_TOKEN, base_url=f"http://127.0.0.1:{port}", sleep=waits)
    with pytest.raises(CrmError, match=r"could not reach HubSpot .* after 4 attempts"):
        await crm.find_contact(EMAIL)
    assert len(waits.asked) == 3
    crm.close()


def test_a_token_is_required() -> None:
    with pytest.raises(ValueError, match="access token"):
        HubSpotCrm("  ")
