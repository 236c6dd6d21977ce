"""A later contact at an account may be told of the earlier outreach, only when it is true.

Real pipeline (offline writer, demo fixture web, durable runs): Maya Okafor at Northwind
Robotics is sent a message; her colleague Sam Lee (same domain, same campaign) is written to
next, and research adds a fact from our own records that his drafts cite in one sentence. A
lead at another company, and a gmail.com lead who works at Northwind, get no such sentence;
once Maya has opted out, Sam is no longer told of her.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import select, update

from agent.leads.files import read_leads
from agent.planning.prospects import prospect_of
from agent.planning.segment_config import read_segments
from agent.planning.segmentation import place
from agent.planning.signals import FactRecord
from agent.runs.batch import run_batch
from agent.runs.durable_pipeline import open_durable_pipeline
from agent.runs.store import RunStore
from agent.settings import Settings
from graphs.lead import Campaign, Lead
from storage.database import Database
from storage.models import FactRow, LeadRow, MessageRow
from tests.conftest import NOW

COLUMNS = "name,email,company,title,profile_url,company_url"
MAYA = (
    "Maya Okafor,maya.okafor@northwind-robotics.example,Northwind Robotics,VP Engineering,"
    "http://northwind-robotics.example/team/maya-okafor,http://northwind-robotics.example/"
)
SAM = "Sam Lee,sam.lee@northwind-robotics.example,Northwind Robotics,Head of Platform,,http://northwind-robotics.example/"
DANIEL = (
    "Daniel Brandt,daniel.brandt@lumenledger.example,Lumen Ledger,Head of Platform,"
    "http://danielbrandt.example/,http://lumenledger.example/"
)
JO = "Jo Park,jo.park@gmail.com,Northwind Robotics,Platform Engineer,,http://northwind-robotics.example/"
SENT_ON = dt.datetime(2026, 11, 20, 15, 0, tzinfo=dt.UTC)
SENTENCE = "I also wrote to Maya Okafor (VP Engineering) on 20 November."


def lead_file(path: Path, rows: list[str]) -> Path:
    path.write_text("\n".join([COLUMNS, *rows]) + "\n")
    return path


async def run(
    settings: Settings, campaign: Campaign, resolve: dict[str, str], rows: list[str], path: Path
) -> None:
    path = lead_file(path, rows)
    async with open_durable_pipeline(
        settings, migrate=True, resolve=resolve, clock=lambda: NOW
    ) as (db, pipeline):
        store = await RunStore.start(
            db, campaign=campaign, run_id=pipeline.context.run_id, total=len(rows), options={}
        )
        await run_batch(pipeline, read_leads(path), campaign, concurrency=2, store=store.save)
        await store.close("completed")


async def messages(settings: Settings) -> dict[str, MessageRow]:
    async with await Database.connect(settings.database) as db, db.sessions() as session:
        rows = await session.execute(
            select(LeadRow.name, MessageRow).join(MessageRow, MessageRow.lead_id == LeadRow.id)
        )
        return {name: message for name, message in rows}


async def test_a_colleagues_earlier_message_is_mentioned_only_when_true(
    database_url: str, tmp_path: Path, campaign: Campaign, demo_resolve: dict[str, str]
) -> None:
    sending = Settings(
        database_url=database_url, data_dir=tmp_path, allow_private_networks=True, auto_send=True
    )
    await run(sending, campaign, demo_resolve, [MAYA], tmp_path / "first.csv")
    maya = (await messages(sending))["Maya Okafor"]
    assert maya.status == "sent" and maya.sent_at is not None, maya.reason
    assert all("wrote to" not in v["body"] for v in maya.variants)
    # She was sent two days before the later run's day (the runs' clock is NOW).
    async with await Database.connect(sending.database) as db, db.sessions.begin() as session:
        await session.execute(
            update(MessageRow).where(MessageRow.id == maya.id).values(sent_at=SENT_ON)
        )

    queued = sending.model_copy(update={"auto_send": False})
    await run(queued, campaign, demo_resolve, [SAM, DANIEL, JO], tmp_path / "later.csv")
    written = await messages(queued)
    sam = written["Sam Lee"]
    for variant in sam.variants:
        assert variant["body"].count(SENTENCE) == 1, variant["body"]
        assert variant["quality"]["passed"], variant["quality"]
        check = next(c for c in variant["quality"]["checks"] if c["name"] == "earlier_outreach")
        assert check["passed"]
    async with await Database.connect(queued.database) as db, db.sessions() as session:
        facts = (
            await session.scalars(
                select(FactRow)
                .join(LeadRow, FactRow.lead_id == LeadRow.id)
                .where(LeadRow.name == "Sam Lee", FactRow.kind == "earlier_outreach")
            )
        ).all()
    assert [f.text for f in facts] == [
        "We emailed Maya Okafor (VP Engineering) at Northwind Robotics on 20 November 2026."
    ]
    assert facts[0].source_url == f"outreach:message/{maya.id}"
    # Another company, and free mail at the same company, are no account of Maya's.
    for name in ("Daniel Brandt", "Jo Park"):
        assert all("wrote to" not in v["body"] for v in written[name].variants), name
        assert all(
            c["name"] != "earlier_outreach"
            for v in written[name].variants
            for c in (v["quality"] or {}).get("checks", [])
        )

    # Maya opts out: Sam's next draft does not mention her.
    async with await Database.connect(queued.database) as db, db.sessions.begin() as session:
        await session.execute(
            update(LeadRow).where(LeadRow.name == "Maya Okafor").values(status="unsubscribed")
        )
    await run(queued, campaign, demo_resolve, [SAM], tmp_path / "again.csv")
    again = (await messages(queued))["Sam Lee"]
    assert all("Maya" not in v["body"] for v in again.variants)


def test_our_records_never_place_or_score_a_lead() -> None:
    """A colleague's title in the earlier_outreach fact is no keyword of the lead's own."""
    segments = read_segments(
        [{"name": "leaders", "share": 0.5, "match": {"keywords": ["VP Engineering"]}}]
    ).segments
    lead = Lead(name="Sam Lee", company="Northwind Robotics", email=SAM.split(",")[1])
    record = FactRecord(
        kind="earlier_outreach",
        text="We emailed Maya Okafor (VP Engineering) at Northwind Robotics on 20 November 2026.",
        published=SENT_ON.date(),
    )
    prospect = prospect_of(lead, [record], today=NOW.date())
    assert place(prospect, segments).segment == "unsegmented"
    assert prospect.fact_count == 0 and not prospect.signals
