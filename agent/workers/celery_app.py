"""The Celery application both sides share: the broker, the queue, and late acknowledgement.

Late acknowledgement is the point: a lead's message leaves the broker only after its outcome
is committed, so a worker killed mid-lead (even by SIGKILL) hands the lead back to the broker,
and another worker continues it from its last checkpoint. Handing a lead out twice is safe:
a finished lead is skipped, and the delivery ledger lets each message out at most once.
"""

from __future__ import annotations

from celery import Celery

from agent.settings import Settings
from agent.workers.distributed_settings import check_distributed

LEAD_TASK = "outreach.run_lead"
"""The task that runs one lead of a run (agent/workers/lead_task.py)."""


def celery_app(settings: Settings) -> Celery:
    """Return a Celery app on the configured broker, set up for late acknowledgement."""
    check_distributed(settings)
    app = Celery("outreach", broker=settings.broker_url, set_as_current=False)
    app.conf.update(
        task_acks_late=True,  # acknowledged once the lead's outcome is stored
        task_reject_on_worker_lost=True,  # a worker that dies hands its leads back
        worker_prefetch_multiplier=1,  # a worker holds no more leads than it works on
        task_ignore_result=True,  # progress lives in the database, not a result backend
        task_default_queue=settings.broker_queue,
        task_serializer="json",
        accept_content=["json"],
        # Redis broker: a lead taken but not acknowledged this long goes to another worker.
        broker_transport_options={"visibility_timeout": settings.broker_visibility_timeout_s},
        broker_connection_retry_on_startup=True,
        # Queueing gives up within seconds: a run whose leads cannot be queued fails with why.
        task_publish_retry_policy={
            "max_retries": 2,
            "interval_start": 0,
            "interval_step": 0.5,
            "interval_max": 1,
        },
        worker_hijack_root_logger=False,
        worker_send_task_events=False,
        enable_utc=True,
    )
    return app
