"""What a worker needs to run a lead of any run: its campaign, settings, prompts and outbox.

A run row carries it all: a lead file's run (`outreach run --distributed`) stores its campaign
and options there; an API run names a stored campaign and stored leads, read here exactly as
the in-process runner reads them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from agent.campaigns.stored import campaign_pins, campaign_settings, pipeline_campaign
from agent.runs.background import RunRequest, lead_from_row
from agent.settings import Settings
from graphs.lead import Campaign, Lead
from storage.database import Database
from storage.models import CampaignRow, LeadRow, RunRow

FILE_RUN_SETTINGS = ("auto_send",)
"""Settings a lead file's run takes from whoever started it; the rest are the worker's own."""


@dataclass(frozen=True)
class RunPlan:
    """How to run any lead of one run."""

    run_id: str
    campaign_id: int
    campaign: Campaign
    settings: Settings
    prompt_pins: dict[str, str] | None
    api: bool
    """An API run: leads are stored rows, and approved messages wait for the dispatcher."""


def file_run_options(
    campaign: Campaign, settings: Settings, prompts: dict[str, str], **more: Any
) -> dict[str, Any]:
    """Return the run row's options for a lead file's distributed run."""
    return {
        "distributed": True,
        "campaign": campaign.model_dump(mode="json"),
        "prompts": prompts,
        "settings": {name: getattr(settings, name) for name in FILE_RUN_SETTINGS},
        **more,
    }


async def load_plan(db: Database, settings: Settings, run_id: str) -> RunPlan | None:
    """Read how to run the run's leads; None for a run this database does not have."""
    async with db.sessions() as session:
        run = await session.get(RunRow, run_id)
        if run is None:
            return None
        row = await session.get(CampaignRow, run.campaign_id)
        assert row is not None, f"run {run_id} has no campaign"
    options = run.options or {}
    if options.get("api"):
        request = RunRequest.from_options(options)
        asked = {"template": request.template, "custom_context": request.custom_context}
        campaign = pipeline_campaign(row).model_copy(
            update={k: v for k, v in asked.items() if v is not None}
        )
        return RunPlan(
            run_id=run_id,
            campaign_id=row.id,
            campaign=campaign,
            settings=campaign_settings(settings, row),
            prompt_pins=campaign_pins(row) or None,
            api=True,
        )
    chosen = {k: v for k, v in (options.get("settings") or {}).items() if k in FILE_RUN_SETTINGS}
    return RunPlan(
        run_id=run_id,
        campaign_id=row.id,
        campaign=Campaign.model_validate(options["campaign"]),
        settings=settings.model_copy(update=chosen),
        prompt_pins=options.get("prompts") or None,
        api=False,
    )


async def stored_lead(db: Database, lead_id: int) -> Lead | None:
    """Return an API run's lead as the pipeline sees it; None once it was erased."""
    async with db.sessions() as session:
        row = await session.get(LeadRow, lead_id)
    return lead_from_row(row) if row is not None else None
