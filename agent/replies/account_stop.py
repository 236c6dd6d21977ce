"""One contact at an account answers with interest: the account's other contacts stop.

Leads at one company (the domain of their email address, as agent/planning/accounts.py forms
accounts; free-mail addresses are accounts of their own) are worked together in a campaign.
When one of them replies with interest (HOT), a person takes the conversation over, and more
automated mail to their colleagues would talk past it: each colleague's open steps and step
tasks in that campaign stop, and their written, unsent messages there with them, with a reason
naming the colleague who replied. What went out stays as it was; other campaigns go on; a
colleague who opted out or replied keeps that status. A campaign turns this off with
`stop_account_on_positive_reply: false`.

The colleagues' rows are locked with the replier's, before anything is written, in the one
order storage/lock_order.py gives, so this never deadlocks with the scheduler on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from agent.planning.accounts import FREE_MAIL_DOMAINS
from storage.engagement import stop_unsent
from storage.lock_order import lock_lead_rows
from storage.models import CampaignRow, LeadRow, MessageRow
from storage.sequence_models import SequenceEnrollmentRow
from storage.sequences import stop_lead_sequences

SETTING = "stop_account_on_positive_reply"
"""The campaign setting (default on) that stops an account's other contacts."""
OPEN_ENROLMENTS = ("active", "paused")
MAX_COLLEAGUES = 1000
"""Colleagues stopped at most for one reply (an address at a huge domain is no company)."""


@dataclass(frozen=True)
class AccountColleagues:
    """The replier's account in a campaign and the colleagues whose sequences are still open."""

    domain: str
    replier: str
    """The address of the contact who replied, as the reason names them."""
    lead_ids: tuple[int, ...]


def company_domain(email: str | None) -> str | None:
    """Return the company an address belongs to (its domain), or None for free mail or none."""
    address = (email or "").strip().lower()
    local, at, domain = address.rpartition("@")
    if not at or not local or not domain or domain in FREE_MAIL_DOMAINS:
        return None
    return domain


def stops_account(campaign: CampaignRow | None) -> bool:
    """Return whether the campaign stops an account's other contacts on a positive reply."""
    settings = (campaign.settings if campaign is not None else None) or {}
    return settings.get(SETTING, True) is not False


async def account_colleagues(
    session: AsyncSession, message: MessageRow
) -> AccountColleagues | None:
    """Return the replier's colleagues with an open sequence in the message's campaign (None:
    the campaign does not stop accounts, or the replier is no company's contact)."""
    if not stops_account(await session.get(CampaignRow, message.campaign_id)):
        return None
    replier = await session.get(LeadRow, message.lead_id)
    domain = company_domain(replier.email if replier is not None else None)
    if replier is None or domain is None:
        return None
    # LIKE narrows the search; the exact domain is compared below ('_' is a LIKE wildcard).
    rows = await session.execute(
        select(LeadRow.id, LeadRow.email)
        .join(SequenceEnrollmentRow, SequenceEnrollmentRow.lead_id == LeadRow.id)
        .where(
            SequenceEnrollmentRow.campaign_id == message.campaign_id,
            SequenceEnrollmentRow.status.in_(OPEN_ENROLMENTS),
            LeadRow.id != replier.id,
            LeadRow.email_normalized.like(f"%@{domain}"),
        )
        .order_by(LeadRow.id)
        .limit(MAX_COLLEAGUES)
    )
    ids = tuple(lead_id for lead_id, email in rows if company_domain(email) == domain)
    if not ids:
        return None
    return AccountColleagues(domain, (replier.email or "").strip(), ids)


async def lock_account(
    session: AsyncSession, message: MessageRow, colleagues: AccountColleagues
) -> None:
    """Lock the replier's rows and the colleagues', in storage/lock_order.py's order."""
    await lock_lead_rows(
        session,
        campaign_ids={message.campaign_id},
        lead_ids={message.lead_id, *colleagues.lead_ids},
        message_ids={message.id},
    )


async def stop_colleagues(
    session: AsyncSession,
    message: MessageRow,
    colleagues: AccountColleagues,
    *,
    now: dt.datetime,
) -> str:
    """Stop the colleagues' sequences (and unsent messages) in the campaign; return what was
    done, for the reply's actions. Call lock_account first."""
    reason = (
        f"stopped: a colleague at {colleagues.domain} ({colleagues.replier}) replied with "
        f"interest (message {message.id})"
    )
    # Read again under the lock: a colleague may have replied or opted out meanwhile.
    still_open = list(
        await session.scalars(
            select(SequenceEnrollmentRow.lead_id).where(
                SequenceEnrollmentRow.campaign_id == message.campaign_id,
                SequenceEnrollmentRow.lead_id.in_(colleagues.lead_ids),
                SequenceEnrollmentRow.status.in_(OPEN_ENROLMENTS),
            )
        )
    )
    for lead_id in sorted(still_open):
        await stop_lead_sequences(
            session, lead_id=lead_id, reason=reason, now=now, campaign_id=message.campaign_id
        )
        await stop_unsent(session, lead_id=lead_id, reason=reason, campaign_id=message.campaign_id)
    return (
        f"{len(still_open)} colleague(s) at {colleagues.domain} stopped in this campaign: "
        "their open steps, step tasks and unsent messages end, since a person takes the "
        "account over"
    )
