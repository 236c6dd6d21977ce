"""A week's plan as people and programs read it: the JSON the API and `--json` print, the
account warnings, and one line per thing that did not fit."""

from __future__ import annotations

from typing import Any

from agent.planning.accounts import is_company_account
from agent.planning.cadence_config import CadenceProblem, Mailbox
from agent.planning.week_days import PlannedStep, WeekPlan

SHOWN_ACCOUNTS = 5
"""Accounts over the limit named one by one; the rest are counted in one warning."""


def account_problems(plan: WeekPlan, max_contacts: int) -> list[CadenceProblem]:
    """Warn about accounts with more contacts than the campaign takes, huge ones by name."""
    problems = []
    cuts = [c for c in plan.cuts if is_company_account(c.account)]
    named = [c for c in cuts if c.huge][:SHOWN_ACCOUNTS]
    for cut in named:
        problems.append(
            CadenceProblem(
                "warning",
                f"account {cut.account} has {cut.contacts} contacts: is it one company? (a "
                "university, an internet provider or a whole staff list share a domain)",
                field="max_contacts_per_account",
                account=cut.account,
                effect=f"the best {cut.kept} are planned, {cut.contacts - cut.kept} wait; check "
                "the lead list",
            )
        )
    rest = [c for c in cuts if c not in named]
    if rest:
        listed = ", ".join(f"{c.account} ({c.contacts})" for c in rest[:SHOWN_ACCOUNTS])
        more = f" and {len(rest) - SHOWN_ACCOUNTS} more" if len(rest) > SHOWN_ACCOUNTS else ""
        waiting = sum(c.contacts - c.kept for c in rest)
        problems.append(
            CadenceProblem(
                "warning",
                f"{len(rest)} accounts have more than {max_contacts} contacts: {listed}{more}",
                field="max_contacts_per_account",
                effect=f"the best {max_contacts} of each are planned, {waiting} contacts wait",
            )
        )
    return problems


def _step(step: PlannedStep) -> dict[str, Any]:
    line: dict[str, Any] = {
        "lead": step.lead,
        "lead_id": step.lead_id,
        "step": step.step,
        "channel": step.channel,
        "kind": step.kind,
        "mailbox": step.mailbox,
        "segment": step.segment or None,
        "source": step.source,
    }
    if step.step == 1 and step.source == "plan":
        line.update(account=step.account, score=round(step.score or 0.0, 4), sequence=step.sequence)
    return line


def segment_lines(plan: WeekPlan) -> list[dict[str, Any]]:
    """Return each segment's target share, leads it could plan, and first touches planned."""
    touches = sum(len(d.first_touches) for d in plan.days)
    counts: dict[str, int] = {}
    for day in plan.days:
        for touch in day.first_touches:
            counts[touch.segment] = counts.get(touch.segment, 0) + 1
    return [
        {
            "name": name,
            "target_share": round(share, 4),
            "eligible": plan.eligible[name],
            "first_touches": counts.get(name, 0),
            "share": round(counts.get(name, 0) / touches, 4) if touches else 0.0,
        }
        for name, share in plan.target_shares.items()
    ]


def plan_json(
    plan: WeekPlan,
    mailboxes: list[Mailbox],
    problems: list[CadenceProblem],
    *,
    include_leads: bool = True,
) -> dict[str, Any]:
    """Return the plan as the API answers and `outreach plan-week --json` prints it."""
    days = []
    for day in plan.days:
        entry: dict[str, Any] = {
            "date": day.day.isoformat(),
            "weekday": day.day.strftime("%a"),
            "closed": day.closed,
            "mailboxes": [
                {
                    "mailbox": box.address,
                    "cap": box.cap,
                    "sends": box.sends,
                    "follow_ups": box.follow_ups,
                    "first_touches": dict(sorted(box.first_touches.items())),
                }
                for box in day.mailboxes
            ],
            "first_touch_count": len(day.first_touches),
            "follow_up_count": len(day.follow_ups),
            "task_count": len(day.tasks),
        }
        if include_leads:
            entry["first_touches"] = [_step(s) for s in day.first_touches]
            entry["follow_ups"] = [_step(s) for s in day.follow_ups]
            entry["tasks"] = [_step(s) for s in day.tasks]
        days.append(entry)
    return {
        "week": plan.week_start.isoformat(),
        "mailboxes": [
            {
                "address": m.address,
                "daily_cap": m.daily_cap,
                "window": m.window,
                "days": list(m.days),
                "country": m.country,
                "warmup": None
                if m.warmup is None
                else {
                    "start": m.warmup.start,
                    "step": m.warmup.step,
                    "every": m.warmup.every,
                    "since": (m.warmup.since or plan.week_start).isoformat(),
                },
            }
            for m in mailboxes
        ],
        "days": days,
        "totals": {
            "first_touches": sum(len(d.first_touches) for d in plan.days),
            "follow_ups": sum(len(d.follow_ups) for d in plan.days),
            "tasks": sum(len(d.tasks) for d in plan.days),
            "sends": sum(b.sends for d in plan.days for b in d.mailboxes),
            "capacity": sum(b.cap for d in plan.days for b in d.mailboxes),
            "accounts_with_several_contacts": plan.multi_contact_accounts,
        },
        "segments": segment_lines(plan),
        "did_not_fit": [
            {"reason": x.reason, "count": x.count, "segment": x.segment, "message": x.message}
            for x in plan.leftovers
        ],
        "problems": [p.as_dict() for p in problems],
    }
