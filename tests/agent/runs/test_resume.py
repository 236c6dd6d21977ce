"""A run killed mid-way (SIGKILL) is finished with --resume: no lead lost, none sent twice."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from storage.database import open_engine, session_maker
from storage.models import MessageRow, RunRow
from tests.conftest import EXAMPLES, ROOT

OUTREACH = Path(sys.executable).parent / "outreach"


def _env(demo_resolve: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "OUTREACH_"))}
    env.update(
        PYTHONUNBUFFERED="1",
        COLUMNS="200",
        OUTREACH_ALLOW_PRIVATE_NETWORKS="1",
        OUTREACH_CONFIG_FILE="/nonexistent.toml",
        OUTREACH_CONCURRENCY="1",
    )
    return env


async def _stored(database: Path, run_id: str) -> tuple[str, int, list[int]]:
    engine = open_engine(f"sqlite+aiosqlite:///{database}")
    async with session_maker(engine)() as session:
        run = await session.get(RunRow, run_id)
        assert run is not None
        counts = await session.execute(
            select(func.count()).where(MessageRow.run_id == run_id).group_by(MessageRow.lead_id)
        )
        per_lead = [count for (count,) in counts]
    await engine.dispose()
    return run.status, run.processed, per_lead


@pytest.mark.parametrize("how", ["--resume RUN_ID", "the same command"])
def test_a_killed_run_resumes_without_redoing_or_resending(
    how: str, tmp_path: Path, demo_resolve: dict[str, str]
) -> None:
    env = _env(demo_resolve)
    resolve = [f"--resolve={host}={addr}" for host, addr in demo_resolve.items()]
    base = [str(OUTREACH), "run", str(EXAMPLES / "leads.csv"), "--out", str(tmp_path / "r.jsonl"),
            "--campaign-file", str(EXAMPLES / "campaign.yaml"), "--auto-send", *resolve]  # fmt: skip
    subprocess.run(
        [str(OUTREACH), "db", "upgrade"], env=env, cwd=tmp_path, check=True, capture_output=True
    )
    # Killed by its own hand just before its 10th checkpoint (of about 20: a lead has one after
    # research, one before sending and one at its end): mid-way, on any machine's speed.
    killed = [sys.executable, "-m", "tests.fakes.kill_switch_run", "before-checkpoint", "10"]
    project = str(ROOT)
    first = subprocess.Popen(
        [*killed, *base[1:]],
        env=env | {"PYTHONPATH": project},
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        text=True,
    )
    out, _ = first.communicate(timeout=300)
    assert first.returncode == -signal.SIGKILL, out
    found = re.search(r"--resume (\w+)", out)
    assert found is not None, out
    run_id = found.group(1)
    results = tmp_path / "r.jsonl"
    done_before = len(results.read_text().splitlines())
    assert 0 < done_before < 8, "the run was killed mid-way"

    again = [*base, "--resume", run_id] if how.startswith("--resume") else base
    resumed = subprocess.run(
        again,
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert resumed.returncode == 0, resumed.stderr
    assert f"Resuming run {run_id}" in resumed.stdout
    if how == "the same command":
        assert f"Run {run_id} of these leads was interrupted" in resumed.stdout

    status, processed, per_lead = asyncio.run(
        _stored(tmp_path / ".outreach" / "outreach.db", run_id)
    )
    assert (status, processed) == ("completed", 8)
    assert per_lead == [1] * 7, "each lead stored once"
    outbox = [
        json.loads(line)
        for line in (tmp_path / ".outreach" / "outbox.jsonl").read_text().splitlines()
    ]
    recipients = [m["to"] for m in outbox]
    lines = [json.loads(line) for line in results.read_text().splitlines()]
    # A kill that lands between claiming a send and the provider's answer leaves that one
    # send uncertain: it is held for a human, never sent again on its own.
    held = [r for r in lines if "cut off before the provider answered" in (r["reason"] or "")]
    assert len(held) <= 1 and all(r["decision"] == "queued" for r in held), held
    assert len(recipients) == len(set(recipients)), "no lead sent twice"
    assert len(recipients) + len(held) == 4, "every sendable lead sent once, or held if cut off"
    assert sorted(r["row"] for r in lines) == list(range(2, 10)), "the export has every row once"


def test_the_same_command_after_a_completed_run_starts_a_new_run(
    tmp_path: Path, demo_resolve: dict[str, str]
) -> None:
    env = _env(demo_resolve) | {"OUTREACH_PER_HOST_DELAY_S": "0"}
    resolve = [f"--resolve={host}={addr}" for host, addr in demo_resolve.items()]
    base = [str(OUTREACH), "run", str(EXAMPLES / "leads.csv"), "--out", str(tmp_path / "r.jsonl"),
            "--campaign-file", str(EXAMPLES / "campaign.yaml"), *resolve]  # fmt: skip
    subprocess.run([str(OUTREACH), "db", "upgrade"], env=env, cwd=tmp_path, check=True)
    ids = []
    for _ in range(2):
        done = subprocess.run(base, env=env, cwd=tmp_path, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        assert "was interrupted" not in done.stdout
        found = re.search(r"Run (\w+) started", done.stdout)
        assert found is not None, done.stdout
        ids.append(found.group(1))
    assert ids[0] != ids[1]
