"""A stored lead's language reaches the pipeline: runs started from the API, held leads and
sequence steps all rebuild the lead from its row."""

from __future__ import annotations

from agent.leads.store import store_leads
from agent.runs.background import lead_from_row
from graphs.lead import Lead
from storage.database import Database
from storage.leads import lead_rows


async def test_a_stored_lead_runs_with_the_language_it_was_imported_with(
    database_url: str,
) -> None:
    leads = [
        Lead(name="Jonas Weber", company="Bergwerk", email="j@bergwerk.example", language="de"),
        Lead(name="Maya Okafor", company="Northwind", email="m@northwind.example"),
    ]
    async with await Database.connect(database_url, migrate=True) as db:
        ids = await store_leads(db, leads)
        async with db.sessions() as session:
            rows = await lead_rows(session, ids=ids)
    rebuilt = {row.name: lead_from_row(row) for row in rows}
    assert rebuilt["Jonas Weber"].language == "de"
    assert rebuilt["Maya Okafor"].language is None
