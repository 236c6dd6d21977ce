"""Segment and prioritize leads for a campaign: what `outreach segment`, `outreach prioritize`
and the API's segment and prioritize endpoints share."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from agent.campaigns.spec import CampaignSpec
from agent.planning.cadence_config import CadenceProblem, MailboxSetup, read_mailboxes
from agent.planning.plan_report import account_problems, plan_json
from agent.planning.priority import Priority, ReplyChance, Scorer, rank
from agent.planning.prospects import Prospect
from agent.planning.scoring_weights import ScoringWeights, read_scoring
from agent.planning.segment_config import Angle, SegmentProblem, SegmentSetup, read_segments
from agent.planning.segmentation import SegmentSplit, place, split_leads
from agent.planning.week_days import CadenceInputs, DueStep, WeekPlan
from agent.planning.weekly_plan import build_week_plan
from agent.sequences.definition import SequenceDefinition
from agent.settings import Settings
from graphs.lead import Channel

_CHANNEL_ADDRESS = {Channel.EMAIL: "email", Channel.SMS: "phone", Channel.LINKEDIN: "linkedin"}


@dataclass
class CampaignPlanning:
    """A campaign's segments and scoring, read once, with everything wrong with them."""

    setup: SegmentSetup
    scoring: ScoringWeights

    @property
    def problems(self) -> list[SegmentProblem]:
        """Return the segments' problems, then the scoring section's (as warnings)."""
        return [
            *self.setup.problems,
            *(SegmentProblem("warning", text, field="scoring") for text in self.scoring.problems),
        ]


def campaign_planning(spec: CampaignSpec) -> CampaignPlanning:
    """Read a campaign's segments and scoring section."""
    return CampaignPlanning(
        read_segments(spec.segments, spec.segment_split), read_scoring(spec.scoring)
    )


@dataclass
class SegmentReport:
    """The split of some leads over a campaign's segments."""

    planning: CampaignPlanning
    prospects: Sequence[Prospect]
    split: SegmentSplit

    def lead_lines(self) -> list[dict[str, Any]]:
        """Return one JSON-ready line per lead: who, which segment, which rule and what matched."""
        return [
            {
                "email": p.email,
                "name": p.name,
                "company": p.company,
                "row": p.row,
                "lead_id": p.lead_id,
                **placement.as_dict(),
            }
            for p, placement in zip(self.prospects, self.split.placements, strict=True)
        ]


def segment(spec: CampaignSpec, prospects: Sequence[Prospect]) -> SegmentReport:
    """Place every prospect in one segment (or unsegmented) and count the split."""
    planning = campaign_planning(spec)
    return SegmentReport(planning, prospects, split_leads(prospects, planning.setup))


@dataclass
class PriorityReport:
    """Leads ranked by priority, best first, and how many were scored."""

    planning: CampaignPlanning
    ranked: list[Priority]
    scored: int


def prioritize(
    spec: CampaignSpec,
    prospects: Sequence[Prospect],
    *,
    today: date,
    top: int | None = None,
    reply_chance: ReplyChance | None = None,
) -> PriorityReport:
    """Place and score every prospect; return the best `top` (all when None)."""
    planning = campaign_planning(spec)
    scorer = Scorer(
        target=spec.target(),
        target_audience=spec.target_audience,
        channel=spec.channel,
        weights=planning.scoring,
        today=today,
        reply_chance=reply_chance,
    )
    segments = planning.setup.segments
    angles = {s.name: s.angle for s in segments}
    no_angle = Angle()
    priorities = []
    for prospect in prospects:
        placement = place(prospect, segments)
        priorities.append(
            scorer.priority(prospect, placement, angles.get(placement.segment, no_angle))
        )
    return PriorityReport(planning, rank(priorities, top), len(priorities))


@dataclass
class WeekPlanReport:
    """A week's plan with the mailboxes it used and everything wrong with the input."""

    planning: CampaignPlanning
    mailboxes: MailboxSetup
    plan: WeekPlan
    account_warnings: list[CadenceProblem]
    scored: int
    sequence: SequenceDefinition | None = None
    """The campaign's sequence (a segment's angle may name its own)."""

    @property
    def problems(self) -> list[CadenceProblem]:
        """Return the mailboxes' problems, the segments' (as cadence problems), the accounts'."""
        return [
            *self.mailboxes.problems,
            *(
                CadenceProblem(p.level, p.message, field=p.field, effect=p.effect)
                for p in self.planning.problems
            ),
            *self.account_warnings,
        ]

    def as_json(self, *, include_leads: bool = True) -> dict[str, Any]:
        """Return the plan as the API answers and `outreach plan-week --json` prints it."""
        found = plan_json(
            self.plan, self.mailboxes.mailboxes, self.problems, include_leads=include_leads
        )
        found["leads"] = self.scored
        return found


def week_of(day: date) -> date:
    """Return the Monday of the week holding `day`."""
    return day - timedelta(days=day.weekday())


def next_week(today: date) -> date:
    """Return the Monday after `today`."""
    return week_of(today) + timedelta(days=7)


def plan_week(
    spec: CampaignSpec,
    prospects: Sequence[Prospect],
    *,
    settings: Settings,
    today: date,
    week_start: date,
    due: Sequence[DueStep] = (),
    enrolled: frozenset[int] = frozenset(),
    reply_chance: ReplyChance | None = None,
) -> WeekPlanReport:
    """Build the week's plan: first touches by segment share and priority within the mailboxes'
    ramped caps, the follow-ups and tasks due, and what did not fit. `reply_chance`: what the
    campaign's outcomes predict (agent/learning/reply_chance.py), ranking within a segment."""
    report = prioritize(spec, prospects, today=today, reply_chance=reply_chance)
    mailboxes = read_mailboxes(
        spec.mailboxes,
        default_address=(spec.sender.email if spec.sender else None) or settings.sender_email,
        default_cap=settings.send_daily_cap,
        default_window=settings.send_window,
        default_country=settings.default_country,
    )
    inputs = CadenceInputs(
        setup=report.planning.setup,
        mailboxes=mailboxes.mailboxes,
        sequence=spec.sequence,
        week_start=week_of(week_start),
        needs=_CHANNEL_ADDRESS[spec.channel],
        max_contacts=spec.max_contacts_per_account,
        default_country=settings.default_country.strip().upper(),
        due=due,
        enrolled=enrolled,
    )
    plan = build_week_plan(report.ranked, inputs)
    warnings = account_problems(plan, spec.max_contacts_per_account)
    return WeekPlanReport(report.planning, mailboxes, plan, warnings, report.scored, spec.sequence)
