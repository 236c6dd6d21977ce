"""`outreach tasks` as a person uses it: what is due, the text to copy, done and skip."""

from __future__ import annotations

import asyncio
import datetime as dt
import json

import pytest
from sqlalchemy import update
from typer.testing import CliRunner

from agent.cli.tasks import tasks_app
from storage.database import Database
from storage.sequence_models import TaskRow
from tests.storage.test_tasks import CONNECT_NOTE, SCRIPT, Seeded, seed_database
from tools.facts import utc_now


@pytest.fixture
def runner(database_url: str) -> CliRunner:
    return CliRunner(env={"OUTREACH_DATABASE_URL": database_url, "COLUMNS": "200"})


@pytest.fixture
def seeded(database_url: str) -> Seeded:
    """Maya's call, overdue since yesterday, and her connection request, due in two days."""
    now = utc_now()
    return asyncio.run(
        seed_database(
            database_url,
            call_due=now - dt.timedelta(days=1),
            connect_due=now + dt.timedelta(days=2),
        )
    )


def test_the_default_list_shows_what_is_due_now(runner: CliRunner, seeded: Seeded) -> None:
    listed = runner.invoke(tasks_app, [])
    assert listed.exit_code == 0, listed.output
    assert "Tasks (1)" in listed.output
    assert "Call Maya Okafor (Northwind Robotics)" in listed.output
    assert "+1 202 555 0110" in listed.output and "connection request" not in listed.output

    everything = runner.invoke(tasks_app, ["list", "--all", "--json"])
    assert everything.exit_code == 0, everything.output
    items = [json.loads(line) for line in everything.output.splitlines()]
    assert [(i["id"], i["kind"]) for i in items] == [
        (seeded.call_task_id, "call"),
        (seeded.connect_task_id, "linkedin_connect"),
    ]
    assert items[1]["body"] == CONNECT_NOTE and items[0]["lead"] == "Maya Okafor"

    mine = runner.invoke(tasks_app, ["--all", "--campaign", "brightpath-seq"])
    assert "Tasks (2)" in mine.output
    unknown = runner.invoke(tasks_app, ["--campaign", "nope"])
    assert unknown.exit_code == 1 and "there is no campaign 'nope'" in unknown.output


def test_show_prints_the_text_to_paste_and_the_whole_call_script(
    runner: CliRunner, seeded: Seeded
) -> None:
    note = runner.invoke(tasks_app, ["show", str(seeded.connect_task_id)])
    assert note.exit_code == 0, note.output
    assert "Text to paste" in note.output and CONNECT_NOTE in note.output
    assert "https://www.linkedin.com/in/maya-okafor-example" in note.output

    call = runner.invoke(tasks_app, ["show", str(seeded.call_task_id)])
    assert call.exit_code == 0, call.output
    out = call.output
    assert "Phone: +1 202 555 0110" in out
    for part in (SCRIPT["opener"], SCRIPT["reason"], SCRIPT["voicemail"]):
        assert part in out  # on one line each, ready to copy
    assert "1. How long does a build take at Northwind Robotics today?" in out
    assert "• We already have a tool.\n  → Worth a quick comparison?" in out
    assert "The script failed checks" in out and "question 2: check the wording" in out


def test_done_and_skip_finish_a_task_once(runner: CliRunner, seeded: Seeded) -> None:
    call_id, connect_id = seeded.call_task_id, seeded.connect_task_id
    done = runner.invoke(tasks_app, ["done", str(call_id), "--note", "left a voicemail"])
    assert done.exit_code == 0, done.output
    assert f"Task {call_id} marked done: Call Maya Okafor" in done.output
    assert "No open tasks due now" in runner.invoke(tasks_app, []).output
    shown = runner.invoke(tasks_app, ["show", str(call_id)]).output
    assert "· done ·" in shown and ": left a voicemail" in shown

    again = runner.invoke(tasks_app, ["skip", str(call_id)])
    assert again.exit_code == 1
    assert f"task {call_id} is already done; only an open task" in again.output
    assert len(again.output.strip().splitlines()) == 1 and "Traceback" not in again.output

    skipped = runner.invoke(tasks_app, ["skip", str(connect_id)])
    assert skipped.exit_code == 0 and f"Task {connect_id} marked skipped" in skipped.output
    finished = runner.invoke(tasks_app, ["--status", "skipped", "--json"])
    assert [json.loads(line)["id"] for line in finished.output.splitlines()] == [connect_id]

    missing = runner.invoke(tasks_app, ["done", "999"])
    assert missing.exit_code == 1 and "there is no task 999" in missing.output
    huge = runner.invoke(tasks_app, ["show", str(2**40)])
    assert huge.exit_code == 1 and "task ids are positive numbers" in huge.output


def test_a_call_done_with_a_meeting_booked_and_what_is_refused(
    runner: CliRunner, seeded: Seeded
) -> None:
    call_id, connect_id = seeded.call_task_id, seeded.connect_task_id
    for args, said in (
        (["done", str(connect_id), "--meeting-booked"], "a meeting is booked by marking a call"),
        (["done", str(call_id), "--note", "x" * 2001], "a task's note is at most 2000 characters"),
    ):
        refused = runner.invoke(tasks_app, args)
        assert refused.exit_code == 1 and said in refused.output
        assert "Traceback" not in refused.output
    booked = runner.invoke(tasks_app, ["done", str(call_id), "--meeting-booked", "--note", "Tue"])
    assert booked.exit_code == 0, booked.output
    assert f"Task {call_id} marked done, meeting booked: Call Maya Okafor" in booked.output
    assert ": meeting booked: Tue" in runner.invoke(tasks_app, ["show", str(call_id)]).output


def test_text_from_leads_and_pages_is_printed_as_written(
    runner: CliRunner, seeded: Seeded, database_url: str
) -> None:
    hostile = "Hi [bold red]Maya[/] [link=http://evil.example]click[/link]"

    async def tamper() -> None:
        async with await Database.connect(database_url) as db, db.sessions.begin() as session:
            await session.execute(
                update(TaskRow).where(TaskRow.id == seeded.connect_task_id).values(body=hostile)
            )

    asyncio.run(tamper())
    shown = runner.invoke(tasks_app, ["show", str(seeded.connect_task_id)])
    assert shown.exit_code == 0, shown.output
    assert hostile in shown.output


def test_help_explains_the_commands() -> None:
    helped = CliRunner().invoke(tasks_app, ["--help"])
    assert helped.exit_code == 0
    text = " ".join(helped.output.split())
    assert "LinkedIn steps and calls" in text
    for command in ("list", "show", "done", "skip"):
        assert command in text
