"""Building a week's plan for 10,000 leads on one core.

The leads are those of benchmarks/segment_scoring.py (export columns and researched facts, five
segments with their own sequences), at 4,000 companies (two to three contacts each), planned
for the week of Christmas 2026 (Friday a holiday). Two teams: 10 mailboxes warming up (most
leads wait for next week) and 50 warmed-up mailboxes (most leads are planned). Timed apart:
placing and scoring the leads (what `outreach prioritize` does), and the plan itself (accounts,
shares, caps, follow-ups and tasks; `outreach plan-week` after the file is read).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
from functools import partial
from typing import Any

from agent.planning.cadence_config import read_mailboxes
from agent.planning.operations import CampaignPlanning, plan_week, prioritize
from agent.planning.prospects import prospect_of
from agent.planning.week_days import CadenceInputs
from agent.planning.weekly_plan import build_week_plan
from agent.sequences.definition import parse_sequence
from agent.settings import Settings
from benchmarks.segment_scoring import CAMPAIGN, TODAY, _timed, generated

WEEK = dt.date(2026, 12, 21)
COMPANIES = 4_000


def _mailboxes(count: int, warming: bool) -> list[dict[str, Any]]:
    boxes: list[dict[str, Any]] = []
    for n in range(count):
        box: dict[str, Any] = {"address": f"seller{n}@brightpath.example", "daily_cap": 40 + n % 11}
        if warming:
            box["warmup"] = {"start": 10, "step": 3, "since": "2026-12-14"}
        boxes.append(box)
    return boxes


def main(leads: int = 10_000) -> None:
    """Generate the leads, then time scoring and planning for two teams, on one core."""
    cores = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None
    if cores:
        os.sched_setaffinity(0, {min(cores)})
    try:
        _measure(leads)
    finally:
        if cores:
            os.sched_setaffinity(0, cores)


def _measure(count: int) -> None:
    data = generated(count)
    prospects = [
        prospect_of(
            lead.model_copy(update={"email": f"person{n}@company{n % COMPANIES}.example"}),
            facts,
            today=TODAY,
            row=row,
        )
        for n, (row, lead, facts) in enumerate(data)
    ]
    settings = Settings()
    print(f"a week's plan for {count:,} leads at {COMPANIES:,} companies, one core:")
    for boxes, warming in ((10, True), (50, False)):
        spec = CAMPAIGN.model_copy(
            update={"mailboxes": _mailboxes(boxes, warming), "sequence": parse_sequence("3-step")}
        )
        report, wall, cpu = _timed(partial(plan_week, spec, prospects, settings=settings,
                                           today=TODAY, week_start=WEEK))  # fmt: skip
        ranked, wall1, _ = _timed(partial(prioritize, spec, prospects, today=TODAY))
        inputs = _inputs(spec, ranked.planning, settings)
        _, wall2, cpu2 = _timed(partial(build_week_plan, ranked.ranked, inputs))
        found = report.as_json(include_leads=False)
        totals = found["totals"]
        waiting = "; ".join(x["message"] for x in found["did_not_fit"][:3])
        print(
            f"  {boxes} mailboxes{' warming up' if warming else ''}: {wall:.2f} s in all "
            f"({cpu:.2f} s CPU): placing and scoring {wall1:.2f} s, the plan itself "
            f"{wall2:.2f} s ({cpu2:.2f} s CPU)"
        )
        print(
            f"    {totals['first_touches']:,} first touches, {totals['follow_ups']:,} "
            f"follow-ups, {totals['tasks']:,} tasks, {totals['sends']:,} of "
            f"{totals['capacity']:,} sending slots; {waiting}"
        )


def _inputs(spec: Any, planning: CampaignPlanning, settings: Settings) -> CadenceInputs:
    boxes = read_mailboxes(
        spec.mailboxes,
        default_address=None,
        default_cap=settings.send_daily_cap,
        default_window=settings.send_window,
        default_country=settings.default_country,
    )
    return CadenceInputs(
        setup=planning.setup,
        mailboxes=boxes.mailboxes,
        sequence=spec.sequence,
        week_start=WEEK,
        max_contacts=spec.max_contacts_per_account,
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m benchmarks.week_plan")
    parser.add_argument("--leads", type=int, default=10_000)
    main(parser.parse_args().leads)
