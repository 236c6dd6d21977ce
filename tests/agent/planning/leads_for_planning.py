"""Generated leads for the planning tests: known titles, sizes, countries and facts."""

from __future__ import annotations

import random
from datetime import date, timedelta

from agent.planning.prospects import Prospect, prospect_of
from agent.planning.signals import FactRecord
from graphs.lead import Lead

TODAY = date(2026, 12, 7)
TITLES = (
    "CTO", "VP Engineering", "Head of Platform", "Engineering Manager", "Staff Engineer",
    "Marketing Director", "Office Manager", "Founder & CEO",
)  # fmt: skip
INDUSTRIES = ("Software", "SaaS", "Fintech", "Retail", "Bakery", "Developer Tools")
COUNTRIES = ("DE", "US", "FR", "GB", "ES")


def funding_fact(days_old: int, company: str = "Acme") -> FactRecord:
    """A news fact whose headline reads as funding, published `days_old` days before TODAY."""
    headline = f"{company} raises $20M Series B to grow its platform team"
    return FactRecord(
        kind="news",
        text=f"{company} published “{headline}”.",
        title=headline,
        published=TODAY - timedelta(days=days_old),
        fact_id=f"f_funding_{days_old}",
    )


def hiring_fact(department: str, roles: int, days_old: int) -> FactRecord:
    """A careers-page fact found `days_old` days before TODAY."""
    return FactRecord(
        kind="hiring",
        text=f"Acme lists {roles} open roles ({roles} {department}).",
        found=TODAY - timedelta(days=days_old),
        attributes={"open_roles": roles, "departments": [department]},
    )


def generated_leads(count: int, seed: int = 23) -> list[Prospect]:
    """Return `count` prospects with varied titles, industries, sizes, countries and facts."""
    rng = random.Random(seed)
    prospects = []
    for number in range(count):
        company = f"Company {number}"
        lead = Lead(
            name=f"Person {number}",
            company=company,
            email=f"person{number}@company{number}.example",
            title=rng.choice(TITLES),
            industry=rng.choice(INDUSTRIES),
            extra={
                "employees": str(rng.choice((8, 40, 120, 450, 2000, "51-200", "10,001+"))),
                "country": rng.choice(COUNTRIES),
                "email_status": rng.choice(("Verified", "Guessed", "")),
            },
        )
        facts: list[FactRecord] = []
        if rng.random() < 0.3:
            facts.append(funding_fact(rng.randint(0, 400), company))
        if rng.random() < 0.3:
            facts.append(hiring_fact(rng.choice(("Platform", "Sales")), rng.randint(1, 9), 5))
        if rng.random() < 0.2:
            facts.append(FactRecord(kind="technology", text=f"{company} runs Kubernetes."))
        prospects.append(prospect_of(lead, facts, today=TODAY, row=number + 2))
    return prospects
