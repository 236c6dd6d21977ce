"""Load a campaign from a YAML/JSON file and apply command-line overrides."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from graphs.lead import Campaign, Channel


class CampaignFileError(Exception):
    """The campaign cannot be built; the message names the field."""


def load_campaign(
    path: Path | None,
    *,
    name: str | None = None,
    channel: Channel | None = None,
    value_proposition: str | None = None,
    custom_context: str | None = None,
    template: str | None = None,
) -> Campaign:
    """Read a campaign file (optional) and override fields given on the command line."""
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
    overrides = {
        "name": name,
        "channel": channel,
        "value_proposition": value_proposition,
        "custom_context": custom_context,
        "template": template,
    }
    data.update({k: v for k, v in overrides.items() if v is not None})
    if not data.get("value_proposition"):
        raise CampaignFileError(
            "a campaign needs a value proposition: set value_proposition in the campaign file "
            "(or pass --value-prop TEXT to `outreach run`)"
        )
    try:
        return Campaign.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        source = f" in {path}" if path else ""
        raise CampaignFileError(f"campaign field {where}{source}: {first['msg']}") from None
