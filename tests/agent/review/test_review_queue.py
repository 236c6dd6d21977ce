"""The review queue: each action resumes the paused graph and lands in the outbox and database."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from agent.leads.files import read_leads
from agent.review.queue import ReviewError, act, list_pending, show_item
from agent.runs.batch import run_batch
from agent.runs.durable_pipeline import open_durable_pipeline
from agent.runs.store import RunStore
from agent.settings import Settings
from graphs.lead import Campaign
from graphs.review_log import ReviewAction
from storage.database import Database
from storage.models import (
    CampaignRow,
    CampaignToneStatRow,
    EventRow,
    MessageRow,
    RunRow,
    VariantStatRow,
)
from tests.agent.runs.test_durable_runs import DiesAfterTheProviderAccepts, ProcessDied
from tests.conftest import EXAMPLES, NOW
from tests.fakes.counting_provider import CountingProvider


def outbox(settings: Settings) -> list[dict[str, Any]]:
    path = settings.data_dir / "outbox.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


async def queue_demo_leads(
    settings: Settings, campaign: Campaign, resolve: dict[str, str]
) -> dict[str, int]:
    """Run the example leads with auto-send off; return queued message ids by lead name."""
    async with open_durable_pipeline(
        settings, migrate=True, resolve=resolve, clock=lambda: NOW
    ) as (db, pipeline):
        store = await RunStore.start(
            db, campaign=campaign, run_id=pipeline.context.run_id, total=8, options={}
        )
        await run_batch(
            pipeline, read_leads(EXAMPLES / "leads.csv"), campaign, concurrency=4, store=store.save
        )
        await store.close("completed")
    return {item.lead: item.id for item in await list_pending(settings)}


async def stored(settings: Settings, message_id: int) -> MessageRow:
    db = await Database.connect(settings.database_url or "")
    try:
        async with db.sessions() as session:
            message = await session.get(MessageRow, message_id)
            assert message is not None
            return message
    finally:
        await db.close()


async def events(settings: Settings, message_id: int) -> list[str]:
    db = await Database.connect(settings.database_url or "")
    try:
        async with db.sessions() as session:
            rows = await session.scalars(
                select(EventRow.type).where(EventRow.message_id == message_id).order_by(EventRow.id)
            )
            return list(rows)
    finally:
        await db.close()


@pytest.fixture
async def queue(
    database_url: str, tmp_path: Path, campaign: Campaign, demo_resolve: dict[str, str]
) -> tuple[Settings, dict[str, int]]:
    settings = Settings(
        database_url=database_url, data_dir=tmp_path, allow_private_networks=True, auto_send=False
    )
    return settings, await queue_demo_leads(settings, campaign, demo_resolve)


async def review(settings: Settings, message_id: int, **fields: Any) -> Any:
    version = fields.pop("version", None)
    return await act(
        settings,
        message_id,
        ReviewAction(reviewer="dana", **fields),
        expected_version=version,
        clock=lambda: NOW,
    )


async def test_queued_leads_wait_with_their_drafts_and_evidence(
    queue: tuple[Settings, dict[str, int]],
) -> None:
    settings, ids = queue
    # auto-send is off: the six reachable, fitting leads wait; nothing has been sent.
    assert len(ids) == 6 and "Maya Okafor" in ids
    assert outbox(settings) == []
    item = await show_item(settings, ids["Maya Okafor"])
    assert item["paused"] and item["version"] == 1
    assert "auto-send is off" in item["reason"]
    assert {v["tone"] for v in item["variants"]} == {"professional", "friendly", "direct"}
    best = next(v for v in item["variants"] if v["tone"] == item["selected_variant"])
    assert best["passed"] and best["score"] >= 0.8
    evidence = [fact for hook in best["hooks"] for fact in hook["facts"]]
    assert evidence and all(f["source_url"].startswith("http") for f in evidence)
    assert any("monorepo" in f["text"] for f in evidence)


async def test_approve_sends_the_chosen_variant_once_and_records_it(
    queue: tuple[Settings, dict[str, int]],
) -> None:
    settings, ids = queue
    message_id = ids["Maya Okafor"]
    before = await show_item(settings, message_id)
    direct = next(v for v in before["variants"] if v["tone"] == "direct")

    result = await review(settings, message_id, action="approve", tone="direct", version=1)

    assert (result.status, result.feedback) == ("sent", None)
    sent = outbox(settings)
    assert len(sent) == 1
    assert sent[0]["to"] == "maya.okafor@northwind-robotics.example"
    assert (sent[0]["subject"], sent[0]["body"]) == (direct["subject"], direct["body"])
    message = await stored(settings, message_id)
    assert (message.status, message.selected_variant) == ("sent", "direct")
    assert message.reason == "approved by dana"
    assert message.provider_message_id == sent[0]["delivery"]["message_id"]
    assert message.idempotency_key == sent[0]["idempotency_key"]
    assert message.reviews[-1]["action"] == "approve" and message.reviews[-1]["reviewer"] == "dana"
    assert await events(settings, message_id) == ["review.approve", "sent"]
    # Approving again is refused: the message is no longer waiting, and nothing goes twice.
    with pytest.raises(ReviewError, match="is sent, not waiting for review"):
        await review(settings, message_id, action="approve")
    assert len(outbox(settings)) == 1


async def test_edit_is_rechecked_and_both_texts_are_kept(
    queue: tuple[Settings, dict[str, int]],
) -> None:
    settings, ids = queue
    message_id = ids["Maya Okafor"]
    item = await show_item(settings, message_id)
    original = next(v for v in item["variants"] if v["tone"] == "friendly")
    # A reviewer's tweak that keeps to the facts is re-checked, then sent as written.
    edited_body = original["body"].split("\n\n")
    edited_body.insert(1, "Congratulations on the monorepo move.")
    body = "\n\n".join(edited_body)

    result = await review(
        settings, message_id, action="edit", tone="friendly", body=body, subject="CI at Northwind"
    )

    assert result.status == "sent", result.feedback
    sent = outbox(settings)
    assert [(m["subject"], m["body"]) for m in sent] == [("CI at Northwind", body)]
    message = await stored(settings, message_id)
    edit = message.reviews[-1]
    assert edit["action"] == "edit" and edit["outcome"] == "edited and approved"
    assert edit["original"]["body"] == original["body"]
    assert edit["edited"]["body"] == body and edit["edited"]["subject"] == "CI at Northwind"
    friendly = next(v for v in message.variants if v["tone"] == "friendly")
    assert friendly["body"] == body and message.selected_variant == "friendly"


async def test_edit_with_an_unsupported_claim_is_refused_and_stays_queued(
    queue: tuple[Settings, dict[str, int]],
) -> None:
    settings, ids = queue
    message_id = ids["Maya Okafor"]
    body = (
        "Hi Maya,\n\nCongrats on the $90M Series D and on opening the Berlin office. "
        "Worth a 15-minute call next week?\n\nAlex"
    )

    result = await review(settings, message_id, action="edit", body=body, version=1)

    assert result.status == "queued"
    assert result.feedback is not None and "grounding" in result.feedback
    assert "90" in result.feedback
    assert outbox(settings) == []
    item = await show_item(settings, message_id)
    assert item["paused"] and "grounding" in item["feedback"]
    message = await stored(settings, message_id)
    assert message.reviews[-1]["outcome"] == "refused by the critic"
    assert message.reviews[-1]["edited"]["body"] == body
    # The item can still be approved as it was.
    approved = await review(settings, message_id, action="approve", version=item["version"])
    assert approved.status == "sent" and len(outbox(settings)) == 1


async def test_reject_ends_the_lead_without_sending(
    queue: tuple[Settings, dict[str, int]],
) -> None:
    settings, ids = queue
    message_id = ids["Maya Okafor"]

    result = await review(settings, message_id, action="reject", reason="already a customer")

    assert result.status == "rejected"
    assert result.reason == "rejected by dana: already a customer"
    assert outbox(settings) == []
    assert message_id not in {item.id for item in await list_pending(settings)}
    with pytest.raises(ReviewError, match="is rejected, not waiting"):
        await review(settings, message_id, action="approve")


async def test_regenerate_rewrites_and_returns_the_drafts_to_the_queue(
    queue: tuple[Settings, dict[str, int]],
) -> None:
    settings, ids = queue
    message_id = ids["Maya Okafor"]
    before = await show_item(settings, message_id)
    old = {v["tone"]: v["body"] for v in before["variants"]}

    result = await review(settings, message_id, action="regenerate", instruction="make it shorter")

    assert result.status == "queued" and "make it shorter" in result.reason
    after = await show_item(settings, message_id)
    new = {v["tone"]: v["body"] for v in after["variants"]}
    assert all(len(new[tone].split()) < len(old[tone].split()) for tone in old)
    assert outbox(settings) == []
    approved = await review(settings, message_id, action="approve", version=after["version"])
    assert approved.status == "sent"
    assert outbox(settings)[0]["body"] == new[after["selected_variant"]]
    message = await stored(settings, message_id)
    assert [r["action"] for r in message.reviews] == ["regenerate", "approve"]


async def test_a_stale_or_concurrent_action_is_refused_and_nothing_goes_twice(
    queue: tuple[Settings, dict[str, int]],
) -> None:
    settings, ids = queue
    message_id = ids["Maya Okafor"]
    results = await asyncio.gather(
        review(settings, message_id, action="approve", version=1),
        review(settings, message_id, action="reject", reason="no", version=1),
        return_exceptions=True,
    )
    errors = [r for r in results if isinstance(r, Exception)]
    done = [r for r in results if not isinstance(r, Exception)]
    # Which refusal the loser gets (stale version, no longer waiting, no longer paused)
    # depends on how far the winner got; any of them is right. What must hold: one action
    # took effect, the other changed nothing, and nothing was sent twice.
    assert len(done) == 1 and len(errors) == 1
    assert isinstance(errors[0], ReviewError), errors[0]
    winner = done[0]
    assert winner.status in {"sent", "rejected"}
    message = await stored(settings, message_id)
    assert message.status == winner.status
    assert [r["action"] for r in message.reviews] == [
        "approve" if winner.status == "sent" else "reject"
    ], "only the winning action is recorded"
    assert len(outbox(settings)) == (1 if winner.status == "sent" else 0)
    other = next(message for name, message in ids.items() if name != "Maya Okafor")
    with pytest.raises(ReviewError, match="you had version 7, it is now 1"):
        await review(settings, other, action="approve", version=7)
    assert len(outbox(settings)) == (1 if winner.status == "sent" else 0)


async def tallies(settings: Settings, message_id: int) -> dict[str, Any]:
    db = await Database.connect(settings.database_url or "")
    try:
        async with db.sessions() as session:
            message = await session.get(MessageRow, message_id)
            assert message is not None
            campaign = await session.get(CampaignRow, message.campaign_id)
            run = await session.get(RunRow, message.run_id)
            assert campaign is not None and run is not None
            tone = message.selected_variant or "professional"
            variant = await session.get(VariantStatRow, (message_id, tone))
            rollup = await session.get(CampaignToneStatRow, (campaign.id, tone))
            return {
                "campaign_sent": campaign.messages_sent,
                "variant_sent": variant.sent if variant else 0,
                "tone_sent": rollup.sent if rollup else 0,
                "run": (run.sent, run.queued, run.rejected),
            }
    finally:
        await db.close()


async def test_an_approved_send_is_counted_once_in_every_tally(
    queue: tuple[Settings, dict[str, int]],
) -> None:
    settings, ids = queue
    message_id = ids["Maya Okafor"]
    provider = CountingProvider()
    before = await tallies(settings, message_id)

    await act(settings, message_id, ReviewAction(action="approve"), outbox=provider)

    after = await tallies(settings, message_id)
    assert len(provider.calls) == 1
    assert after["campaign_sent"] == before["campaign_sent"] + 1
    assert after["variant_sent"] == before["variant_sent"] + 1 == 1
    assert after["tone_sent"] == before["tone_sent"] + 1
    sent, queued, rejected = before["run"]
    assert after["run"] == (sent + 1, queued - 1, rejected)


async def test_a_review_whose_process_died_mid_send_is_recovered_not_resent(
    queue: tuple[Settings, dict[str, int]], monkeypatch: pytest.MonkeyPatch
) -> None:
    settings, ids = queue
    message_id = ids["Maya Okafor"]
    provider = CountingProvider()
    with pytest.raises(ProcessDied):
        await act(
            settings,
            message_id,
            ReviewAction(action="approve", reviewer="dana"),
            outbox=DiesAfterTheProviderAccepts(provider),
        )
    assert (await stored(settings, message_id)).status == "reviewing"
    assert len(provider.calls) == 1

    # Later (the lease has run out) the next action finds the half-done review, finishes the
    # graph from its checkpoint, and, not knowing whether the message left, asks a human.
    monkeypatch.setattr("agent.review.queue.REVIEW_LEASE", dt.timedelta(0))
    item = await show_item(settings, message_id)
    with pytest.raises(ReviewError, match="changed since you loaded it"):
        await act(settings, message_id, ReviewAction(action="approve"), expected_version=2)
    recovered = await stored(settings, message_id)
    assert recovered.status == "queued"
    assert "may or may not have gone out" in recovered.reason
    assert len(provider.calls) == 1
    assert item["version"] < recovered.version

    # A reviewer who checked the provider and approves again sends it deliberately.
    again = await act(
        settings,
        message_id,
        ReviewAction(action="approve", reviewer="dana"),
        expected_version=recovered.version,
        outbox=provider,
    )
    assert again.status == "sent" and len(provider.calls) == 2


async def test_a_failed_action_is_not_replayed_in_place_of_the_next_one(
    queue: tuple[Settings, dict[str, int]], monkeypatch: pytest.MonkeyPatch
) -> None:
    settings, ids = queue
    message_id = ids["Maya Okafor"]
    item = await show_item(settings, message_id)
    body = item["variants"][0]["body"]

    def broken_critic(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("critic crashed")

    monkeypatch.setattr("graphs.nodes.review.critique", broken_critic)
    with pytest.raises(RuntimeError, match="critic crashed"):
        await review(settings, message_id, action="edit", body=body + "\n\nP.S. Hi")
    monkeypatch.undo()
    assert (await stored(settings, message_id)).status == "queued"

    # LangGraph keeps the failed step's resume value; the next action must not re-run it.
    result = await review(settings, message_id, action="reject", reason="not now")
    assert result.status == "rejected" and result.reason == "rejected by dana: not now"
    assert [r["action"] for r in (await stored(settings, message_id)).reviews] == ["reject"]
    assert outbox(settings) == []


async def test_a_regenerate_writes_with_the_prompt_versions_its_run_was_pinned_to(
    queue: tuple[Settings, dict[str, int]],
) -> None:
    settings, ids = queue
    message_id = ids["Maya Okafor"]
    before = await stored(settings, message_id)
    assert before.generation["prompts"]["generate"]["version"] == "v6", before.generation
    async with (
        await Database.connect(settings.database_url or "") as db,
        db.sessions.begin() as session,
    ):
        run = await session.get(RunRow, before.run_id)
        assert run is not None
        run.options = {**run.options, "prompts": {"generate": "v1"}}

    await review(settings, message_id, action="regenerate", instruction="make it shorter")

    after = await stored(settings, message_id)
    assert after.generation["prompts"]["generate"]["version"] == "v1", after.generation
