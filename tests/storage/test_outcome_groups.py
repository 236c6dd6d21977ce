"""Outcomes saved as a group store exactly what saving them one by one stores."""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from agent.leads.files import read_leads
from agent.runs.batch import run_batch
from agent.runs.group_commit import GroupCommit
from agent.runs.pipeline_factory import open_pipeline
from agent.runs.results import internal_error_record
from agent.runs.store import RunStore
from agent.settings import Settings
from graphs.lead import Campaign
from storage.database import Database
from storage.models import (
    AnalysisRow,
    CampaignRow,
    CampaignToneStatRow,
    CountedLeadRow,
    FactRow,
    LeadRow,
    MessageRow,
    RunRow,
    VariantStatRow,
)
from storage.outcome_batches import save_outcomes
from storage.outcomes import save_outcome
from tests.conftest import EXAMPLES, NOW

SaveAll = Callable[[AsyncSession, str, CampaignRow, list[dict[str, Any]]], Awaitable[None]]


async def _records(settings: Settings, campaign: Campaign, tmp_path: Path) -> list[dict[str, Any]]:
    """The demo leads' records (seven leads and one bad row), as a run writes them."""
    async with open_pipeline(
        settings, clock=lambda: NOW, outbox_path=tmp_path / "outbox.jsonl"
    ) as pipeline:
        summary = await run_batch(
            pipeline, read_leads(EXAMPLES / "leads.csv"), campaign, concurrency=4
        )
    return summary.records


def _threaded(records: list[dict[str, Any]], run: str) -> list[dict[str, Any]]:
    return [{**copy.deepcopy(r), "thread_id": f"{run}:{r['row']}"} for r in records]


async def _one_by_one(
    session: AsyncSession, run_id: str, campaign: CampaignRow, records: list[dict[str, Any]]
) -> None:
    for record in records:
        await save_outcome(session, run_id=run_id, campaign=campaign, record=record)


async def _as_group(
    session: AsyncSession, run_id: str, campaign: CampaignRow, records: list[dict[str, Any]]
) -> None:
    await save_outcomes(session, run_id=run_id, campaign=campaign, records=records)


@dataclass
class Step:
    """Records one run stores: one by one always, or with the `save` under test."""

    run: str
    records: list[dict[str, Any]]
    with_save: bool = False


async def _replied_person(db: Database, lead: dict[str, Any]) -> int:
    """Store a lead who has replied (a referral fact kept from the reply); return its id."""
    async with db.sessions.begin() as session:
        row = LeadRow(
            name=lead["name"],
            company=lead["company"],
            email=lead["email"],
            email_normalized=lead["email"].lower(),
            status="replied",
        )
        session.add(row)
        await session.flush()
        session.add(
            FactRow(
                lead_id=row.id,
                fact_id="f_reply",
                kind="referral",
                text="Maya said to write to her colleague instead.",
                source_url="reply:1",
                tool="reply",
                retrieved_at=NOW,
            )
        )
        return row.id


async def _stored(
    db: Database, campaign: Campaign, steps: list[Step], save: SaveAll
) -> dict[str, list[Any]]:
    """Store each step's records; return what the database then holds, without ids and clock
    times."""
    campaign_ids: dict[str, int] = {}
    for step in steps:
        if step.run not in campaign_ids:
            store = await RunStore.start(
                db, campaign=campaign, run_id=step.run, total=len(step.records), options={}
            )
            campaign_ids[step.run] = store.campaign_id
        async with db.sessions.begin() as session:
            row = await session.get(CampaignRow, campaign_ids[step.run])
            assert row is not None
            await (save if step.with_save else _one_by_one)(session, step.run, row, step.records)
    async with db.sessions() as session:
        email = dict((await session.execute(select(LeadRow.id, LeadRow.email_normalized))).all())
        leads = sorted(
            (r.email_normalized or r.name, r.name, r.company, r.status, r.extra)
            for r in await session.scalars(select(LeadRow))
        )
        facts = sorted(
            (email[f.lead_id] or "", f.fact_id, f.kind, f.text, f.tool, f.source_url)
            for f in await session.scalars(select(FactRow))
        )
        analyses = sorted(
            (email[a.lead_id] or "", a.run_id, a.relevance_score)
            for a in await session.scalars(select(AnalysisRow))
        )
        messages = sorted(
            (
                email[m.lead_id] or "",
                m.run_id,
                m.thread_id or "",
                m.status,
                m.reason,
                m.selected_variant or "",
                str(m.variants),
                m.version,
                len(m.generation.get("history", [])),
                m.idempotency_key or "",
                m.sent_at is not None,
                m.source_row or "",
                str({k: v for k, v in m.generation.items() if k != "history"}),
            )
            for m in await session.scalars(select(MessageRow))
        )
        ids = dict((await session.execute(select(MessageRow.id, MessageRow.thread_id))).all())
        stats = sorted(
            (ids[s.message_id] or "", s.tone, s.sent)
            for s in await session.scalars(select(VariantStatRow))
        )
        rollups = sorted(
            (r.tone, r.sent) for r in await session.scalars(select(CampaignToneStatRow))
        )
        totals = [
            (c.total_messages, c.messages_sent, round(c.total_cost_usd, 9))
            for c in await session.scalars(select(CampaignRow))
        ]
        tallies = [
            (r.id, r.processed, r.sent, r.queued, r.rejected)
            for r in await session.scalars(select(RunRow).order_by(RunRow.id))
        ]
        counted = sorted(
            (c.run_id, c.thread_id, c.decision)
            for c in await session.scalars(select(CountedLeadRow))
        )
    return {
        "leads": leads,
        "facts": facts,
        "analyses": analyses,
        "messages": messages,
        "variant stats": stats,
        "tone rollups": rollups,
        "campaign totals": totals,
        "run tallies": tallies,
        "counted leads": counted,
    }


async def test_a_group_stores_what_saving_one_by_one_stores(
    campaign: Campaign, demo_resolve: dict[str, str], tmp_path: Path
) -> None:
    settings = Settings(
        llm_provider="offline",
        resolve=demo_resolve,
        allow_private_networks=True,
        auto_send=True,
        data_dir=tmp_path / "data",
    )
    records = await _records(settings, campaign, tmp_path)
    leads = [r for r in records if r["lead"].get("name")]
    assert len(records) == 8 and {r["decision"] for r in records} >= {"sent", "queued"}
    unsent = [r for r in leads if r["decision"] != "sent"]
    sent = [r for r in leads if r["decision"] == "sent"]
    # These leads already have a message: rewritable (queued, rejected) or settled (sent).
    earlier = _threaded([*unsent[:2], sent[0]], "earlier")
    group = _threaded(records, "now")  # every lead again, and the bad row
    # The same person twice in one group (another row), and a thread saved twice.
    group.append({**copy.deepcopy(unsent[2]), "row": 99, "thread_id": "now:99"})
    group.append(copy.deepcopy(group[0]))
    # A lead whose pipeline failed earlier in this run (held), now retried.
    retried = next(r for r in group if r["lead"].get("email") and r["decision"] == "sent")
    held = internal_error_record(retried["row"], retried["lead"], "boom", provider="offline")
    held["thread_id"] = retried["thread_id"]
    # A lead stored by id (as API runs are) who has replied: status and referral stay.
    replied = next(r for r in group if r is not retried and r["decision"] == "sent")
    stored = {}
    for name, save in (("one by one", _one_by_one), ("as a group", _as_group)):
        url = f"sqlite+aiosqlite:///{tmp_path}/{name}.db"
        async with await Database.connect(url, migrate=True) as db:
            replied["lead_id"] = await _replied_person(db, replied["lead"])
            steps = [Step("run-0", earlier), Step("run-1", [held]), Step("run-1", group, True)]
            stored[name] = await _stored(db, campaign, steps, save)
    assert ("replied" in str(stored["as a group"]["leads"])) and "f_reply" in str(
        stored["as a group"]["facts"]
    )
    assert stored["as a group"] == stored["one by one"]
    assert stored["as a group"]["run tallies"][1][1] == len(records) + 1, (
        "every lead of the group counted once (the twice-saved thread and the held lead once)"
    )


async def test_one_bad_outcome_fails_alone_and_the_rest_of_its_group_is_stored(
    database_url: str, campaign: Campaign, demo_resolve: dict[str, str], tmp_path: Path
) -> None:
    settings = Settings(
        llm_provider="offline",
        resolve=demo_resolve,
        allow_private_networks=True,
        data_dir=tmp_path / "data",
    )
    records = _threaded(await _records(settings, campaign, tmp_path), "run")
    broken = next(r for r in records if r["lead"].get("email"))
    broken["decision"] = "maybe"  # no such outcome: its write fails
    groups: list[int] = []
    async with await Database.connect(database_url, migrate=True) as db:
        store = await RunStore.start(
            db, campaign=campaign, run_id="run", total=len(records), options={}
        )
        write_group = store._save_group

        async def counted(group: list[dict[str, Any]], complete: bool) -> None:
            groups.append(len(group))
            await write_group(group, complete)

        store._save_group = counted  # type: ignore[method-assign,assignment]
        results = await asyncio.gather(
            *(store.save(record) for record in records), return_exceptions=True
        )
        async with db.sessions() as session:
            run = await session.get(RunRow, "run")
            emails = set(
                await session.scalars(
                    select(LeadRow.email_normalized).join(
                        MessageRow, MessageRow.lead_id == LeadRow.id
                    )
                )
            )
    failed = [(r, record) for r, record in zip(results, records, strict=True) if r is not None]
    assert [(type(error), record["row"]) for error, record in failed] == [(KeyError, broken["row"])]
    assert groups[0] == len(records), "the outcomes that finished together went as one group"
    assert run is not None and run.processed == len(records) - 1
    assert broken["lead"]["email"].lower() not in emails
    assert len(emails) == len(records) - 2, "every other lead stored (the bad input row has none)"


async def test_outcomes_saved_during_a_commit_go_in_the_next_one() -> None:
    writing, release = asyncio.Event(), asyncio.Event()
    groups: list[list[str]] = []

    async def write(records: list[dict[str, Any]], complete: bool) -> None:
        groups.append([r["name"] for r in records])
        writing.set()
        await release.wait()

    commits = GroupCommit(write)
    first = asyncio.create_task(commits.save({"name": "a"}))
    await writing.wait()
    later = [asyncio.create_task(commits.save({"name": name})) for name in "bc"]
    await asyncio.sleep(0)
    assert groups == [["a"]] and not any(t.done() for t in [first, *later]), (
        "nobody returns before their outcome is committed"
    )
    release.set()
    await asyncio.gather(first, *later)
    assert groups == [["a"], ["b", "c"]]
