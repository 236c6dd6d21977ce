"""Copies of the demo's researched leads, as many as a test needs: each with its own address,
phone and LinkedIn profile, all researched on the same fictional sites."""

from __future__ import annotations

from graphs.lead import Lead

PEOPLE = {  # demo leads whose research is rich enough to send
    "maya": ("Maya Okafor", "northwind-robotics.example", "Northwind Robotics", "VP Engineering",
             "http://northwind-robotics.example/team/maya-okafor"),
    "daniel": ("Daniel Brandt", "lumenledger.example", "Lumen Ledger", "Head of Platform",
               "http://danielbrandt.example/"),
    "priya": ("Priya Natarajan", "copperleaf-health.example", "Copperleaf Health", "CTO",
              "http://copperleaf-health.example/team/priya-natarajan"),
    "jonas": ("Jonas Weber", "quietpeak.example", "Quiet Peak Software", "CTO",
              "http://quietpeak.example/team/jonas-weber"),
}  # fmt: skip


def person(key: str, number: int, *, phone: int | None = None) -> Lead:
    """Return copy `number` of a demo lead: `maya.okafor.3@northwind-robotics.example`."""
    name, domain, company, title, profile = PEOPLE[key]
    local = name.lower().replace(" ", ".")
    return Lead(
        name=name,
        email=f"{local}.{number}@{domain}",
        company=company,
        title=title,
        profile_url=profile,
        company_url=f"http://{domain}/",
        phone=f"+1202555{number if phone is None else phone:04d}",
        linkedin_url=f"https://www.linkedin.com/in/{local.replace('.', '-')}-{number}",
    )


def people(keys: tuple[str, ...], copies: int) -> list[Lead]:
    """Return `copies` of each demo lead named, copy by copy, each with its own phone."""
    return [
        person(key, number, phone=number * len(keys) + i)
        for number in range(copies)
        for i, key in enumerate(keys)
    ]
