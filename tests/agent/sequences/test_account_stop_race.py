"""An interested reply stopping a colleague's sequence while the scheduler writes or sends the
colleague's next step, on PostgreSQL, as two processes would.

The reply locks the colleague's rows with the replier's in storage/lock_order.py's order (steps,
leads, enrolments, messages, tasks) before it writes anything; the scheduler takes the
colleague's step, then the rest. Each round seeds a replier and a colleague at one company
(the race harness's leads all work at northwind.example) and races the replier's answer against
the scheduler's next write or send for the colleague, with jitter where each holds its locks.
Whoever wins, no writer fails (no DeadlockDetectedError), the colleague's sequence ends
stopped, and nothing goes out to the colleague that was decided after the stop.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from sqlalchemy import select

import agent.replies.account_stop as account_stop_module
from storage.models import LeadRow, MessageRow
from storage.sequence_models import SequenceEnrollmentRow, SequenceStepRow
from tests.agent.sequences.test_reply_scheduler_race import (
    NOW,
    ROUND_TIMEOUT_S,
    ROUNDS,
    Race,
    Seeded,
    dispatch_message,
    dispatcher,
    race,
    reply_to,
    seed,
    settle_step,
    settler,
    watch_the_dispatcher,
    watch_the_settler,
    write_step,
)

__all__ = ["race"]  # the harness's fixture, used here by name
pytestmark = pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
COLLEAGUE_OFFSET = 5_000
"""Colleagues are harness leads numbered past the repliers, at the same company."""


def watch_the_account_stop(race: Race, monkeypatch: pytest.MonkeyPatch) -> None:
    """Jitter the account stop between colleagues' writes; note when each was stopped."""
    stop = account_stop_module.stop_lead_sequences

    async def noted_stop(session: Any, **kwargs: Any) -> int:
        await race.jitter()
        stopped = await stop(session, **kwargs)
        race.stopped[kwargs["lead_id"]] = next(race.ticks)
        return stopped

    monkeypatch.setattr(account_stop_module, "stop_lead_sequences", noted_stop)


async def check_colleague(race: Race, colleague: Seeded) -> None:
    async with race.scheduler_db.sessions() as session:
        lead = await session.get(LeadRow, colleague.lead_id)
        enrolment = await session.scalar(
            select(SequenceEnrollmentRow).where(SequenceEnrollmentRow.lead_id == colleague.lead_id)
        )
        steps = {
            row.step: row.status
            for row in await session.scalars(
                select(SequenceStepRow).where(SequenceStepRow.lead_id == colleague.lead_id)
            )
        }
        messages = list(
            await session.scalars(select(MessageRow).where(MessageRow.lead_id == colleague.lead_id))
        )
    assert lead is not None and lead.status in ("sent", "approved")  # not marked as replying
    assert enrolment is not None and enrolment.status == "stopped"
    assert enrolment.stop_reason is not None and "replied with interest" in enrolment.stop_reason
    went_out = any(m.sequence_step == 1 and m.id in race.sent for m in messages)
    assert steps[1] == "sent" and steps[2] in (("stopped", "sent") if went_out else ("stopped",))
    for message in (m for m in messages if m.sequence_step > 0):
        if message.id in race.sent:  # went out: decided before the stop
            assert race.decided[message.id] < race.stopped[colleague.lead_id], message.id
        else:
            assert message.status == "stopped", (message.id, message.status)


async def run_rounds(
    race: Race, scheduler: Callable[[Race, Seeded], Awaitable[None]], *, second: str
) -> None:
    failures: list[str] = []
    for n in range(ROUNDS):
        race.now = NOW + dt.timedelta(minutes=5 * n)
        replier = await seed(race, n, second="waiting")
        colleague = await seed(race, COLLEAGUE_OFFSET + n, second=second)
        results = await asyncio.wait_for(
            asyncio.gather(
                reply_to(race, replier, n), scheduler(race, colleague), return_exceptions=True
            ),
            ROUND_TIMEOUT_S,
        )
        errors = [
            f"round {n}: the {writer} failed: {type(result).__name__}: {result}"
            for writer, result in zip(("reply", "scheduler"), results, strict=True)
            if isinstance(result, BaseException)
        ]
        failures += errors
        if not errors:
            await check_colleague(race, colleague)
    assert not failures, f"{len(failures)} of {ROUNDS} rounds failed:\n" + "\n".join(failures)
    sent = list(race.sent)
    await settler(race).settle_all()
    await dispatcher(race).dispatch()
    assert race.sent == sent  # nothing more to anyone at the account


@pytest.mark.parametrize(
    ("race", "second", "scheduler", "watch"),
    [
        pytest.param("sms", "waiting", settle_step, watch_the_settler, id="settler-texts"),
        pytest.param("email", "waiting", dispatch_message, watch_the_dispatcher, id="dispatcher"),
        pytest.param("email", "claimed", write_step, None, id="runner-writes"),
    ],
    indirect=["race"],
)
async def test_an_interested_reply_and_the_scheduler_on_a_colleague_never_deadlock(
    race: Race,
    second: str,
    scheduler: Callable[[Race, Seeded], Awaitable[None]],
    watch: Callable[[Race, pytest.MonkeyPatch], None] | None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The settler texting a colleague's next step, the dispatcher emailing it, or the step
    runner storing it, while the replier's interested answer comes in."""
    watch_the_account_stop(race, monkeypatch)
    if watch is not None:
        watch(race, monkeypatch)
    await run_rounds(race, scheduler, second=second)
