"""Tasks for a person on both backends: one per step, listed by due time, finished once."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from typing import Any

import pytest

from agent.sequences.tasks import call_task_fields, linkedin_task_fields
from graphs.call_scripts import CallScript
from storage.database import Database
from storage.models import CampaignRow, LeadRow
from storage.sequence_models import SequenceEnrollmentRow, SequenceStepRow
from storage.tasks import (
    TaskNotOpen,
    as_utc,
    count_tasks,
    create_task,
    finish_task,
    get_task,
    list_tasks,
)
from tests.conftest import NOW

CONNECT_NOTE = "Hi Maya, your monorepo post was a good read. Open to connecting? Alex"
SCRIPT: dict[str, Any] = {
    "opener": "Hi Maya, this is Alex Rivera from Brightpath, do you have two minutes?",
    "reason": "I read your post “What we learned moving 40 services into one monorepo”. "
    "Brightpath finds the slow and flaky builds that hold CI back.",
    "reason_fact_ids": ["f_post"],
    "discovery_questions": [
        "How long does a build take at Northwind Robotics today?",
        "What happens when a flaky test blocks a merge?",
    ],
    "objections": [
        {"objection": "It is not a priority right now.", "answer": "Could I check back later?"},
        {"objection": "We already have a tool.", "answer": "Worth a quick comparison?"},
    ],
    "voicemail": "Hi Maya, this is Alex Rivera from Brightpath about your monorepo post. "
    "Please call me back when it suits you.",
}


@dataclass(frozen=True)
class Seeded:
    """A lead enrolled in a campaign's sequence, with a LinkedIn and a call step waiting."""

    campaign_id: int
    lead_id: int
    connect_step_id: int
    call_step_id: int
    connect_task_id: int | None = None
    call_task_id: int | None = None


async def seed_steps(db: Database, *, name: str = "brightpath-seq") -> Seeded:
    """Store a campaign, Maya, her enrolment and two steps in status "task"."""
    async with db.sessions.begin() as session:
        campaign = CampaignRow(
            name=name, channel="email", value_proposition="Brightpath finds slow builds."
        )
        lead = LeadRow(
            name="Maya Okafor",
            company="Northwind Robotics",
            email=f"maya@{name}.example",
            email_normalized=f"maya@{name}.example",
            phone="+1 202 555 0110",
            linkedin_url="https://www.linkedin.com/in/maya-okafor-example",
        )
        session.add_all([campaign, lead])
        await session.flush()
        enrollment = SequenceEnrollmentRow(campaign_id=campaign.id, lead_id=lead.id, current_step=4)
        session.add(enrollment)
        await session.flush()
        steps = [
            SequenceStepRow(
                enrollment_id=enrollment.id,
                campaign_id=campaign.id,
                lead_id=lead.id,
                step=step,
                kind=kind,
                channel=channel,
                due_at=NOW,
                status="task",
            )
            for step, kind, channel in (
                (2, "soft_nudge", "linkedin_connect"),
                (4, "direct_cta", "call"),
            )
        ]
        session.add_all(steps)
        await session.flush()
        return Seeded(campaign.id, lead.id, steps[0].id, steps[1].id)


async def seed_tasks(
    db: Database, *, connect_due: dt.datetime, call_due: dt.datetime, name: str = "brightpath-seq"
) -> Seeded:
    """Store Maya's steps and her two tasks as the scheduler would."""
    seeded = await seed_steps(db, name=name)
    async with db.sessions.begin() as session:
        title, body, link = linkedin_task_fields(
            "Maya Okafor", "Northwind Robotics", "https://www.linkedin.com/in/maya-okafor-example",
            CONNECT_NOTE, "linkedin_connect",
        )  # fmt: skip
        connect = await create_task(
            session, campaign_id=seeded.campaign_id, lead_id=seeded.lead_id,
            step_id=seeded.connect_step_id, kind="linkedin_connect", title=title, body=body,
            script=None, link=link, due_at=connect_due,
        )  # fmt: skip
        title, body, script, link = call_task_fields(
            "Maya Okafor", "Northwind Robotics", "+1 202 555 0110",
            CallScript.model_validate(SCRIPT), issues=["question 2: check the wording"],
        )  # fmt: skip
        call = await create_task(
            session, campaign_id=seeded.campaign_id, lead_id=seeded.lead_id,
            step_id=seeded.call_step_id, kind="call", title=title, body=body, script=script,
            link=link, due_at=call_due,
        )  # fmt: skip
        await session.flush()
        return replace(seeded, connect_task_id=connect.id, call_task_id=call.id)


async def seed_database(url: str, *, connect_due: dt.datetime, call_due: dt.datetime) -> Seeded:
    """Migrate the database at url and seed Maya's two tasks (for the CLI and API tests)."""
    async with await Database.connect(url, migrate=True) as db:
        return await seed_tasks(db, connect_due=connect_due, call_due=call_due)


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    async with await Database.connect(database_url, migrate=True) as opened:
        yield opened


async def test_creating_a_task_twice_for_a_step_keeps_the_first(db: Database) -> None:
    seeded = await seed_steps(db)
    fields: dict[str, Any] = {
        "campaign_id": seeded.campaign_id, "lead_id": seeded.lead_id,
        "step_id": seeded.call_step_id, "kind": "call", "body": "voicemail", "script": SCRIPT,
        "link": "+1 202 555 0110", "due_at": NOW,
    }  # fmt: skip
    async with db.sessions.begin() as session:
        first = await create_task(session, title="Call Maya Okafor", **fields)
        again = await create_task(session, title="Call Maya again", **fields)
        assert again.id == first.id
    async with db.sessions.begin() as session:
        third = await create_task(session, title="Call Maya a third time", **fields)
        tasks = await list_tasks(session)
    assert third.id == first.id
    assert [(t.id, t.title, t.status) for t in tasks] == [(first.id, "Call Maya Okafor", "open")]
    assert tasks[0].script["voicemail"] == SCRIPT["voicemail"]


async def test_finishing_a_task_finishes_its_step(db: Database) -> None:
    seeded = await _two_tasks(db)
    done_at = NOW + dt.timedelta(hours=2)
    async with db.sessions.begin() as session:
        done = await finish_task(
            session, seeded.call_task_id or 0, outcome="done", note="left a voicemail", now=done_at
        )
        skipped = await finish_task(
            session, seeded.connect_task_id or 0, outcome="skipped", now=done_at
        )
    assert (done.status, done.note, skipped.status, skipped.note) == (
        "done", "left a voicemail", "skipped", None,
    )  # fmt: skip
    async with db.sessions() as session:
        call_step = await session.get(SequenceStepRow, seeded.call_step_id)
        connect_step = await session.get(SequenceStepRow, seeded.connect_step_id)
        task = await get_task(session, seeded.call_task_id or 0)
    assert call_step is not None and connect_step is not None and task is not None
    assert (call_step.status, connect_step.status) == ("done", "skipped")
    assert call_step.finished_at is not None and as_utc(call_step.finished_at) == done_at
    assert task.completed_at is not None and as_utc(task.completed_at) == done_at


async def test_a_task_is_finished_once_and_unknown_ones_are_named(db: Database) -> None:
    seeded = await _two_tasks(db)
    task_id = seeded.call_task_id or 0
    async with db.sessions.begin() as session:
        await finish_task(session, task_id, outcome="skipped", now=NOW)
    with pytest.raises(TaskNotOpen, match=f"task {task_id} is already skipped"):
        async with db.sessions.begin() as session:
            await finish_task(session, task_id, outcome="done", now=NOW)
    with pytest.raises(LookupError, match="there is no task 999"):
        async with db.sessions.begin() as session:
            await finish_task(session, 999, outcome="done", now=NOW)
    async with db.sessions() as session:
        step = await session.get(SequenceStepRow, seeded.call_step_id)
        task = await get_task(session, task_id)
    assert step is not None and task is not None
    assert (task.status, step.status) == (
        "skipped",
        "skipped",
    )  # the refused "done" changed nothing


async def test_a_step_stopped_meanwhile_stays_stopped(db: Database) -> None:
    seeded = await _two_tasks(db)
    async with db.sessions.begin() as session:
        step = await session.get(SequenceStepRow, seeded.call_step_id)
        assert step is not None
        step.status = "stopped"  # the lead replied before the call was made
    async with db.sessions.begin() as session:
        await finish_task(session, seeded.call_task_id or 0, outcome="done", now=NOW)
    async with db.sessions() as session:
        step = await session.get(SequenceStepRow, seeded.call_step_id)
    assert step is not None and step.status == "stopped"


async def test_tasks_are_listed_by_due_time_and_filtered(db: Database) -> None:
    seeded = await _two_tasks(db)
    async with db.sessions() as session:
        everything = await list_tasks(session)
        due_now = await list_tasks(session, status="open", due_before=NOW)
        other = await list_tasks(session, campaign_id=seeded.campaign_id + 1)
        paged = await list_tasks(session, limit=1, offset=1)
        counted = await count_tasks(session, status="open", due_before=NOW)
    assert [t.kind for t in everything] == ["call", "linkedin_connect"]  # the overdue call first
    assert [t.id for t in due_now] == [seeded.call_task_id] and counted == 1
    assert other == [] and [t.id for t in paged] == [seeded.connect_task_id]
    call = everything[0]
    assert call.title == "Call Maya Okafor (Northwind Robotics)"
    assert call.link == "+1 202 555 0110" and call.body == SCRIPT["voicemail"]
    assert call.script["issues"] == ["question 2: check the wording"]
    connect = everything[1]
    assert connect.title == "Send Maya Okafor (Northwind Robotics) a connection request on LinkedIn"
    assert connect.body == CONNECT_NOTE
    assert connect.link == "https://www.linkedin.com/in/maya-okafor-example"


def test_task_text_never_links_to_anything_but_a_web_profile_or_a_phone() -> None:
    title, _, link = linkedin_task_fields(
        "Mallory", "Evil [bold]Corp[/]", "javascript:alert(1)", "Hi", "linkedin_message"
    )
    assert link is None and "no profile link on file" in title
    title, _, _, phone = call_task_fields(
        "Mallory", "Evil Corp", "call http://evil.example", CallScript.model_validate(SCRIPT)
    )
    assert phone is None and title == "Call Mallory (Evil Corp) (no phone number on file)"
    # No model could write a script: the call still goes to a person, flagged.
    _, body, script, phone = call_task_fields(
        "Maya Okafor", "Northwind", "(202) 555-0110", None, issues=["no call script"]
    )
    assert (body, script, phone) == ("", {"issues": ["no call script"]}, "(202) 555-0110")
    with pytest.raises(ValueError, match="not 'call'"):
        linkedin_task_fields("Maya", "Northwind", None, "Hi", "call")


async def _two_tasks(db: Database) -> Seeded:
    """Maya's call, overdue since yesterday, and her connection request, due tomorrow."""
    day = dt.timedelta(days=1)
    return await seed_tasks(db, connect_due=NOW + day, call_due=NOW - day)
