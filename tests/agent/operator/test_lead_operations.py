"""Lead operations on a real database: listing narrows by campaign and status, evidence is cited."""

from __future__ import annotations

from agent.demo.fixtures import DEMO_TODAY
from agent.operator.operations import Operations
from agent.settings import Settings
from graphs.lead import Campaign
from storage.database import Database
from tests.agent.operator.chat_helpers import seed_campaign
from tests.conftest import EXAMPLES


async def test_leads_narrow_by_campaign_and_status_and_hooks_cite_stored_facts(
    chat_settings: Settings, campaign: Campaign, database_url: str
) -> None:
    await seed_campaign(database_url, campaign)
    await seed_campaign(database_url, campaign, name="Q2 push")
    async with await Database.connect(database_url) as db:
        ops = Operations(chat_settings, db, clock=lambda: DEMO_TODAY)
        imported = await ops.import_leads(str(EXAMPLES / "leads.csv"))
        lead_ids: list[int] = imported.data["lead_ids"]
        ran = await ops.run_leads(lead_ids[:2], "Q1 launch")
        assert sorted(row["lead_id"] for row in ran.data) == lead_ids[:2]
        assert all(row["lead"] for row in ran.data), ran.data  # names are looked up

        everyone = await ops.list_leads(limit=50)
        assert [lead["id"] for lead in everyone.data] == lead_ids

        in_q1 = await ops.list_leads(campaign="Q1 launch")
        assert [lead["id"] for lead in in_q1.data] == lead_ids[:2]
        assert in_q1.view.title == "Leads in Q1 launch"
        assert (await ops.list_leads(campaign="Q2 push")).data == []

        status = everyone.data[-1]["status"]
        same_status = await ops.list_leads(status=status, limit=50)
        assert [lead["id"] for lead in same_status.data] == [
            lead["id"] for lead in everyone.data if lead["status"] == status
        ]
        assert (await ops.list_leads(campaign="Q2 push", status=status)).data == []
        assert len((await ops.list_leads(limit=3)).data) == 3

        shown = await ops.show_lead(lead_ids[0])
        hooks = shown.data["analysis"]["hooks"]
        assert hooks and shown.data["facts"], shown.data
        evidence = await ops.hook_evidence(lead_ids[0], 1)
        cited = set(hooks[0]["fact_ids"])
        assert {fact["id"] for fact in evidence.data["facts"]} == cited - set(
            evidence.data["missing"]
        )
        assert evidence.data["facts"] and not evidence.data["missing"]
