"""Segmenting and scoring 100,000 leads on one core (target: under 10 s).

The leads are generated with the columns exports carry (title, industry, employees, country,
email status) and researched facts (funding and other news, careers pages, posts, technology),
and split over a campaign of five segments of one to three rules each (titles, seniority,
company size, countries, keywords in facts, fresh triggers, exclusions), then scored against
the demo campaign's target. Timed apart: reading leads and facts into prospects, placing them
in segments, and placing and scoring them together (what `outreach prioritize` does after the
file is read), with the CPU time of the process. `--file` also writes the leads as a CSV and
times reading it (`outreach prioritize` end to end, without stored facts).
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import TypeVar

from agent.campaigns.spec import CampaignSpec
from agent.leads.files import read_leads
from agent.planning.operations import prioritize, segment
from agent.planning.prospects import Prospect, prospect_of
from agent.planning.signals import FactRecord
from graphs.lead import Lead

TODAY = date(2026, 12, 7)
TITLES = (
    "CTO", "VP Engineering", "Head of Platform", "Engineering Manager", "Staff Engineer",
    "Director of Engineering", "Marketing Director", "Office Manager", "Founder & CEO",
    "Senior Software Engineer", "Head of Sales", "DevOps Lead",
)  # fmt: skip
INDUSTRIES = ("Software", "SaaS", "Fintech", "Retail", "Bakery", "Developer Tools", "Logistics")
COUNTRIES = ("DE", "US", "FR", "GB", "ES", "NL", "Germany", "United States")
SIZES = ("8", "40", "120", "450", "2000", "51-200", "201-500", "1,001-5,000", "10,001+")
HEADLINES = (
    "{c} raises $20M Series B", "{c} launches its new deploy pipeline", "{c} names a new CTO",
    "{c} opens an office in Berlin", "{c} acquires a testing startup",
    "{c} partners with a cloud provider", "{c} wins an industry award",
)  # fmt: skip
CAMPAIGN = CampaignSpec(
    name="benchmark",
    target_audience={
        "titles": ["CTO", "VP Engineering", "Head of Engineering", "Head of Platform",
                   "Engineering Manager", "Director of Engineering"],
        "keywords": ["flaky tests", "monorepo", "CI", "build times", "Kubernetes",
                     "GitHub Actions"],
        "industries": ["software", "SaaS", "fintech", "developer tools"],
        "exclude_keywords": ["bakery", "restaurant"],
        "company_size": "50-5000",
    },
    segments=[
        {"name": "funded-leaders", "share": 0.3,
         "match": {"seniority": ["owner", "c_level", "vp"], "trigger": ["funding", "launch"],
                   "within_days": 120},
         "angle": {"tone": "direct", "emphasis": "ship faster after the raise",
                   "sequence": "3-step"}},
        {"name": "platform", "share": 0.25,
         "rules": [{"title": ["platform", "devops", "staff engineer"]},
                   {"keywords": ["kubernetes", "github actions"], "company_size": "50-5000"},
                   {"trigger": "hiring", "within_days": 60, "exclude": {"country": "US"}}],
         "angle": {"tone": "friendly", "sequence": "5-step"}},
        {"name": "eng-managers", "share": 0.2,
         "match": {"seniority": ["manager", "director", "head"], "industry": ["software", "saas"]},
         "angle": {"tone": "professional", "sequence": "soft_nudge"}},
        {"name": "europe", "share": 0.15,
         "rules": [{"country": ["DE", "FR", "ES", "NL", "Germany"], "company_size": "200+"},
                   {"country": ["GB"], "keywords": "flaky tests"}]},
        {"name": "hold-back", "share": 0.0, "match": {"industry": ["bakery", "retail"]}},
    ],
)  # fmt: skip
T = TypeVar("T")


def _facts(rng: random.Random, company: str) -> list[FactRecord]:
    facts = [FactRecord(kind="company", text=f"{company} builds software for logistics teams.")]
    if rng.random() < 0.4:
        title = rng.choice(HEADLINES).format(c=company)
        facts.append(
            FactRecord(
                kind="news",
                text=f"{company} published “{title}”.",
                title=title,
                published=TODAY - timedelta(days=rng.randint(0, 500)),
            )
        )
    if rng.random() < 0.3:
        roles, department = rng.randint(1, 12), rng.choice(("Platform", "Sales", "Engineering"))
        facts.append(
            FactRecord(
                kind="hiring",
                text=f"{company} lists {roles} open roles ({roles} {department}).",
                found=TODAY - timedelta(days=rng.randint(0, 90)),
                attributes={"open_roles": roles, "departments": [department]},
            )
        )
    if rng.random() < 0.2:
        facts.append(
            FactRecord(
                kind="post",
                text="Why our flaky tests cost us a week a quarter, and what we did about it.",
                title="Flaky tests at scale",
                published=TODAY - timedelta(days=rng.randint(0, 300)),
            )
        )
    if rng.random() < 0.3:
        facts.append(FactRecord(kind="technology", text=f"{company} mentions Kubernetes, CI."))
    return facts


def generated(count: int, seed: int = 23) -> list[tuple[int, Lead, list[FactRecord]]]:
    """Return `count` numbered leads with their facts."""
    rng = random.Random(seed)
    leads = []
    for number in range(count):
        company = f"Company {number % 20_000}"
        lead = Lead(
            name=f"Person {number}",
            company=company,
            email=f"person{number}@company{number % 20_000}.example",
            title=rng.choice(TITLES),
            industry=rng.choice(INDUSTRIES),
            linkedin_url=f"https://www.linkedin.com/in/p{number}" if rng.random() < 0.5 else None,
            extra={
                "employees": rng.choice(SIZES),
                "country": rng.choice(COUNTRIES),
                "email_status": rng.choice(("Verified", "Guessed", "Unavailable", "")),
            },
        )
        leads.append((number + 2, lead, _facts(rng, company)))
    return leads


def _timed(work: Callable[[], T]) -> tuple[T, float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    result = work()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def _file_figures(leads: list[tuple[int, Lead, list[FactRecord]]]) -> None:
    columns = ("name", "email", "company", "title", "industry", "employees", "country")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "leads.csv"
        lines = [",".join(columns)]
        for _, lead, _ in leads:
            values = [lead.name, lead.email or "", lead.company, lead.title or "",
                      lead.industry or "", lead.extra["employees"].replace(",", ""),
                      lead.extra["country"]]  # fmt: skip
            lines.append(",".join(values))
        path.write_text("\n".join(lines))
        read, wall, cpu = _timed(lambda: read_leads(path))
        print(f"  reading the lead file ({len(read.leads):,} rows): {wall:.2f} s ({cpu:.2f} s CPU)")
        prospects, wall2, cpu2 = _timed(
            lambda: [prospect_of(lead, today=TODAY, row=row) for row, lead in read.leads]
        )
        _, wall3, cpu3 = _timed(lambda: prioritize(CAMPAIGN, prospects, today=TODAY, top=20))
        total = wall + wall2 + wall3
        print(
            f"  the file end to end (read, prospects, place and score; no stored facts): "
            f"{total:.2f} s ({cpu + cpu2 + cpu3:.2f} s CPU)"
        )


def main(leads: int = 100_000, with_file: bool = False) -> None:
    """Generate the leads, then time prospects, segmenting, and segmenting with scoring."""
    cores = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None
    if cores:
        os.sched_setaffinity(0, {min(cores)})  # one core, as the target says
    try:
        _measure(leads, with_file)
    finally:
        if cores:
            os.sched_setaffinity(0, cores)  # the benchmarks run after this one get them all


def _measure(leads: int, with_file: bool) -> None:
    data = generated(leads)
    facts = sum(len(f) for _, _, f in data)
    print(f"segment and score {leads:,} leads ({facts:,} facts), one core:")
    prospects: list[Prospect]
    prospects, wall1, cpu1 = _timed(
        lambda: [prospect_of(lead, f, today=TODAY, row=row) for row, lead, f in data]
    )
    print(f"  leads and facts read into prospects: {wall1:.2f} s ({cpu1:.2f} s CPU)")
    split, wall2, cpu2 = _timed(lambda: segment(CAMPAIGN, prospects))
    shares = ", ".join(f"{c.name} {c.lead_share:.0%}" for c in split.split.counts)
    print(f"  placed in segments: {wall2:.2f} s ({cpu2:.2f} s CPU): {shares}")
    ranked, wall3, cpu3 = _timed(lambda: prioritize(CAMPAIGN, prospects, today=TODAY, top=100))
    parts = sum(len(p.parts) for p in ranked.ranked) / len(ranked.ranked)
    print(
        f"  placed and scored, ranked, top 100 kept: {wall3:.2f} s ({cpu3:.2f} s CPU); "
        f"best {ranked.ranked[0].score:.2f}, {parts:.1f} parts a lead in the top 100"
    )
    print(
        f"  segmenting and scoring in all (prospects + placed and scored): {wall1 + wall3:.2f} s "
        f"({cpu1 + cpu3:.2f} s CPU) = {leads / (wall1 + wall3):,.0f} leads/s (target: under 10 s)"
    )
    if with_file:
        _file_figures(data)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m benchmarks.segment_scoring")
    parser.add_argument("--leads", type=int, default=100_000)
    parser.add_argument("--file", action="store_true", help="also time reading a CSV of them")
    args = parser.parse_args()
    main(args.leads, args.file)
