"""The web console's campaign page over ~1,000,000 engagement events: how long it takes to render.

A campaign of 235,000 sent emails over 26 weeks, three tones in its A/B test, each lead with the
facts research found (a company fact and a hiring, funding-news or post one) and each email's
drafts, one per tone, with hooks citing them as the pipeline stores them (a hook always cites a
fact: graphs/analysis.py's Hook), each email's events as a provider's webhooks leave them (sent;
delivered or bounced; opens, some repeated; clicks; replies with the classifier's intent;
opt-outs), about 1,000,000 events in all, with the per-message and per-tone counters the
webhooks keep beside them. Seeded with bulk inserts into a temporary SQLite database; then, in
process (FastAPI's TestClient, signed in through the sign-in form), ROUNDS times: one more reply
arrives, the page /console/campaigns/{id} is rendered (nothing reusable), then the weekly plot
it embeds, then the page again; median and worst of each, and of the CPU time the fresh render
took (all the process's threads: a figure that other work on the machine moves less than the
wall clock).
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import random
import statistics
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import insert, select

from agent.demo.fixtures import DEMO_TODAY
from agent.settings import Settings
from server.app import create_app
from storage.api_keys import issue_key
from storage.database import Database
from storage.models import (
    CampaignRow,
    CampaignToneStatRow,
    EventRow,
    FactRow,
    LeadRow,
    MessageRow,
    RunRow,
    VariantStatRow,
)
from tests.server.console.console_forms import PAGE, sign_in

EMAILS = 235_000
ROUNDS = 3
CHUNK = 50_000
TONES = ("professional", "friendly", "direct")
REPLY_RATE = {"professional": 0.06, "friendly": 0.08, "direct": 0.05}
INTENTS = ("interested", "meeting_request", "not_interested", "out_of_office")
START = DEMO_TODAY - dt.timedelta(weeks=26)
COUNTED = ("delivered", "opened", "clicked", "replied", "bounced", "unsubscribed")
TRIGGERS = {  # a lead's second fact: (kind, attributes as research records them)
    "hiring": ("hiring", {}),
    "funding": ("news", {"trigger": "funding", "age_days": 20}),
    "post": ("post", {}),
}


def _facts(lead_id: int, trigger: str) -> list[dict[str, Any]]:
    """A lead's facts as research stores them: its company, and one trigger."""
    kind, attributes = TRIGGERS[trigger]
    return [
        {"lead_id": lead_id, "fact_id": f"f_c{lead_id}", "kind": "company",
         "text": f"Company {lead_id} builds CI tooling.", "title": None,
         "source_url": f"https://x{lead_id}.example/", "tool": "company_research",
         "published": None, "retrieved_at": START, "attributes": {}},
        {"lead_id": lead_id, "fact_id": f"f_t{lead_id}", "kind": kind,
         "text": f"Company {lead_id}: {trigger}.", "title": f"{trigger} at Company {lead_id}",
         "source_url": f"https://x{lead_id}.example/{trigger}", "tool": "company_research",
         "published": START.date(), "retrieved_at": START, "attributes": attributes},
    ]  # fmt: skip


def _variants(rnd: random.Random, lead_id: int) -> list[dict[str, Any]]:
    """One draft per tone, each with hooks citing the lead's facts, best first (as stored from
    graphs/drafts.py's Variant): most open with the trigger, some with the company."""
    drafts = []
    for tone in TONES:
        ids = [f"f_t{lead_id}", f"f_c{lead_id}"]
        if rnd.random() < 0.3:
            ids.reverse()
        hooks = [{"text": "A detail.", "fact_ids": [fact]} for fact in ids]
        drafts.append({"tone": tone, "subject": "CI", "body": "Hi.", "hooks": hooks, "attempt": 1})
    return drafts


def _events_of(rnd: random.Random, tone: str, sent_at: dt.datetime) -> list[tuple[str, Any]]:
    """One email's events, in order: (type, payload)."""
    events: list[tuple[str, Any]] = [("sent", {})]
    if rnd.random() < 0.03:
        return [*events, ("bounced", {"reason": "mailbox unknown"})]
    events.append(("delivered", {}))
    events += [("opened", {})] * rnd.choice((0, 0, 1, 2, 3, 4, 5))
    if rnd.random() < 0.1:
        events.append(("clicked", {}))
    if rnd.random() < REPLY_RATE[tone]:
        events.append(("replied", {"intent": rnd.choice(INTENTS), "intent_reason": "bench"}))
    elif rnd.random() < 0.01:
        events.append(("unsubscribed", {}))
    return events


async def _insert(session: Any, model: Any, rows: list[dict[str, Any]]) -> None:
    for begin in range(0, len(rows), CHUNK):
        await session.execute(insert(model), rows[begin : begin + CHUNK])


async def _seed(url: str) -> tuple[int, int, str]:
    """Store the campaign and its events; return its id, the event count and an API key."""
    rnd = random.Random(7)
    drafted = random.Random(11)  # its own draws: the events stay those seeded before hooks were
    async with await Database.connect(url, migrate=True) as db, db.sessions.begin() as session:
        _, key = await issue_key(session, name="bench")
        campaign = CampaignRow(
            name="Bench Q1", channel="email", value_proposition="Faster CI.",
            settings={"policy": {"auto_send": True}},
        )  # fmt: skip
        session.add(campaign)
        await session.flush()
        session.add(RunRow(id="bench", campaign_id=campaign.id))
        await session.flush()
        await _insert(session, LeadRow, [
            {"name": f"Lead {n}", "email": f"l{n}@x{n % 5000}.example",
             "email_normalized": f"l{n}@x{n % 5000}.example", "company": f"Company {n}",
             "title": "VP Engineering", "extra": {}, "status": "new"}
            for n in range(EMAILS)
        ])  # fmt: skip
        lead_ids = list(await session.scalars(select(LeadRow.id).order_by(LeadRow.id)))
        seconds = int((DEMO_TODAY - START).total_seconds())
        plan = [
            (lead_id, TONES[n % 3], START + dt.timedelta(seconds=rnd.randrange(seconds)))
            for n, lead_id in enumerate(lead_ids)
        ]
        await _insert(
            session,
            FactRow,
            [
                fact
                for lead_id in lead_ids
                for fact in _facts(lead_id, drafted.choice(list(TRIGGERS)))
            ],
        )
        await _insert(session, MessageRow, [
            {"campaign_id": campaign.id, "lead_id": lead_id, "run_id": "bench",
             "status": "delivered", "selected_variant": tone, "sent_at": sent_at,
             "variants": _variants(drafted, lead_id)}
            for lead_id, tone, sent_at in plan
        ])  # fmt: skip
        message_ids = list(await session.scalars(select(MessageRow.id).order_by(MessageRow.id)))
        events: list[dict[str, Any]] = []
        stats: list[dict[str, Any]] = []
        rollup: dict[str, Counter[str]] = {tone: Counter() for tone in TONES}
        for message_id, (_, tone, sent_at) in zip(message_ids, plan, strict=True):
            kinds = set()
            for step, (kind, payload) in enumerate(_events_of(rnd, tone, sent_at)):
                kinds.add(kind)
                events.append({
                    "type": kind, "campaign_id": campaign.id, "message_id": message_id,
                    "payload": payload, "occurred_at": sent_at + dt.timedelta(hours=step),
                })  # fmt: skip
            counters = {kind: int(kind in kinds) for kind in ("sent", *COUNTED)}
            stats.append({"message_id": message_id, "tone": tone, **counters})
            rollup[tone].update({k: v for k, v in counters.items() if v})
        await _insert(session, EventRow, events)
        await _insert(session, VariantStatRow, stats)
        await _insert(session, CampaignToneStatRow, [
            {"campaign_id": campaign.id, "tone": tone,
             **{k: counts[k] for k in ("sent", *COUNTED)}}
            for tone, counts in rollup.items()
        ])  # fmt: skip
        return campaign.id, len(events), key


def _ms(client: TestClient, path: str, cpu: list[float] | None = None) -> float:
    began, busy = time.perf_counter(), time.process_time()
    answer = client.get(path, headers=PAGE)
    assert answer.status_code == 200, answer.text[:300]
    if cpu is not None:  # every thread of the process: the server's, SQLite's, the client's
        cpu.append(time.process_time() - busy)
    return time.perf_counter() - began


async def _one_more_reply(url: str, campaign_id: int) -> None:
    """A webhook's reply arrives: the campaign's figures have moved, so nothing is reused."""
    async with await Database.connect(url) as db, db.sessions.begin() as session:
        await session.execute(
            insert(EventRow),
            [{"type": "replied", "campaign_id": campaign_id, "message_id": 1,
              "payload": {"intent": "interested"}, "occurred_at": DEMO_TODAY}],
        )  # fmt: skip


def _spread(timings: list[float]) -> str:
    return f"median {statistics.median(timings):.2f} s, worst {max(timings):.2f} s"


def main() -> None:
    """Seed the campaign, then time its page and its plot."""
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp), llm_provider="offline", sequence_tick_s=0)
        began = time.perf_counter()
        campaign_id, events, key = asyncio.run(_seed(settings.database))
        seeded = time.perf_counter() - began
        app = create_app(settings, clock=lambda: DEMO_TODAY)
        page = f"/console/campaigns/{campaign_id}"
        fresh: list[float] = []
        plots: list[float] = []
        again: list[float] = []
        cpu: list[float] = []
        with TestClient(app, follow_redirects=False) as client:
            assert sign_in(client, key).status_code == 303
            client.get(page, headers=PAGE)  # warm: scipy's import and the templates, once
            for _ in range(ROUNDS):
                asyncio.run(_one_more_reply(settings.database, campaign_id))
                fresh.append(_ms(client, page, cpu))
                plots.append(_ms(client, f"{page}/weekly-trend.svg"))
                again.append(_ms(client, page))
        print(
            f"console campaign page, {events:,} engagement events ({EMAILS:,} emails, seeded "
            f"in {seeded:.0f} s), SQLite, {ROUNDS} rounds: after a new event {_spread(fresh)} "
            f"(CPU time of the process {_spread(cpu)}); "
            f"its weekly plot right after {_spread(plots)}; the page again, nothing new, "
            f"{_spread(again)}"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(prog="python -m benchmarks.console_campaign_page")
    parser.add_argument(
        "--emails", type=int, default=EMAILS, help=f"emails to seed (default {EMAILS:,})"
    )
    parser.add_argument("--rounds", type=int, default=ROUNDS, help=f"default {ROUNDS}")
    args = parser.parse_args()
    EMAILS, ROUNDS = args.emails, args.rounds
    main()
