"""Defects a review of the reply actions reproduced, each through the path a user takes: a
referral must not switch a paused campaign back on; a reply never undoes won or a booked
meeting; an erased person is never re-created by a referral; a failed first step keeps the
referral fact; the report survives replies outnumbering recorded deliveries; a malformed header
in raw mode is no 5xx; a Date header in the future is not believed."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from agent.runs.background import lead_from_row
from agent.runs.results import internal_error_record
from agent.settings import Settings
from storage.database import Database
from storage.models import CampaignRow, EventRow, FactRow, LeadRow
from storage.outcomes import save_outcome
from storage.runs import ensure_run
from storage.suppressions import suppress
from tests.server.test_reply_actions_api import (
    INBOUND_URL,
    PEOPLE,
    _referrals,
    _seed,
    lead_state,
    post_reply,
)

REFERRAL = (
    "Thanks Alex, I'm not the right person for this. Please talk to Ana Ruiz "
    "(ana.ruiz@northwind-robotics.example), she runs our platform team."
)


@pytest.fixture
def people(database_url: str, server_settings: Settings) -> dict[str, int]:
    return asyncio.run(_seed(database_url, server_settings))


def campaign_id(client: httpx.Client) -> int:
    return int(client.get("/api/v1/campaigns").json()["items"][0]["id"])


def test_a_referral_to_a_paused_campaign_leaves_it_paused(
    client: httpx.Client, database_url: str, people: dict[str, int]
) -> None:
    paused = client.post(f"/api/v1/campaigns/{campaign_id(client)}/sequence/pause")
    assert paused.status_code == 200, paused.text
    post_reply(client, "maya", REFERRAL, reply_id="ref")
    assert client.get(f"/api/v1/campaigns/{campaign_id(client)}").json()["status"] == "paused"
    [ana] = asyncio.run(_referrals(database_url))
    assert not ana["enrolled"]  # waits for a person
    priya = lead_state(database_url, people["priya"])
    assert priya["steps"][2][0] == "paused"  # nobody else was switched back on


def test_a_later_reply_never_undoes_won(
    client: httpx.Client, database_url: str, people: dict[str, int]
) -> None:
    client.patch(f"/api/v1/leads/{people['priya']}/stage", json={"stage": "won"})
    post_reply(client, "priya", "Quick question: does it work with GitLab?", reply_id="q")
    assert client.get(f"/api/v1/leads/{people['priya']}").json()["stage"] == "won"


async def _erase_ana(url: str) -> None:
    async with await Database.connect(url) as db, db.sessions.begin() as session:
        await suppress(session, address="ana.ruiz@northwind-robotics.example", reason="erased")


def test_a_referral_never_recreates_an_erased_person(
    client: httpx.Client, database_url: str, people: dict[str, int]
) -> None:
    asyncio.run(_erase_ana(database_url))
    assert post_reply(client, "maya", REFERRAL, reply_id="ref")["recorded"] == "replied"
    assert asyncio.run(_referrals(database_url)) == []
    [(_, payload)] = lead_state(database_url, people["maya"])["events"]
    assert any("suppressed (erased)" in action for action in payload["actions"])


async def _fail_first_step(url: str) -> list[tuple[str, str]]:
    """What the step runner stores when the pipeline raises on the referral's first step."""
    async with await Database.connect(url) as db:
        async with db.sessions.begin() as session:
            ana = await session.scalar(select(LeadRow).where(LeadRow.source.like("referral%")))
            campaign = await session.scalar(select(CampaignRow))
            assert ana is not None and campaign is not None
            run_id = f"seq-{campaign.id}-step-1"
            await ensure_run(session, run_id=run_id, campaign_id=campaign.id, options={})
            lead = lead_from_row(ana).model_dump(exclude_none=True)
            record = internal_error_record(1, lead, "APIConnectionError: down", provider="x")
            record["thread_id"], record["lead_id"] = f"t:{ana.id}", ana.id
            await save_outcome(session, run_id=run_id, campaign=campaign, record=record, step=0)
        async with db.sessions() as session:
            rows = await session.scalars(select(FactRow).where(FactRow.lead_id == ana.id))
            return [(row.kind, row.text) for row in rows]


def test_a_failed_first_step_keeps_the_referral_fact(
    client: httpx.Client, database_url: str, people: dict[str, int]
) -> None:
    post_reply(client, "maya", REFERRAL, reply_id="ref")
    assert asyncio.run(_fail_first_step(database_url)) == [
        ("referral", "Maya Okafor suggested I reach out to Ana Ruiz.")
    ]


def test_the_report_holds_when_replies_outnumber_recorded_deliveries(
    client: httpx.Client, people: dict[str, int]
) -> None:
    for who in ("maya", "priya"):  # no delivery event was ever recorded
        post_reply(client, who, "Could we talk Thursday?", reply_id=f"r-{who}")
    report = client.get(f"/api/v1/campaigns/{campaign_id(client)}/analytics")
    assert report.status_code == 200, report.text
    assert report.json()["replies"]["positive_reply_rate"] == 100.0


@pytest.mark.parametrize(
    "header",
    ["Cc: .<text/plain]]::.", "Reply-To: :)%=?x-bad?q?;>", "Resent-From: =?utf-8?q?>a ,b@"],
)
def test_a_malformed_header_in_raw_mode_is_read_not_a_5xx(
    client: httpx.Client, database_url: str, people: dict[str, int], header: str
) -> None:
    name, email, _ = PEOPLE["maya"]
    raw = (
        f"Message-ID: <odd@mail.example>\nFrom: {name} <{email}>\nTo: replies@brightpath.example\n"
        "Subject: =?utf-8?q?Re:_CI_=E2=9C=93?=\nIn-Reply-To: <first-maya@brightpath.example>\n"
        f"{header}\nContent-Type: text/plain; charset=utf-8\n\nSounds good, tell me more.\n"
    )
    response = client.post(INBOUND_URL, files={"email": (None, raw), "from": (None, email)})
    assert response.status_code == 200, response.text
    assert response.json()["recorded"] == "replied"
    [(_, payload)] = lead_state(database_url, people["maya"])["events"]
    assert payload["subject"] == "Re: CI ✓"


async def _event_times(url: str) -> list[Any]:
    async with await Database.connect(url) as db, db.sessions() as session:
        return list(await session.scalars(select(EventRow.occurred_at)))


def test_a_date_header_in_the_future_is_not_believed(
    client: httpx.Client, database_url: str, people: dict[str, int]
) -> None:
    name, email, _ = PEOPLE["maya"]
    headers = (
        f"Message-ID: <future@mail.example>\nFrom: {name} <{email}>\n"
        "To: replies@brightpath.example\nSubject: Re: CI\nDate: Fri, 20 Dec 2030 09:00:00 +0000\n"
        "In-Reply-To: <first-maya@brightpath.example>\n"
    )
    response = client.post(
        INBOUND_URL, files={"headers": (None, headers), "text": (None, REFERRAL)}
    )
    assert response.status_code == 200, response.text
    [when] = asyncio.run(_event_times(database_url))
    assert when.year == 2026  # the server's clock (the demo's day), not 2030


def test_a_lead_on_a_sequence_can_be_erased_on_every_database(
    client: httpx.Client, database_url: str, people: dict[str, int]
) -> None:
    """GDPR erasure of a lead whose sent step points at its message (a 500 on PostgreSQL)."""
    post_reply(client, "maya", REFERRAL, reply_id="ref")  # events, a referral, a stopped step
    erased = client.delete(f"/api/v1/leads/{people['maya']}")
    assert erased.status_code == 200, erased.text
    assert client.get(f"/api/v1/leads/{people['maya']}").status_code == 404
