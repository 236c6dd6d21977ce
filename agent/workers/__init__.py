"""Distributed runs: leads spread over Celery workers that share PostgreSQL and Redis.

`lead_queue` puts a run's leads on the broker (the CLI's `run --distributed`, the API when a
broker is set); `outreach worker` hosts a `WorkerRuntime` that takes them, one checkpointed
thread per lead, acknowledged only once its outcome is stored.

May import runs/, delivery/ and settings.
"""
