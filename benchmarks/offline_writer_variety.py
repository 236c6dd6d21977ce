"""How varied the offline writer's first touches read, and how many pass the critic.

Runs every golden lead through the real pipeline on the offline provider, as `outreach eval`
does (recorded research, the lead's own date, auto-send on into an outbox that sends nothing),
and prints, per tone:

- how many messages were written and their mean length in words;
- the sentence said most often: the share of that tone's messages containing it (greeting,
  sign-off, signature and compliance lines aside), against a 20% ceiling;

and the share of drafts on well-researched leads (tagged strong_fit and rich_research) that
pass the critic (graphs.critic.review.critique): the writer's first drafts, and the drafts
the pipeline kept after its rewrite loop.

    .venv/bin/python -m benchmarks.offline_writer_variety [--top 5]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import re
import statistics
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from agent.runs.pipeline_factory import open_pipeline
from agent.settings import Settings
from evals.golden_set import GoldenLead, campaign_for, load_golden
from evals.runner import EvalOutbox, recorded_research
from graphs.context import CriticSettings, Thresholds
from graphs.critic.compliance import blank_compliance
from graphs.critic.grounding import Evidence
from graphs.critic.message_text import sentences, signature_start, strip_greeting
from graphs.critic.review import critique
from graphs.drafts import Tone, Variant
from graphs.lead import Campaign, Language, Lead
from graphs.lead_pipeline import build_graph

MAX_SHARE = 0.20
"""No sentence may be in more than this share of one tone's messages."""
TARGET_PASS = 0.90
"""The share of drafts on well-researched leads that should pass the critic."""
WELL_RESEARCHED = frozenset({"strong_fit", "rich_research"})


@dataclass(frozen=True)
class LeadRun:
    """One golden lead through the pipeline: what it was, and what the pipeline returned."""

    golden: GoldenLead
    campaign: Campaign
    output: dict[str, Any]


def message_sentences(body: str, lead: Lead, campaign: Campaign) -> list[str]:
    """Return a message's own sentences: no greeting, sign-off, signature or compliance line.

    A sentence that only says who writes ("Alex", "Alex Rivera, Brightpath", "Alex from
    Brightpath here.") is the signature of a short message, so it is left out too.
    """
    blanked = blank_compliance(body, campaign)
    blanked = blanked[: signature_start(blanked)]
    sender = campaign.sender
    own = set(_plain(f"{sender.name} {sender.company} {sender.title or ''}").split())
    found = []
    for sentence in sentences(blanked):
        text = body[sentence.start : sentence.end]
        text = strip_greeting(text, (lead.name, lead.first_name)).strip()
        words = set(_plain(text).split()) - _SIGNATURE_WORDS
        if not words or words <= own:
            continue
        found.append(" ".join(text.split()))
    return found


_SIGNATURE_WORDS = frozenset({"from", "at", "here", "this", "is"})
"""Words a short message's signature joins the sender's name and company with."""


def _plain(text: str) -> str:
    return " ".join(re.findall(r"[^\W_]+", text.casefold()))


def sentence_shares(
    messages: Iterable[tuple[str, Lead, Campaign]],
) -> tuple[int, list[tuple[str, float]]]:
    """Return how many messages there are and each sentence's share of them, most common first.

    A sentence said twice in one message counts once for it.
    """
    counts: Counter[str] = Counter()
    total = 0
    for body, lead, campaign in messages:
        total += 1
        counts.update(set(message_sentences(body, lead, campaign)))
    return total, [(text, count / total) for text, count in counts.most_common()] if total else []


def _clock(now: dt.datetime) -> Callable[[], dt.datetime]:
    """A clock stopped at a golden lead's own date."""
    return lambda: now


async def golden_runs(max_attempts: int | None = None) -> list[LeadRun]:
    """Run every golden lead through the offline pipeline (max_attempts: cap the rewrites)."""
    goldens, campaigns = load_golden()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(llm_provider="offline", auto_send=True, data_dir=Path(tmp))
        async with open_pipeline(settings, outbox=EvalOutbox(), research_tools=[]) as pipeline:
            graph = build_graph()
            runs = []
            for golden in goldens:
                campaign = campaign_for(golden, campaigns)
                today = dt.datetime.combine(golden.today, dt.time(12), tzinfo=dt.UTC)
                context = replace(
                    pipeline.context,
                    research_tools=[recorded_research(golden)],
                    clock=_clock(today),
                    run_id=f"variety-{golden.id}",
                    max_attempts=max_attempts or pipeline.context.max_attempts,
                )
                output = await graph.ainvoke(
                    {"lead": golden.lead, "campaign": campaign}, context=context
                )
                runs.append(LeadRun(golden, campaign, dict(output)))
    return runs


def _passes(run: LeadRun, variant: Variant) -> bool:
    """Judge a draft as the pipeline's critic node does, on the current critic."""
    facts = run.output.get("facts") or []
    analysis = run.output.get("analysis")
    # In the language the draft was written in, with the campaign's words in it.
    language: Language = run.output.get("language") or "en"
    campaign = run.campaign.in_language(language)
    verdict = critique(
        variant,
        lead=run.golden.lead,
        campaign=campaign,
        facts=facts,
        settings=CriticSettings(),
        thresholds=Thresholds(),
        evidence=Evidence.for_message(run.golden.lead, campaign, facts),
        unpersonalized=analysis is not None and analysis.unpersonalized,
        language=language,
        today=run.golden.today,
    )
    return verdict.passed


def pass_rate(runs: list[LeadRun]) -> tuple[int, int, list[str]]:
    """Return (passed, drafts, what failed) over the well-researched leads' drafts."""
    passed, total, failures = 0, 0, []
    for run in runs:
        if not set(run.golden.tags) >= WELL_RESEARCHED:
            continue
        for variant in run.output.get("variants") or []:
            total += 1
            if _passes(run, variant):
                passed += 1
            else:
                failures.append(f"{run.golden.id} {variant.tone.value}")
    return passed, total, failures


def _report(label: str, runs: list[LeadRun], top: int) -> None:
    print(f"offline writer variety: {label}")
    for tone in Tone:
        messages = [
            (v.body, run.golden.lead, run.campaign)
            for run in runs
            for v in run.output.get("variants") or []
            if v.tone is tone
        ]
        total, shares = sentence_shares(messages)
        words = [len(body.split()) for body, _, _ in messages]
        worst = shares[0] if shares else ("", 0.0)
        verdict = "ok" if worst[1] <= MAX_SHARE else f"over {MAX_SHARE:.0%}"
        print(
            f"  {tone.value:<12} {total} messages · mean {statistics.fmean(words):.0f} words · "
            f"worst sentence in {worst[1]:.0%} ({verdict})"
        )
        for text, share in shares[:top]:
            print(f"      {share:4.0%}  {text[:100]}")
    passed, total, failures = pass_rate(runs)
    verdict = "ok" if total and passed / total >= TARGET_PASS else f"under {TARGET_PASS:.0%}"
    print(
        f"  critic pass rate, strong_fit + rich_research leads: {passed}/{total} "
        f"({passed / max(total, 1):.0%}, {verdict})"
    )
    if failures:
        print(f"      failing: {', '.join(failures)}")


def main(top: int = 3) -> None:
    """Run the golden set twice (first drafts only, then with rewrites) and print figures."""
    _report("first drafts (one attempt)", asyncio.run(golden_runs(max_attempts=1)), top)
    _report("kept drafts (after the critic's rewrites)", asyncio.run(golden_runs()), top)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m benchmarks.offline_writer_variety")
    parser.add_argument("--top", type=int, default=3, help="most common sentences to list")
    main(parser.parse_args().top)
