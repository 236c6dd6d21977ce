"""The FastAPI application: `outreach serve` runs it with uvicorn."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, Depends, FastAPI

from agent.run_store import database_url
from agent.settings import Settings
from graphs.lead import Campaign
from server.auth import require_api_key
from server.problems import install_problem_handlers
from server.routes import campaigns, health, leads
from storage.database import Database

API_PREFIX = "/api/v1"


def create_app(
    settings: Settings, *, campaign_defaults: Campaign | None = None, migrate: bool = True
) -> FastAPI:
    """Build the app over the same database and services the CLI uses.

    campaign_defaults: sender, pitch and call to action new campaigns start from (a campaign
    YAML file, as `outreach run` reads), so a campaign created with only an audience can run.
    """

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        db = await Database.connect(database_url(settings), migrate=migrate)
        app.state.db = db
        try:
            yield
        finally:
            await db.close()

    app = FastAPI(
        title="Outreach Architect",
        version="0.1.0",
        summary="Research leads, write grounded outreach, review it and send it.",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.campaign_defaults = campaign_defaults
    install_problem_handlers(app)
    api = APIRouter(prefix=API_PREFIX, dependencies=[Depends(require_api_key)])
    api.include_router(campaigns.router)
    api.include_router(leads.router)
    app.include_router(api)
    app.include_router(health.router)
    return app
