"""What an unpersonalized draft says about its lead: only what the lead row says.

Research found nothing about such a lead, so the offline writer names the person, their title
and company, and claims nothing else (no post, news, hiring or stack), in the message's
language (agent/offline/phrasebooks/hook_book.py).
"""

from __future__ import annotations

from agent.offline.phrasebooks import Phrasebook
from graphs.drafts import Tone
from graphs.lead import Lead
from graphs.lead_screening import WITHHELD_NAME


def row_line(tone: Tone, lead: Lead, book: Phrasebook) -> str:
    """Say who the message is for, from the lead row: their title and company, nothing more."""
    with_title, without = book.hooks.row_roles
    role = (with_title if lead.title else without).format(title=lead.title, company=lead.company)
    return book.hooks.row_lines[tone].format(role=role)


def short_intro(tone: Tone, lead: Lead, sender: str, sender_company: str, book: Phrasebook) -> str:
    """Open a short message: who writes, to whom at which company (the row's facts only)."""
    slots = {"company": lead.company, "sender": sender, "sender_company": sender_company}
    if lead.name == WITHHELD_NAME:  # the name field was withheld: greet without it
        return book.hooks.withheld_intro.format(**slots)
    return book.hooks.short_intros[tone].format(first=lead.first_name, **slots)
