"""`outreach run --distributed`: what it refuses, a run queued three times over (the same
command run again while no worker was up) whose every lead is still done and sent once, and
the same command once more retrying a lead the run held, following it to its end."""

from __future__ import annotations

import asyncio
import json
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from agent.cli.app import app
from storage.database import Database
from storage.models import LeadRow, MessageRow, RunRow
from tests.agent.workers.cluster import OUTREACH, cluster_env, start_worker, stop
from tests.conftest import EXAMPLES
from tests.services import redis_url

RUN = ["run", str(EXAMPLES / "leads.csv"), "--campaign-file", str(EXAMPLES / "campaign.yaml")]


PG = "postgresql+asyncpg://127.0.0.1/test"
"""Never written to here: each case is refused before anything is stored."""


@pytest.mark.parametrize(
    ("env", "args", "message"),
    [
        ({}, [], "needs a broker: set OUTREACH_BROKER_URL"),
        (
            {"OUTREACH_BROKER_URL": "redis://127.0.0.1:6379/0"},
            [],
            "OUTREACH_DATABASE_URL to PostgreSQL",
        ),
        (
            {"OUTREACH_BROKER_URL": "kafka://127.0.0.1:9092", "OUTREACH_DATABASE_URL": PG},
            [],
            "must be a Redis or RabbitMQ URL",
        ),
        (
            {"OUTREACH_BROKER_URL": "redis://127.0.0.1:1/0", "OUTREACH_DATABASE_URL": PG},
            [],
            "cannot reach the broker at redis://127.0.0.1:1/0",
        ),
        (
            {"OUTREACH_BROKER_URL": "redis://127.0.0.1:6379/0", "OUTREACH_DATABASE_URL": PG},
            ["--provider", "openai", "--refresh"],
            "--provider, --refresh cannot be used with --distributed",
        ),
    ],
)
def test_a_distributed_run_says_what_it_needs(
    tmp_path: Path, env: dict[str, str], args: list[str], message: str
) -> None:
    runner = CliRunner(env={"COLUMNS": "200", "OUTREACH_DATA_DIR": str(tmp_path), **env})
    result = runner.invoke(app, [*RUN, "-o", str(tmp_path / "r.jsonl"), "--distributed", *args])
    assert result.exit_code == 1, result.output
    assert message in " ".join(result.output.split())
    assert "Traceback" not in result.output
    assert not (tmp_path / "r.jsonl").exists()


def test_a_silent_redis_is_one_line_not_a_run_without_its_limits(tmp_path: Path) -> None:
    runner = CliRunner(
        env={
            "COLUMNS": "200",
            "OUTREACH_DATA_DIR": str(tmp_path),
            "OUTREACH_REDIS_URL": "redis://127.0.0.1:1/0",
        }
    )
    result = runner.invoke(app, [*RUN, "-o", str(tmp_path / "r.jsonl")])
    assert result.exit_code == 1, result.output
    said = " ".join(result.output.split())
    assert "OUTREACH_REDIS_URL is set but Redis at redis://127.0.0.1:1/0 does not answer" in said
    assert "Traceback" not in result.output


async def _hold(url: str, email: str) -> str:
    """Leave a lead's message as a pipeline that failed leaves it (held); return its reason."""
    async with await Database.connect(url) as db, db.sessions.begin() as session:
        message = await session.scalar(
            select(MessageRow).join(LeadRow).where(LeadRow.email_normalized == email.lower())
        )
        assert message is not None and message.status == "queued"
        message.generation = {
            **message.generation,
            "errors": [{"stage": "pipeline", "message": "x"}],
        }
        message.reason, kept = (
            "held for a person: the pipeline could not finish this lead",
            message.reason,
        )
        return kept


async def _message_of(url: str, email: str) -> MessageRow:
    async with await Database.connect(url) as db, db.sessions() as session:
        message = await session.scalar(
            select(MessageRow).join(LeadRow).where(LeadRow.email_normalized == email.lower())
        )
        assert message is not None
        return message


async def _run_outcome(url: str) -> tuple[list[RunRow], Counter[str]]:
    async with await Database.connect(url) as db, db.sessions() as session:
        runs = list(await session.scalars(select(RunRow)))
        threads = Counter(
            m.thread_id for m in await session.scalars(select(MessageRow)) if m.thread_id
        )
    return runs, threads


async def _stored_calls(url: str) -> int:
    """Return the model calls the stored messages list as having made their drafts."""
    async with await Database.connect(url) as db, db.sessions() as session:
        messages = await session.scalars(select(MessageRow))
        return sum(len((m.generation or {}).get("calls") or []) for m in messages)


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_queued_three_times_each_lead_is_done_and_sent_once(
    database_url: str, tmp_path: Path, demo_resolve: dict[str, str]
) -> None:
    env = cluster_env(
        database_url=database_url,
        broker_url=redis_url(),
        redis_url=redis_url(),
        data_dir=tmp_path / "data",
        resolve=demo_resolve,
        OUTREACH_SEQUENCE_TICK_S="0",
        COLUMNS="200",
    )
    out = tmp_path / "results.jsonl"

    def run(*args: str) -> str:
        done = subprocess.run(
            [str(OUTREACH), *RUN, "-o", str(out), "--distributed", "--auto-send", *args],
            env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False,
        )  # fmt: skip
        assert done.returncode == 0, done.stdout + done.stderr
        return " ".join(done.stdout.split())

    assert subprocess.run([str(OUTREACH), "db", "upgrade"], env=env, check=False).returncode == 0
    first = run("--no-wait")  # no worker is up yet: the leads wait on the broker
    assert "Skipped row 9: email: 'chris.doyle@'" in first
    assert "7 lead(s) queued for the workers" in first
    again = run("--no-wait")  # the same command again finds the run unfinished
    assert "is unfinished: queueing the leads it has not done" in again
    assert "7 lead(s) queued" in again
    worker = start_worker(env, tmp_path / "worker.log")
    try:
        last = run()  # a third time, and this one follows the workers to the end
        rows = [json.loads(line) for line in out.read_text().splitlines()]
        waiting = next(r["email"] for r in rows if r["status"] == "queued")
        reason = asyncio.run(_hold(database_url, waiting))
        retried = run()  # once more: the held lead alone runs again, followed to its end
    finally:
        stop(worker)
    assert "held 1 lead(s) after a pipeline error: queueing them again" in retried
    assert "1 lead(s) queued for the workers" in retried and "completed:" in retried
    message = asyncio.run(_message_of(database_url, waiting))
    assert (message.status, message.reason) == ("queued", reason), "retried before the end"
    assert "completed:" in last and "of 8" in last
    runs, threads = asyncio.run(_run_outcome(database_url))
    assert len(runs) == 1 and runs[0].status == "completed"
    assert runs[0].processed == runs[0].total == 8  # 7 leads and the bad row, once each
    assert len(threads) == 7 and set(threads.values()) == {1}
    # Each lead's model calls once, though queued thrice and one retried, and the summary says so.
    calls = runs[0].model_calls
    assert calls > 0 and calls == asyncio.run(_stored_calls(database_url))
    assert f"{calls} model calls ({calls / 8:.2f} per lead)" in retried
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(rows) == len({r["email"] for r in rows}) == 7  # one row per lead
    assert {r["run_id"] for r in rows} == {runs[0].id}
    sent = [r for r in rows if r["status"] == "sent"]
    assert sent, rows
    # The dry-run outbox of the worker: every sent lead exactly once, though queued thrice.
    outbox = [json.loads(line) for line in (tmp_path / "data" / "outbox.jsonl").open()]
    assert Counter(m["to"] for m in outbox) == Counter(r["email"] for r in sent)
