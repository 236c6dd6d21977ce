"""Re-running a run's command retries the leads it held after a pipeline error, once each."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from agent.cli.app import app
from agent.runs.results import internal_error_record
from agent.runs.store import RunStore
from graphs.lead import Campaign
from storage.database import Database
from storage.models import LeadRow, MessageRow, RunRow
from tests.conftest import EXAMPLES
from tests.fakes.failing_step import FailingDecide


async def _stored(url: str) -> tuple[list[RunRow], dict[str, MessageRow]]:
    async with await Database.connect(url) as db, db.sessions() as session:
        runs = list(await session.scalars(select(RunRow)))
        rows = await session.execute(
            select(LeadRow.name, MessageRow).join(LeadRow, LeadRow.id == MessageRow.lead_id)
        )
        messages = {name: message for name, message in rows.all()}
    return runs, messages


def test_the_same_command_again_retries_the_held_leads_and_nothing_else(
    database_url: str,
    tmp_path: Path,
    demo_resolve: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    runner = CliRunner(
        env={
            "COLUMNS": "200",
            "OUTREACH_ALLOW_PRIVATE_NETWORKS": "1",
            "OUTREACH_DATABASE_URL": database_url,
        }
    )
    resolve = [f"--resolve={host}={addr}" for host, addr in demo_resolve.items()]
    command = ["run", str(EXAMPLES / "leads.csv"), "-o", str(tmp_path / "r.jsonl"),
               "--campaign-file", str(EXAMPLES / "campaign.yaml"), "--auto-send", *resolve]  # fmt: skip
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    failing = FailingDecide(monkeypatch, "Maya Okafor")
    first = runner.invoke(app, command)
    assert first.exit_code == 0, first.output
    outbox = tmp_path / ".outreach" / "outbox.jsonl"
    sent_first = [json.loads(line)["to"] for line in outbox.read_text().splitlines()]
    (run,), messages = asyncio.run(_stored(database_url))
    assert messages["Maya Okafor"].reason.startswith("held for a person")
    assert (run.status, run.processed, run.queued) == ("completed", 8, 3)

    # Still failing: the run is retried, Maya stays held, and nothing else runs or goes again.
    again = runner.invoke(app, command)
    assert again.exit_code == 0, again.output
    assert f"Run {run.id} of these leads held 1 lead(s) after a pipeline error" in again.output
    assert "6 leads already done, 1 to go" in again.output
    assert failing.failures == 2

    failing.repair()
    third = runner.invoke(app, command)
    assert third.exit_code == 0, third.output
    (rerun,), messages = asyncio.run(_stored(database_url))
    maya = messages["Maya Okafor"]
    assert maya.status == "sent" and maya.variants, maya.reason
    sent = [json.loads(line)["to"] for line in outbox.read_text().splitlines()]
    assert sent == [*sent_first, "maya.okafor@northwind-robotics.example"]
    # One run, its tallies moved from queued to sent, every lead stored once.
    assert rerun.id == run.id and rerun.status == "completed"
    assert (rerun.processed, rerun.queued, rerun.sent) == (8, 2, run.sent + 1)
    assert len(messages) == 7

    # Nothing is held any more: the same command now starts a separate run, as before.
    fourth = runner.invoke(app, command)
    assert "held" not in fourth.output.split("Run ")[0]
    assert f"Resuming run {run.id}" not in fourth.output


async def _run_row(db: Database, run_id: str) -> tuple[str, int, int, int]:
    async with db.sessions() as session:
        run = await session.get(RunRow, run_id)
        assert run is not None
        return run.status, run.processed, run.queued, run.rejected


async def test_a_run_retrying_held_leads_completes_when_the_last_retry_is_stored(
    database_url: str, campaign: Campaign
) -> None:
    """As workers complete a distributed run: by its count, once its last lead is stored.
    Held leads were counted when held; a retry must not let the run end with another still
    running."""
    people = [
        {"name": f"Person {i}", "company": "Acme", "email": f"p{i}@acme.example"} for i in range(3)
    ]
    held = [
        {**internal_error_record(i, person, "boom", provider="offline"), "thread_id": f"r:{i}"}
        for i, person in enumerate(people[:2])
    ]
    poor_fit = {"decision": "rejected", "reason": "a poor fit", "errors": []}
    async with await Database.connect(database_url, migrate=True) as db:
        store = await RunStore.start(db, campaign=campaign, run_id="r", total=3, options={})
        for record in [
            *held,
            {**held[1], **poor_fit, "row": 2, "lead": people[2], "thread_id": "r:2"},
        ]:
            await store.save(record, complete_when_done=True)
        assert await _run_row(db, "r") == ("completed", 3, 2, 1)

        store, done = await RunStore.resume(db, run_id="r", campaign=campaign)
        assert done == {"r:2"}, "the held leads run again"
        assert await _run_row(db, "r") == ("running", 1, 0, 1)
        store, _ = await RunStore.resume(db, run_id="r", campaign=campaign)  # again, say
        assert await _run_row(db, "r") == ("running", 1, 0, 1), "taken out of the count once"
        await store.save({**held[0], **poor_fit}, complete_when_done=True)
        assert await _run_row(db, "r") == ("running", 2, 0, 2), "one retry still to come"
        await store.save(held[1], complete_when_done=True)  # failed again: held again
        assert await _run_row(db, "r") == ("completed", 3, 1, 2)
