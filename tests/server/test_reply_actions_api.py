"""Replies through SendGrid Inbound Parse, end to end: the classifier reads each one and the agent
acts on it. An out-of-office holds the lead's next step until the first business day after the
return date; a referral becomes a new lead (the referrer recorded as a fact) enrolled in the
campaign's sequence, never twice; an opt-out in words suppresses; interest marks the lead and
stops its sequence. Each verdict and what was done sits on the reply event."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from typing import Any

import httpx
import pytest
import yaml
from pydantic import SecretStr
from sqlalchemy import select

from agent.campaigns.spec import CampaignSpec
from agent.campaigns.stored import store_spec
from agent.leads.store import store_leads
from agent.sequences.enrollment import enroll_leads
from agent.settings import Settings
from graphs.lead import Campaign, Lead
from storage.database import Database
from storage.models import EventRow, FactRow, LeadRow, MessageRow, RunRow
from storage.sequence_models import SequenceEnrollmentRow, SequenceStepRow
from storage.suppressions import suppression_reason
from tests.conftest import EXAMPLES
from tests.fakes.openai_stub import Completion, OpenAIStub
from tests.server.api_helpers import api_client, live_api

INBOUND_URL = "/api/v1/webhooks/inbound"
SENT = dt.datetime(2026, 11, 16, 15, 0, tzinfo=dt.UTC)  # Monday, before the demo's day
REPLIED = "Wed, 18 Nov 2026 09:30:00 +0000"  # the server's clock is the demo's day, the 22nd
PEOPLE = {
    "maya": ("Maya Okafor", "maya.okafor@northwind-robotics.example", "Northwind Robotics"),
    "priya": ("Priya Natarajan", "priya@copperleaf-health.example", "Copperleaf Health"),
}


async def _seed(url: str, settings: Settings, *, booking_url: str | None = None) -> dict[str, int]:
    """Each person got the sequence's first email (sent Monday); step 2 is due on Thursday."""
    data: dict[str, Any] = yaml.safe_load((EXAMPLES / "sequence-campaign.yaml").read_text())
    data["target_audience"] = data.pop("target")
    if booking_url:
        data["sender"]["booking_url"] = booking_url
    async with await Database.connect(url, migrate=True) as db:
        leads = [
            Lead(
                name=name,
                email=email,
                company=company,
                company_url=f"https://{email.split('@')[1]}",
            )
            for name, email, company in PEOPLE.values()
        ]
        ids = await store_leads(db, leads)
        async with db.sessions.begin() as session:
            campaign = await store_spec(session, CampaignSpec.model_validate(data))
            await enroll_leads(session, campaign, ids, settings=settings, now=SENT)
            session.add(RunRow(id="seq-step-1", campaign_id=campaign.id, total=len(ids)))
            await session.flush()
            for key, lead_id in zip(PEOPLE, ids, strict=True):
                message = MessageRow(
                    campaign_id=campaign.id, lead_id=lead_id, run_id="seq-step-1", status="sent",
                    variants=[{"tone": "friendly", "subject": "CI", "body": "Hello."}],
                    selected_variant="friendly", sent_at=SENT,
                    email_message_id=f"<first-{key}@brightpath.example>",
                )  # fmt: skip
                session.add(message)
                await session.flush()
                step = await session.scalar(
                    select(SequenceStepRow).where(SequenceStepRow.lead_id == lead_id)
                )
                assert step is not None
                step.status, step.message_id, step.advanced = "sent", message.id, True
                step.finished_at = SENT
                session.add(
                    SequenceStepRow(
                        enrollment_id=step.enrollment_id, campaign_id=campaign.id,
                        lead_id=lead_id, step=2, kind="soft_nudge", channel="email",
                        status="scheduled", due_at=dt.datetime(2026, 11, 19, 14, tzinfo=dt.UTC),
                    )
                )  # fmt: skip
    return dict(zip(PEOPLE, ids, strict=True))


def post_reply(
    client: httpx.Client, who: str, text: str, *, reply_id: str, extra: str = ""
) -> dict[str, Any]:
    name, email, _ = PEOPLE[who]
    headers = (
        f"Message-ID: <{reply_id}@mail.example>\nFrom: {name} <{email}>\n"
        f"To: replies@brightpath.example\nSubject: Re: CI\nDate: {REPLIED}\n"
        f"In-Reply-To: <first-{who}@brightpath.example>\n" + extra
    )
    response = client.post(
        INBOUND_URL,
        files={"headers": (None, headers), "text": (None, text), "from": (None, email),
               "to": (None, "replies@brightpath.example"), "subject": (None, "Re: CI")},
    )  # fmt: skip
    assert response.status_code == 200, response.text
    return dict(response.json())


async def _lead_state(url: str, lead_id: int) -> dict[str, Any]:
    async with await Database.connect(url) as db, db.sessions() as session:
        lead = await session.get(LeadRow, lead_id)
        assert lead is not None
        steps = list(
            await session.scalars(
                select(SequenceStepRow)
                .where(SequenceStepRow.lead_id == lead_id)
                .order_by(SequenceStepRow.step)
            )
        )
        events = list(
            await session.scalars(
                select(EventRow)
                .join(MessageRow, MessageRow.id == EventRow.message_id)
                .where(MessageRow.lead_id == lead_id)
                .order_by(EventRow.id)
            )
        )
        return {
            "status": lead.status,
            "steps": {s.step: (s.status, s.due_at.replace(tzinfo=dt.UTC)) for s in steps},
            "events": [(e.type, e.payload) for e in events],
            "suppressed": await suppression_reason(session, lead.email or ""),
        }


def lead_state(url: str, lead_id: int) -> dict[str, Any]:
    return asyncio.run(_lead_state(url, lead_id))


async def _referrals(url: str) -> list[dict[str, Any]]:
    async with await Database.connect(url) as db, db.sessions() as session:
        found = []
        for lead in await session.scalars(select(LeadRow).where(LeadRow.source.like("referral%"))):
            facts = list(await session.scalars(select(FactRow).where(FactRow.lead_id == lead.id)))
            enrolled = await session.scalar(
                select(SequenceEnrollmentRow).where(SequenceEnrollmentRow.lead_id == lead.id)
            )
            first = await session.scalar(
                select(SequenceStepRow).where(SequenceStepRow.lead_id == lead.id)
            )
            found.append(
                {
                    "name": lead.name,
                    "email": lead.email,
                    "company": lead.company,
                    "facts": [(f.kind, f.text) for f in facts],
                    "enrolled": enrolled is not None and enrolled.status == "active",
                    "first step": first.status if first is not None else None,
                }
            )
        return found


@pytest.fixture
def people(database_url: str, server_settings: Settings) -> dict[str, int]:
    return asyncio.run(_seed(database_url, server_settings))


def test_an_out_of_office_holds_the_next_step_until_the_day_after_she_is_back(
    client: httpx.Client, database_url: str, people: dict[str, int]
) -> None:
    text = (
        "Thank you for your email. I am out of the office until Monday 14 December with "
        "limited access to email. For urgent matters please contact Ana Ruiz "
        "(ana.ruiz@northwind-robotics.example)."
    )
    got = post_reply(client, "maya", text, reply_id="ooo", extra="Auto-Submitted: auto-replied\n")
    assert got["recorded"] == "auto_reply"
    maya = lead_state(database_url, people["maya"])
    status, due = maya["steps"][2]
    assert status == "scheduled"  # the sequence goes on, later
    assert due.date() == dt.date(2026, 12, 15)  # back on the 14th: Tuesday the 15th
    [(kind, payload)] = maya["events"]
    assert (kind, payload["intent"], payload["return_date"]) == (
        "auto_reply", "out_of_office", "2026-12-14",
    )  # fmt: skip
    assert payload["referral"]["email"] == "ana.ruiz@northwind-robotics.example"
    assert any("2026-12-15" in action for action in payload["actions"])
    assert asyncio.run(_referrals(database_url)) == []  # the cover is offered, not contacted


def test_a_referral_becomes_a_new_lead_on_the_sequence_once(
    client: httpx.Client, database_url: str, people: dict[str, int]
) -> None:
    text = (
        "Thanks Alex, I'm not the right person for this. Please talk to Ana Ruiz "
        "(ana.ruiz@northwind-robotics.example), she runs our platform team."
    )
    got = post_reply(client, "maya", text, reply_id="ref")
    assert got["recorded"] == "replied"
    again = post_reply(client, "maya", text, reply_id="ref")  # SendGrid retries
    assert again["recorded"] == "duplicate"
    other = post_reply(client, "maya", "As I said: Ana Ruiz is your person.", reply_id="ref2")
    assert other["recorded"] == "replied"
    [ana] = asyncio.run(_referrals(database_url))
    assert ana["email"] == "ana.ruiz@northwind-robotics.example"
    assert ana["company"] == "Northwind Robotics"
    assert ("referral", "Maya Okafor suggested I reach out to Ana Ruiz.") in ana["facts"]
    assert ana["enrolled"] and ana["first step"] == "scheduled"
    maya = lead_state(database_url, people["maya"])
    assert maya["steps"][2][0] == "stopped"  # Maya herself hears nothing more
    first_payload = maya["events"][0][1]
    assert first_payload["intent"] == "referral"
    assert any("new lead" in action for action in first_payload["actions"])


def test_an_opt_out_in_german_suppresses_and_interest_marks_the_lead(
    client: httpx.Client, database_url: str, people: dict[str, int]
) -> None:
    out = post_reply(
        client, "maya", "Bitte entfernen Sie mich aus Ihrem Verteiler.", reply_id="weg"
    )
    assert out["recorded"] == "unsubscribed"
    maya = lead_state(database_url, people["maya"])
    assert maya["suppressed"] == "unsubscribed" and maya["status"] == "unsubscribed"
    assert maya["steps"][2][0] == "stopped"

    keen = post_reply(
        client, "priya", "This is timely, we are fighting flaky tests. Could we talk Thursday?",
        reply_id="keen",
    )  # fmt: skip
    assert keen["recorded"] == "replied"
    priya = lead_state(database_url, people["priya"])
    assert priya["status"] == "interested" and priya["suppressed"] is None
    assert priya["steps"][2][0] == "stopped"
    [(_, payload)] = priya["events"]
    assert payload["intent"] in ("interested", "meeting_request", "question")
    assert any("marked interested" in action for action in payload["actions"])
    assert any("draft answer waits" in action for action in payload["actions"])


def test_stages_follow_replies_and_people_set_the_rest(
    client: httpx.Client, database_url: str, people: dict[str, int]
) -> None:
    def stage(lead_id: int) -> str:
        response = client.get(f"/api/v1/leads/{lead_id}")
        assert response.status_code == 200, response.text
        return str(response.json()["stage"])

    assert stage(people["maya"]) == stage(people["priya"]) == "contacted"
    post_reply(client, "priya", "Yes, interested. Can we set up a call next week?", reply_id="y")
    post_reply(client, "maya", "Not interested, we already use Buildkite for this.", reply_id="n")
    assert stage(people["priya"]) == "interested" and stage(people["maya"]) == "replied"
    keen = client.get("/api/v1/leads", params={"stage": "interested"}).json()["items"]
    assert [lead["id"] for lead in keen] == [people["priya"]]

    post_reply(client, "priya", "Thanks, talk then.", reply_id="y2")  # a later reply
    assert stage(people["priya"]) == "interested"  # does not undo the interest
    won = client.patch(f"/api/v1/leads/{people['priya']}/stage", json={"stage": "won"})
    assert won.status_code == 200 and won.json()["stage"] == "won"
    bad = client.patch(f"/api/v1/leads/{people['priya']}/stage", json={"stage": "contacted"})
    assert bad.status_code == 422  # only meeting_booked, won and lost are set by people
    missing = client.patch("/api/v1/leads/999999/stage", json={"stage": "lost"})
    assert missing.status_code == 404

    post_reply(client, "maya", "Please unsubscribe me.", reply_id="u")
    assert stage(people["maya"]) == "unsubscribed"
    refused = client.patch(f"/api/v1/leads/{people['maya']}/stage", json={"stage": "lost"})
    assert refused.status_code == 409 and "unsubscribed" in refused.json()["detail"]


def test_the_report_counts_what_replies_said_and_can_compare_tones_on_positive_replies(
    client: httpx.Client, database_url: str, people: dict[str, int]
) -> None:
    post_reply(client, "priya", "Yes, interested. Can we set up a call next week?", reply_id="y")
    post_reply(client, "maya", "Not interested, we already use Buildkite for this.", reply_id="n")
    campaign_id = client.get("/api/v1/campaigns").json()["items"][0]["id"]
    report = client.get(f"/api/v1/campaigns/{campaign_id}/analytics").json()
    replies = report["replies"]
    assert replies["replied"] == 2 and replies["positive_replies"] == 1
    assert replies["reasons"]["not_interested"] == {"has_solution": 1}
    assert report["lead_stages"]["interested"] == 1 and report["lead_stages"]["replied"] == 1
    assert report["ab_testing"]["primary_metric"] == "reply_rate"
    positive = client.get(
        f"/api/v1/campaigns/{campaign_id}/analytics", params={"metric": "positive_reply_rate"}
    ).json()
    assert positive["ab_testing"]["primary_metric"] == "positive_reply_rate"
    [arm] = positive["ab_testing"]["variants"]  # every first email went out friendly
    assert arm["replied"] == 1  # only Priya's reply was positive
    refused = client.get(f"/api/v1/campaigns/{campaign_id}/analytics", params={"metric": "opens"})
    assert refused.status_code == 422


def with_model(settings: Settings, stub: OpenAIStub) -> Settings:
    """The server's settings with the openai provider pointed at the local stub."""
    return settings.model_copy(
        update={
            "llm_provider": "openai",
            "llm_base_url": stub.base_url,
            "llm_api_key": SecretStr("test-key"),
            "llm_max_retries": 0,
        }
    )


def test_with_a_model_what_the_rules_leave_open_is_read_by_it(
    stub: OpenAIStub,
    server_settings: Settings,
    api_key: str,
    campaign: Campaign,
    database_url: str,
) -> None:
    """The openai provider, over real HTTP to the local stub: the model reads the reply the
    rules could not decide, and its verdict (checked against the reply) drives the actions."""
    settings = with_model(server_settings, stub)
    people = asyncio.run(_seed(database_url, settings))
    stub.enqueue(
        Completion(
            json.dumps(
                {
                    "intent": "objection",
                    "reason": "has_solution",
                    "confidence": 0.88,
                    "evidence": "We've got Datafold covering most of this already.",
                }
            )
        )
    )
    with live_api(settings, campaign) as base_url, api_client(base_url, api_key) as http:
        got = post_reply(
            http, "maya", "We've got Datafold covering most of this already.", reply_id="m"
        )
    assert got["recorded"] == "replied"
    [(_, payload)] = lead_state(database_url, people["maya"])["events"]
    assert (payload["intent"], payload["intent_reason"], payload["layer"]) == (
        "objection", "has_solution", "model",
    )  # fmt: skip
    assert payload["needs_person"] is False
    assert len(stub.requests) == 1


async def _segment(url: str) -> None:
    async with await Database.connect(url) as db, db.sessions.begin() as session:
        for lead in await session.scalars(select(LeadRow)):
            lead.extra = (
                {**(lead.extra or {}), "segment": "robotics"}
                if "Northwind" in (lead.company)
                else {**(lead.extra or {}), "segment": "health"}
            )


def test_positive_replies_and_meeting_requests_per_segment_and_step(
    client: httpx.Client, database_url: str, people: dict[str, int]
) -> None:
    asyncio.run(_segment(database_url))
    post_reply(client, "priya", "Could we talk Thursday?", reply_id="meet")
    post_reply(client, "maya", "Not interested, we already use Buildkite for this.", reply_id="n")
    campaign_id = client.get("/api/v1/campaigns").json()["items"][0]["id"]
    report = client.get(f"/api/v1/campaigns/{campaign_id}/analytics").json()
    segments = {row["segment"]: row for row in report["segments"]}
    assert (segments["health"]["sent"], segments["health"]["meeting_requests"]) == (1, 1)
    assert segments["health"]["positive_reply_rate"] == 100.0
    assert (segments["robotics"]["replied"], segments["robotics"]["positive_replies"]) == (1, 0)
    first = report["sequence"]["steps"][0]
    assert (first["replied"], first["positive_replies"], first["meeting_requests"]) == (2, 1, 1)
    assert first["positive_reply_rate"] == 50.0


def test_with_a_model_unmatched_or_repeated_replies_cost_no_call_and_it_cannot_bounce(
    stub: OpenAIStub,
    server_settings: Settings,
    api_key: str,
    campaign: Campaign,
    database_url: str,
) -> None:
    """The Inbound Parse URL cannot be signed: a stranger's post or SendGrid's retry must not
    spend model calls; and a bounce only a delivery report can show, never the model."""
    settings = with_model(server_settings, stub)
    people = asyncio.run(_seed(database_url, settings))
    stub.enqueue(
        Completion(
            json.dumps(
                {"intent": "bounce", "confidence": 0.9, "evidence": "My mailbox is full of this."}
            )
        )
    )
    with live_api(settings, campaign) as base_url, api_client(base_url, api_key) as http:
        stranger = http.post(
            INBOUND_URL,
            files={"headers": (None, "Message-ID: <s@x.example>\nFrom: x@x.example\n"),
                   "text": (None, "My mailbox is full of this.")},
        )  # fmt: skip
        assert stranger.json()["matched"] is False and stub.requests == []
        got = post_reply(http, "maya", "My mailbox is full of this.", reply_id="full")
        again = post_reply(http, "maya", "My mailbox is full of this.", reply_id="full")
    assert (got["recorded"], again["recorded"]) == ("replied", "duplicate")
    assert len(stub.requests) == 1  # the retry was not read again
    maya = lead_state(database_url, people["maya"])
    assert maya["suppressed"] is None and maya["status"] == "replied"
    [(_, payload)] = maya["events"]
    assert payload["needs_person"] is True and payload["intent"] == "other"


def test_a_message_counts_by_its_most_telling_reply_everywhere(
    client: httpx.Client, database_url: str, people: dict[str, int]
) -> None:
    """A question first, then a meeting request: the campaign, its segments and the step
    agree that the message got a positive reply."""
    post_reply(client, "priya", "Does it work with GitLab?", reply_id="q")
    post_reply(client, "priya", "Could we talk Thursday?", reply_id="m")
    campaign_id = client.get("/api/v1/campaigns").json()["items"][0]["id"]
    report = client.get(f"/api/v1/campaigns/{campaign_id}/analytics").json()
    replies, first = report["replies"], report["sequence"]["steps"][0]
    assert (replies["replied"], replies["positive_replies"], replies["meeting_requests"]) == (
        1, 1, 1,
    )  # fmt: skip
    assert (first["positive_replies"], first["meeting_requests"]) == (1, 1)
    assert sum(row["positive_replies"] for row in report["segments"]) == 1
