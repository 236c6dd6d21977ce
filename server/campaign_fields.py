"""Turn API campaign fields into the pipeline's Campaign and the stored row, and back."""

from __future__ import annotations

from typing import Any

from agent.campaigns.stored import (
    PIPELINE_FIELDS,
    pin_problem_text,
    pipeline_campaign,
    prompt_pin_problems,
    target_from,
)
from agent.delivery.dispatcher import campaign_allocation
from graphs.lead import Campaign, Channel, SenderProfile
from server.problems import Problem
from server.schemas import CampaignFields, CampaignOut
from storage.models import CampaignRow

POLICY_FIELDS = ("auto_send", "min_quality_to_send", "min_relevance_to_send", "variant_allocation")


def check_prompt_versions(fields: CampaignFields) -> None:
    """Refuse (422) prompt pins that name no prompt, or no version of one, on disk."""
    problems = prompt_pin_problems(fields.prompt_versions or {})
    if not problems:
        return
    errors: list[dict[str, Any]] = []
    for problem in problems:
        error: dict[str, Any] = {
            "field": f"prompt_versions.{problem.prompt[:80]}",
            "message": problem.message,
        }
        if problem.available_prompts:
            error["available_prompts"] = problem.available_prompts
        else:
            error["available_versions"] = problem.available_versions
        errors.append(error)
    raise Problem(422, f"prompt_versions: {pin_problem_text(problems)}", errors=errors)


def apply_fields(row: CampaignRow, fields: CampaignFields, defaults: Campaign | None) -> None:
    """Write the fields that were sent onto a campaign row (settings hold the pipeline view)."""
    sent = fields.model_dump(exclude_unset=True)
    settings: dict[str, Any] = dict(row.settings or {})
    if defaults is not None and not settings:
        # A new campaign starts from the server's defaults (sender, pitch, call to action).
        settings = defaults.model_dump(mode="json", include=set(PIPELINE_FIELDS))
    for key in PIPELINE_FIELDS:
        if key in sent:
            value = sent[key]
            settings[key] = value.model_dump() if isinstance(value, SenderProfile) else value
    policy = dict(settings.get("policy") or {})
    policy.update({k: sent[k] for k in POLICY_FIELDS if k in sent})
    settings["policy"] = policy
    if "prompt_versions" in sent:
        settings["prompts"] = sent["prompt_versions"] or {}
    if "description" in sent:
        row.description = sent["description"]
    if "target_audience" in sent:
        row.target_audience = sent["target_audience"] or {}
    if "min_qualification_score" in sent and sent["min_qualification_score"] is not None:
        row.min_qualification_score = sent["min_qualification_score"]
    if settings.get("value_proposition"):
        row.value_proposition = settings["value_proposition"]
    elif row.value_proposition is None:
        row.value_proposition = ""
    settings["target"] = target_from(row.target_audience or {}).model_dump()
    row.settings = settings


def campaign_out(row: CampaignRow) -> CampaignOut:
    """Return the API view of a campaign row."""
    campaign = pipeline_campaign(row)
    policy = (row.settings or {}).get("policy") or {}
    return CampaignOut(
        id=row.id,
        name=row.name,
        description=row.description,
        channel=Channel(row.channel),
        status=row.status,
        target_audience=row.target_audience or {},
        min_qualification_score=row.min_qualification_score,
        value_proposition=row.value_proposition or None,
        short_pitch=campaign.short_pitch,
        call_to_action=campaign.call_to_action,
        template=campaign.template,
        custom_context=campaign.custom_context,
        linkedin_format=campaign.linkedin_format,
        sender=campaign.sender,
        auto_send=bool(policy.get("auto_send", False)),
        min_quality_to_send=policy.get("min_quality_to_send"),
        min_relevance_to_send=policy.get("min_relevance_to_send"),
        variant_allocation=campaign_allocation(row),
        prompt_versions=(row.settings or {}).get("prompts") or {},
        total_messages=row.total_messages,
        messages_sent=row.messages_sent,
        total_cost_usd=row.total_cost_usd,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )
