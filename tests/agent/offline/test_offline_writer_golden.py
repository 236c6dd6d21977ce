"""Across the golden leads, the offline writer reads like a person wrote each message (issue 21,
item 4): no sentence repeats across a fifth of one tone's messages, every message keeps the
campaign's claims, well-researched leads pass the critic, and short channels fit."""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from functools import cache

import pytest

from benchmarks.offline_writer_variety import golden_runs, sentence_shares
from evals.golden_set import GoldenLead
from graphs.analysis import Analysis
from graphs.context import CriticSettings, Thresholds
from graphs.critic.checks import sms_segments
from graphs.critic.language_checks import language_problems
from graphs.critic.review import critique
from graphs.drafts import Tone, Variant
from graphs.lead import Campaign, Channel
from tools.facts import Fact

MAX_SHARE = 0.20


@dataclass(frozen=True)
class Written:
    """One golden lead's first drafts, written by the offline pipeline as the eval runs it."""

    golden: GoldenLead
    campaign: Campaign
    """The campaign as the message's language has it (its translated pitch and ask)."""
    language: str
    analysis: Analysis
    facts: list[Fact]
    drafts: list[Variant]


@cache
def golden_drafts() -> tuple[Written, ...]:
    """Run every golden lead through the offline pipeline once (no rewrite): its first drafts."""
    runs = asyncio.run(golden_runs(max_attempts=1))
    return tuple(
        Written(
            run.golden,
            run.campaign.in_language(language),
            language,
            run.output["analysis"],
            run.output["facts"],
            variants,
        )
        for run in runs
        if (variants := list(run.output.get("variants") or []))
        and (language := run.output.get("language") or "en")
    )


def test_the_golden_set_is_large_enough_to_judge_variety() -> None:
    assert len(golden_drafts()) >= 25


@pytest.mark.parametrize("tone", list(Tone))
def test_no_sentence_is_in_more_than_a_fifth_of_one_tones_messages(tone: Tone) -> None:
    messages = [
        (d.body, w.golden.lead, w.campaign)
        for w in golden_drafts()
        for d in w.drafts
        if d.tone == tone
    ]
    total, shares = sentence_shares(messages)
    common = [(text, round(share, 2)) for text, share in shares if share > MAX_SHARE]
    assert total >= 25 and common == [], common


FRAMING_WORDS = frozenset({"also"})
"""Words of a pitch a frame may leave out ("On top of that, it drafts …"): none is a claim."""


def _pitch_words(campaign: Campaign) -> set[str]:
    words = re.findall(r"[\w-]+", campaign.value_proposition.casefold())
    return {w for w in words if len(w) > 2} - FRAMING_WORDS


def test_every_email_keeps_every_claim_of_the_campaigns_pitch() -> None:
    for w in golden_drafts():
        if w.campaign.channel is not Channel.EMAIL:
            continue
        numbers = re.findall(r"\d[\d,.]*|\ba third\b", w.campaign.value_proposition)
        for draft in w.drafts:
            words = set(re.findall(r"[\w-]+", draft.body.casefold()))
            missing = _pitch_words(w.campaign) - words
            assert not missing, (w.golden.id, draft.tone, missing, draft.body)
            for number in numbers:
                assert number in draft.body, (w.golden.id, number, draft.body)


def test_every_draft_asks_one_question_at_the_end() -> None:
    for w in golden_drafts():
        for draft in w.drafts:
            body = draft.body.split("\n\n")
            ask = body[-2] if w.campaign.channel is Channel.EMAIL else draft.body
            assert draft.body.count("?") - draft.body.count("?”") == 1, draft.body
            assert ask.rstrip().endswith(("?", "?" + f" {w.campaign.sender.name.split()[0]}")), ask


def test_well_researched_leads_pass_the_critic() -> None:
    verdicts = []
    for w in golden_drafts():
        if not {"strong_fit", "rich_research"} <= set(w.golden.tags):
            continue
        for draft in w.drafts:
            variant = Variant(
                tone=draft.tone, subject=draft.subject, body=draft.body, hooks=draft.hooks
            )
            verdict = critique(
                variant, lead=w.golden.lead, campaign=w.campaign, facts=w.golden.facts,
                settings=CriticSettings(), thresholds=Thresholds(), language=w.language,
            )  # fmt: skip
            verdicts.append((w.golden.id, draft.tone.value, verdict.passed, verdict.issues))
    failing = [v for v in verdicts if not v[2]]
    assert len(verdicts) >= 40 and len(failing) <= 0.1 * len(verdicts), failing


def test_no_draft_has_a_verbless_fragment_an_unjoined_list_or_a_doubled_sentence() -> None:
    for w in golden_drafts():
        names = [w.golden.lead.first_name, w.golden.lead.name]
        for draft in w.drafts:
            problems = language_problems(
                draft.body, language=w.language, campaign=w.campaign, lead_names=names
            )
            assert problems == [], (w.golden.id, draft.tone, problems)
            assert not re.search(r"(?:^|[.!?]\s)(?:And|Also) [^.!?]* too\.", draft.body), draft.body
            assert not re.search(r"(?:^|[.!?]\s)Also (?:saw|your)\b", draft.body), draft.body


def test_texts_fit_one_segment_and_notes_three_hundred_characters() -> None:
    short = [w for w in golden_drafts() if w.campaign.channel is not Channel.EMAIL]
    assert {w.campaign.channel for w in short} == {Channel.SMS, Channel.LINKEDIN}
    for w in short:
        for draft in w.drafts:
            if w.campaign.channel is Channel.SMS:
                assert sms_segments(draft.body)[0] == 1, draft.body
                assert w.golden.lead.first_name in draft.body  # "Lucía" stays "Lucía"
            else:
                assert len(draft.body) <= 300, draft.body
            assert draft.subject is None


def test_subjects_are_short_calm_and_differ_between_tones() -> None:
    for w in golden_drafts():
        if w.campaign.channel is not Channel.EMAIL:
            continue
        subjects = [d.subject or "" for d in w.drafts]
        for subject in subjects:
            assert 0 < len(subject) <= 45 and "!" not in subject, subject
            assert subject.upper() != subject, subject
        if w.analysis.hooks:
            assert len(set(subjects)) >= 2, (w.golden.id, subjects)
