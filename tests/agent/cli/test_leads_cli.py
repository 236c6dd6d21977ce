"""`outreach leads`: every lead with its stage, filtered by stage, and the stages people set."""

from __future__ import annotations

import asyncio
import json

from typer.testing import CliRunner

from agent.cli.app import app
from agent.leads.store import store_leads
from graphs.lead import Lead
from storage.database import Database


async def two_leads(url: str) -> list[int]:
    async with await Database.connect(url, migrate=True) as db:
        return await store_leads(
            db,
            [
                Lead(name="Maya Okafor", company="Northwind", email="maya@northwind.example"),
                Lead(name="Jonas Weber", company="Quietpeak", email="jonas@quietpeak.example"),
            ],
        )


def test_people_set_won_and_the_list_shows_each_stage(database_url: str) -> None:
    maya, jonas = asyncio.run(two_leads(database_url))
    runner = CliRunner(env={"OUTREACH_DATABASE_URL": database_url, "COLUMNS": "200"})

    def listed(*args: str) -> dict[int, str]:
        result = runner.invoke(app, ["leads", "--json", *args])
        assert result.exit_code == 0, result.output
        rows = [json.loads(line) for line in result.stdout.splitlines()]
        return {row["id"]: row["stage"] for row in rows}

    assert listed() == {maya: "new", jonas: "new"}
    done = runner.invoke(app, ["leads", "stage", str(maya), "won"])
    assert done.exit_code == 0, done.output
    assert "Maya Okafor" in done.stdout and "won" in done.stdout
    assert listed("--stage", "won") == {maya: "won"}
    assert listed("--stage", "new") == {jonas: "new"}
    table = runner.invoke(app, ["leads"])
    assert "Jonas Weber" in table.stdout and "won" in table.stdout


def test_a_stage_people_do_not_set_or_a_missing_lead_is_a_clear_error(database_url: str) -> None:
    asyncio.run(two_leads(database_url))
    runner = CliRunner(env={"OUTREACH_DATABASE_URL": database_url})
    wrong = runner.invoke(app, ["leads", "stage", "1", "interested"])
    assert wrong.exit_code == 2 and "meeting_booked" in wrong.output
    missing = runner.invoke(app, ["leads", "stage", "99999", "lost"])
    assert missing.exit_code == 1 and "no lead 99999" in missing.output
    unknown = runner.invoke(app, ["leads", "--stage", "hot"])
    assert unknown.exit_code == 2


def test_the_list_shows_each_leads_language_where_one_was_given(database_url: str) -> None:
    async def store() -> None:
        async with await Database.connect(database_url, migrate=True) as db:
            await store_leads(
                db,
                [
                    Lead(name="Jonas Weber", company="Bergwerk", email="j@bergwerk.example",
                         language="de"),
                    Lead(name="Maya Okafor", company="Northwind", email="m@northwind.example"),
                ],
            )  # fmt: skip

    asyncio.run(store())
    runner = CliRunner(env={"OUTREACH_DATABASE_URL": database_url, "COLUMNS": "200"})
    listed = runner.invoke(app, ["leads", "--json"])
    assert listed.exit_code == 0, listed.output
    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    assert {row["name"]: row["language"] for row in rows} == {
        "Jonas Weber": "de",
        "Maya Okafor": None,
    }
    table = runner.invoke(app, ["leads"]).stdout
    assert "language" in table
    jonas = next(line for line in table.splitlines() if "Jonas Weber" in line)
    assert " de " in jonas
