"""How long the critic takes per draft (all checks, grounding included).

Two workloads, each printed as CPU milliseconds per draft:

- one realistic email against 20 facts, critiqued over and over;
- the offline writer's first drafts of every golden lead (three tones per lead, email, LinkedIn
  and SMS, in English, Spanish, French and German), critiqued lead by lead as the pipeline's
  critic node does: the lead's evidence built once, then its three drafts. "new facts" gives
  every round facts the critic never read (the same texts with more trailing spaces), as in a
  batch, where only a lead's second and third drafts (and its rewrites) find its facts read
  already, while the campaign and common words stay known; "warm" repeats the very same
  facts (what caches keyed on a lead's facts save at best).

    .venv/bin/python -m benchmarks.critic_speed [--rounds 2000] [--golden-rounds 7]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime

from graphs.analysis import Hook
from graphs.context import CriticSettings, Thresholds
from graphs.critic.grounding import Evidence
from graphs.critic.review import critique
from graphs.drafts import Tone, Variant
from graphs.lead import Campaign, Language, Lead
from tools.facts import Fact, FactKind, make_fact

NOW = datetime(2026, 11, 22, tzinfo=UTC)


def one_email(rounds: int) -> None:
    """Critique one realistic email many times and print the time per draft."""
    facts = [
        make_fact(
            kind=FactKind.NEWS,
            text=f"Northwind Robotics published “Update {i}” on 2026-10-{i + 1:02d}. Details {i}.",
            source_url=f"http://northwind-robotics.example/news/{i}",
            tool="bench",
            retrieved_at=NOW,
            published=date(2026, 10, i + 1),
            title=f"Update {i}",
        )
        for i in range(20)
    ]
    lead = Lead(name="Maya Okafor", company="Northwind Robotics", title="VP Engineering")
    campaign = Campaign(value_proposition="Brightpath finds slow and flaky CI builds.")
    body = (
        "Hi Maya,\n\nI saw Northwind Robotics' news from October 3: “Update 2”. I also saw "
        "“Update 5” from October 6.\n\nBrightpath finds slow and flaky CI builds, so teams spend "
        "less time waiting on pipelines and more time shipping the work that matters to them.\n\n"
        "Worth a 15-minute call next week?\n\nBest regards,\nAlex Rivera"
    )
    draft = Variant(
        tone=Tone.PROFESSIONAL,
        subject="Northwind Robotics and CI",
        body=body,
        hooks=[
            Hook(text="“Update 2” (October 3)", fact_ids=[facts[2].id]),
            Hook(text="“Update 5” (October 6)", fact_ids=[facts[5].id]),
        ],
    )
    settings, thresholds = CriticSettings(), Thresholds()
    critique(
        draft, lead=lead, campaign=campaign, facts=facts, settings=settings, thresholds=thresholds
    )
    timings = []
    for _ in range(rounds):
        started = time.process_time()
        critique(
            draft,
            lead=lead,
            campaign=campaign,
            facts=facts,
            settings=settings,
            thresholds=thresholds,
        )
        timings.append(time.process_time() - started)
    timings.sort()
    print("critic: one email draft, 20 facts, all checks")
    print(
        f"  median {statistics.median(timings) * 1e3:.2f} ms · "
        f"p95 {timings[int(0.95 * len(timings))] * 1e3:.2f} ms · {rounds} rounds"
    )


@dataclass(frozen=True)
class LeadDrafts:
    """One golden lead's first drafts and what the critic node judges them against."""

    drafts: list[Variant]
    lead: Lead
    campaign: Campaign
    facts: list[Fact]
    unpersonalized: bool
    language: str
    today: date

    def with_facts_retold(self, spaces: int) -> LeadDrafts:
        """The same lead with each fact's text ending in more spaces: text the critic never
        read, saying the same, as the next lead of a batch brings (its campaign is the same)."""
        facts = [fact.model_copy(update={"text": fact.text + " " * spaces}) for fact in self.facts]
        return replace(self, facts=facts)

    def critique_all(self, settings: CriticSettings, thresholds: Thresholds) -> None:
        """Critique the drafts as the critic node does: the evidence built once for all."""
        evidence = Evidence.for_message(self.lead, self.campaign, self.facts)
        for variant in self.drafts:
            critique(
                variant,
                lead=self.lead,
                campaign=self.campaign,
                facts=self.facts,
                settings=settings,
                thresholds=thresholds,
                evidence=evidence,
                unpersonalized=self.unpersonalized,
                language=self.language,
                today=self.today,
            )


def _golden_leads() -> list[LeadDrafts]:
    """Write the golden leads' first drafts on the offline pipeline."""
    from benchmarks.offline_writer_variety import golden_runs

    leads = []
    for run in asyncio.run(golden_runs(max_attempts=1)):
        variants = list(run.output.get("variants") or [])
        if not variants:
            continue
        language: Language = run.output.get("language") or "en"
        analysis = run.output.get("analysis")
        leads.append(
            LeadDrafts(
                drafts=variants,
                lead=run.golden.lead,
                campaign=run.campaign.in_language(language),
                facts=run.output.get("facts") or [],
                unpersonalized=analysis is not None and analysis.unpersonalized,
                language=language,
                today=run.golden.today,
            )
        )
    return leads


def golden_drafts(rounds: int) -> None:
    """Critique the golden leads' first drafts, lead by lead, and print the time per draft."""
    leads = _golden_leads()
    settings, thresholds = CriticSettings(), Thresholds()
    drafts = sum(len(lead.drafts) for lead in leads)
    languages = sorted({lead.language for lead in leads})
    print(
        f"critic: the offline writer's first drafts of {len(leads)} golden leads, "
        f"{drafts} drafts ({', '.join(languages)})"
    )
    for label, new_facts in (("new facts", True), ("warm", False)):
        for lead in leads:  # every pattern compiled, every word list loaded
            lead.critique_all(settings, thresholds)
        per_draft = []
        for round_ in range(1, rounds + 1):
            batch = [lead.with_facts_retold(round_) for lead in leads] if new_facts else leads
            started = time.process_time()
            for lead in batch:
                lead.critique_all(settings, thresholds)
            per_draft.append((time.process_time() - started) / drafts)
        per_draft.sort()
        print(
            f"  {label:<9}  median {statistics.median(per_draft) * 1e3:.2f} ms per draft · "
            f"best {per_draft[0] * 1e3:.2f} ms · {rounds} rounds"
        )


def main(rounds: int = 2000, golden_rounds: int = 7) -> None:
    """Print the critic's time per draft on both workloads."""
    one_email(rounds)
    golden_drafts(golden_rounds)


def cli() -> None:
    """Parse the rounds and run."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=2000)
    parser.add_argument("--golden-rounds", type=int, default=7)
    args = parser.parse_args()
    main(args.rounds, args.golden_rounds)


if __name__ == "__main__":
    cli()
