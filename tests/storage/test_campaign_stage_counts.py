"""A campaign's leads per stage and its sends per segment, counted in one pass, agree with each
lead's stage read on its own (lead_stage, as lists and filters read it) and with its sent
messages counted one by one. On both backends."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import AsyncIterator

import pytest

from storage.database import Database
from storage.lead_stages import STAGES, stages_and_sends, stages_of
from storage.models import CampaignRow, LeadRow, MessageRow, RunRow
from storage.reply_outcomes import lead_segment
from storage.sequence_models import SequenceEnrollmentRow

SENT = dt.datetime(2026, 11, 16, 10, tzinfo=dt.UTC)
LEADS = [  # status, enrolment status, sent here (of messages here), sent elsewhere, extra, industry
    ("new", None, (1,), False, {"segment": "fintech"}, "Banking"),
    ("new", None, (0,), True, {}, "Robotics"),  # written to only by the other campaign
    ("new", None, (0,), False, {}, None),  # a draft never sent: still new
    ("new", "paused", (1, 1), False, {"segment": "fintech"}, None),
    ("new", "active", (1, 0), False, {}, "Robotics"),
    ("replied", None, (1,), False, {}, "Robotics"),
    ("interested", "paused", (1,), False, {}, None),
    ("bounced", None, (1,), False, {"segment": "health"}, None),
    ("complained", None, (1,), False, {}, None),
    ("won", None, (1, 1, 1), True, {"segment": "health"}, "Banking"),
]


@pytest.fixture
async def db(database_url: str) -> AsyncIterator[Database]:
    async with await Database.connect(database_url, migrate=True) as opened:
        yield opened


async def test_one_pass_agrees_with_each_leads_own_stage_and_sends(db: Database) -> None:
    async with db.sessions.begin() as session:
        here = CampaignRow(name="Here", channel="email", value_proposition="CI.")
        other = CampaignRow(name="Other", channel="email", value_proposition="CI.")
        session.add_all([here, other])
        await session.flush()
        runs = [RunRow(id=f"run-{n}", campaign_id=here.id) for n in range(3)]
        session.add_all([*runs, RunRow(id="other", campaign_id=other.id)])
        lead_ids, sent_by_segment = [], Counter[str]()
        for n, (status, enrolled, written, elsewhere, extra, industry) in enumerate(LEADS):
            lead = LeadRow(
                name=f"Lead {n}", email=f"l{n}@x.example", company="X", status=status,
                extra=extra, industry=industry,
            )  # fmt: skip
            session.add(lead)
            await session.flush()
            lead_ids.append(lead.id)
            for step, sent in enumerate(written):
                session.add(
                    MessageRow(
                        campaign_id=here.id, lead_id=lead.id, run_id=f"run-{step}",
                        sequence_step=step, status="sent" if sent else "approved",
                        sent_at=SENT if sent else None,
                    )
                )  # fmt: skip
                if sent:
                    sent_by_segment[extra.get("segment") or industry or "unknown"] += 1
            if elsewhere:
                session.add(
                    MessageRow(
                        campaign_id=other.id, lead_id=lead.id, run_id="other", status="sent",
                        sent_at=SENT,
                    )
                )  # fmt: skip
            if enrolled:
                session.add(
                    SequenceEnrollmentRow(campaign_id=here.id, lead_id=lead.id, status=enrolled)
                )
        await session.flush()
        campaign_id = here.id

    async with db.sessions() as session:
        stages, sends = await stages_and_sends(
            session, campaign_id=campaign_id, segment=lead_segment()
        )
        one_by_one = Counter((await stages_of(session, lead_ids)).values())

    assert stages == {stage: one_by_one.get(stage, 0) for stage in STAGES}
    assert (stages["new"], stages["contacted"], stages["paused"]) == (1, 3, 1)
    assert (stages["unsubscribed"], stages["bounced"], stages["won"]) == (1, 1, 1)
    assert sends == dict(sent_by_segment)
    assert sends == {"fintech": 3, "Robotics": 2, "health": 4, "unknown": 2}
