"""Put a run's leads on the broker: one message per lead, taken by whichever worker is free."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable, Sequence

from agent.settings import Settings
from agent.workers.celery_app import LEAD_TASK, celery_app
from agent.workers.distributed_settings import DistributedNotConfigured, broker_address
from graphs.lead import Lead

QueuedLead = tuple[int, Lead | None]
"""A lead's row (its stored id for API runs) and, for a lead file's row, the lead itself."""


class LeadQueue:
    """The enqueuing side: the CLI's `run --distributed` and the API's batch runs."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.app = celery_app(settings)

    def check(self) -> None:
        """Raise DistributedNotConfigured unless the broker answers (one try)."""
        try:
            with self.app.connection_for_write() as connection:
                connection.ensure_connection(max_retries=1, interval_start=0, timeout=5)
        except Exception as exc:  # kombu raises several kinds; every one means "not reachable"
            raise DistributedNotConfigured(
                f"cannot reach the broker at {broker_address(self.settings)}: {exc}"
            ) from None

    def put(
        self,
        run_id: str,
        leads: Iterable[QueuedLead],
        on_put: Callable[[int], None] | None = None,
    ) -> int:
        """Send one task per lead over one broker connection; return how many were sent."""
        count = 0
        with self.app.producer_or_acquire() as producer:
            for row, lead in leads:
                payload = lead.model_dump(mode="json", exclude_none=True) if lead else None
                self.app.send_task(
                    LEAD_TASK,
                    kwargs={"run_id": run_id, "row": row, "lead": payload},
                    queue=self.settings.broker_queue,
                    producer=producer,
                )
                count += 1
                if on_put is not None:
                    on_put(1)
        return count

    async def enqueue(self, run_id: str, leads: Sequence[QueuedLead]) -> int:
        """Send the leads without holding up the event loop."""
        return await asyncio.to_thread(self.put, run_id, list(leads))

    def close(self) -> None:
        """Close the broker connections."""
        self.app.close()
