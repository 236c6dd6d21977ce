"""`outreach worker` with a broker: a Celery worker taking leads, the scheduler beside it."""

from __future__ import annotations

import logging
import os
import socket

from agent.settings import Settings
from agent.workers.celery_app import celery_app
from agent.workers.distributed_settings import limits_warning
from agent.workers.lead_task import register_lead_task
from agent.workers.runtime import WorkerRuntime

log = logging.getLogger(__name__)


def serve_worker(settings: Settings, *, sequences: bool = True) -> int:
    """Take leads from the broker until stopped (SIGTERM or Ctrl-C: a warm shutdown that
    finishes the leads in hand); return the exit code. A worker killed outright loses nothing:
    its leads were never acknowledged, so the broker hands them to another worker."""
    app = celery_app(settings)
    if warning := limits_warning(settings):
        log.warning("%s", warning)
    runtime = WorkerRuntime(settings)
    try:
        register_lead_task(app, runtime)
        if sequences and settings.sequence_tick_s > 0:
            runtime.start_sequences(settings.sequence_tick_s)
        worker = app.Worker(
            pool="threads",
            concurrency=settings.worker_concurrency,
            queues=[settings.broker_queue],
            hostname=f"outreach-{os.getpid()}@{socket.gethostname()}",
            loglevel="INFO",
            without_gossip=True,
            without_mingle=True,
            without_heartbeat=True,
            quiet=True,
        )
        worker.start()
        return int(worker.exitcode or 0)
    finally:
        runtime.close()
