"""Three leads of one email campaign, as the CRM sync finds them after a day of sending:
Maya was written to and replied with interest, Jonas was written to, Ana's message is approved
and waits for the dispatcher."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from storage.database import Database
from storage.models import CampaignRow, EventRow, LeadRow, MessageRow, RunRow

MAYA = "maya.okafor@northwind-robotics.example"
JONAS = "jonas.weber@quietpeak.example"
ANA = "ana.ruiz@acme-logistics.example"
SENT_AT = dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.UTC)
REPLIED_AT = dt.datetime(2026, 11, 21, 14, 5, tzinfo=dt.UTC)
MAYA_BODY = "Hi Maya, your monorepo post hit home: worth 15 minutes on CI times?"
JONAS_BODY = "Hi Jonas, congratulations on the Series A: how do you ship firmware today?"


@dataclass(frozen=True)
class Seeded:
    """Ids of what was stored."""

    campaign_id: int
    maya: int
    jonas: int
    ana: int
    ana_message: int


def _variants(subject: str, body: str) -> list[dict[str, str]]:
    return [
        {"tone": "warm", "subject": f"{subject}?", "body": "(not chosen)"},
        {"tone": "direct", "subject": subject, "body": body},
    ]


async def seed(db: Database) -> Seeded:
    """Store the campaign, its three leads, two sent messages, one reply and one approval."""
    async with db.sessions.begin() as session:
        campaign = CampaignRow(name="Fleet uptime", channel="email", value_proposition="CI.")
        session.add(campaign)
        await session.flush()
        session.add(RunRow(id="run-crm", campaign_id=campaign.id, total=3))
        maya = LeadRow(
            name="Maya Okafor", email=MAYA, company="Northwind Robotics", title="VP Engineering",
            company_url="https://www.northwind-robotics.example", status="interested",
        )  # fmt: skip
        jonas = LeadRow(name="Jonas Weber", email=JONAS, company="Quietpeak", status="sent")
        ana = LeadRow(name="Ana Ruiz", email=ANA, company="Acme Logistics", status="new")
        session.add_all([maya, jonas, ana])
        await session.flush()
        messages = []
        for lead, subject, body, sent_at, status in (
            (maya, "Northwind and CI", MAYA_BODY, SENT_AT, "replied"),
            (jonas, "Quietpeak firmware", JONAS_BODY, SENT_AT, "sent"),
            (ana, "Acme's depots", "Hi Ana, ...", None, "approved"),
        ):
            message = MessageRow(
                campaign_id=campaign.id, lead_id=lead.id, run_id="run-crm", status=status,
                variants=_variants(subject, body), selected_variant="direct", sent_at=sent_at,
                mailbox="alex@outreach.example" if sent_at else None,
            )  # fmt: skip
            session.add(message)
            messages.append(message)
        await session.flush()
        reply = EventRow(
            type="replied", campaign_id=campaign.id, message_id=messages[0].id,
            occurred_at=REPLIED_AT,
            payload={
                "from": MAYA, "subject": "Re: Northwind and CI", "intent": "interested",
                "intent_reason": "asks for a call", "snippet": "Sounds good: Tuesday at 10?",
            },
        )  # fmt: skip
        session.add(reply)
        return Seeded(campaign.id, maya.id, jonas.id, ana.id, messages[2].id)
