"""The offline command console end to end: typed commands drive real operations on a real
database (SQLite and PostgreSQL), with research on the loopback demo web and the offline writer.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import select

from agent.demo.fixtures import DEMO_TODAY
from agent.operator.chat_session import (
    AnswerRefused,
    ChatSession,
    ConfirmRequest,
    Event,
    Token,
    ToolProgress,
    ToolResult,
)
from agent.settings import Settings
from graphs.lead import Campaign
from storage.database import Database
from storage.leads import new_lead_row
from storage.models import LeadRow, MessageRow, RunRow
from tests.agent.operator.chat_helpers import seed_campaign
from tests.conftest import EXAMPLES


async def turn(chat: ChatSession, text: str, confirm: bool | None = None) -> list[Event]:
    """Say something; answer the confirmation it asks for, if told how."""
    events = [event async for event in chat.say(text)]
    if confirm is not None:
        question = events[-1]
        assert isinstance(question, ConfirmRequest), events
        events += [event async for event in chat.answer(confirm, question.question_id)]
    return events


def result(events: list[Event]) -> ToolResult:
    results = [e for e in events if isinstance(e, ToolResult)]
    assert results, f"no tool ran: {events}"
    return results[-1]


async def message_row(url: str, message_id: int) -> MessageRow:
    async with await Database.connect(url) as db, db.sessions() as session:
        row = await session.get(MessageRow, message_id)
        assert row is not None
        return row


async def test_the_console_runs_leads_explains_and_reviews_with_confirmation(
    chat_settings: Settings, campaign: Campaign, database_url: str
) -> None:
    await seed_campaign(database_url, campaign)
    async with ChatSession.open(chat_settings, reviewer="sam", clock=lambda: DEMO_TODAY) as chat:
        assert chat.offline
        imported = result(await turn(chat, f'import "{EXAMPLES / "leads.csv"}"'))
        assert imported.view.title.startswith("Imported 7 lead(s)")
        assert imported.view.rows and "email" in imported.view.rows[0][1]  # Chris Doyle's row

        async with await Database.connect(database_url) as db, db.sessions() as session:
            ids = list(await session.scalars(select(LeadRow.id).order_by(LeadRow.id)))
        run_events = await turn(chat, f"run {' '.join(map(str, ids))} in Q1 launch")
        ran = result(run_events)
        statuses = {row[2] for row in ran.view.rows}
        assert len(ran.view.rows) == 7 and "queued" in statuses and "rejected" in statuses
        # Each lead is reported as it finishes, before the run's table.
        progress = [e for e in run_events if isinstance(e, ToolProgress)]
        assert [p.update.done for p in progress] == list(range(1, 8)), progress
        assert {p.update.total for p in progress} == {7}
        assert run_events.index(progress[-1]) < run_events.index(ran)
        names = {row[1]: row[2] for row in ran.view.rows}
        assert {p.update.item: p.update.outcome for p in progress} == names

        queue = result(await turn(chat, "queue"))
        queued = [int(row[0]) for row in queue.view.rows]
        assert len(queued) >= 2, queue.view
        first, second = queued[:2]

        why = result(await turn(chat, f"why {first}"))
        assert any("bar 0.8" in line for line in why.view.lines), why.view.lines
        assert why.view.rows and all(row[2].startswith("http") for row in why.view.rows)

        shown = result(await turn(chat, f"show {first}"))
        assert any("variant 2 (friendly)" in line for line in shown.view.lines)

        lead_id = (await message_row(database_url, first)).lead_id
        lead = result(await turn(chat, f"lead {lead_id}"))
        assert lead.view.rows and any(line.startswith("hook 1:") for line in lead.view.lines)
        evidence = result(await turn(chat, f"evidence {lead_id} hook 1"))
        assert evidence.view.rows and evidence.view.rows[0][2].startswith("http")

        # Approving for send asks first; "no" changes nothing.
        declined = await turn(chat, f"approve {first} variant 2", confirm=False)
        ask = next(e for e in declined if isinstance(e, ConfirmRequest))
        assert ask.actions[0]["description"] == f"Approve message {first} (variant 2) for sending"
        assert result(declined).declined
        assert (await message_row(database_url, first)).status == "queued"

        approved = await turn(chat, f"approve {first} variant 2", confirm=True)
        assert not result(approved).error, result(approved).view
        row = await message_row(database_url, first)
        assert (row.status, row.selected_variant) == ("approved", "friendly")
        assert row.reviews[-1]["reviewer"] == "sam"

        await turn(chat, f"reject {second} because wrong persona")
        assert (await message_row(database_url, second)).status == "rejected"

        report = result(await turn(chat, "analytics Q1 launch"))
        assert report.view.title == "Campaign Q1 launch"
        assert any("no winner yet" in line for line in report.view.lines)

        sent = await turn(chat, "send Q1 launch", confirm=True)
        assert any("sent 1 ·" in line for line in result(sent).view.lines), result(sent).view
        assert (await message_row(database_url, first)).status == "sent"

        erased = await turn(chat, f"erase lead {lead_id}", confirm=True)
        assert result(erased).view.title == f"Lead {lead_id} erased"
        async with await Database.connect(database_url) as db, db.sessions() as session:
            assert await session.get(LeadRow, lead_id) is None

        missing = result(await turn(chat, f"lead {lead_id}"))
        assert missing.error and f"no lead {lead_id}" in missing.view.lines[0]
        chatter = await turn(chat, "please tell me how the campaign is going")
        assert any(isinstance(e, Token) and "OUTREACH_LLM_PROVIDER" in e.text for e in chatter)
        session_id = chat.session_id

    # The conversation is in the database: a new process resumes it by id.
    async with ChatSession.open(chat_settings, session_id=session_id) as resumed:
        history = await resumed.history()
        assert any(getattr(m, "text", "") == "queue" for m in history)
        assert await resumed.pending_confirmation() is None


async def test_a_confirmation_left_open_is_asked_again_after_a_restart(
    chat_settings: Settings, database_url: str
) -> None:
    async with ChatSession.open(chat_settings) as chat:
        events = await turn(chat, "delete lead 1")
        assert isinstance(events[-1], ConfirmRequest)
        session_id = chat.session_id
    async with ChatSession.open(chat_settings, session_id=session_id) as resumed:
        pending = await resumed.pending_confirmation()
        assert pending is not None and pending.actions[0]["tool"] == "delete_lead"
        answer = [event async for event in resumed.answer(False, pending.question_id)]
        assert result(answer).declined
        assert await resumed.pending_confirmation() is None


async def _leads(url: str, *names: str) -> list[int]:
    async with await Database.connect(url, migrate=True) as db:
        async with db.sessions.begin() as session:
            rows = [
                new_lead_row({"name": name, "company": "Acme", "email": f"{name[0]}@acme.io"})
                for name in names
            ]
            session.add_all(rows)
        return [row.id for row in rows]


async def _exists(url: str, lead_id: int) -> bool:
    async with await Database.connect(url) as db, db.sessions() as session:
        return await session.get(LeadRow, lead_id) is not None


async def test_two_windows_answering_one_question_run_its_action_once(
    chat_settings: Settings, database_url: str
) -> None:
    """The browser console and a terminal (or two servers) with the same conversation open,
    both answering Yes to the question they see: the first answer runs it, the other nothing."""
    [lead_id] = await _leads(database_url, "Dana Fox")
    async with ChatSession.open(chat_settings) as first:
        asked = (await turn(first, f"delete lead {lead_id}"))[-1]
        assert isinstance(asked, ConfirmRequest)
        async with ChatSession.open(chat_settings, session_id=first.session_id) as second:
            assert await second.pending_confirmation() == asked  # both windows show it

            async def yes(chat: ChatSession) -> list[Event] | AnswerRefused:
                try:
                    return [event async for event in chat.answer(True, asked.question_id)]
                except AnswerRefused as refused:
                    return refused

            answers = await asyncio.gather(yes(first), yes(second))
    ran = [a for a in answers if isinstance(a, list)]
    refused = [a for a in answers if isinstance(a, AnswerRefused)]
    assert len(ran) == 1 and len(refused) == 1, answers
    assert not result(ran[0]).error, result(ran[0]).view
    assert "nothing" in str(refused[0])
    assert not await _exists(database_url, lead_id)


async def test_a_yes_to_one_question_never_runs_the_next_one(
    chat_settings: Settings, database_url: str
) -> None:
    """A terminal shows "delete lead A"; the browser answers it and the agent asks about lead B
    meanwhile; the terminal's late Yes (to A) must not delete B."""
    lead_a, lead_b = await _leads(database_url, "Ann Lee", "Bob Ray")
    async with ChatSession.open(chat_settings) as browser:
        about_a = (await turn(browser, f"delete lead {lead_a}"))[-1]
        assert isinstance(about_a, ConfirmRequest)
        async with ChatSession.open(chat_settings, session_id=browser.session_id) as terminal:
            assert await terminal.pending_confirmation() == about_a  # the terminal shows A
            [event async for event in browser.answer(True, about_a.question_id)]
            about_b = (await turn(browser, f"delete lead {lead_b}"))[-1]
            assert isinstance(about_b, ConfirmRequest) and about_b != about_a
            with pytest.raises(AnswerRefused, match="question changed"):
                [event async for event in terminal.answer(True, about_a.question_id)]
    assert not await _exists(database_url, lead_a)
    assert await _exists(database_url, lead_b)


@pytest.mark.parametrize("stop", [ConnectionError("the database went away"), "cancelled"])
async def test_an_answer_stopped_before_anything_ran_can_be_given_again(
    chat_settings: Settings, database_url: str, monkeypatch: pytest.MonkeyPatch, stop: object
) -> None:
    """The turn failed, or was cancelled (Ctrl-C, a closed browser request), before the answer
    left the question: the question stays open to a new answer instead of being taken."""
    [lead_id] = await _leads(database_url, "Dana Fox")
    async with ChatSession.open(chat_settings) as chat:
        asked = (await turn(chat, f"delete lead {lead_id}"))[-1]
        assert isinstance(asked, ConfirmRequest)

        running = asyncio.Event()

        async def stopped(self: ChatSession, graph_input: object) -> AsyncIterator[Event]:
            if isinstance(stop, Exception):
                raise stop
            running.set()  # the answer is claimed and its turn under way
            await asyncio.Event().wait()  # until cancelled
            yield Token("")  # an async generator, as the real one

        async def answer_yes() -> None:
            [event async for event in chat.answer(True, asked.question_id)]

        with monkeypatch.context() as patched:
            patched.setattr(ChatSession, "_stream", stopped)
            if isinstance(stop, Exception):
                with pytest.raises(ConnectionError):
                    await answer_yes()
            else:
                task = asyncio.create_task(answer_yes())
                await running.wait()
                task.cancel()
                with pytest.raises(asyncio.CancelledError):
                    await task
        assert await chat.pending_confirmation() == asked  # still asked, and answerable
        assert result([e async for e in chat.answer(False, asked.question_id)]).declined
    assert await _exists(database_url, lead_id)


async def test_a_long_queue_lists_the_oldest_and_says_how_many_wait(
    chat_settings: Settings, campaign: Campaign, database_url: str
) -> None:
    campaign_id = await seed_campaign(database_url, campaign)
    async with await Database.connect(database_url) as db, db.sessions.begin() as session:
        session.add(RunRow(id="r1", campaign_id=campaign_id, total=25))
        for i in range(1, 26):
            lead = LeadRow(name=f"Lead {i}", company="Acme", email_normalized=f"l{i}@acme.example")
            session.add(lead)
            await session.flush()
            session.add(
                MessageRow(
                    campaign_id=campaign_id,
                    lead_id=lead.id,
                    run_id="r1",
                    status="queued",
                    reason="quality 0.70 below the bar",
                    variants=[],
                    generation={},
                )
            )
    async with ChatSession.open(chat_settings) as chat:
        queue = result(await turn(chat, "queue Q1 launch"))
    assert [row[1] for row in queue.view.rows] == [f"Lead {i}" for i in range(1, 21)]
    assert "25 wait; the oldest 20 are listed." in queue.view.lines
