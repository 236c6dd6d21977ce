"""The one order in which writers lock a lead's rows, so that no two of them wait on each other.

On PostgreSQL a transaction takes row locks as it goes: SELECT ... FOR UPDATE, every UPDATE and
DELETE (FOR NO KEY UPDATE, or FOR UPDATE for a delete), and FOR KEY SHARE on the parent row of
every foreign key it inserts. Two transactions that take two rows in opposite orders can wait
on each other, and PostgreSQL aborts one of them (DeadlockDetectedError). SQLite has a single
writer and never deadlocks, so there nothing here takes a lock. (Within one process the
`Database.write_lock` already serialises writers; these locks are for several processes: the
API server taking webhooks, `outreach worker` running sequences.)

The order. A transaction that writes several of these rows takes them in this order, the rows
of one table by ascending id, and never goes back to an earlier table:

1. campaigns: FOR UPDATE by a writer that changes a campaign (its status, a pause or resume,
   an enrolment, a send, a run's start), always first in its transaction; FOR KEY SHARE by a
   writer that will insert rows pointing at it (events, messages, tasks, counters);
2. sequence_steps;
3. leads;
4. sequence_enrollments;
5. messages;
6. tasks;
7. then the counters and logs, which only ever come last: variant_stats, campaign_tone_stats,
   runs, events, suppressions, deliveries, and the campaign's totals (an UPDATE takes FOR NO
   KEY UPDATE, which does not conflict with the KEY SHARE of 1).

Steps come before the lead because that is how the scheduler works, and it holds a step while
it writes everything else about it:
- StepRunner (_prepare, _write, _call_task, _fail) locks its claimed step (`locked_step`), then
  writes the enrolment (a gate that stops it), the lead and the message (`save_outcome`), or a
  task;
- StepSettler.settle locks the step, then writes its message, its enrolment (`_end`) or a new
  task; the send's record (`_record_sms`) must lock the step before the message too;
- Scheduler._advance_one marks the finished step, then locks the enrolment and the message
  (done by hand), then inserts the next step (a new row is nobody's lock);
- the Dispatcher locks only the message (`_one`, `_record`), then counters;
- `finish_task` locks the task's step, then the task;
- a pause or resume locks the campaign, then the steps, then the enrolment;
- a review (`claim_for_review`, `apply_review_outcome`) writes the lead, then the message.

Writers that start from a message, not a step, lock everything up front with `lock_lead_rows`:
every event about a message (`storage.engagement.record_engagements`: the SendGrid and Twilio
webhooks, inbound replies, the one-click unsubscribe, the status API), and `erase_lead`.
Rows are refreshed as they are locked, so what was read before the lock is current after it.

What no order covers: a row that appears after the locks were taken (a step the scheduler
schedules in the same moment) is locked when the writer reaches it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Base, CampaignRow, LeadRow, MessageRow
from storage.sequence_models import SequenceEnrollmentRow, SequenceStepRow, TaskRow

IN_LIST_MAX = 1000
"""Values per IN (...) list, well under SQLite's and asyncpg's bound-parameter limits."""
T = TypeVar("T")


def in_lists(values: Sequence[T]) -> Iterator[Sequence[T]]:
    """Split values into lists short enough for one IN (...) each."""
    for start in range(0, len(values), IN_LIST_MAX):
        yield values[start : start + IN_LIST_MAX]


def takes_row_locks(session: AsyncSession) -> bool:
    """Tell whether the database locks rows (PostgreSQL) or whole files (SQLite)."""
    return session.get_bind().dialect.name != "sqlite"


async def _ids(session: AsyncSession, column: Any, values: Iterable[int], *where: Any) -> list[int]:
    """Return, sorted, the ids of the rows whose `column` is one of values (not locked)."""
    model = column.class_
    found: set[int] = set()
    for chunk in in_lists(sorted(set(values))):
        found.update(await session.scalars(select(model.id).where(column.in_(chunk), *where)))
    return sorted(found)


async def lock_rows(session: AsyncSession, model: type[Base], ids: Iterable[int]) -> None:
    """Lock these rows FOR NO KEY UPDATE in id order, refreshing any the session holds
    (nothing on SQLite)."""
    if not takes_row_locks(session):
        return
    table: Any = model
    for chunk in in_lists(sorted(set(ids))):
        await session.scalars(
            select(table)
            .where(table.id.in_(chunk))
            .order_by(table.id)
            .with_for_update(key_share=True)
            .execution_options(populate_existing=True)
        )


async def lock_where(session: AsyncSession, model: type[Base], *where: Any) -> None:
    """Lock FOR NO KEY UPDATE, in id order, the rows that match (nothing on SQLite)."""
    if not takes_row_locks(session):
        return
    table: Any = model
    await session.scalars(
        select(table.id).where(*where).order_by(table.id).with_for_update(key_share=True)
    )


async def lock_lead_rows(
    session: AsyncSession,
    *,
    lead_ids: Iterable[int] = (),
    message_ids: Iterable[int] = (),
    campaign_ids: Iterable[int] = (),
) -> None:
    """Lock, in the order above, what a writer about to end or erase leads' sequences needs.

    The campaigns FOR KEY SHARE, then FOR NO KEY UPDATE: the leads' steps (finished ones too:
    the scheduler holds one while it schedules the next), the leads, their enrolments, their
    messages with the other `message_ids`, and their open tasks. A writer that only changes
    messages passes no lead ids. Nothing on SQLite.
    """
    if not takes_row_locks(session):
        return
    leads = sorted(set(lead_ids))
    for chunk in in_lists(sorted(set(campaign_ids))):
        await session.scalars(
            select(CampaignRow.id)
            .where(CampaignRow.id.in_(chunk))
            .order_by(CampaignRow.id)
            .with_for_update(read=True, key_share=True)
        )
    if leads:
        await lock_rows(
            session, SequenceStepRow, await _ids(session, SequenceStepRow.lead_id, leads)
        )
        await lock_rows(session, LeadRow, leads)
        await lock_rows(
            session,
            SequenceEnrollmentRow,
            await _ids(session, SequenceEnrollmentRow.lead_id, leads),
        )
    messages = set(message_ids) | set(await _ids(session, MessageRow.lead_id, leads))
    await lock_rows(session, MessageRow, messages)
    if leads:
        open_tasks = TaskRow.status == "open"
        await lock_rows(session, TaskRow, await _ids(session, TaskRow.lead_id, leads, open_tasks))
