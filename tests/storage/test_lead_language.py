"""A lead's language in the database, on SQLite and PostgreSQL: migration 0012 adds it to
databases that hold leads already, an import keeps it, a later import without one leaves it,
and the campaign export shows the language each message went out in."""

from __future__ import annotations

import csv
import datetime as dt
import io

from sqlalchemy import inspect, text
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.csv_export import write_csv
from storage.database import session_maker
from storage.export import EXPORT_COLUMNS, campaign_rows
from storage.leads import upsert_lead
from storage.migrations import current_revision, upgrade
from storage.models import CampaignRow, LeadRow, MessageRow, RunRow
from tests.storage.conftest import downgrade


async def _seed_before_0012(engine: AsyncEngine) -> None:
    """A lead with a fact, stored by the code before the language column existed."""
    async with engine.begin() as connection:
        await connection.execute(
            text(
                "INSERT INTO leads (id, name, company, email, email_normalized, extra, status) "
                "VALUES (1, 'Jonas Weber', 'Bergwerk', 'jonas@bergwerk.example', "
                "'jonas@bergwerk.example', '{}', 'new')"
            )
        )
        await connection.execute(
            text(
                "INSERT INTO facts (lead_id, fact_id, kind, text, source_url, tool, "
                "retrieved_at, attributes) VALUES (1, 'f_1', 'company', 'Bergwerk baut "
                "Software.', 'http://bergwerk.example/', 'research_company', :at, '{}')"
            ),
            {"at": dt.datetime(2026, 11, 22, tzinfo=dt.UTC)},
        )


async def test_the_migration_adds_an_empty_language_to_stored_leads_and_removes_it_again(
    engine: AsyncEngine,
) -> None:
    await upgrade(engine, "0011")
    await _seed_before_0012(engine)
    assert await upgrade(engine, "0012") == "0012"
    async with session_maker(engine)() as session:
        lead = await session.get(LeadRow, 1)
        assert lead is not None and lead.name == "Jonas Weber" and lead.language is None

    async with engine.begin() as connection:
        await connection.run_sync(downgrade, "0011")
    assert await current_revision(engine) == "0011"
    async with engine.connect() as connection:
        columns = await connection.run_sync(
            lambda sync: [column["name"] for column in inspect(sync).get_columns("leads")]
        )
        facts = (await connection.execute(text("SELECT fact_id FROM facts"))).scalars().all()
    assert "language" not in columns
    assert facts == ["f_1"], "dropping the column must not take the lead's facts with it"


async def test_an_import_keeps_the_language_and_a_later_one_without_it_leaves_it(
    engine: AsyncEngine,
) -> None:
    await upgrade(engine)
    lead = {"name": "Lucía Herrera", "company": "Solana", "email": "Lucia@solana.example"}

    async def stored_after(values: dict[str, str]) -> tuple[int, str | None, str | None]:
        async with session_maker(engine).begin() as session:
            row = await upsert_lead(session, lead={**lead, **values})
        async with session_maker(engine)() as session:
            found = await session.get(LeadRow, row.id)
            assert found is not None
            return found.id, found.title, found.language

    first = await stored_after({"language": "es"})
    assert first[2] == "es"
    assert await stored_after({"title": "Directora"}) == (first[0], "Directora", "es")
    assert await stored_after({"language": "en"}) == (first[0], "Directora", "en")


async def test_the_campaign_export_shows_the_language_each_message_was_written_in(
    engine: AsyncEngine,
) -> None:
    await upgrade(engine)
    async with session_maker(engine).begin() as session:
        campaign = CampaignRow(name="dach", channel="email", value_proposition="CI")
        session.add(campaign)
        await session.flush()
        session.add(RunRow(id="run-1", campaign_id=campaign.id, status="completed"))
        people = [
            ("Jonas Weber", None, {"language": "de", "language_reason": "profile page (de)"}),
            # A run that recorded no language: the lead's may not be what it wrote in.
            ("Lucía Herrera", "es", {}),
            ("Maya Okafor", None, {}),
        ]
        for number, (name, language, generation) in enumerate(people, start=1):
            lead = LeadRow(
                name=name,
                company="Acme",
                email=f"p{number}@acme.example",
                email_normalized=f"p{number}@acme.example",
                language=language,
            )
            session.add(lead)
            await session.flush()
            session.add(
                MessageRow(
                    campaign_id=campaign.id,
                    lead_id=lead.id,
                    run_id="run-1",
                    variants=[{"tone": "direct", "subject": "Hallo", "body": "Hallo"}],
                    selected_variant="direct",
                    status="queued",
                    generation=generation,
                )
            )
    async with session_maker(engine)() as session:
        rows = await campaign_rows(session, campaign="dach")
    handle = io.StringIO(newline="")
    write_csv(handle, EXPORT_COLUMNS, rows)
    exported = list(csv.DictReader(io.StringIO(handle.getvalue())))
    assert [(row["name"], row["language"]) for row in exported] == [
        ("Jonas Weber", "de"),
        ("Lucía Herrera", ""),
        ("Maya Okafor", ""),
    ]
