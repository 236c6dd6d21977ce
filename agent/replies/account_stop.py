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

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from agent.planning.accounts import HUGE_ACCOUNT, company_domain
from storage.engagement import UNSENT, stop_unsent
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
    """The replier's account in a campaign and the colleagues with something still to go out:
    an open sequence, or a written message not sent yet."""

    domain: str
    replier: str
    """The address of the contact who replied, as the reason names them."""
    lead_ids: tuple[int, ...]
    contacts: int = 0
    """The domain's contacts in the campaign when they are too many to be one company
    (HUGE_ACCOUNT or more: an internet provider's or a university's addresses); then nobody
    is stopped and the reply's actions say why."""


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
    replier_address = (replier.email or "").strip()
    # LIKE narrows the search; the exact domain is compared below ('_' is a LIKE wildcard).
    written = select(MessageRow.lead_id).where(MessageRow.campaign_id == message.campaign_id)
    enrolled_ever = select(SequenceEnrollmentRow.lead_id).where(
        SequenceEnrollmentRow.campaign_id == message.campaign_id
    )
    contacts = await session.execute(
        select(LeadRow.id, LeadRow.email)
        .where(
            or_(LeadRow.id.in_(written), LeadRow.id.in_(enrolled_ever)),
            LeadRow.email_normalized.like(f"%@{domain}"),
        )
        .order_by(LeadRow.id)
        .limit(MAX_COLLEAGUES)
    )
    at_domain = [lead_id for lead_id, email in contacts if company_domain(email) == domain]
    if len(at_domain) >= HUGE_ACCOUNT:
        return AccountColleagues(domain, replier_address, (), contacts=len(at_domain))
    enrolled = select(SequenceEnrollmentRow.lead_id).where(
        SequenceEnrollmentRow.campaign_id == message.campaign_id,
        SequenceEnrollmentRow.status.in_(OPEN_ENROLMENTS),
    )
    unsent = select(MessageRow.lead_id).where(
        MessageRow.campaign_id == message.campaign_id, MessageRow.status.in_(UNSENT)
    )
    ids = tuple(
        await session.scalars(
            select(LeadRow.id)
            .where(
                LeadRow.id.in_([i for i in at_domain if i != replier.id]),
                or_(LeadRow.id.in_(enrolled), LeadRow.id.in_(unsent)),
            )
            .order_by(LeadRow.id)
        )
    )
    if not ids:
        return None
    return AccountColleagues(domain, replier_address, ids)


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
    if colleagues.contacts:
        return (
            f"colleagues not stopped: {colleagues.contacts} or more contacts at "
            f"{colleagues.domain} in this campaign look like a mail provider's or an "
            "institution's addresses, not one company"
        )
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
    stopped: set[int] = set()
    for lead_id in sorted(still_open):
        await stop_lead_sequences(
            session, lead_id=lead_id, reason=reason, now=now, campaign_id=message.campaign_id
        )
        stopped.add(lead_id)
    # Colleagues written to outside a sequence (a batch's approved or queued message) too.
    for lead_id in colleagues.lead_ids:
        if await stop_unsent(
            session, lead_id=lead_id, reason=reason, campaign_id=message.campaign_id
        ):
            stopped.add(lead_id)
    return (
        f"{len(stopped)} colleague(s) at {colleagues.domain} stopped in this campaign: "
        "their open steps, step tasks and unsent messages end, since a person takes the "
        "account over"
    )
