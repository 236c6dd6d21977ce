"""Combine the checks into one verdict per draft."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from graphs.context import CriticSettings, Thresholds
from graphs.critic.checks import (
    check_call_to_action,
    check_channel_limit,
    check_length,
    check_links,
    check_personalization,
    check_placeholders,
    check_recipient_name,
    check_spam,
    check_subject,
    check_tone,
)
from graphs.critic.copy_checks import check_copied_instructions, check_wording
from graphs.critic.grounding import Evidence, campaign_texts
from graphs.critic.grounding_check import check_grounding
from graphs.critic.language_checks import check_language
from graphs.critic.outreach_claims import check_earlier_outreach
from graphs.critic.thread_checks import (
    Thread,
    check_follow_up_personalization,
    follow_up_settings,
    thread_checks,
)
from graphs.drafts import CheckResult, Critique, Variant
from graphs.lead import Campaign, Channel, Lead
from graphs.lead_screening import screen_lead
from tools.facts import Fact

# How much each check weighs in the score; hard checks also veto on their own.
WEIGHTS = {
    "grounding": 3.0,
    "personalization": 2.0,
    "call_to_action": 1.5,
    "length": 1.0,
    "spam_phrases": 1.0,
    "placeholders": 1.0,
    "channel_limit": 1.0,
    "recipient_name": 1.0,
    "links": 1.0,
    "subject": 0.5,
    "tone": 1.0,
    "wording": 1.0,
    "language": 1.0,
    "copied_instructions": 1.0,
    "repeated_hook": 1.5,
    "repeated_sentence": 1.0,
    "length_growing": 1.0,
    "calls_to_action": 1.0,
    "earlier_outreach": 1.5,
}
HARD_FAILURE_CAP = 0.4
MAX_CHECKED_CHARS = 12_000
"""Characters of subject and body the critic reads; a LinkedIn message may have 1,900."""


def critique(
    variant: Variant,
    *,
    lead: Lead,
    campaign: Campaign,
    facts: list[Fact],
    settings: CriticSettings,
    thresholds: Thresholds,
    evidence: Evidence | None = None,
    unpersonalized: bool = False,
    thread: Thread | None = None,
    sms_suffix: str = "",
    language: str = "en",
    today: date | None = None,
) -> Critique:
    """Run every check on one draft and score it 0-1 (pass evidence to reuse it across drafts).

    sms_suffix: what the sender adds to a text (the opt-out line on a thread's first SMS),
    counted in its segments.

    language: the language the draft is written in ("en", "es", "fr", "de"); the calls to
    action, spam and register markers, placeholders and the language check read it in that
    language (and English). today: the date claims are judged on (None: the run's own date),
    for the grounding check.

    unpersonalized: research found nothing about the lead (Analysis.unpersonalized), so no hook
    is asked of the draft and anything it says only research could tell fails grounding.
    """
    size = len(variant.body) + len(variant.subject or "")
    if size > MAX_CHECKED_CHARS:
        # Far past every channel's length: it fails anyway, and the claim checks would take
        # seconds on it, so nothing else is read.
        too_long = CheckResult(
            name="length", passed=False, score=0.0, hard=True,
            detail=f"{size} characters; the critic reads at most {MAX_CHECKED_CHARS}",
            fix="Rewrite it as a short message for its channel.",
        )  # fmt: skip
        return Critique(tone=variant.tone, score=0.0, passed=False, checks=[too_long])
    by_id = {fact.id: fact for fact in facts}
    channel = campaign.channel
    # Lead fields are untrusted: the draft is judged against the lead as the writer saw it
    # (a withheld field is neither evidence nor a name to spell), and may copy nothing of it.
    screen = screen_lead(lead)
    lead = screen.lead
    evidence = evidence or Evidence.for_message(lead, campaign, facts)
    follow_up = thread is not None and thread.is_follow_up
    personalization = (
        check_follow_up_personalization(variant, thread, by_id)
        if thread is not None and follow_up
        else check_personalization(
            variant, channel, by_id, settings, unpersonalized, names=[lead.name, lead.company]
        )
    )
    checks: list[CheckResult] = [
        check_grounding(
            variant,
            lead,
            by_id,
            evidence,
            unpersonalized,
            campaign=campaign,
            today=today,
            language=language,
        ),
        personalization,
        check_call_to_action(variant, channel, campaign, language),
        check_length(variant, channel, follow_up_settings(settings) if follow_up else settings),
        check_spam(variant, lead, campaign, language, _written_by_others(facts, campaign)),
        check_placeholders(variant, campaign, facts, language),
        check_channel_limit(variant, channel, campaign, settings, sms_suffix),
        check_recipient_name(variant, lead),
        check_links(variant, campaign, settings.own_links),
        check_tone(variant, lead, campaign, language),
        check_wording(variant, lead, campaign, by_id),
        check_language(variant, lead, campaign, language),
        check_copied_instructions(variant, screen.findings, campaign, evidence),
    ]
    if channel is Channel.EMAIL:
        checks.append(check_subject(variant, settings))
    if thread is not None:
        checks += thread_checks(variant, thread, by_id, lead.first_name, campaign, language)
    # Only a draft that claims an earlier contact, or a lead we wrote a colleague of, has
    # something to check: every other draft is scored exactly as without this check.
    earlier = check_earlier_outreach(variant, facts, first_touch=not follow_up)
    if earlier is not None:
        checks.append(earlier)
    total = sum(WEIGHTS[c.name] for c in checks)
    score = sum(WEIGHTS[c.name] * c.score for c in checks) / total
    hard_failed = any(c.hard and not c.passed for c in checks)
    if hard_failed:
        score = min(score, HARD_FAILURE_CAP)
    # A strict editor: every check must pass; the score ranks drafts that do.
    passed = all(c.passed for c in checks) and score >= thresholds.pass_score
    return Critique(tone=variant.tone, score=round(score, 3), passed=passed, checks=checks)


def _written_by_others(facts: list[Fact], campaign: Campaign) -> Iterator[str]:
    """The facts' and the campaign's texts, whose capitals are names, not shouting: read by
    the spam check only when the draft has a word in capitals (most have none)."""
    for fact in facts:
        yield from (part for part in (fact.title, fact.text) if part)
    yield from campaign_texts(campaign)
