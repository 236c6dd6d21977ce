"""SendGrid's webhooks over HTTP: signed delivery events and Inbound Parse replies."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from agent.demo.fixtures import DEMO_TODAY
from agent.settings import Settings
from graphs.lead import Campaign
from server.app import create_app
from storage.database import Database
from storage.models import (
    CampaignRow,
    CampaignToneStatRow,
    EventRow,
    LeadRow,
    MessageRow,
    RunRow,
    VariantStatRow,
)
from storage.outcomes import count_send
from storage.suppressions import suppression_reason
from tests.fakes.sendgrid_fake import WebhookSigner
from tests.server.api_helpers import live_api
from tests.server.live_server import LiveServer

EVENTS_URL = "/api/v1/webhooks/sendgrid"
INBOUND_URL = "/api/v1/webhooks/inbound"
MAYA = "maya.okafor@northwind-robotics.example"
COUNTERS = (
    "sent", "delivered", "opened", "clicked", "replied", "bounced", "unsubscribed", "complained",
)  # fmt: skip
VARIANTS = [
    {"tone": tone, "subject": f"{tone} hello", "body": f"A {tone} note."}
    for tone in ("professional", "friendly", "direct")
]


@pytest.fixture
def signer() -> WebhookSigner:
    return WebhookSigner()


@pytest.fixture
def server(
    server_settings: Settings, signer: WebhookSigner, api_key: str, campaign: Campaign
) -> Iterator[str]:
    """The API with SendGrid's verification key configured (conftest's `client` uses it)."""
    settings = server_settings.model_copy(update={"sendgrid_webhook_public_key": signer.public_key})
    with live_api(settings, campaign) as base_url:
        yield base_url


async def _seed(url: str, emails: list[str]) -> dict[str, int]:
    """Store one sent email (friendly draft) per address, plus an unsent one for the first."""
    ids: dict[str, int] = {}
    async with await Database.connect(url, migrate=True) as db, db.sessions.begin() as session:
        campaign = CampaignRow(name="Webhooks", channel="email", value_proposition="Faster CI.")
        session.add(campaign)
        await session.flush()
        for run_id in ("run-sent", "run-next"):
            session.add(RunRow(id=run_id, campaign_id=campaign.id, total=len(emails)))
        for n, address in enumerate(emails, start=1):
            lead = LeadRow(name=f"Lead {n}", email=address, company="Northwind", status="sent")
            session.add(lead)
            await session.flush()
            message = MessageRow(
                campaign_id=campaign.id,
                lead_id=lead.id,
                run_id="run-sent",
                variants=VARIANTS,
                selected_variant="friendly",
                status="sent",
                provider_message_id="sg-abc" if n == 1 else f"sg-{n}",
                email_message_id=f"<m{n}@brightpath.example>",
                sent_at=dt.datetime.now(dt.UTC),
            )
            session.add(message)
            await session.flush()
            await count_send(session, message, "friendly")
            ids[address] = message.id
        follow_up = MessageRow(
            campaign_id=campaign.id,
            lead_id=(await session.scalar(select(LeadRow.id).where(LeadRow.email == emails[0]))),
            run_id="run-next",
            sequence_step=1,  # the lead's next message in the campaign: its own step
            variants=VARIANTS,
            selected_variant="direct",
            status="approved",
        )
        session.add(follow_up)
        await session.flush()
        ids["follow_up"] = follow_up.id
        ids["campaign"] = campaign.id
    return ids


def seed(url: str, *emails: str) -> dict[str, int]:
    return asyncio.run(_seed(url, list(emails) or [MAYA]))


async def _stats(url: str, message_id: int) -> dict[str, Any]:
    async with await Database.connect(url) as db, db.sessions() as session:
        message = await session.get(MessageRow, message_id)
        assert message is not None
        stat = await session.get(VariantStatRow, (message_id, "friendly"))
        rollup = await session.get(CampaignToneStatRow, (message.campaign_id, "friendly"))
        lead = await session.get(LeadRow, message.lead_id)
        assert stat is not None and rollup is not None and lead is not None
        events = await session.scalar(
            select(func.count()).select_from(EventRow).where(EventRow.message_id == message_id)
        )
        return {
            "variant": {c: getattr(stat, c) for c in COUNTERS},
            "campaign": {c: getattr(rollup, c) for c in COUNTERS},
            "events": events,
            "suppressed": await suppression_reason(session, lead.email or ""),
        }


def stats(url: str, message_id: int) -> dict[str, Any]:
    return asyncio.run(_stats(url, message_id))


def counts(**counted: int) -> dict[str, int]:
    return {c: counted.get(c, 0) for c in COUNTERS}


def event(kind: str, message_id: int | None, n: int = 1, **extra: Any) -> dict[str, Any]:
    """A SendGrid event as the Event Webhook posts it (custom args at the top level)."""
    body = {
        "email": MAYA,
        "timestamp": int(time.time()),
        "event": kind,
        "sg_event_id": f"evt-{kind}-{message_id}-{n}",
        "sg_message_id": f"sg-{message_id}.filter0001.16648.5515E0B88.0",
        **extra,
    }
    if message_id is not None:
        body["outreach_message_id"] = str(message_id)
    return body


def post_events(
    client: httpx.Client, signer: WebhookSigner, events: Any, **headers: str
) -> httpx.Response:
    """POST signed events (or raw bytes), with a signature unless headers override it."""
    body = events if isinstance(events, bytes) else json.dumps(events).encode()
    signed = {"Content-Type": "application/json", **signer.headers(body), **headers}
    return client.post(EVENTS_URL, content=body, headers=signed)


def status_of(client: httpx.Client, message_id: int) -> str:
    response = client.get(f"/api/v1/messages/{message_id}")
    assert response.status_code == 200, response.text
    return str(response.json()["status"])


def test_signed_batch_moves_status_and_counts_each_kind_once(
    client: httpx.Client, signer: WebhookSigner, database_url: str
) -> None:
    message_id = seed(database_url)[MAYA]
    batch = [event(kind, message_id) for kind in ("delivered", "open", "click")]
    first = post_events(client, signer, batch)
    assert first.status_code == 200, first.text
    assert first.json() == {
        "received": 3, "applied": 3, "duplicates": 0, "unmatched": 0, "ignored": 0,
    }  # fmt: skip
    assert status_of(client, message_id) == "clicked"
    expected = counts(sent=1, delivered=1, opened=1, clicked=1)
    after = stats(database_url, message_id)
    assert after["variant"] == after["campaign"] == expected and after["events"] == 3
    # SendGrid retries the same request: nothing changes, and the response says why.
    replay = post_events(client, signer, batch)
    assert replay.status_code == 200
    assert replay.json()["applied"] == 0 and replay.json()["duplicates"] == 3
    assert stats(database_url, message_id) == after
    assert status_of(client, message_id) == "clicked"


def test_two_opens_are_one_unique_open_and_noise_is_ignored(
    client: httpx.Client, signer: WebhookSigner, database_url: str
) -> None:
    message_id = seed(database_url)[MAYA]
    batch = [
        event("processed", message_id),
        event("open", message_id, 1),
        event("open", message_id, 2),
        event("deferred", message_id),
    ]
    response = post_events(client, signer, batch)
    assert response.status_code == 200, response.text
    assert response.json() | {"received": 4, "applied": 2, "ignored": 2} == response.json()
    assert stats(database_url, message_id)["variant"] == counts(sent=1, opened=1)
    assert status_of(client, message_id) == "opened"


def test_requests_not_signed_by_sendgrid_are_refused(
    client: httpx.Client, signer: WebhookSigner, database_url: str
) -> None:
    message_id = seed(database_url)[MAYA]
    body = json.dumps([event("bounce", message_id)]).encode()
    unsigned = client.post(EVENTS_URL, content=body)
    other_body = json.dumps([event("delivered", message_id)]).encode()
    tampered = client.post(EVENTS_URL, content=body, headers=signer.headers(other_body))
    stale = client.post(
        EVENTS_URL, content=body, headers=signer.headers(body, str(int(time.time()) - 3600))
    )
    stranger = post_events(client, WebhookSigner(), [event("bounce", message_id)])
    for response in (unsigned, tampered, stale, stranger):
        assert response.status_code in (401, 403), response.text
        assert response.headers["content-type"].startswith("application/problem+json")
    assert "not signed" in unsigned.json()["detail"]
    assert status_of(client, message_id) == "sent"
    after = stats(database_url, message_id)
    assert after["events"] == 0 and after["suppressed"] is None


def test_the_replay_window_is_configurable_and_zero_turns_it_off(
    server_settings: Settings, api_key: str, signer: WebhookSigner, database_url: str
) -> None:
    message_id = seed(database_url)[MAYA]
    body = json.dumps([event("delivered", message_id)]).encode()
    day_old = signer.headers(body, str(int(time.time()) - 86_400))
    settings = server_settings.model_copy(
        update={"sendgrid_webhook_public_key": signer.public_key, "sendgrid_webhook_max_age_s": 0}
    )
    with LiveServer(create_app(settings)) as live, httpx.Client(base_url=live.base_url) as http:
        response = http.post(EVENTS_URL, content=body, headers=day_old)
    assert response.status_code == 200, response.text
    assert response.json()["applied"] == 1


def test_without_a_verification_key_the_event_webhook_is_unavailable(
    server_settings: Settings, api_key: str, signer: WebhookSigner
) -> None:
    app = create_app(server_settings, clock=lambda: DEMO_TODAY)
    with LiveServer(app) as live, httpx.Client(base_url=live.base_url) as http:
        response = post_events(http, signer, [])
    assert response.status_code == 503
    assert "OUTREACH_SENDGRID_WEBHOOK_PUBLIC_KEY" in response.json()["detail"]


def test_bounce_complaint_and_unsubscribe_suppress_the_address(
    client: httpx.Client, signer: WebhookSigner, database_url: str
) -> None:
    emails = ("a@one.example", "b@two.example", "c@three.example")
    ids = seed(database_url, *emails)
    bounce = event("bounce", ids[emails[0]], type="bounce", reason="550 5.1.1 no such user")
    batch = [bounce, event("spamreport", ids[emails[1]]), event("unsubscribe", ids[emails[2]])]
    response = post_events(client, signer, batch)
    assert response.status_code == 200 and response.json()["applied"] == 3, response.text
    for address, outcome in zip(emails, ("bounced", "complained", "unsubscribed"), strict=True):
        assert status_of(client, ids[address]) == outcome
        after = stats(database_url, ids[address])
        assert after["suppressed"] == outcome and after["variant"][outcome] == 1
    bounced = client.get(f"/api/v1/messages/{ids[emails[0]]}").json()
    assert bounced["delivery_error"] == "550 5.1.1 no such user"
    # The bounced lead's follow-up will not go out.
    assert status_of(client, ids["follow_up"]) == "stopped"


def test_events_for_unknown_messages_are_skipped_and_sg_message_id_matches(
    client: httpx.Client, signer: WebhookSigner, database_url: str
) -> None:
    message_id = seed(database_url)[MAYA]
    by_provider_id = event("delivered", None, sg_message_id="sg-abc.filter0425p1las1-2742-5.0")
    batch = [event("delivered", 987_654), event("open", None), by_provider_id]
    response = post_events(client, signer, batch)
    assert response.status_code == 200, response.text
    assert response.json() | {"unmatched": 2, "applied": 1} == response.json()
    assert status_of(client, message_id) == "delivered"


def test_a_large_batch_is_applied_in_one_go_with_repeats_inside_it_counted_once(
    client: httpx.Client, signer: WebhookSigner, database_url: str
) -> None:
    """More events and messages than one IN (...) list holds, with SendGrid repeating itself."""
    message_id = seed(database_url)[MAYA]
    strangers = [event("delivered", 500_000 + n) for n in range(1_100)]
    opens = [event("open", message_id, n) for n in range(1_200)]
    repeated = event("click", message_id)
    batch = [*strangers, *opens, repeated, event("delivered", message_id), repeated]
    response = post_events(client, signer, batch)
    assert response.status_code == 200, response.text
    assert response.json() == {
        "received": 2_303, "applied": 1_202, "duplicates": 1, "unmatched": 1_100, "ignored": 0,
    }  # fmt: skip
    after = stats(database_url, message_id)
    assert after["variant"] == after["campaign"] == counts(sent=1, delivered=1, opened=1, clicked=1)
    assert after["events"] == 1_202
    assert status_of(client, message_id) == "clicked"


def test_bodies_that_are_not_event_arrays_are_refused(
    client: httpx.Client, signer: WebhookSigner
) -> None:
    garbage = post_events(client, signer, b"{not json")
    not_a_list = post_events(client, signer, {"event": "open"})
    not_objects = post_events(client, signer, [1, 2])
    for response in (garbage, not_a_list, not_objects):
        assert response.status_code == 400, response.text
        assert response.headers["content-type"].startswith("application/problem+json")


def reply_headers(*, message_id: str, in_reply_to: str = "", extra: str = "") -> str:
    """The raw header block Inbound Parse posts in its `headers` field."""
    lines = [
        "Received: from mx.northwind-robotics.example by mx.sendgrid.net",
        f"Message-ID: {message_id}",
        f"From: Maya Okafor <{MAYA}>",
        "To: replies@brightpath.example",
        "Subject: Re: friendly hello",
        "Date: Tue, 03 Jun 2025 10:15:00 +0000",
    ]
    if in_reply_to:
        lines += [f"In-Reply-To: {in_reply_to}", f"References: {in_reply_to}"]
    return "\n".join(lines) + "\n" + extra


def post_reply(client: httpx.Client, headers: str, **fields: str) -> httpx.Response:
    data = {
        "headers": headers,
        "from": f"Maya Okafor <{MAYA}>",
        "to": "replies@brightpath.example",
        "subject": "Re: friendly hello",
        "text": "Sounds good, let's talk Thursday.",
        "envelope": json.dumps({"to": ["replies@brightpath.example"], "from": MAYA}),
        "attachments": "1",
        **fields,
    }
    files = {"attachment1": ("note.txt", b"see you", "text/plain")}  # multipart, as SendGrid
    return client.post(INBOUND_URL, data=data, files=files)


def test_a_reply_is_recorded_once_and_stops_the_leads_other_messages(
    client: httpx.Client, database_url: str
) -> None:
    ids = seed(database_url)
    headers = reply_headers(
        message_id="<r1@northwind.example>", in_reply_to="<m1@brightpath.example>"
    )
    response = post_reply(client, headers)
    assert response.status_code == 200, response.text
    assert response.json() == {"matched": True, "message_id": ids[MAYA], "recorded": "replied"}
    assert status_of(client, ids[MAYA]) == "replied"
    assert status_of(client, ids["follow_up"]) == "stopped"
    after = stats(database_url, ids[MAYA])
    assert after["variant"]["replied"] == 1 and after["campaign"]["replied"] == 1
    again = post_reply(client, headers)
    assert again.json()["recorded"] == "duplicate"
    assert stats(database_url, ids[MAYA]) == after


def test_an_out_of_office_reply_is_not_a_reply_and_holds_what_is_written_until_she_is_back(
    client: httpx.Client, database_url: str
) -> None:
    ids = seed(database_url)
    headers = reply_headers(
        message_id="<ooo@northwind.example>",
        in_reply_to="<m1@brightpath.example>",
        extra="Auto-Submitted: auto-replied\n",
    )
    # Received Tuesday 3 June 2025: back Monday the 9th, so nothing goes before Tuesday the 10th.
    response = post_reply(client, headers, text="I am out of the office until Monday.")
    assert response.status_code == 200, response.text
    assert response.json()["recorded"] == "auto_reply"
    assert status_of(client, ids[MAYA]) == "sent"
    follow_up = client.get(f"/api/v1/messages/{ids['follow_up']}").json()
    assert follow_up["status"] == "approved"  # still to send, not before she is back
    assert follow_up["scheduled_for"].startswith("2025-06-10")
    after = stats(database_url, ids[MAYA])
    assert after["variant"]["replied"] == 0 and after["events"] == 1


def test_unmatched_replies_answer_200_and_plus_addresses_match_the_lead(
    client: httpx.Client, database_url: str
) -> None:
    ids = seed(database_url)
    stranger = post_reply(
        client, reply_headers(message_id="<x@else.example>", in_reply_to="<nope@else.example>")
    )
    assert stranger.status_code == 200 and stranger.json() == {
        "matched": False, "message_id": None, "recorded": None,
    }  # fmt: skip
    plus_to = f"replies+{ids[MAYA]}@brightpath.example"
    spoofed = post_reply(
        client,
        reply_headers(message_id="<y@else.example>"),
        to=plus_to,
        **{"from": "someone@else.example"},
    )
    assert spoofed.json()["matched"] is False  # the token alone is guessable
    assert status_of(client, ids[MAYA]) == "sent"
    from_lead = post_reply(client, reply_headers(message_id="<z@northwind.example>"), to=plus_to)
    assert from_lead.json()["recorded"] == "replied"
    assert status_of(client, ids[MAYA]) == "replied"
    assert client.post(INBOUND_URL, data={"to": "x"}).status_code == 400
