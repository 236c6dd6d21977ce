"""Re-running a run's command retries the leads it held after a pipeline error, once each."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from agent.cli.app import app
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
