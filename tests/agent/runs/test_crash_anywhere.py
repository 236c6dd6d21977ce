"""A batch killed at random moments, between a node's writes and its checkpoint included.

Whatever the moment, re-running the same command until it completes leaves every lead as a
clean run leaves it (sent, queued with drafts, rejected with a reason) or, when a kill cut
a send off before the provider answered, held for a person: never stuck, never sent twice.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from agent.demo.web import DemoWeb
from storage.database import Database
from storage.models import LeadRow, MessageRow, RunRow
from tests.conftest import EXAMPLES, ROOT

CUT_OFF = "cut off before the provider answered"
KILLS = 10


def _env(database_url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "OUTREACH_"))}
    env.update(
        PYTHONUNBUFFERED="1",
        OUTREACH_ALLOW_PRIVATE_NETWORKS="1",
        OUTREACH_CONFIG_FILE="/nonexistent.toml",
        OUTREACH_CONCURRENCY="3",
        OUTREACH_PER_HOST_DELAY_S="0",
    )
    if database_url:
        env["OUTREACH_DATABASE_URL"] = database_url
    return env


def _command(where: str, n: int, out: Path, demo_resolve: dict[str, str]) -> list[str]:
    resolve = [f"--resolve={host}={addr}" for host, addr in demo_resolve.items()]
    return [sys.executable, "-m", "tests.fakes.kill_switch_run", where, str(n),
            "run", str(EXAMPLES / "leads.csv"), "--out", str(out),
            "--campaign-file", str(EXAMPLES / "campaign.yaml"), "--auto-send", *resolve]  # fmt: skip


def _run(command: list[str], env: dict[str, str], cwd: Path, kill_after_s: float | None) -> int:
    project = str(ROOT)
    env = env | {"PYTHONPATH": os.pathsep.join(filter(None, [project, env.get("PYTHONPATH")]))}
    process = subprocess.Popen(
        command, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    try:
        _, stderr = process.communicate(timeout=kill_after_s)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
        _, stderr = process.communicate()
    assert process.returncode in (0, -signal.SIGKILL), stderr
    return process.returncode


async def _outcomes(url: str) -> tuple[list[RunRow], dict[str, list[MessageRow]]]:
    async with await Database.connect(url) as db, db.sessions() as session:
        runs = list(await session.scalars(select(RunRow)))
        rows = await session.execute(
            select(LeadRow.email, MessageRow).join(LeadRow, LeadRow.id == MessageRow.lead_id)
        )
        by_lead: dict[str, list[MessageRow]] = {}
        for email, message in rows.all():
            by_lead.setdefault(email, []).append(message)
    return runs, by_lead


def _sent(data_dir: Path) -> list[str]:
    outbox = data_dir / "outbox.jsonl"
    lines = outbox.read_text().splitlines() if outbox.exists() else []
    return [json.loads(line)["to"] for line in lines]


@pytest.fixture(scope="module")
def clean_run(
    tmp_path_factory: pytest.TempPathFactory, demo_web: DemoWeb
) -> dict[str, tuple[str, int]]:
    """Each lead's status and number of drafts after a run nobody killed (embedded SQLite)."""
    where = tmp_path_factory.mktemp("clean")
    resolve = demo_web.resolve_map(["brokenlink-labs.example"])
    code = _run(_command("never", 0, where / "r.jsonl", resolve), _env(None), where, None)
    assert code == 0
    url = f"sqlite+aiosqlite:///{where / '.outreach' / 'outreach.db'}"
    _, by_lead = asyncio.run(_outcomes(url))
    return {email: (m.status, len(m.variants)) for email, (m, *_) in by_lead.items()}


@pytest.mark.parametrize("seed", [16])
def test_kills_at_random_moments_leave_every_lead_finished_and_none_sent_twice(
    seed: int,
    database_url: str,
    tmp_path: Path,
    demo_resolve: dict[str, str],
    clean_run: dict[str, tuple[str, int]],
) -> None:
    rng = random.Random(seed)
    env = _env(database_url)
    migrate = [sys.executable, "-m", "tests.fakes.kill_switch_run", "never", "0", "db", "upgrade"]
    assert _run(migrate, env, tmp_path, None) == 0
    kills, completed = [], False
    for _ in range(KILLS):
        where = rng.choice(["after-writes", "before-checkpoint", "any moment"])
        n = rng.randint(1, 30)
        kill_after = rng.uniform(2.0, 6.0) if where == "any moment" else None
        command = _command(where, n, tmp_path / "r.jsonl", demo_resolve)
        if _run(command, env, tmp_path, kill_after) == 0:
            completed = True  # it finished before the kill point came
            break
        kills.append((where, n if kill_after is None else round(kill_after, 2)))
    if not completed:
        command = _command("never", 0, tmp_path / "r.jsonl", demo_resolve)
        assert _run(command, env, tmp_path, None) == 0
    assert kills, "no kill landed: the test proved nothing"

    runs, by_lead = asyncio.run(_outcomes(database_url))
    assert [run.status for run in runs] == ["completed"], kills
    assert runs[0].processed == 8, kills  # seven leads and the row with a broken email
    assert {email: len(messages) for email, messages in by_lead.items()} == dict.fromkeys(
        clean_run, 1
    ), f"each lead stored once ({kills})"
    sent = _sent(tmp_path / ".outreach")
    assert len(sent) == len(set(sent)), f"a lead was sent twice ({kills})"
    for email, (message,) in by_lead.items():
        where = f"{email} after kills {kills}: {message.status}, {message.reason}"
        assert "pipeline could not finish" not in message.reason, where
        if message.status == "queued" and CUT_OFF in message.reason:
            assert clean_run[email][0] == "sent", (
                where
            )  # a send that may have gone: a person checks
            assert len(message.variants) == 3, where
            continue
        assert (message.status, len(message.variants)) == clean_run[email], where
        if message.status == "sent":
            assert sent.count(email) == 1, where
        if message.status == "rejected":
            assert message.reason, where
