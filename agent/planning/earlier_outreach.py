"""The runs' outreach history: whether a colleague of the lead (same company domain, free mail
excluded: accounts.company_domain) was already sent a message in the same campaign, as an
earlier_outreach fact the writer may cite (graphs/earlier_outreach.py).

Never a colleague who opted out, bounced, complained, answered at all (whatever they said) or
is on the suppression list; never more than one (the latest sent); the fact says only that we
wrote, never that anyone answered. Names and titles come from lead files, so they are
screened like any lead field.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from agent.campaigns.campaign_reads import CampaignReads
from agent.planning.accounts import company_domain
from graphs.earlier_outreach import OUTREACH_TOOL
from graphs.lead import Lead
from graphs.lead_screening import screen_lead
from storage.leads import normalize_email
from storage.models import CampaignRow, EventRow, LeadRow, MessageRow
from storage.prospect_reads import suppressed_addresses
from tools.facts import Fact, FactKind, make_fact

NOT_MENTIONED = frozenset({"unsubscribed", "complained", "bounced", "lost"})
"""Lead statuses of a colleague we never mention (they left, or said no)."""
CANDIDATES = 20
"""Colleagues' latest sent messages read per lead (the newest that may be mentioned wins)."""


def _label(row: Any) -> tuple[str, str] | None:
    """Return the colleague as the fact names them ("Maya Okafor (VP Engineering)") and their
    company; None when their name reads as instructions or cannot be a name."""
    try:
        colleague = Lead(name=row.name, company=row.company, title=row.title or None)
    except ValidationError:
        return None
    screen = screen_lead(colleague)
    if screen.name_withheld or screen.company_withheld:
        return None
    title = screen.lead.title
    return (f"{colleague.name} ({title})" if title else colleague.name), colleague.company


def _replied() -> Select[Any]:
    """The leads who answered any message: whatever they said, they are never cited."""
    return (
        select(MessageRow.lead_id)
        .join(EventRow, EventRow.message_id == MessageRow.id)
        .where(EventRow.type == "replied")
    )


@dataclass
class StoredOutreachHistory:
    """Read the campaign's sent messages to the lead's colleagues from the database.

    The campaign's sent messages are read once for a batch's leads, grouped by company domain
    (agent/campaigns/campaign_reads.py: again once a couple of minutes old), so a lead costs a
    lookup, not a scan of every message the campaign sent. The few candidates at the lead's
    domain are read again before one is cited: a colleague who opted out, answered or was
    suppressed since is never mentioned."""

    sessions: Callable[[], AbstractAsyncContextManager[AsyncSession]]
    _reads: CampaignReads[dict[str, list[Any]]] = field(init=False)

    def __post_init__(self) -> None:
        self._reads = CampaignReads(self._read)

    async def _read(self, campaign: str) -> dict[str, list[Any]]:
        async with self.sessions() as session:
            rows = await session.execute(
                select(
                    MessageRow.id,
                    MessageRow.sent_at,
                    CampaignRow.channel,
                    LeadRow.id.label("lead_id"),
                    LeadRow.name,
                    LeadRow.title,
                    LeadRow.company,
                    LeadRow.email_normalized,
                )
                .join(LeadRow, MessageRow.lead_id == LeadRow.id)
                .join(CampaignRow, MessageRow.campaign_id == CampaignRow.id)
                .where(
                    CampaignRow.name == campaign,
                    MessageRow.sent_at.is_not(None),
                    MessageRow.delivery_error.is_(None),
                    LeadRow.status.not_in(NOT_MENTIONED),
                    LeadRow.id.not_in(_replied()),
                )
                .order_by(MessageRow.sent_at.desc(), MessageRow.id.desc())
            )
            by_domain: dict[str, list[Any]] = {}
            for row in rows:
                domain = company_domain(row.email_normalized)
                if (
                    domain is not None
                    and len(held := by_domain.setdefault(domain, [])) < CANDIDATES
                ):
                    held.append(row)
        return by_domain

    async def earlier_outreach(self, campaign: str, lead: Lead, now: datetime) -> Fact | None:
        """Return the fact of the latest message sent to a colleague who may be mentioned."""
        domain = company_domain(lead.email)
        if domain is None:
            return None
        own = normalize_email(lead.email)
        candidates = [
            r for r in (await self._reads.get(campaign)).get(domain, [])
            if r.email_normalized != own
        ]  # fmt: skip
        if not candidates:
            return None
        async with self.sessions() as session:
            still = set(
                await session.scalars(
                    select(LeadRow.id).where(
                        LeadRow.id.in_([r.lead_id for r in candidates]),
                        LeadRow.status.not_in(NOT_MENTIONED),
                        LeadRow.id.not_in(_replied()),
                    )
                )
            )
            rows = [r for r in candidates if r.lead_id in still]
            suppressed = await suppressed_addresses(session, [r.email_normalized for r in rows])
        for row in rows:
            if row.email_normalized in suppressed:
                continue
            named = _label(row)
            if named is None:
                continue
            who, company = named
            sent = row.sent_at.date()
            verb = "emailed" if row.channel == "email" else "wrote to"
            return make_fact(
                kind=FactKind.EARLIER_OUTREACH,
                text=f"We {verb} {who} at {company} on {sent.day} {sent:%B %Y}.",
                source_url=f"outreach:message/{row.id}",
                tool=OUTREACH_TOOL,
                retrieved_at=now,
                published=sent,
                title=who,
                attributes={"colleague": row.name, "message_id": row.id, "domain": domain},
            )
        return None
