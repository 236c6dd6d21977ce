"""`outreach worker` syncs to HubSpot beside its ticks: the leads reach HubSpot without anyone
running `outreach crm sync`, a HubSpot that answers 500 leaves the worker running, and without
a token nothing is started."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator

import pytest
from pydantic import SecretStr

from agent.crm.periodic import sync_periodically
from agent.settings import Settings
from storage.database import Database
from tests.agent.crm.crm_seeds import MAYA, seed
from tests.fakes.hubspot_fake import DEFAULT_TOKEN, HubSpotFake

WAIT_S = 60  # an upper bound on waiting for the fake to be written to, never a measurement


@pytest.fixture
def hubspot() -> Iterator[HubSpotFake]:
    with HubSpotFake() as fake:
        yield fake


def settings_for(url: str, hubspot: HubSpotFake, **more: object) -> Settings:
    return Settings(
        database_url=url,
        hubspot_access_token=SecretStr(DEFAULT_TOKEN),
        hubspot_base_url=hubspot.base_url,
        crm_sync_interval_s=0.05,
        **more,  # type: ignore[arg-type]
    )


async def until(condition: object, task: asyncio.Task[None]) -> None:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + WAIT_S
    while not condition() and loop.time() < deadline:  # type: ignore[operator]
        assert not task.done(), task  # the loop must keep running whatever HubSpot says
        await asyncio.sleep(0.05)


async def test_the_worker_syncs_on_its_own_and_outlives_a_failing_hubspot(
    database_url: str, hubspot: HubSpotFake
) -> None:
    async with await Database.connect(database_url, migrate=True) as db:
        await seed(db)
        hubspot.fail_next(500, times=4)  # the first turn fails (every retry of it)
        task = asyncio.create_task(sync_periodically(settings_for(database_url, hubspot), db))
        try:
            await until(lambda: hubspot.contact(MAYA) is not None, task)
        finally:
            task.cancel()  # and awaited before the database closes, as the worker does
            with contextlib.suppress(asyncio.CancelledError):
                await task
        assert hubspot.contact(MAYA) is not None


async def test_without_a_token_the_worker_starts_no_sync(database_url: str) -> None:
    async with await Database.connect(database_url, migrate=True) as db:
        settings = Settings(database_url=database_url, _env_file=None)  # type: ignore[call-arg]
        await asyncio.wait_for(sync_periodically(settings, db), timeout=WAIT_S)  # returns
