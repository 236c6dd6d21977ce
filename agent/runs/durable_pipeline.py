"""Open the database, its checkpoints and a pipeline together: what runs and reviews need."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import replace
from typing import Any

from agent.learning.overview import with_learning
from agent.runs.pipeline_factory import Pipeline, open_pipeline
from agent.settings import Settings
from graphs.analysis import Analysis
from graphs.drafts import Critique, Variant
from graphs.lead import Campaign, Lead
from graphs.lead_pipeline import build_graph
from graphs.outcome import Decision, PipelineError, PromptUse, Usage
from graphs.review_log import ReviewRecord
from graphs.sequence_turn import EarlierMessage, SequenceTurn
from storage.checkpoints import open_checkpointer, state_types
from storage.database import Database
from storage.deliveries import DeliveryLedger
from tools.delivery.receipt import Delivery
from tools.facts import Fact

# Checkpoints revive only the classes the lead state is made of.
CHECKPOINT_TYPES = state_types(
    Lead,
    Campaign,
    Fact,
    Analysis,
    Variant,
    Critique,
    Decision,
    Usage,
    PromptUse,
    PipelineError,
    Delivery,
    ReviewRecord,
    SequenceTurn,
    EarlierMessage,
)


@asynccontextmanager
async def open_durable_pipeline(
    settings: Settings,
    *,
    run_id: str | None = None,
    migrate: bool = False,
    db: Database | None = None,
    record_sends: bool = True,
    **options: Any,
) -> AsyncIterator[tuple[Database, Pipeline]]:
    """Yield the database and a checkpointed pipeline whose sends go through the ledger.

    Pass an open `db` to share it (it is then left open); otherwise one is opened and closed.
    A SQLite schema is brought up to date; migrate=True upgrades a PostgreSQL one as well.
    record_sends=False leaves the ledger to whoever sends later (an outbox that only queues).
    """
    owned = db is None
    url = settings.database if db is None else db.engine.url.render_as_string(False)
    db = db or Database.open(url)
    try:
        # Settings, prompts and providers are checked first: their errors are the likelier ones.
        async with open_pipeline(
            settings,
            run_id=run_id,
            ledger=DeliveryLedger(db.sessions, db.write_lock) if record_sends else None,
            **options,
        ) as pipeline:
            await db.prepare(migrate=migrate)
            async with open_checkpointer(
                url, allowed_types=CHECKPOINT_TYPES, pool_size=max(4, settings.concurrency)
            ) as saver:
                # Each campaign's learning (reviewers' edits, replies) is read once a batch.
                yield db, with_learning(replace(pipeline, graph=build_graph(saver)), db)
    finally:
        if owned:
            await db.close()
