"""The command line as a user runs it: what it prints, writes and exits with."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from agent.cli.app import app
from tests.conftest import EXAMPLES
from tests.fakes.openai_stub import OpenAIStub, Respond
from tests.storage_backends import database_url_for

OUTREACH = Path(sys.executable).parent / "outreach"
REQUIRED_KEYS = {
    "lead", "facts", "analysis", "variants", "quality", "attempts", "decision", "reason",
    "prompts", "usage", "latency_ms", "errors", "provider",
}  # fmt: skip
# The fixture web is on loopback, which research refuses unless allowed.
runner = CliRunner(
    env={"COLUMNS": "200", "TERMINAL_WIDTH": "200", "OUTREACH_ALLOW_PRIVATE_NETWORKS": "1"}
)


def records(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_demo_runs_offline_end_to_end(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "OUTREACH_"))}
    env["COLUMNS"] = "160"
    done = subprocess.run(
        [str(OUTREACH), "demo", "--out", str(tmp_path / "demo")],
        capture_output=True, text=True, timeout=120, env=env, cwd=tmp_path, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "Provider: offline writer" in out
    assert "Skipped row 9: email: 'chris.doyle@' is not a valid email address" in out
    assert "8 leads: 4 sent, 2 queued, 2 rejected" in out
    results = records(tmp_path / "demo" / "results.jsonl")
    assert len(results) == 8 and all(set(r) >= REQUIRED_KEYS for r in results)
    calls = sum((r.get("usage") or {}).get("llm_calls", 0) for r in results)
    assert f"{calls} model calls ({calls / 8:.2f} per lead)" in out
    by_name = {r["lead"]["name"]: r for r in results}
    assert by_name["Maya Okafor"]["decision"] == "sent"
    assert by_name["Tom Keller"]["decision"] == "rejected"
    assert by_name["Alex Moreno"]["decision"] == "queued"
    assert "HTTP 404" in by_name["Alex Moreno"]["reason"]
    outbox = records(tmp_path / "demo" / "outbox.jsonl")
    assert sorted(m["to"] for m in outbox) == sorted(
        r["lead"]["email"] for r in results if r["decision"] == "sent"
    )
    assert "Subject:" in out and "Hooks and the facts behind them" in out


def test_run_reports_bad_rows_and_keeps_good_ones(
    tmp_path: Path, demo_resolve: dict[str, str]
) -> None:
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    leads = tmp_path / "leads.csv"
    leads.write_text(
        "name,email,company,title,profile_url,company_url\n"
        "Daniel Brandt,daniel@lumenledger.example,Lumen Ledger,Head of Platform,"
        "http://danielbrandt.example/,http://lumenledger.example/\n"
        "Nobody,,Lumen Ledger,,,\n"
    )
    resolve = [f"--resolve={host}={addr}" for host, addr in demo_resolve.items()]
    result = runner.invoke(
        app,
        ["run", str(leads), "--out", str(tmp_path / "r.jsonl"), "--campaign-file",
         str(EXAMPLES / "campaign.yaml"), "--no-auto-send", *resolve],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Skipped row 3: email: no email address" in result.output
    written = records(tmp_path / "r.jsonl")
    assert [r["decision"] for r in sorted(written, key=lambda r: r["row"])] == [
        "queued",
        "rejected",
    ]
    assert "auto-send is off" in written[0]["reason"] or "auto-send is off" in written[1]["reason"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--value-prop", "We help."], "does not exist"),
        ([], "needs a value proposition"),
        (["--value-prop", "x", "--prompt", "generate=v9"], "no version 'v9'"),
        (["--value-prop", "x", "--provider", "openai"], "OPENAI_API_KEY"),
        (["--value-prop", "x", "--provider", "gpt"], "--provider must be"),
    ],
)
def test_run_errors_are_clear(tmp_path: Path, args: list[str], message: str) -> None:
    leads = tmp_path / "leads.csv"
    if "does not exist" not in message:
        leads.write_text("name,email,company\nAna,ana@acme.example,Acme\n")
    result = runner.invoke(app, ["run", str(leads), "--out", str(tmp_path / "r.jsonl"), *args])
    assert result.exit_code == 1
    assert message in result.output


def test_run_with_openai_compatible_endpoint(
    tmp_path: Path, demo_resolve: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.agent.test_openai_provider import answer_like_a_model

    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    with OpenAIStub() as stub:
        stub.enqueue(Respond(answer_like_a_model), Respond(answer_like_a_model))
        monkeypatch.setenv("OUTREACH_LLM_BASE_URL", stub.base_url)
        monkeypatch.setenv("OUTREACH_LLM_API_KEY", "test-key")
        monkeypatch.setenv("OUTREACH_LLM_REQUESTS_PER_SECOND", "100")
        leads = tmp_path / "leads.csv"
        leads.write_text(
            "name,email,company,title,profile_url,company_url\n"
            "Maya Okafor,maya@northwind-robotics.example,Northwind Robotics,VP Engineering,"
            "http://northwind-robotics.example/team/maya-okafor,http://northwind-robotics.example/\n"
        )
        resolve = [f"--resolve={host}={addr}" for host, addr in demo_resolve.items()]
        result = runner.invoke(
            app,
            [
                "run",
                str(leads),
                "-o",
                str(tmp_path / "r.jsonl"),
                "--campaign-file",
                str(EXAMPLES / "campaign.yaml"),
                "--auto-send",
                *resolve,
            ],
        )
    assert result.exit_code == 0, result.output
    assert "Provider: openai-compatible model gpt-4o-mini at http://127.0.0.1" in result.output
    (record,) = records(tmp_path / "r.jsonl")
    assert record["provider"] == "openai" and record["decision"] == "sent"
    assert record["usage"]["llm_calls"] == 2 and record["usage"]["cost_usd"] > 0


def test_graph_command_prints_mermaid() -> None:
    result = runner.invoke(app, ["graph"])
    assert result.exit_code == 0
    assert "enrich -.-> analyze" in result.output and "critic -.-> generate" in result.output


def test_help_explains_commands() -> None:
    result = runner.invoke(app, ["run", "--help"])
    assert result.exit_code == 0
    assert "--auto-send" in result.output and "NAME=VERSION" in result.output.replace("\n", "")


def _stored(url: str) -> dict[str, int]:
    """Count what the database holds, as a user querying it would."""
    import asyncio

    from sqlalchemy import func, select

    from storage.database import open_engine
    from storage.models import LeadRow, MessageRow

    async def count() -> dict[str, int]:
        engine = open_engine(url)
        try:
            async with engine.connect() as connection:
                leads = await connection.scalar(select(func.count()).select_from(LeadRow))
                messages = await connection.scalar(select(func.count()).select_from(MessageRow))
                return {"leads": leads or 0, "messages": messages or 0}
        finally:
            await engine.dispose()

    return asyncio.run(count())


def _demo_run(tmp_path: Path, demo_resolve: dict[str, str]) -> list[str]:
    resolve = [f"--resolve={host}={addr}" for host, addr in demo_resolve.items()]
    return ["run", str(EXAMPLES / "leads.csv"), "-o", str(tmp_path / "r.jsonl"),
            "--campaign-file", str(EXAMPLES / "campaign.yaml"), *resolve]  # fmt: skip


def test_run_on_a_fresh_data_directory_creates_its_schema_and_stores_the_leads(
    tmp_path: Path, demo_resolve: dict[str, str]
) -> None:
    from storage.database import default_database_url

    assert not (tmp_path / ".outreach").exists()
    ran = runner.invoke(app, _demo_run(tmp_path, demo_resolve))
    assert ran.exit_code == 0, ran.output
    assert "8 leads:" in ran.output and "outreach db upgrade" not in ran.output
    assert len(records(tmp_path / "r.jsonl")) == 8
    assert _stored(default_database_url(tmp_path / ".outreach")) == {"leads": 7, "messages": 7}
    assert "up to date" in runner.invoke(app, ["db", "current"]).output


def test_other_commands_on_a_fresh_data_directory_create_the_schema_too(tmp_path: Path) -> None:
    listed = runner.invoke(app, ["review", "list"])
    assert listed.exit_code == 0, listed.output
    assert "The review queue is empty." in listed.output
    assert "up to date" in runner.invoke(app, ["db", "current"]).output


@pytest.fixture
async def postgres_url(tmp_path: Path) -> AsyncIterator[str]:
    """A fresh, empty PostgreSQL database."""
    async for url in database_url_for("postgresql", tmp_path):
        yield url


def test_a_fresh_postgresql_database_is_migrated_only_by_db_upgrade(
    tmp_path: Path, demo_resolve: dict[str, str], postgres_url: str
) -> None:
    pg = CliRunner(env={**runner.env, "OUTREACH_DATABASE_URL": postgres_url})
    refused = pg.invoke(app, _demo_run(tmp_path, demo_resolve))
    assert refused.exit_code == 1
    said = " ".join(refused.output.split())
    assert "PostgreSQL database" in said and "has no schema yet: run `outreach db upgrade`" in said
    assert "(migrations on PostgreSQL are applied only on request)" in said
    assert not (tmp_path / "r.jsonl").exists(), "nothing ran"
    for command in (["review", "list"], ["api-key", "create", "crm"]):
        other = pg.invoke(app, command)
        assert other.exit_code == 1 and "run `outreach db upgrade`" in other.output, command
    current = pg.invoke(app, ["db", "current"])
    assert "revision none" in current.output and "needs `outreach db upgrade`" in current.output
    upgraded = pg.invoke(app, ["db", "upgrade"])
    from storage.migrations import head_revision

    assert upgraded.exit_code == 0 and f"is at revision {head_revision()}" in upgraded.output
    assert "up to date" in pg.invoke(app, ["db", "current"]).output
    ran = pg.invoke(app, _demo_run(tmp_path, demo_resolve))
    assert ran.exit_code == 0, ran.output
    assert _stored(postgres_url) == {"leads": 7, "messages": 7}


def test_serve_on_a_fresh_postgresql_database_says_to_run_db_upgrade(
    tmp_path: Path, postgres_url: str
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "OUTREACH_"))}
    env |= {"OUTREACH_DATABASE_URL": postgres_url, "COLUMNS": "200"}
    try:
        done = subprocess.run(
            [str(OUTREACH), "serve", "--port", "0"],
            capture_output=True, text=True, timeout=60, env=env, cwd=tmp_path, check=False,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        pytest.fail("`outreach serve` started on a database with no schema instead of refusing")
    assert done.returncode == 1
    said = " ".join(done.stderr.split())
    assert "has no schema yet: run `outreach db upgrade`" in said and "only on request" in said


def test_export_writes_jsonl_and_csv(tmp_path: Path, demo_resolve: dict[str, str]) -> None:
    assert runner.invoke(app, ["db", "upgrade"]).exit_code == 0
    resolve = [f"--resolve={host}={addr}" for host, addr in demo_resolve.items()]
    ran = runner.invoke(
        app,
        ["run", str(EXAMPLES / "leads.csv"), "-o", str(tmp_path / "r.jsonl"), "--campaign-file",
         str(EXAMPLES / "campaign.yaml"), *resolve],
    )  # fmt: skip
    assert ran.exit_code == 0, ran.output
    for fmt in ("jsonl", "csv"):
        out = tmp_path / f"export.{fmt}"
        done = runner.invoke(
            app, ["export", "--campaign", "brightpath-ci-q4", "--out", str(out), "--format", fmt]
        )
        assert done.exit_code == 0, done.output
        assert "Wrote 7 messages of brightpath-ci-q4" in done.output
    lines = (tmp_path / "export.jsonl").read_text().splitlines()
    assert len(lines) == 7 and json.loads(lines[0])["campaign"] == "brightpath-ci-q4"
    header = (tmp_path / "export.csv").read_text().splitlines()[0]
    assert header.startswith("campaign,run_id,name,email,company")
    missing = runner.invoke(
        app, ["export", "--campaign", "nope", "--out", str(tmp_path / "x.jsonl")]
    )
    assert missing.exit_code == 1 and "no stored messages for campaign 'nope'" in missing.output
