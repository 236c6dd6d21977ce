"""Sending over HTTP: real providers on loopback, unsubscribe links, suppression and pacing."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from pydantic import SecretStr

from agent.settings import Settings
from graphs.lead import Campaign
from storage.database import Database
from storage.models import MessageRow
from storage.suppressions import suppression_reason
from tests.fakes.sendgrid_fake import SendGridFake
from tests.fakes.smtp_sink import SmtpSink
from tests.server.api_helpers import (
    OPEN_LIMITS_NO_DISPATCHER,
    create_campaign,
    generate,
    import_demo_leads,
    serve,
)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def sendgrid() -> Iterator[SendGridFake]:
    with SendGridFake() as fake:
        yield fake


@pytest.fixture
def sendgrid_settings(server_settings: Settings, sendgrid: SendGridFake) -> Settings:
    return server_settings.model_copy(
        update={
            "email_provider": "sendgrid",
            "sendgrid_api_key": SecretStr("SG.test-key"),
            "sendgrid_host": sendgrid.base_url,
            "public_base_url": "https://outreach.brightpath.example",
            **OPEN_LIMITS_NO_DISPATCHER,
        }
    )


@pytest.fixture
def sg_client(
    sendgrid_settings: Settings, campaign: Campaign, api_key: str
) -> Iterator[httpx.Client]:
    with serve(sendgrid_settings, campaign, api_key, timeout=120) as client:
        yield client


def header(request: dict[str, Any], name: str) -> str:
    return str(request["personalizations"][0].get("headers", request.get("headers", {}))[name])


def test_send_goes_through_sendgrid_with_unsubscribe_and_footer(
    sg_client: httpx.Client, sendgrid: SendGridFake
) -> None:
    import_demo_leads(sg_client)
    campaign = create_campaign(sg_client)
    messages = generate(sg_client, campaign["id"])
    approved = {m["id"] for m in messages if m["status"] == "approved"}
    assert len(approved) == 4

    result = sg_client.post(f"/api/v1/campaigns/{campaign['id']}/send")
    assert result.status_code == 200, result.text
    report = result.json()
    assert report["status"] == "active" and report["provider"] == "sendgrid"
    assert set(report["sent"]) == approved and not report["scheduled"]
    assert len(sendgrid.sent) == 4
    for request in sendgrid.sent:
        headers = request.get("headers") or request["personalizations"][0]["headers"]
        assert headers["List-Unsubscribe"].startswith("<https://outreach.brightpath.example/u/")
        assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        body = request["content"][0]["value"]
        assert "100 Example Street, Portland" in body and "/u/" in body
        assert request["from"]["email"] == "alex@brightpath.example"
        assert int(request["custom_args"]["outreach_message_id"]) in approved
    stored = {m["id"]: m for m in sg_client.get("/api/v1/messages").json()["items"]}
    assert {stored[i]["status"] for i in approved} == {"sent"}
    assert {stored[i]["provider_message_id"] for i in approved} == set(sendgrid.message_ids)
    # A fixed split: the four sends spread over the passing drafts (an A/B test).
    assert len({stored[i]["selected_tone"] for i in approved}) >= 2
    assert sg_client.get(f"/api/v1/campaigns/{campaign['id']}").json()["messages_sent"] == 4

    again = sg_client.post(f"/api/v1/campaigns/{campaign['id']}/send").json()
    assert again["sent"] == [] and len(sendgrid.sent) == 4  # nothing goes twice


def test_one_click_unsubscribe_suppresses_the_address_for_every_campaign(
    sg_client: httpx.Client, sendgrid: SendGridFake, sendgrid_settings: Settings
) -> None:
    ids = import_demo_leads(sg_client)
    first = create_campaign(sg_client)
    generate(sg_client, first["id"], lead_ids=[ids["Maya Okafor"]])
    sg_client.post(f"/api/v1/campaigns/{first['id']}/send")
    (request,) = sendgrid.sent
    headers = request.get("headers") or request["personalizations"][0]["headers"]
    link = headers["List-Unsubscribe"].strip("<>")
    path = link.removeprefix("https://outreach.brightpath.example")

    page = sg_client.get(path)
    assert page.status_code == 200 and "<button" in page.text
    assert sg_client.get(path[:-3] + "xyz").status_code == 404  # a forged token
    assert sg_client.post("/u/99999999999999999.abc").status_code == 404  # no such message
    assert sg_client.get("/u/%C2%B3.abc").status_code == 404  # "³" is a digit, not a number
    # What Gmail sends (RFC 8058): no cookie, no key, just this body.
    clicked = httpx.post(
        str(sg_client.base_url) + path,
        content=b"List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert clicked.status_code == 200 and "unsubscribed" in clicked.text
    assert sendgrid_settings.database_url is not None
    assert asyncio.run(reason_for(sendgrid_settings.database_url, request)) == "unsubscribed"

    second = create_campaign(sg_client, name="Second campaign")
    (message,) = generate(sg_client, second["id"], lead_ids=[ids["Maya Okafor"]])
    assert message["status"] == "approved"
    report = sg_client.post(f"/api/v1/campaigns/{second['id']}/send").json()
    assert report["suppressed"] == [message["id"]] and report["sent"] == []
    assert len(sendgrid.sent) == 1
    stored = sg_client.get(f"/api/v1/messages/{message['id']}").json()
    assert stored["status"] == "suppressed" and "unsubscribed" in stored["reason"]


async def reason_for(url: str, request: dict[str, Any]) -> str | None:
    address = request["personalizations"][0]["to"][0]["email"]
    async with await Database.connect(url) as db, db.sessions() as session:
        return await suppression_reason(session, address)


def test_limits_schedule_what_cannot_go_now_and_send_it_when_due(
    sendgrid_settings: Settings, sendgrid: SendGridFake, campaign: Campaign, api_key: str
) -> None:
    monday_8am = dt.datetime(2026, 11, 23, 8, 0, tzinfo=dt.UTC)
    clock = Clock(monday_8am)
    paced = sendgrid_settings.model_copy(
        update={
            "send_window": "09:00-17:00",
            "send_weekdays_only": True,
            "send_min_gap_s": 120,
            "send_daily_cap": 3,
        }
    )
    with serve(paced, campaign, api_key, clock, timeout=120) as client:
        import_demo_leads(client)
        created = create_campaign(client)
        generate(client, created["id"])
        send = f"/api/v1/campaigns/{created['id']}/send"

        early = client.post(send).json()  # 08:00: before business hours
        assert early["sent"] == [] and len(early["scheduled"]) == 4
        assert early["next_send_at"].startswith("2026-11-23T09:00")

        clock.now = dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC)
        first = client.post(send).json()
        assert len(first["sent"]) == 1  # then two minutes between sends
        assert set(first["scheduled"].values()) == {"2026-11-23T09:02:00Z"}

        clock.now = dt.datetime(2026, 11, 23, 9, 2, tzinfo=dt.UTC)
        assert len(client.post(send).json()["sent"]) == 1
        clock.now = dt.datetime(2026, 11, 23, 9, 4, tzinfo=dt.UTC)
        third = client.post(send).json()  # the third send today reaches the cap
        assert len(third["sent"]) == 1
        assert third["next_send_at"].startswith("2026-11-24T09:00")
        clock.now = dt.datetime(2026, 11, 23, 16, 0, tzinfo=dt.UTC)
        assert client.post(send).json()["sent"] == []
        statuses = [m["status"] for m in client.get("/api/v1/messages").json()["items"]]
        assert statuses.count("sent") == 3 and statuses.count("scheduled") == 1  # none dropped
    assert len(sendgrid.sent) == 3


def test_provider_outage_retries_and_refusal_fails(
    sg_client: httpx.Client, sendgrid: SendGridFake
) -> None:
    ids = import_demo_leads(sg_client)
    campaign = create_campaign(sg_client)
    generate(sg_client, campaign["id"], lead_ids=[ids["Maya Okafor"], ids["Daniel Brandt"]])
    sendgrid.fail_next(503)
    sendgrid.fail_next(400)
    report = sg_client.post(f"/api/v1/campaigns/{campaign['id']}/send").json()
    assert len(report["scheduled"]) == 1 and len(report["failed"]) == 1
    (failed_id, why) = next(iter(report["failed"].items()))
    assert "400" in why
    (retry_id,) = report["scheduled"]
    retry = sg_client.get(f"/api/v1/messages/{retry_id}").json()
    assert retry["status"] == "scheduled" and "503" in retry["delivery_error"]
    assert sg_client.get(f"/api/v1/messages/{failed_id}").json()["status"] == "failed"
    assert sendgrid.sent == []


async def break_subjects(url: str, message_id: int) -> None:
    """Give every draft of a message a two-line subject, which no mail server accepts."""
    async with await Database.connect(url) as db, db.sessions.begin() as session:
        message = await session.get(MessageRow, message_id)
        assert message is not None
        message.variants = [
            {**v, "subject": "Hello\r\nBcc: everyone@example.com"} for v in message.variants
        ]


def test_an_email_that_cannot_be_composed_fails_with_the_reason_and_the_rest_go(
    sg_client: httpx.Client, sendgrid: SendGridFake, database_url: str
) -> None:
    ids = import_demo_leads(sg_client)
    campaign = create_campaign(sg_client)
    messages = generate(
        sg_client, campaign["id"], lead_ids=[ids["Maya Okafor"], ids["Daniel Brandt"]]
    )
    broken, fine = (m["id"] for m in messages)
    asyncio.run(break_subjects(database_url, broken))
    response = sg_client.post(f"/api/v1/campaigns/{campaign['id']}/send")
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["sent"] == [fine] and list(report["failed"]) == [str(broken)]
    assert "single line" in report["failed"][str(broken)]
    stored = sg_client.get(f"/api/v1/messages/{broken}").json()
    assert stored["status"] == "failed" and "single line" in stored["delivery_error"]
    assert len(sendgrid.sent) == 1 and "Bcc" not in json.dumps(sendgrid.sent)


def test_campaigns_that_cannot_send_are_refused(sg_client: httpx.Client) -> None:
    no_address = create_campaign(
        sg_client, name="No address", sender={"name": "Alex", "email": "alex@brightpath.example"}
    )
    refused = sg_client.post(f"/api/v1/campaigns/{no_address['id']}/send")
    assert refused.status_code == 422 and "postal_address" in refused.json()["detail"]
    assert sg_client.get(f"/api/v1/campaigns/{no_address['id']}").json()["status"] == "draft"
    linkedin = create_campaign(sg_client, name="LinkedIn", channel="linkedin")
    assert sg_client.post(f"/api/v1/campaigns/{linkedin['id']}/send").status_code == 422
    assert sg_client.post("/api/v1/campaigns/9999/send").status_code == 404


def test_smtp_provider_delivers_with_the_same_headers(
    server_settings: Settings, campaign: Campaign, api_key: str
) -> None:
    with SmtpSink() as sink:
        settings = server_settings.model_copy(
            update={
                "email_provider": "smtp",
                "public_base_url": "https://outreach.brightpath.example",  # real mail needs it
                "smtp_host": sink.host,
                "smtp_port": sink.port,
                "smtp_starttls": False,
                **OPEN_LIMITS_NO_DISPATCHER,
            }
        )
        with serve(settings, campaign, api_key, timeout=120) as client:
            ids = import_demo_leads(client)
            created = create_campaign(client)
            (message,) = generate(client, created["id"], lead_ids=[ids["Maya Okafor"]])
            report = client.post(f"/api/v1/campaigns/{created['id']}/send").json()
            assert report["sent"] == [message["id"]] and report["provider"] == "smtp"
            stored = client.get(f"/api/v1/messages/{message['id']}").json()
        (mail,) = sink.messages
    assert mail.rcpt_tos == ["maya.okafor@northwind-robotics.example"]
    assert mail.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert mail.message["Message-ID"] == stored["provider_message_id"]
    assert "100 Example Street" in mail.message.get_content()


def test_dry_run_is_the_default_and_nothing_leaves_the_machine(
    server_settings: Settings, campaign: Campaign, api_key: str
) -> None:
    settings = server_settings.model_copy(update=OPEN_LIMITS_NO_DISPATCHER)
    with serve(settings, campaign, api_key, timeout=120) as client:
        ids = import_demo_leads(client)
        created = create_campaign(client)
        generate(client, created["id"], lead_ids=[ids["Maya Okafor"]])
        report = client.post(f"/api/v1/campaigns/{created['id']}/send").json()
        assert report["provider"] == "dry-run" and len(report["sent"]) == 1
    lines = (settings.data_dir / "outbox.jsonl").read_text().splitlines()
    (record,) = [json.loads(line) for line in lines]
    assert record["to"] == "maya.okafor@northwind-robotics.example"
    assert record["metadata"]["headers"]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
