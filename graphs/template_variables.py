"""Fill {{variables}} in campaign templates and drafts from the lead and campaign.

Lead fields are untrusted: the values come from the screened lead (graphs/lead_screening.py),
so a field that reads as instructions, carries a link or carries markup is never pasted. The
company is then named "your company"; a withheld field with no stand-in has no value, and
without_variables drops the template sentences that use it.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from graphs.lead import Campaign, Lead
from graphs.lead_screening import screen_lead

_VARIABLE = re.compile(r"\{\{\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}")
_SENTENCE = re.compile(r"[^.!?\n]*(?:[.!?]+|\n|$)")


def template_values(lead: Lead, campaign: Campaign) -> dict[str, str]:
    """Return the variables a template may use; missing and withheld values are left out."""
    screen = screen_lead(lead)
    safe = screen.lead
    values = {
        "contact_name": safe.name,
        "first_name": safe.first_name,
        "company": safe.company,
        "title": safe.title,
        "industry": safe.industry,
        "sender_name": campaign.sender.name,
        "sender_company": campaign.sender.company,
        "sender_title": campaign.sender.title,
        **safe.extra,
    }
    return {
        key: value
        for key, value in values.items()
        if value and key not in screen.withheld_variables
    }


def without_variables(text: str, names: Collection[str]) -> str:
    """Drop the sentences of text that use any of the named variables (withheld lead fields)."""
    if not names or not any(m.group(1) in names for m in _VARIABLE.finditer(text)):
        return text
    kept = [
        sentence
        for sentence in _SENTENCE.findall(text)
        if not any(m.group(1) in names for m in _VARIABLE.finditer(sentence))
    ]
    return re.sub(r"[ \t]{2,}", " ", "".join(kept)).strip()


def fill_variables(text: str, values: dict[str, str]) -> str:
    """Replace known {{variables}}; unknown ones stay, so the critic can flag them."""
    return _VARIABLE.sub(lambda m: values.get(m.group(1), m.group(0)), text)
