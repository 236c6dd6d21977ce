"""Replies fed in the way real ones arrive (the Inbound Parse webhook, so the classifier's
intent, reason and actions are real), and a LinkedIn task as the scheduler stores one."""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx
from fastapi.testclient import TestClient

from agent.sequences.tasks import call_task_fields, linkedin_task_fields
from graphs.call_scripts import CallScript, Objection
from storage.database import Database
from storage.tasks import create_task

INBOUND_URL = "/api/v1/webhooks/inbound"
HOSTILE_TEXT = "<img src=x onerror=alert(1)>"
"""A reply that would run a script if a page inserted it as markup."""
INTERESTED = "Yes, interested - can you send more details?"


def post_reply(
    client: httpx.Client | TestClient,
    message: dict[str, Any],
    email: str,
    text: str,
    *,
    n: int,
    minute: int = 0,
) -> dict[str, Any]:
    """Post a reply from the lead to the message's plus address; return the webhook's answer."""
    headers = (
        f"Message-ID: <console-reply-{n}@example.net>\n"
        f"From: {email}\n"
        f"Date: Wed, 18 Nov 2026 09:{minute:02d}:00 +0000\n"
    )
    answer = client.post(
        INBOUND_URL,
        files={"headers": (None, headers), "text": (None, text), "from": (None, email),
               "to": (None, f"replies+{message['id']}@brightpath.example"),
               "subject": (None, "Re: your note")},
    )  # fmt: skip
    assert answer.status_code == 200, answer.text
    assert answer.json()["matched"] is True, answer.text
    return dict(answer.json())


async def store_linkedin_task(
    db: Database, message: dict[str, Any], lead_name: str, company: str, text: str
) -> int:
    """Store the task a sequence's LinkedIn step makes for the message's lead; return its id."""
    title, body, link = linkedin_task_fields(
        lead_name, company, "https://www.linkedin.com/in/example", text, "linkedin_message"
    )
    async with db.sessions.begin() as session:
        task = await create_task(
            session, campaign_id=message["campaign_id"], lead_id=message["lead_id"],
            step_id=None, kind="linkedin_message", title=title, body=body, script=None,
            link=link, due_at=dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC),
        )  # fmt: skip
        await session.flush()
        return task.id


CALL_SCRIPT = CallScript(
    opener="Hi, this is Alex from Brightpath.",
    reason="You wrote about flaky CI <b>last week</b>; we cut build times for teams like yours.",
    discovery_questions=["How long does a build take today?", "Who owns the CI setup?"],
    objections=[
        Objection(objection="We have no budget.", answer="It pays for itself in saved hours."),
        Objection(objection="Not now.", answer="May I send a two-line note for later?"),
    ],
    voicemail="Hi, Alex from Brightpath here about CI times; please call me back.",
)


async def store_call_task(db: Database, message: dict[str, Any], lead_name: str) -> int:
    """Store the task a sequence's call step makes for the message's lead; return its id."""
    title, body, script, link = call_task_fields(lead_name, "", "+1 415 555 0100", CALL_SCRIPT)
    async with db.sessions.begin() as session:
        task = await create_task(
            session, campaign_id=message["campaign_id"], lead_id=message["lead_id"],
            step_id=None, kind="call", title=title, body=body, script=script,
            link=link, due_at=dt.datetime(2026, 11, 21, 9, 0, tzinfo=dt.UTC),
        )  # fmt: skip
        await session.flush()
        return task.id
