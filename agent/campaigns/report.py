"""A campaign's results as people read them: counts, rates, cost and an honest A/B verdict.

The REST API's analytics endpoint, `outreach report` and the operator chat report through here;
a campaign with a sequence also gets its `sequence` section (sequence_report): its leads, each
step's sends, replies and tasks, and the whole sequence as an A/B test of tones.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import asdict
from typing import Any, Literal

from sqlalchemy.ext.asyncio import AsyncSession

from agent.campaigns.reply_report import delivered_basis, replies_section, segments_section
from agent.campaigns.stored import spec_of
from agent.delivery.campaign_sender import campaign_allocation
from agent.experiments.ab_testing import ArmCounts, DecisionRule, analyze, sends_needed_per_arm
from agent.experiments.intervals import wilson
from graphs.drafts import tone_rank
from storage.analytics import campaign_analytics
from storage.lead_stages import stages_and_sends
from storage.models import CampaignRow
from storage.reply_outcomes import lead_segment, reply_outcomes, segment_outcomes
from storage.sequence_metrics import (
    Engagement,
    StepCounts,
    campaign_arms,
    sequence_counts,
    tone_arms,
)

AbMetric = Literal["reply_rate", "positive_reply_rate"]
POSITIVE_METRIC_NOTE = (
    "Arms are compared on positive replies (interested or asking for a meeting): each arm's "
    "`replied` and reply rate count only those."
)
OPENS_NOTE = (
    "Open rates are inflated by mail privacy proxies (e.g. Apple Mail Privacy Protection "
    "fetches every image), so they are reported but never used to pick a winner."
)


async def campaign_report(
    session: AsyncSession,
    campaign: CampaignRow,
    rule: DecisionRule | None = None,
    *,
    metric: AbMetric = "reply_rate",
) -> dict[str, Any]:
    """Return counts and rates (percent of delivered), cost, what replies said, the leads'
    stages, and the A/B section.

    A/B: reply rate is the primary metric, or the positive-reply rate (interested or asking
    for a meeting) when `metric` says so; a winner needs the rule's probability to be best,
    expected loss and sends per arm, otherwise `not_yet` says why.
    """
    rule = rule or DecisionRule()
    stats = await campaign_analytics(session, campaign_id=campaign.id)
    replies = await reply_outcomes(session, campaign_id=campaign.id)
    variants = sorted(stats.pop("variants"), key=lambda v: tone_rank(v["tone"]))
    for variant in variants:
        said = replies.tones.get(variant["tone"])
        variant["positive_replies"] = said.positive if said is not None else 0
        variant["meeting_requests"] = said.intents["meeting_request"] if said is not None else 0
    if metric == "positive_reply_rate":  # the arms' successes are positive replies
        variants = [{**v, "replied": v["positive_replies"]} for v in variants]
    ab: dict[str, Any] = {
        "primary_metric": metric,
        "allocation": campaign_allocation(campaign),
        "decision_rule": asdict(rule),
        "variants": [],
        "winning_variant": None,
        "winner": None,
        "not_yet": ["no sends yet"],
    }
    if variants:
        result = analyze([ArmCounts.from_counters(v["tone"], v) for v in variants], rule)
        numbers = {v["tone"]: n for n, v in enumerate(variants)}
        ab.update(
            variants=[
                {
                    "variant_number": numbers[arm.tone],
                    **{k: v for k, v in asdict(arm).items() if not k.endswith("_rate")},
                    **{
                        k: round(100 * v, 2)
                        for k, v in asdict(arm).items()
                        if k.endswith("_rate") and isinstance(v, float)
                    },
                    "reply_rate_ci": [round(100 * x, 2) for x in arm.reply_rate_ci],
                    "prob_best": round(arm.prob_best, 4),
                    "expected_loss": round(100 * arm.expected_loss, 3),
                }
                for arm in result.arms
            ],
            winning_variant=numbers.get(result.winner) if result.winner else None,
            winner=result.winner,
            leader=result.leader,
            not_yet=result.not_yet,
            significance={
                "test": result.omnibus_test,
                "p_value": result.omnibus_p_value,
                "comparisons": [asdict(c) for c in result.comparisons],
                "note": "fixed-sample p-values, for information; the decision rule decides",
            },
            sends_needed_per_arm=result.sends_needed_per_arm,
            notes=result.notes,
        )
    if metric == "positive_reply_rate":
        ab["metric_note"] = POSITIVE_METRIC_NOTE
    stages, sent = await stages_and_sends(session, campaign_id=campaign.id, segment=lead_segment())
    segments = await segment_outcomes(session, campaign_id=campaign.id, sent=sent)
    return {
        **stats,
        "name": campaign.name,
        "status": campaign.status,
        "channel": campaign.channel,
        "notes": [OPENS_NOTE],
        "replies": replies_section(replies, delivered=delivered_basis(stats)),
        "segments": segments_section(segments),
        "lead_stages": stages,
        "ab_testing": ab,
        "sequence": await sequence_report(session, campaign),
    }


LEAD_STATUSES = ("active", "paused", "stopped", "finished")
REPLY_RATE_NOTE = (
    "A reply counts for the step whose message it answered; a step's reply rate is its replies "
    "over its sends (percent). LinkedIn and call steps are done by a person: see their tasks."
)
NO_INTENT_NOTE = (
    "positive_replies is null: these replies were recorded before the reply classifier read "
    "replies, so none carries an intent."
)


def partial_intent_note(with_intent: int, replied: int) -> str:
    """Say that positive_replies counts only the replies the classifier read."""
    return (
        f"positive_replies counts {with_intent} of {replied} replies: the others were recorded "
        "before the reply classifier read replies."
    )


P_VALUE_NOTE = (
    "The p-value is a fixed-sample two-sided test (Fisher's exact with small counts, else "
    "chi-square, the two-proportion z test), for information: looking at it after every batch "
    "would call false winners."
)


def _percent(part: int, whole: int) -> float:
    return round(100 * part / whole, 2) if whole else 0.0


def _interval(part: int, whole: int) -> list[float]:
    return [round(100 * bound, 2) for bound in wilson(part, whole)]


def _hours(seconds: float | None) -> float | None:
    return round(seconds / 3600, 2) if seconds is not None else None


def best_two(arms: Sequence[tuple[Hashable, int, int]]) -> dict[str, Any] | None:
    """Return a two-sided two-proportion test between the two arms with the highest rates.

    arms: (key, trials, successes). None when fewer than two arms have trials.
    """
    tried = [arm for arm in arms if arm[1] > 0]
    if len(tried) < 2:
        return None
    first, second = sorted(tried, key=lambda arm: (-arm[2] / arm[1], -arm[1]))[:2]
    result = analyze(
        [
            ArmCounts(tone=str(number), sent=trials, replied=successes)
            for number, (_, trials, successes) in enumerate((first, second))
        ]
    )
    return {
        "between": [first[0], second[0]],
        "rates": [_percent(first[2], first[1]), _percent(second[2], second[1])],
        "test": result.omnibus_test,
        "p_value": round(result.omnibus_p_value, 4) if result.omnibus_p_value is not None else None,
        "leads_needed_per_arm": sends_needed_per_arm(first[2] / first[1], second[2] / second[1]),
    }


def _intent_notes(total: Engagement) -> list[str]:
    if total.replied and not total.with_intent:
        return [NO_INTENT_NOTE]
    if 0 < total.with_intent < total.replied:
        return [partial_intent_note(total.with_intent, total.replied)]
    return []


def _engagement(counts: Engagement, told: bool) -> dict[str, Any]:
    return {
        "sent": counts.sent,
        "delivered": counts.delivered,
        "opened": counts.opened,
        "replied": counts.replied,
        "positive_replies": counts.positive if told else None,
        "positive_reply_rate": (
            _percent(counts.positive, max(counts.sent, counts.replied)) if told else None
        ),
        "meeting_requests": counts.meeting_requests if told else None,
        "unsubscribed": counts.unsubscribed,
        "bounced": counts.bounced,
        "reply_rate": _percent(counts.replied, counts.sent),
        "reply_rate_ci": _interval(counts.replied, counts.sent),
        "median_time_to_reply_hours": _hours(counts.median_reply_s),
    }


async def sequence_report(session: AsyncSession, campaign: CampaignRow) -> dict[str, Any] | None:
    """Return the campaign's sequence section (None without a sequence): its leads, each
    step's sends, replies and tasks, and the tones as arms of the whole sequence."""
    definition = spec_of(campaign).sequence
    if definition is None:
        return None
    counts = await sequence_counts(session, campaign_id=campaign.id)
    # Null only when every reply predates the classifier; partial counts say so in a note.
    told = counts.total.with_intent > 0 or counts.total.replied == 0
    steps: list[dict[str, Any]] = []
    offset = 0
    for number in range(1, max(len(definition.steps), *counts.steps, 0) + 1):
        planned = definition.steps[number - 1] if number <= len(definition.steps) else None
        offset += planned.delay_business_days if planned else 0
        step = counts.steps.get(number) or StepCounts(step=number)
        is_task = planned is not None and planned.channel.is_task
        steps.append(
            {
                "step": number,
                "kind": planned.kind.value if planned else None,
                "channel": planned.channel.value if planned else None,
                "delay_business_days": planned.delay_business_days if planned else None,
                "due_offset_business_days": offset if planned else None,
                "reached": step.reached,
                "states": dict(sorted(step.states.items())),
                "leads": {status: step.leads.get(status, 0) for status in LEAD_STATUSES},
                **_engagement(step.engagement, told),
                "tasks": (
                    {status: step.tasks.get(status, 0) for status in ("open", "done", "skipped")}
                    if is_task or step.tasks
                    else None
                ),
            }
        )
    leads = {status: counts.leads.get(status, 0) for status in LEAD_STATUSES}
    arms = sorted(
        await tone_arms(session, campaign_id=campaign.id), key=lambda a: tone_rank(a.name)
    )
    return {
        "preset": definition.preset,
        "steps_defined": len(definition.steps),
        "total_business_days": definition.total_business_days,
        "leads": {"enrolled": sum(counts.leads.values()), **leads},
        "performance": _engagement(counts.total, told),
        "steps": steps,
        "ab_testing": {
            "primary_metric": "replied_at_any_step",
            "arms": [
                {
                    "tone": arm.name,
                    "leads": arm.leads,
                    "replied": arm.replied,
                    "reply_rate": _percent(arm.replied, arm.leads),
                    "reply_rate_ci": _interval(arm.replied, arm.leads),
                }
                for arm in arms
            ],
            "comparison": best_two([(arm.name, arm.leads, arm.replied) for arm in arms]),
            "notes": [
                "A thread keeps the tone of its first message, so each tone is an arm of the "
                "whole sequence: leads whose first message went in it, and those who replied at "
                "any step (percent, Wilson 95% intervals).",
                P_VALUE_NOTE,
            ],
        },
        "notes": [REPLY_RATE_NOTE, *_intent_notes(counts.total), OPENS_NOTE],
    }


async def compare_sequences(
    session: AsyncSession, campaigns: Sequence[CampaignRow]
) -> dict[str, Any]:
    """Compare campaigns' whole sequences: leads enrolled, and those who replied at any step."""
    arms = await campaign_arms(session, campaign_ids=[c.id for c in campaigns])
    by_id = {c.id: c for c in campaigns}
    rows = []
    for arm in arms:
        campaign = by_id[arm.campaign_id]
        definition = spec_of(campaign).sequence
        rows.append(
            {
                "campaign_id": arm.campaign_id,
                "name": campaign.name,
                "status": campaign.status,
                "preset": definition.preset if definition else None,
                "steps": len(definition.steps) if definition else 0,
                "enrolled": arm.enrolled,
                "contacted": arm.contacted,
                "replied": arm.replied,
                "reply_rate": _percent(arm.replied, arm.enrolled),
                "reply_rate_ci": _interval(arm.replied, arm.enrolled),
            }
        )
    return {
        "primary_metric": "replied_at_any_step",
        "campaigns": rows,
        "comparison": best_two([(a.campaign_id, a.enrolled, a.replied) for a in arms]),
        "notes": [
            "Each campaign's leads enrolled in its sequence, and those who replied at any step "
            "(percent of enrolled, Wilson 95% intervals); contacted: leads its first step reached.",
            P_VALUE_NOTE,
        ],
    }
