"""What an unpersonalized draft says about its lead: only what the lead row says.

Research found nothing about such a lead, so the offline writer names the person, their title
and company, and claims nothing else (no post, news, hiring or stack).
"""

from __future__ import annotations

from graphs.drafts import Tone
from graphs.lead import Lead
from graphs.lead_screening import WITHHELD_NAME


def row_line(tone: Tone, lead: Lead) -> str:
    """Say who the message is for, from the lead row: their title and company, nothing more."""
    role = f"as {lead.title} at {lead.company}" if lead.title else f"at {lead.company}"
    lines = {
        Tone.PROFESSIONAL: f"I am writing to you {role}.",
        Tone.FRIENDLY: f"I'm reaching out to you {role}, so I'll keep this short.",
        Tone.DIRECT: f"This is a short note for you {role}.",
    }
    return lines[tone]


def short_intro(tone: Tone, lead: Lead, sender: str, sender_company: str) -> str:
    """Open a short message: who writes, to whom at which company (the row's facts only)."""
    first, company = lead.first_name, lead.company
    if lead.name == WITHHELD_NAME:  # the name field was withheld: greet without it
        return f"Hi there, {sender} from {sender_company}, writing to you at {company}."
    intros = {
        Tone.PROFESSIONAL: f"Hi {first}, {sender} from {sender_company}, "
        f"writing to you at {company}.",
        Tone.FRIENDLY: f"Hi {first}, {sender} at {sender_company} here, "
        f"reaching out to you at {company}.",
        Tone.DIRECT: f"{first} at {company}: {sender} from {sender_company}.",
    }
    return intros[tone]
