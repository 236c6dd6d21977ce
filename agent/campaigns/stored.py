"""A stored campaign as the pipeline runs it: its Campaign, target audience and settings.

The REST API, the operator chat and background runs all read campaign rows through here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from agent.settings import Settings
from graphs.lead import Campaign, Channel, TargetAudience
from prompts import loader
from storage.campaigns import all_campaigns, get_or_create_campaign
from storage.models import CampaignRow

TARGET_LIST_KEYS = ("titles", "keywords", "industries", "exclude_keywords")
TARGET_ALIASES = {"contact_title": "titles", "title": "titles", "industry": "industries"}
PIPELINE_FIELDS = (
    "value_proposition", "short_pitch", "call_to_action", "template", "custom_context",
    "linkedin_format", "sender",
)  # fmt: skip


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
    return dict((row.settings or {}).get("prompts") or {})


def pin_problem_text(problems: list[PinProblem]) -> str:
    """Return the problems as one sentence."""
    return "; ".join(p.message for p in problems)


async def store_campaign(session: AsyncSession, campaign: Campaign) -> CampaignRow:
    """Return the campaign row of this name, storing the campaign (as draft) the first time."""
    return await get_or_create_campaign(
        session,
        name=campaign.name,
        channel=campaign.channel.value,
        value_proposition=campaign.value_proposition,
        target_audience=campaign.target.model_dump(),
        settings=campaign.model_dump(mode="json"),
    )


def string_list(value: Any, where: str) -> list[str]:
    """Return a string or list of strings as a list; raise ValueError naming `where`."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    raise ValueError(f"{where} must be a string or a list of strings")


def target_from(raw: dict[str, Any]) -> TargetAudience:
    """Read our list keys and the seed's single-value keys into a TargetAudience."""
    lists: dict[str, list[str]] = {key: [] for key in TARGET_LIST_KEYS}
    for key, value in raw.items():
        field = key if key in TARGET_LIST_KEYS else TARGET_ALIASES.get(key)
        if field is not None:
            lists[field] += string_list(value, f"target_audience.{key}")
    return TargetAudience(**lists)


def pipeline_campaign(row: CampaignRow) -> Campaign:
    """Return the Campaign the pipeline runs for a stored campaign."""
    settings = row.settings or {}
    values = {k: settings[k] for k in PIPELINE_FIELDS if settings.get(k) is not None}
    values["value_proposition"] = row.value_proposition or ""
    return Campaign(
        name=row.name,
        channel=Channel(row.channel),
        target=target_from(row.target_audience or {}),
        **values,
    )


def campaign_settings(settings: Settings, row: CampaignRow) -> Settings:
    """Return the server's settings with the campaign's sending policy applied."""
    policy = (row.settings or {}).get("policy") or {}
    return settings.model_copy(
        update={k: v for k, v in policy.items() if v is not None and k in Settings.model_fields}
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
