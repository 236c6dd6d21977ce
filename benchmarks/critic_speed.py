"""How long the critic takes per draft (all checks, grounding included)."""

from __future__ import annotations

import statistics
import time
from datetime import UTC, date, datetime

from graphs.analysis import Hook
from graphs.context import CriticSettings, Thresholds
from graphs.critic.review import critique
from graphs.drafts import Tone, Variant
from graphs.lead import Campaign, Lead
from tools.facts import FactKind, make_fact

NOW = datetime(2026, 11, 22, tzinfo=UTC)


def main(rounds: int = 2000) -> None:
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
        started = time.perf_counter()
        critique(
            draft,
            lead=lead,
            campaign=campaign,
            facts=facts,
            settings=settings,
            thresholds=thresholds,
        )
        timings.append(time.perf_counter() - started)
    timings.sort()
    print("critic: one email draft, 20 facts, all checks")
    print(
        f"  median {statistics.median(timings) * 1e3:.2f} ms · "
        f"p95 {timings[int(0.95 * len(timings))] * 1e3:.2f} ms · {rounds} rounds"
    )


if __name__ == "__main__":
    main()
