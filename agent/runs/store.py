"""Persist a batch run to the database as it goes: campaign, run, and each lead's outcome."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from agent.campaigns.stored import store_campaign
from agent.runs.group_commit import GroupCommit
from graphs.lead import Campaign
from storage.campaigns import get_campaign
from storage.database import Database
from storage.models import CampaignRow
from storage.outcome_batches import save_outcomes
from storage.runs import (
    complete_if_done,
    finish_run,
    finished_threads,
    get_run,
    held_count,
    held_run_for,
    reopen_run,
    start_run,
    uncount_held,
    unfinished_run_for,
)


class RunNotResumable(Exception):
    """The run cannot be resumed; the message says why."""


@dataclass
class RunStore:
    """One run's writes: every lead's outcome is committed as soon as it is known."""

    db: Database
    run_id: str
    campaign_id: int
    _group: GroupCommit | None = field(default=None, init=False, repr=False, compare=False)

    @classmethod
    async def start(
        cls,
        db: Database,
        *,
        campaign: Campaign,
        run_id: str,
        total: int,
        options: dict[str, Any],
    ) -> RunStore:
        """Record the campaign (created on first use) and the new run."""
        async with db.write_lock, db.sessions.begin() as session:
            row = await store_campaign(session, campaign)
            await start_run(
                session, run_id=run_id, campaign_id=row.id, total=total, options=options
            )
            campaign_id = row.id
        return cls(db=db, run_id=run_id, campaign_id=campaign_id)

    @classmethod
    async def resume(
        cls, db: Database, *, run_id: str, campaign: Campaign
    ) -> tuple[RunStore, set[str]]:
        """Reopen an unfinished run (or a completed one holding leads after a pipeline error).

        Return it with the threads of the leads it finished; held leads run again.
        """
        async with db.write_lock, db.sessions.begin() as session:
            run = await get_run(session, run_id=run_id)
            if run is None:
                raise RunNotResumable(f"there is no run {run_id} in this database")
            if run.status == "completed" and not await held_count(session, run_id=run_id):
                raise RunNotResumable(f"run {run_id} already completed; nothing to resume")
            campaign_row = await session.get(CampaignRow, run.campaign_id)
            if campaign_row is None or campaign_row.name != campaign.name:
                found = campaign_row.name if campaign_row else "?"
                raise RunNotResumable(
                    f"run {run_id} belongs to campaign {found!r}, not {campaign.name!r}"
                )
            done = await finished_threads(session, run_id=run_id)
            await uncount_held(session, run_id=run_id)  # they count when they are done again
            await reopen_run(session, run_id=run_id)
            campaign_id = run.campaign_id
        return cls(db=db, run_id=run_id, campaign_id=campaign_id), done

    @staticmethod
    async def interrupted_run(db: Database, *, campaign: Campaign, input_key: str) -> str | None:
        """Return the id of an unfinished run of the same leads and campaign, if any."""
        async with db.sessions() as session:
            row = await get_campaign(session, name=campaign.name)
            if row is None:
                return None
            run = await unfinished_run_for(session, campaign_id=row.id, input_key=input_key)
            return run.id if run else None

    @staticmethod
    async def held_run(
        db: Database, *, campaign: Campaign, input_key: str
    ) -> tuple[str, int] | None:
        """Return the completed run of the same input whose leads are held, and how many."""
        async with db.sessions() as session:
            row = await get_campaign(session, name=campaign.name)
            if row is None:
                return None
            found = await held_run_for(session, campaign_id=row.id, input_key=input_key)
            return (found[0].id, found[1]) if found else None

    async def save(self, record: dict[str, Any], *, complete_when_done: bool = False) -> None:
        """Commit one lead's outcome; return once it is committed.

        Outcomes of leads that finish while another commit is under way are committed
        together (agent/runs/group_commit.py): one transaction, a few statements for them all.

        complete_when_done: in the same transaction, mark the run completed if this was its
        last lead (distributed runs, where no one process sees the whole batch)."""
        if self._group is None:
            self._group = GroupCommit(self._save_group)
        await self._group.save(record, complete_when_done=complete_when_done)

    async def _save_group(self, records: list[dict[str, Any]], complete_when_done: bool) -> None:
        # Writes are serialized: SQLite has one writer.
        async with self.db.write_lock, self.db.sessions.begin() as session:
            # Locked first (storage/lock_order.py): the outcome adds to the campaign's totals,
            # and workers saving side by side must each add to the other's, not overwrite it.
            campaign = await session.get(
                CampaignRow, self.campaign_id, with_for_update={"key_share": True}
            )
            assert campaign is not None
            await save_outcomes(session, run_id=self.run_id, campaign=campaign, records=records)
            if complete_when_done:
                await complete_if_done(session, run_id=self.run_id)

    async def close(self, status: str) -> None:
        """Record how the run ended."""
        async with self.db.write_lock, self.db.sessions.begin() as session:
            await finish_run(session, run_id=self.run_id, status=status)
