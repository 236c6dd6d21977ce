"""Rule-based analysis: triggers, pain points, hooks and relevance from facts alone."""

from __future__ import annotations

from agent.offline.hooks import rank_hooks
from agent.offline.matching import mentions
from agent.offline.title_terms import english_title
from agent.offline.triggers import (
    BASE_RELEVANCE,
    classify,
    is_stale,
    recency_factor,
)
from graphs.analysis import Analysis, PainPoint, TriggerEvent, TriggerType
from graphs.task_inputs import AnalyzeInput, FactBrief
from tools.facts import FactKind


def trigger_events(payload: AnalyzeInput) -> list[TriggerEvent]:
    """Find dated events that make outreach timely, strongest first."""
    events: list[TriggerEvent] = []
    for fact in payload.facts:
        kind = classify(fact)
        if kind is None:
            continue
        if is_stale(fact.published, payload.today):
            continue
        relevance = BASE_RELEVANCE[kind] * recency_factor(fact.published, payload.today)
        events.append(
            TriggerEvent(
                type=kind,
                description=fact.title or fact.text,
                date=fact.published,
                fact_ids=[fact.id],
                relevance=round(relevance, 2),
            )
        )
    return sorted(events, key=lambda e: e.relevance, reverse=True)


def pain_points(payload: AnalyzeInput, events: list[TriggerEvent]) -> list[PainPoint]:
    """Tie the campaign's topics to the facts that raise them."""
    points: list[PainPoint] = []
    for keyword in payload.campaign.target.keywords:
        cited = [f for f in payload.facts if mentions(f"{f.title or ''} {f.text}", keyword)]
        if cited:
            where = cited[0].title or cited[0].kind.value
            points.append(
                PainPoint(text=f"{keyword} (raised in “{where}”)", fact_ids=[cited[0].id])
            )
    for event in events:
        if event.type is TriggerType.HIRING_SURGE:
            points.append(
                PainPoint(
                    text="keeping delivery fast while the team grows", fact_ids=event.fact_ids
                )
            )
        elif event.type is TriggerType.FUNDING:
            points.append(
                PainPoint(text="pressure to ship faster after new funding", fact_ids=event.fact_ids)
            )
        elif event.type is TriggerType.LEADERSHIP_CHANGE:
            points.append(
                PainPoint(text="a new leader setting priorities", fact_ids=event.fact_ids)
            )
    return points[:5]


def relevance(payload: AnalyzeInput, events: list[TriggerEvent]) -> tuple[float, list[str]]:
    """Score fit with the campaign from title, topics, exclusions, triggers and evidence."""
    target = payload.campaign.target
    lead = payload.lead
    # Stale items say what mattered to them once, not now: they are no evidence of fit.
    current = [f for f in payload.facts if not is_stale(f.published, payload.today)]
    corpus = " ".join(
        [lead.company, lead.title or "", lead.industry or ""]
        + [f"{f.title or ''} {f.text}" for f in current]
    )
    score = 0.0
    reasons: list[str] = []
    title = lead.title or ""
    english = english_title(title)
    if title and any(mentions(title, t) or mentions(english, t) for t in target.titles):
        score += 0.35
        reasons.append(f"title {title!r} is in the target audience")
    elif title:
        reasons.append(f"title {title!r} is outside the target titles")
    candidates = dict.fromkeys(k.lower() for k in [*target.keywords, *target.industries])
    topics = [k for k in candidates if mentions(corpus, k)]
    if topics:
        score += min(0.3, 0.1 * len(topics))
        reasons.append(f"research mentions {', '.join(topics[:5])}")
    excluded = [k for k in target.exclude_keywords if mentions(corpus, k)]
    if excluded:
        score -= 0.4 * len(excluded)
        reasons.append(f"poor-fit signals: {', '.join(excluded)}")
    if events:
        score += 0.2 * events[0].relevance
        reasons.append(f"timely: {events[0].type.value} ({events[0].description})")
    researched = [f for f in payload.facts if f.source_url.startswith(("http://", "https://"))]
    score += min(0.15, 0.03 * len(researched))
    if len(researched) < 3:
        reasons.append("little research found")
    return round(min(1.0, max(0.0, score)), 2), reasons


def _style(facts: list[FactBrief]) -> str:
    posts = [f for f in facts if f.kind is FactKind.POST]
    if posts:
        return "writes publicly about engineering practice; peer-to-peer and specific"
    return "little public writing; keep it brief and professional"


def analyze_offline(payload: AnalyzeInput) -> Analysis:
    """Analyze a lead without a model."""
    events = trigger_events(payload)
    score, reasons = relevance(payload, events)
    hooks = rank_hooks(payload)
    if events and events[0].relevance >= 0.6:
        approach = f"trigger-based: open with the {events[0].type.value.replace('_', ' ')}"
    elif hooks:
        approach = "insight-led: open with their own work"
    else:
        approach = "problem-solution: lead with the value proposition"
    return Analysis(
        pain_points=pain_points(payload, events),
        trigger_events=events,
        hooks=hooks,
        communication_style=_style(payload.facts),
        relevance_score=score,
        relevance_reasons=reasons,
        recommended_approach=approach,
    )
