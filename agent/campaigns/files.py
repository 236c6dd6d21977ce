"""Load a campaign from a YAML/JSON file and apply command-line overrides."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TypedDict, Unpack

import yaml
from pydantic import ValidationError

from agent.campaigns.spec import CampaignNeedsPitch, CampaignSpec
from agent.campaigns.stored import pin_problem_text, prompt_pin_problems
from agent.sequences.definition import SequenceError, parse_sequence
from graphs.lead import Campaign, Channel


class CampaignFileError(Exception):
    """The campaign cannot be built; the message names the field."""


class Overrides(TypedDict, total=False):
    """Campaign fields given on the command line, over the file's."""

    name: str | None
    channel: Channel | None
    value_proposition: str | None
    custom_context: str | None
    template: str | None


def load_campaign(path: Path | None, **overrides: Unpack[Overrides]) -> Campaign:
    """Read a campaign file (optional), override fields given on the command line, and return
    the Campaign the pipeline runs; CampaignFileError names what is missing or wrong."""
    spec = load_campaign_spec(path, **overrides)
    source = f" in {path}" if path else ""
    try:
        return spec.pipeline_campaign()
    except CampaignNeedsPitch as exc:
        raise CampaignFileError(
            f"{exc}{source} (or pass --value-prop TEXT to `outreach run`)"
        ) from None
    except ValueError as exc:  # the target lists (string_list) or their model
        raise CampaignFileError(f"campaign field target{source}: {exc}") from None


def load_campaign_spec(path: Path | None, **overrides: Unpack[Overrides]) -> CampaignSpec:
    """Read a campaign file (optional) into a CampaignSpec, with command-line overrides."""
    data: dict[str, Any] = {}
    if path is not None:
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise CampaignFileError(f"cannot read campaign file {path}: {exc.strerror}") from None
        try:
            loaded = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
        except (json.JSONDecodeError, yaml.YAMLError) as exc:
            raise CampaignFileError(f"{path} is not valid YAML/JSON: {exc}") from None
        if not isinstance(loaded, dict):
            raise CampaignFileError(f"{path} must hold a mapping of campaign fields")
        data = loaded
    if isinstance(data.get("target"), dict) and "target_audience" not in data:
        data["target_audience"] = data.pop("target")  # the file's name for the audience
    data.update({k: v for k, v in overrides.items() if v is not None})
    data.setdefault("name", "default")
    source = f" in {path}" if path else ""
    try:
        data["sequence"] = parse_sequence(data.get("sequence"))
    except SequenceError as exc:  # named by step and field, before anything runs
        raise CampaignFileError(f"{exc}{source}") from None
    try:
        spec = CampaignSpec.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise CampaignFileError(f"campaign field {where}{source}: {first['msg']}") from None
    # Pins are checked here, as the API checks them, not when a step (maybe weeks later) runs.
    if problems := prompt_pin_problems(spec.prompt_versions):
        raise CampaignFileError(
            f"campaign field prompt_versions{source}: {pin_problem_text(problems)}"
        )
    return spec
