"""Resuming one API run by hand (the console's "Resume the run"): a run cut off mid-way
finishes with each lead written once; an unknown, finished or running one is refused."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import pytest
from sqlalchemy import func, select

from agent.runs.background import BackgroundRuns, ResumeRefused, RunRequest
from agent.settings import Settings
from storage.database import Database
from storage.models import CampaignRow, MessageRow, RunRow
from storage.runs import finished_threads
from tests.agent.workers.cluster import seed_campaign
from tests.demo_people import people


async def _interrupted_run(
    db: Database, settings: Settings, campaign_id: int, leads: list[int]
) -> str:
    """Start a run and stop the server once its first lead is stored, as a restart would."""
    runs = BackgroundRuns(db, settings)
    async with db.sessions() as session:
        campaign = await session.get(CampaignRow, campaign_id)
    assert campaign is not None
    first_stored = asyncio.Event()
    run_id = await runs.start(
        campaign, RunRequest(lead_ids=leads), on_record=lambda _: first_stored.set()
    )
    await asyncio.wait_for(first_stored.wait(), 300)  # a guard against hanging, not a timing
    await runs.close()
    return run_id


async def _stored(db: Database, run_id: str) -> tuple[str, int, list[int], int]:
    async with db.sessions() as session:
        run = await session.get(RunRow, run_id)
        assert run is not None
        per_lead = await session.execute(
            select(MessageRow.lead_id, func.count())
            .where(MessageRow.run_id == run_id)
            .group_by(MessageRow.lead_id)
        )
        counts = sorted(lead for lead, count in per_lead for _ in range(count))
        done = len(await finished_threads(session, run_id=run_id))
    return run.status, run.processed, counts, done


async def test_a_cut_off_run_resumes_once_and_a_finished_one_is_refused(
    database_url: str, offline_settings: Callable[..., Settings]
) -> None:
    settings = offline_settings(concurrency=1)
    campaign_id, leads = await seed_campaign(
        database_url, people(("maya", "priya", "jonas"), 1), sender="ana@brightpath.example"
    )
    async with await Database.connect(database_url) as db:
        run_id = await _interrupted_run(db, settings, campaign_id, leads)
        status, processed, _, _ = await _stored(db, run_id)
        assert status == "interrupted" and 1 <= processed < len(leads)

        runs = BackgroundRuns(db, settings)  # the next server process
        with pytest.raises(ResumeRefused, match="there is no run nosuchrun") as unknown:
            await runs.resume("nosuchrun")
        assert unknown.value.reason == "unknown"

        await runs.resume(run_id)
        with pytest.raises(ResumeRefused, match="still being worked on") as twice:
            await runs.resume(run_id)  # a second click while it runs starts nothing
        assert twice.value.reason == "running"
        await runs.wait(run_id)

        status, processed, per_lead, done = await _stored(db, run_id)
        assert status == "completed" and processed == len(leads) == done
        assert per_lead == sorted(leads)  # every lead written, none twice

        with pytest.raises(ResumeRefused, match="nothing left to resume") as finished:
            await runs.resume(run_id)
        assert finished.value.reason == "finished"
        await runs.close()

        # Another server finished it between this one's check and its taking the run's lock
        # (the check passed a moment before): the late start leaves the run as it is.
        late = BackgroundRuns(db, settings)
        late._spawn(run_id, resume=True)
        assert await late.wait(run_id) is None
        assert await _stored(db, run_id) == (status, processed, per_lead, done)
        await late.close()
