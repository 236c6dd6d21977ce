"""Generated leads at shared companies for the weekly plan's tests: accounts of one to a hundred
contacts, free-mail addresses, five countries."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from agent.planning.prospects import Prospect, prospect_of
from graphs.lead import Lead
from tests.agent.planning.leads_for_planning import COUNTRIES, TITLES, TODAY

SEGMENTS: list[dict[str, Any]] = [
    {"name": "leaders", "share": 0.4, "match": {"seniority": ["c_level", "vp", "owner"]},
     "angle": {"sequence": "3-step"}},
    {"name": "platform", "share": 0.3, "match": {"title": ["platform", "staff"]}},
]  # fmt: skip
MAILBOXES: list[dict[str, Any]] = [
    {"address": "alex@seller.example", "daily_cap": 40},
    {"address": "sam@seller.example", "daily_cap": 30, "warmup": {"start": 10, "step": 5}},
    {"address": "kim@seller.example", "daily_cap": 25, "days": ["mon", "tue", "wed", "thu"]},
]
CAMPAIGN: dict[str, Any] = {
    "name": "weekly",
    "value_proposition": "We cut CI time by a third.",
    "target": {"titles": ["CTO", "VP Engineering"], "industries": ["software"]},
    "sequence": "soft_nudge",
    "segments": SEGMENTS,
    "mailboxes": MAILBOXES,
}


def domain_for(number: int) -> str:
    """Return the email domain of lead `number` of 1,000: 200 accounts of three contacts, 200
    companies of one, 100 free-mail addresses, then one company of 100 contacts."""
    if number < 600:
        return f"acct{number % 200}.example"
    if number < 800:
        return f"solo{number}.example"
    if number < 900:
        return "gmail.com"
    return "bigco.example"


def account_leads(
    count: int = 1000, seed: int = 7, domain_of: Callable[[int], str] = domain_for
) -> list[Prospect]:
    """Return `count` prospects at shared domains, with varied titles and countries."""
    rng = random.Random(seed)
    prospects = []
    for number in range(count):
        domain = domain_of(number)
        lead = Lead(
            name=f"Person {number}",
            company=domain.split(".")[0].title(),
            email=f"person{number}@{domain}",
            title=rng.choice(TITLES),
            industry=rng.choice(("Software", "SaaS", "Retail")),
            extra={"country": rng.choice(COUNTRIES), "email_status": "Verified"},
        )
        prospects.append(prospect_of(lead, (), today=TODAY, row=number + 2, lead_id=number + 1))
    return prospects
