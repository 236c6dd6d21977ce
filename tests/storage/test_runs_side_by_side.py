"""Two workers (two connections, as two processes have) start and count one run side by side:
the sequence step's run is recorded once and neither worker fails, and no count is lost."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from sqlalchemy import func, select

from storage.database import Database
from storage.models import CampaignRow, CountedLeadRow, RunRow
from storage.runs import count_outcome, ensure_run

RUN = "seq-1-step-1"


async def campaign_id(db: Database) -> int:
    async with db.sessions.begin() as session:
        campaign = CampaignRow(name="side", channel="email", value_proposition="Builds.")
        session.add(campaign)
        await session.flush()
        return campaign.id


async def until_blocked(task: asyncio.Task[Any]) -> None:
    """Give the other worker time to reach the row the first one holds (if it has not got
    there yet, it finds the row committed instead: both orders must work)."""
    await asyncio.wait({task}, timeout=0.5)


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_two_workers_starting_one_run_both_go_on(database_url: str) -> None:
    async with (
        await Database.connect(database_url, migrate=True) as first,
        await Database.connect(database_url) as second,
    ):
        campaign = await campaign_id(first)

        async def other_worker() -> None:
            async with second.sessions.begin() as session:
                await ensure_run(session, run_id=RUN, campaign_id=campaign, options={})

        async with first.sessions.begin() as session:
            await ensure_run(session, run_id=RUN, campaign_id=campaign, options={})
            task = asyncio.create_task(other_worker())
            await until_blocked(task)
        await task  # raised IntegrityError before the fix

        async with first.sessions() as session:
            runs = await session.scalar(select(func.count()).select_from(RunRow))
        assert runs == 1


@asynccontextmanager
async def two_workers_on_a_run(url: str) -> AsyncIterator[tuple[Database, Database]]:
    """Two connections to one database (as two processes have), whose campaign's run exists."""
    async with (
        await Database.connect(url, migrate=True) as first,
        await Database.connect(url) as second,
    ):
        campaign = await campaign_id(first)
        async with first.sessions.begin() as session:
            await ensure_run(session, run_id=RUN, campaign_id=campaign, options={})
        yield first, second


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_two_workers_counting_one_run_lose_no_count(database_url: str) -> None:
    async with two_workers_on_a_run(database_url) as (first, second):

        async def other_worker() -> None:
            async with second.sessions.begin() as session:
                await count_outcome(session, run_id=RUN, decision="sent")

        async with first.sessions.begin() as session:
            await count_outcome(session, run_id=RUN, decision="sent")
            task = asyncio.create_task(other_worker())
            await until_blocked(task)
        await task

        async with first.sessions() as session:
            run = await session.get(RunRow, RUN)
        assert run is not None and (run.processed, run.sent) == (2, 2)


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
async def test_two_workers_each_holding_a_marker_count_their_leads_without_deadlock(
    database_url: str,
) -> None:
    """Each has inserted a lead's marker (which takes a key-share lock on the run row) when
    both go to count: neither lock may wait on the other's, or PostgreSQL aborts one (as a
    scheduler's step once failed: 23 of 24 leads sent)."""
    async with two_workers_on_a_run(database_url) as (first, second):
        async with (
            first.sessions() as one,
            second.sessions() as other,
            one.begin(),
            other.begin(),
        ):
            for session, thread in ((one, "a0"), (other, "b0")):
                session.add(CountedLeadRow(run_id=RUN, thread_id=thread, decision="kept"))
                await session.flush()
            counting = asyncio.create_task(
                count_outcome(one, run_id=RUN, decision="sent", thread="a1")
            )
            await until_blocked(counting)
            later = asyncio.create_task(
                count_outcome(other, run_id=RUN, decision="sent", thread="b1")
            )
            await until_blocked(later)
            assert await counting  # raised DeadlockDetectedError (or this one) before
            await one.commit()
            assert await later
        async with first.sessions() as session:
            run = await session.get(RunRow, RUN)
        assert run is not None and (run.processed, run.sent) == (2, 2)
