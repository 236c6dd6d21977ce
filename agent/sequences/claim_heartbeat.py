"""Keep a scheduler's claim on a step while it works on it: a heartbeat renews the lease.

A claim is leased (settings.sequence_claim_lease_s) so that a killed scheduler's steps are
taken up again. Writing a step can take longer than the lease (a slow model, slow research);
without renewal another scheduler would release the claim and write the step a second time.
While a step is worked on, its lease is extended every third of the lease, only while the
claim is still this scheduler's. If a renewal finds the claim gone (the scheduler hung past
its lease and another took the step), the heartbeat stops; the work's result is then not
stored, because every write of a step first checks the claim (storage.sequences.locked_step).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from storage.database import Database
from storage.sequences import renew_claim

log = logging.getLogger("outreach.sequences")


class ClaimHeartbeat:
    """Renews the leases of the steps one scheduler is working on."""

    def __init__(
        self,
        db: Database,
        *,
        worker: str,
        lease_s: float,
        clock: Callable[[], dt.datetime],
    ) -> None:
        self.db = db
        self.worker = worker
        self.lease = dt.timedelta(seconds=lease_s)
        self.interval_s = lease_s / 3
        self.clock = clock

    @asynccontextmanager
    async def held(self, step_id: int) -> AsyncIterator[None]:
        """Renew the step's lease in the background until the block ends."""
        stop = asyncio.Event()
        beating = asyncio.create_task(self._beat(step_id, stop), name=f"claim-heartbeat-{step_id}")
        try:
            yield
        finally:
            stop.set()  # ends the loop between renewals, never inside one's transaction
            await beating

    async def renew(self, step_id: int) -> bool:
        """Extend the step's lease from now; False when the claim is no longer ours."""
        async with self.db.write_lock, self.db.sessions.begin() as session:
            return await renew_claim(
                session, step_id, worker=self.worker, until=self.clock() + self.lease
            )

    async def _beat(self, step_id: int, stop: asyncio.Event) -> None:
        while True:
            try:
                await asyncio.wait_for(stop.wait(), timeout=self.interval_s)
                return  # the work ended
            except TimeoutError:
                pass
            try:
                kept = await self.renew(step_id)
            except Exception:  # a database hiccup: the next beat tries again
                log.warning("renewing the claim on step %s failed", step_id, exc_info=True)
                continue
            if not kept:
                if stop.is_set():
                    return  # the work ended and let the claim go while this renewal waited
                log.warning(
                    "step %s: the claim was lost (its lease ran out and another scheduler may "
                    "have taken it); this scheduler will not store its result",
                    step_id,
                )
                return
