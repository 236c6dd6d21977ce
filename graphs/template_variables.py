"""Fill {{variables}} in campaign templates and drafts from the lead and campaign."""

from __future__ import annotations

import re

from graphs.lead import Campaign, Lead

_VARIABLE = re.compile(r"\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}")


def template_values(lead: Lead, campaign: Campaign) -> dict[str, str]:
    """Return the variables a template may use; missing values are left out."""
    values = {
        "contact_name": lead.name,
        "first_name": lead.first_name,
        "company": lead.company,
        "title": lead.title,
        "industry": lead.industry,
        "sender_name": campaign.sender.name,
        "sender_company": campaign.sender.company,
        "sender_title": campaign.sender.title,
        **lead.extra,
    }
    return {key: value for key, value in values.items() if value}


def fill_variables(text: str, values: dict[str, str]) -> str:
    """Replace known {{variables}}; unknown ones stay, so the critic can flag them."""
    return _VARIABLE.sub(lambda m: values.get(m.group(1), m.group(0)), text)
