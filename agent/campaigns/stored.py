"""A stored campaign as the pipeline runs it: its Campaign, target audience and settings.

The REST API, the operator chat and background runs all read campaign rows through here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from agent.campaigns.spec import PIPELINE_FIELDS, CampaignSpec, SendingPolicy
from agent.settings import Settings
from graphs.lead import Campaign, Channel
from prompts import loader
from storage.campaigns import all_campaigns, get_or_create_campaign
from storage.models import CampaignRow

SHOWN_NAME_CHARS = 80
"""How much of an unknown prompt name or version a message repeats back."""


@dataclass(frozen=True)
class PinProblem:
    """A prompt pin that names no prompt, or no version of one, in the prompt registry."""

    prompt: str
    message: str
    available_versions: list[str] = field(default_factory=list)
    available_prompts: list[str] = field(default_factory=list)


def _shown(text: str) -> str:
    return repr(text if len(text) <= SHOWN_NAME_CHARS else text[:SHOWN_NAME_CHARS] + "…")


def prompt_pin_problems(pins: Mapping[str, str]) -> list[PinProblem]:
    """Check NAME → VERSION pins against the prompts on disk (what PromptSet.load will load).

    Only the prompts a run loads may be pinned, and only to versions that exist and parse; a
    name or version is never used as a path before it is found among the registry's own.
    """
    known = list(loader.PromptSet.REQUIRED)
    problems: list[PinProblem] = []
    for name, version in pins.items():
        if name not in known:
            problems.append(
                PinProblem(
                    prompt=name,
                    message=f"there is no prompt {_shown(name)}; available prompts: "
                    f"{', '.join(known)}",
                    available_prompts=known,
                )
            )
            continue
        versions = loader.available_versions(name)
        if version not in versions:
            problems.append(
                PinProblem(
                    prompt=name,
                    message=f"prompt {name!r} has no version {_shown(version)}; available "
                    f"versions: {', '.join(versions) or 'none'}",
                    available_versions=versions,
                )
            )
            continue
        try:
            loader.load_prompt(name, version)
        except loader.PromptError as exc:  # on disk but broken: the server's fault, say so
            problems.append(
                PinProblem(
                    prompt=name,
                    message=f"prompt {name!r} version {version!r} cannot be loaded: {exc}",
                    available_versions=versions,
                )
            )
    return problems


def campaign_pins(row: CampaignRow) -> dict[str, str]:
    """Return the prompt versions a stored campaign pins (empty: the newest of each)."""
    return dict(spec_of(row).prompt_versions)


def pin_problem_text(problems: list[PinProblem]) -> str:
    """Return the problems as one sentence."""
    return "; ".join(p.message for p in problems)


async def store_campaign(session: AsyncSession, campaign: Campaign) -> CampaignRow:
    """Return the campaign row of this name, storing the campaign (as draft) the first time."""
    return await store_spec(session, CampaignSpec.of_campaign(campaign))


async def store_spec(session: AsyncSession, spec: CampaignSpec) -> CampaignRow:
    """Return the campaign row of this name, storing the spec (as draft) the first time."""
    row = CampaignRow(name=spec.name)
    write_spec(row, spec)
    return await get_or_create_campaign(
        session,
        name=spec.name,
        channel=row.channel,
        value_proposition=row.value_proposition,
        target_audience=row.target_audience,
        settings=row.settings,
    )


def spec_of(row: CampaignRow) -> CampaignSpec:
    """Return what a stored campaign says (the one reading of a campaign row)."""
    settings = row.settings or {}
    values = {key: settings[key] for key in PIPELINE_FIELDS if settings.get(key) is not None}
    values["value_proposition"] = row.value_proposition or None
    return CampaignSpec(
        name=row.name,
        channel=Channel(row.channel),
        description=row.description,
        target_audience=row.target_audience or {},
        min_qualification_score=row.min_qualification_score or 0.0,
        policy=SendingPolicy.model_validate(settings.get("policy") or {}),
        prompt_versions=settings.get("prompts") or {},
        sequence=settings.get("sequence"),
        segments=settings.get("segments") or [],
        segment_split=settings.get("segment_split") or "partial",
        scoring=settings.get("scoring") or {},
        mailboxes=settings.get("mailboxes") or [],
        max_contacts_per_account=settings.get("max_contacts_per_account") or 3,
        stop_account_on_positive_reply=settings.get("stop_account_on_positive_reply") is not False,
        **values,
    )


def write_spec(row: CampaignRow, spec: CampaignSpec) -> None:
    """Store a spec on its campaign row (the one writing); other keys of the row stay."""
    row.channel = spec.channel.value
    row.description = spec.description
    row.target_audience = spec.target_audience
    row.min_qualification_score = spec.min_qualification_score
    # The column is NOT NULL (SQLite cannot relax that without rebuilding the campaigns table
    # every message points at), so "" stands for "not set" there, and only there.
    row.value_proposition = spec.pitch or ""
    settings: dict[str, Any] = dict(row.settings or {})
    settings.update(spec.model_dump(mode="json", include=set(PIPELINE_FIELDS)))
    settings["policy"] = spec.policy.model_dump(exclude_none=True)
    settings["prompts"] = dict(spec.prompt_versions)
    settings["target"] = spec.target().model_dump()
    settings["sequence"] = spec.sequence.as_field() if spec.sequence is not None else None
    settings["segments"] = spec.segments
    settings["segment_split"] = spec.segment_split
    settings["scoring"] = spec.scoring
    settings["mailboxes"] = spec.mailboxes
    settings["max_contacts_per_account"] = spec.max_contacts_per_account
    settings["stop_account_on_positive_reply"] = spec.stop_account_on_positive_reply
    row.settings = settings


def pipeline_campaign(row: CampaignRow) -> Campaign:
    """Return the Campaign the pipeline runs for a stored campaign (CampaignNeedsPitch without
    a value proposition)."""
    return spec_of(row).pipeline_campaign()


def campaign_settings(settings: Settings, row: CampaignRow) -> Settings:
    """Return the server's settings with the campaign's sending policy applied."""
    policy = spec_of(row).policy.model_dump(exclude_none=True)
    return settings.model_copy(
        update={k: v for k, v in policy.items() if k in Settings.model_fields}
    )


async def find_campaign(session: AsyncSession, ref: str | int) -> CampaignRow | None:
    """Return a campaign by id, or by name (exact, then case-insensitive, then unique prefix)."""
    text = str(ref).strip().lstrip("#")
    if text.isascii() and text.isdigit() and 0 < int(text) < 2**31:
        row = await session.get(CampaignRow, int(text))
        if row is not None:
            return row
    rows = await all_campaigns(session)
    for match in (
        lambda r: r.name == text,
        lambda r: r.name.lower() == text.lower(),
        lambda r: r.name.lower().startswith(text.lower()),
    ):
        found = [r for r in rows if match(r)]
        if len(found) == 1:
            return found[0]
    return None
