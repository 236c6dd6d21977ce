"""The FastAPI application: `outreach serve` runs it with uvicorn."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime

from fastapi import APIRouter, Depends, FastAPI

from agent.campaigns.files import load_campaign
from agent.crm.connection import crm_is_on
from agent.crm.send_gate import recipient_check
from agent.delivery.dispatcher import Dispatcher
from agent.delivery.email_providers import build_email_provider
from agent.replies.model_layer import replies_model_or_rules
from agent.runs.background import BackgroundRuns
from agent.sequences.scheduler import open_scheduler
from agent.settings import Settings
from graphs.lead import Campaign
from server.auth import require_api_key
from server.console.mount import mount_console
from server.nul_guard import refuse_nul_text
from server.problems import install_problem_handlers
from server.request_gate import RequestGate
from server.routes import (
    analytics,
    campaigns,
    health,
    leads,
    learning,
    messages,
    planning,
    runs,
    sending,
    sequences,
    tasks,
    twilio_webhooks,
    unsubscribe,
    webhooks,
)
from storage.database import Database
from tools.facts import utc_now

API_PREFIX = "/api/v1"
log = logging.getLogger("outreach.server")


async def _send_when_due(dispatcher: Dispatcher, interval_s: float) -> None:
    """Send scheduled and newly approved messages of active campaigns as they come due."""
    while True:
        await asyncio.sleep(interval_s)
        try:
            await dispatcher.dispatch()
        except Exception:  # a bad pass must not stop the next one
            log.exception("sending due messages failed")


def create_app(
    settings: Settings,
    *,
    campaign_defaults: Campaign | None = None,
    migrate: bool = False,
    clock: Callable[[], datetime] = utc_now,
) -> FastAPI:
    """Build the app over the same database and services the CLI uses.

    campaign_defaults: sender, pitch and call to action new campaigns start from (a campaign
    YAML file, as `outreach run` reads), so a campaign created with only an audience can run.
    clock: what "now" is for research freshness and send windows (tests pin it).
    migrate: also migrate a PostgreSQL database at startup (a SQLite file always is).
    """

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        db = await Database.connect(settings.database, migrate=migrate)
        app.state.db = db
        app.state.reply_model = replies_model_or_rules(settings)
        queue = None
        if settings.broker_url:  # batch runs go to the workers (`outreach worker`)
            from agent.workers.lead_queue import LeadQueue

            queue = LeadQueue(settings)
        app.state.runs = BackgroundRuns(db, settings, clock=clock, queue=queue)
        app.state.dispatcher = Dispatcher(
            db,
            settings,
            build_email_provider(settings),
            clock=clock,
            recipient_check=recipient_check(settings, db) if crm_is_on(settings) else None,
        )
        resumed = await app.state.runs.resume_unfinished()
        if resumed:
            log.info("resuming %d interrupted run(s): %s", len(resumed), ", ".join(resumed))
        background: list[asyncio.Task[None]] = []
        if settings.dispatch_interval_s > 0:
            background.append(
                asyncio.create_task(
                    _send_when_due(app.state.dispatcher, settings.dispatch_interval_s)
                )
            )
        async with contextlib.AsyncExitStack() as stack:
            stack.push_async_callback(db.close)
            stack.push_async_callback(app.state.dispatcher.aclose)
            if queue is not None:
                stack.callback(queue.close)
            if settings.sequence_tick_s > 0:
                # Follow-ups, SMS and tasks as they come due, beside any `outreach worker`;
                # emails go out through the server's own sending loop (when it runs).
                scheduler = await stack.enter_async_context(
                    open_scheduler(
                        settings,
                        db,
                        dispatcher=app.state.dispatcher,
                        clock=clock,
                        send_email=settings.dispatch_interval_s > 0,
                    )
                )
                app.state.scheduler = scheduler
                background.append(
                    asyncio.create_task(
                        scheduler.run_forever(settings.sequence_tick_s, first_wait=True)
                    )
                )
            try:
                yield
            finally:
                for task in background:
                    task.cancel()
                    with contextlib.suppress(asyncio.CancelledError):
                        await task
                await app.state.runs.close()

    app = FastAPI(
        title="Outreach Architect",
        version="0.1.0",
        summary="Research leads, write grounded outreach, review it and send it.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.campaign_defaults = campaign_defaults
    app.state.clock = clock
    install_problem_handlers(app)
    # Size limits, the API key and webhook signature headers before any body is read.
    app.add_middleware(RequestGate, api_prefix=API_PREFIX)
    api = APIRouter(
        prefix=API_PREFIX, dependencies=[Depends(require_api_key), Depends(refuse_nul_text)]
    )
    api.include_router(campaigns.router)
    api.include_router(leads.router)
    api.include_router(runs.router)
    api.include_router(messages.router)
    api.include_router(tasks.router)
    api.include_router(sequences.router)
    api.include_router(sending.router)
    api.include_router(analytics.router)
    api.include_router(planning.router)
    api.include_router(learning.router)
    app.include_router(api)
    app.include_router(health.router)
    app.include_router(unsubscribe.router)
    # Webhooks prove themselves by signature, not by API key.
    app.include_router(webhooks.router, prefix=API_PREFIX)
    app.include_router(twilio_webhooks.router, prefix=API_PREFIX)
    mount_console(app)
    return app


def app_from_settings() -> FastAPI:
    """Build the app from the OUTREACH_* settings alone: uvicorn's factory for `outreach serve`.

    `outreach serve` names this by its import string (`server.app:app_from_settings`), so the
    command line never imports the server. OUTREACH_CAMPAIGN_DEFAULTS names the campaign file
    new API campaigns start from.
    """
    settings = Settings()
    path = settings.campaign_defaults
    return create_app(settings, campaign_defaults=load_campaign(path) if path else None)
