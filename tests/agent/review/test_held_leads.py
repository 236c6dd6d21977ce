"""Held leads: a lead whose pipeline failed waits for a person, who can regenerate or reject it."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from rich.console import Console

from agent.cli.review import render_item
from agent.leads.files import read_leads
from agent.review.queue import ReviewError, act, list_pending, show_item
from agent.runs.batch import run_batch
from agent.runs.durable_pipeline import open_durable_pipeline
from agent.runs.store import RunStore
from agent.settings import Settings
from graphs.lead import Campaign
from graphs.review_log import ReviewAction
from storage.database import Database
from storage.models import MessageRow
from tests.conftest import EXAMPLES, NOW
from tests.fakes.failing_step import FailingDecide

MAYA = "maya.okafor@northwind-robotics.example"
JONAS = "jonas.weber@quietpeak.example"


def sent_to(settings: Settings) -> list[str]:
    path = settings.data_dir / "outbox.jsonl"
    lines = path.read_text().splitlines() if path.exists() else []
    return [json.loads(line)["to"] for line in lines]


async def stored(settings: Settings, message_id: int) -> MessageRow:
    async with await Database.connect(settings.database_url or "") as db, db.sessions() as session:
        message = await session.get(MessageRow, message_id)
        assert message is not None
        return message


async def review(settings: Settings, message_id: int, **fields: Any) -> Any:
    version = fields.pop("version", None)
    return await act(
        settings,
        message_id,
        ReviewAction(reviewer="dana", **fields),
        expected_version=version,
        clock=lambda: NOW,
    )


@pytest.fixture
async def held(
    offline_settings: Callable[..., Settings], campaign: Campaign, monkeypatch: pytest.MonkeyPatch
) -> tuple[Settings, FailingDecide, dict[str, int]]:
    """The demo leads run with auto-send on while Maya's and Jonas's decide step fails."""
    settings = offline_settings(auto_send=True)
    failing = FailingDecide(monkeypatch, "Maya Okafor", "Jonas Weber")
    async with open_durable_pipeline(settings, migrate=True, clock=lambda: NOW) as (db, pipeline):
        store = await RunStore.start(
            db, campaign=campaign, run_id=pipeline.context.run_id, total=8, options={}
        )
        await run_batch(
            pipeline, read_leads(EXAMPLES / "leads.csv"), campaign, concurrency=4, store=store.save
        )
        await store.close("completed")
    pending = {item.lead: item.id for item in await list_pending(settings)}
    return settings, failing, pending


async def test_a_failed_lead_is_held_with_a_reason_a_reviewer_can_act_on(
    held: tuple[Settings, FailingDecide, dict[str, int]],
) -> None:
    settings, failing, pending = held
    assert failing.failures == 2
    # The other sendable leads went out; the two failed ones wait, and nothing of theirs left.
    assert MAYA not in sent_to(settings) and JONAS not in sent_to(settings)
    assert len(sent_to(settings)) == 2
    item = await show_item(settings, pending["Maya Okafor"])
    assert not item["paused"]
    assert item["lead"]["name"] == "Maya Okafor" and item["lead"]["company"]
    assert item["campaign"] and item["channel"] == "email"
    assert item["reason"].startswith("held for a person: the pipeline could not finish this lead")
    assert "RuntimeError: the decision service is unavailable" in item["reason"]
    assert "regenerate it to run it again, or reject it" in item["reason"]
    console = Console(record=True, width=200)
    render_item(console, item)
    shown = console.export_text()
    assert "Maya Okafor at Northwind Robotics" in shown and "? at ?" not in shown

    # There are no paused drafts to approve or edit: refused, and the message is untouched.
    before = await stored(settings, pending["Maya Okafor"])
    with pytest.raises(ReviewError, match="has no paused drafts to approve"):
        await review(settings, pending["Maya Okafor"], action="approve")
    with pytest.raises(ReviewError, match="has no paused drafts to edit"):
        await review(settings, pending["Maya Okafor"], action="edit", subject="Hi", body="Hello")
    after = await stored(settings, pending["Maya Okafor"])
    assert (after.status, after.version, after.reason) == ("queued", before.version, before.reason)


async def test_regenerating_a_held_lead_runs_it_on_and_its_drafts_wait_for_approval(
    held: tuple[Settings, FailingDecide, dict[str, int]],
) -> None:
    settings, failing, pending = held
    maya = pending["Maya Okafor"]
    # Still failing: the lead stays held, with its reason, and can be tried again later.
    with pytest.raises(ReviewError, match=r"could not be run again .*it stays held"):
        await review(settings, maya, action="regenerate", instruction="shorter")
    still = await stored(settings, maya)
    assert still.status == "queued" and still.reason.startswith("held for a person")

    failing.repair()
    result = await review(settings, maya, action="regenerate", instruction="mention the pilot")
    message = await stored(settings, maya)
    # It ran on from its checkpoint; a person asked, so what came out waits for them.
    assert result.status == "queued" and message.status == "queued"
    assert not message.reason.startswith("held for a person")
    assert [v["tone"] for v in message.variants] == ["professional", "friendly", "direct"]
    assert all("Maya" in v["body"] for v in message.variants)
    assert MAYA not in sent_to(settings)
    assert [r["action"] for r in message.reviews] == ["regenerate"]
    assert (await show_item(settings, maya))["paused"]

    approved = await review(settings, maya, action="approve", version=message.version)
    assert approved.status == "sent"
    assert sent_to(settings).count(MAYA) == 1
    assert [r["action"] for r in (await stored(settings, maya)).reviews] == [
        "regenerate",
        "approve",
    ]


async def test_rejecting_a_held_lead_ends_it_without_sending(
    held: tuple[Settings, FailingDecide, dict[str, int]],
) -> None:
    settings, _, pending = held
    jonas = pending["Jonas Weber"]
    result = await review(settings, jonas, action="reject", reason="already a customer")
    message = await stored(settings, jonas)
    assert result.status == message.status == "rejected"
    assert message.reason == "rejected by dana: already a customer"
    assert [r["action"] for r in message.reviews] == ["reject"]
    assert JONAS not in sent_to(settings)
    with pytest.raises(ReviewError, match="not waiting for review"):
        await review(settings, jonas, action="regenerate", instruction="shorter")
    assert jonas not in {item.id for item in await list_pending(settings)}
