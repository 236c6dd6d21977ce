"""One lead to HubSpot: its contact (by email), its company (by domain), what we sent, its replies.

What HubSpot already has wins: a property with a value is never overwritten, the lifecycle
stage only moves forward and never past sales-qualified, and a contact at opportunity, customer
or evangelist is not changed at all: the lead is held, so nothing is sent to them. Each object
written is entered in the sync ledger as soon as HubSpot answers, so running again (or after a
failure halfway) writes nothing twice.
"""

from __future__ import annotations

import contextlib
from collections import Counter
from dataclasses import dataclass, field
from typing import Literal

from storage.crm_activity import CrmLead, ReplyEvent, SentMessage, reply_events, sent_messages
from storage.crm_sync import (
    domain_key,
    event_key,
    hold_for_crm,
    hold_reason,
    lead_key,
    message_key,
    record_synced,
    synced_company,
    synced_for_lead,
)
from storage.database import Database
from tools.crm.hubspot_client import HubSpotCrm
from tools.crm.hubspot_records import (
    ActivityNote,
    ContactFields,
    CrmContact,
    SentEmail,
    company_domain,
)
from tools.crm.lifecycle import forward_stage, off_limits, stage_for_status
from tools.delivery.sms import e164

ContactOutcome = Literal["created", "updated", "unchanged", "held"]


@dataclass
class LeadSync:
    """What syncing one lead did."""

    lead_id: int
    email: str
    contact: ContactOutcome = "unchanged"
    stage: str | None = None
    """The contact's lifecycle stage in HubSpot after the sync."""
    hold: str | None = None
    """The suppression reason recorded (crm_customer, ...) when HubSpot holds the contact."""
    written: Counter[str] = field(default_factory=Counter)
    """HubSpot writes by kind: contact, contact_update, company, company_link, email, note."""


def reply_headline(reply: ReplyEvent) -> str:
    """Return the one line a reply's note starts with."""
    line = f"Replied to “{reply.subject}”" if reply.subject else "Replied"
    if reply.intent:
        line += f"; read as {reply.intent.replace('_', ' ')}"
        line += f": {reply.reason}" if reply.reason else ""
    return line


class LeadSyncer:
    """Sync leads one at a time into one HubSpot account."""

    def __init__(self, db: Database, crm: HubSpotCrm, *, default_country: str = "US") -> None:
        self.db = db
        self.crm = crm
        self.default_country = default_country
        """How a lead's phone number without a country code is read (for a hold)."""

    async def sync(self, lead: CrmLead) -> LeadSync:
        """Sync one lead; raise CrmError when HubSpot fails it (what was done stays recorded)."""
        async with self.db.sessions() as session:
            done = await synced_for_lead(session, lead.id)
            messages = await sent_messages(session, lead.id)
            replies = await reply_events(session, lead.id)
        result = LeadSync(lead_id=lead.id, email=lead.email)
        contact = await self._contact(lead, result)
        if done.get(("contact", lead_key(lead.id))) != contact.id:
            await self._record("contact", lead_key(lead.id), contact.id, lead.id)
        if result.hold is None:
            await self._company(lead, contact, done, result)
        await self._engagements(contact, messages, replies, done, result)
        return result

    async def _record(self, kind: str, key: str, hubspot_id: str, lead_id: int | None) -> None:
        async with self.db.write_lock, self.db.sessions.begin() as session:
            await record_synced(
                session, kind=kind, local_key=key, hubspot_id=hubspot_id, lead_id=lead_id
            )

    async def _contact(self, lead: CrmLead, result: LeadSync) -> CrmContact:
        """Find or create the lead's contact; fill its blanks and move its stage forward."""
        fields = ContactFields(
            email=lead.email,
            name=lead.name,
            company=lead.company,
            website=lead.company_url,
            job_title=lead.title,
            phone=lead.phone,
        ).properties()
        wanted = stage_for_status(lead.status)
        contact = await self.crm.find_contact(lead.email)
        if contact is None:
            properties = {**fields, **({"lifecyclestage": wanted} if wanted else {})}
            contact = await self.crm.create_contact(properties)
            result.contact = "created"
            result.written["contact"] += 1
        result.stage = contact.lifecycle_stage
        if off_limits(contact.lifecycle_stage):
            assert contact.lifecycle_stage is not None
            result.contact = "held"
            result.hold = await self._hold(lead, contact.lifecycle_stage)
            return contact
        if result.contact == "created":
            return contact
        changes = contact.missing(fields)
        stage = forward_stage(contact.lifecycle_stage, wanted)
        if stage:
            changes["lifecyclestage"] = stage
        if changes:
            await self.crm.update_contact(contact.id, changes)
            result.contact, result.stage = "updated", stage or result.stage
            result.written["contact_update"] += 1
        return contact

    async def _hold(self, lead: CrmLead, stage: str) -> str:
        """Suppress the lead's email (and phone) because HubSpot has them at `stage`."""
        addresses = [lead.email]
        if lead.phone:
            with contextlib.suppress(ValueError):  # not a number we could text anyway
                addresses.append(e164(lead.phone, self.default_country))
        async with self.db.write_lock, self.db.sessions.begin() as session:
            await hold_for_crm(session, addresses=addresses, stage=stage)
        return hold_reason(stage)

    async def _company(
        self,
        lead: CrmLead,
        contact: CrmContact,
        done: dict[tuple[str, str], str],
        result: LeadSync,
    ) -> None:
        """Find or create the company by domain and link the contact to it, once."""
        domain = company_domain(lead.company_url, lead.email)
        if domain is None or ("company_link", lead_key(lead.id)) in done:
            return
        async with self.db.sessions() as session:
            company_id = await synced_company(session, domain)
        if company_id is None:
            company_id = await self.crm.find_company(domain)
            if company_id is None:
                company_id = await self.crm.create_company(domain, lead.company)
                result.written["company"] += 1
            await self._record("company", domain_key(domain), company_id, None)
        await self.crm.link_contact_to_company(contact.id, company_id)
        result.written["company_link"] += 1
        await self._record("company_link", lead_key(lead.id), company_id, lead.id)

    async def _engagements(
        self,
        contact: CrmContact,
        messages: list[SentMessage],
        replies: list[ReplyEvent],
        done: dict[tuple[str, str], str],
        result: LeadSync,
    ) -> None:
        """Log each sent message and each reply on the contact, once."""
        lead_id = result.lead_id
        for message in messages:
            key = message_key(message.id)
            if ("email", key) in done or ("note", key) in done:
                continue
            if message.channel == "email":
                sent = SentEmail(
                    sent_at=message.sent_at,
                    to_address=result.email,
                    body=message.body,
                    subject=message.subject,
                    from_address=message.mailbox,
                )
                kind, made = "email", await self.crm.log_email(contact.id, sent)
            else:
                note = ActivityNote(
                    occurred_at=message.sent_at,
                    headline=f"Sent a {message.channel} message",
                    quote=message.body,
                )
                kind, made = "note", await self.crm.log_note(contact.id, note)
            result.written[kind] += 1
            await self._record(kind, key, made, lead_id)
        for reply in replies:
            key = event_key(reply.id)
            if ("note", key) in done:
                continue
            note = ActivityNote(
                occurred_at=reply.occurred_at, headline=reply_headline(reply), quote=reply.snippet
            )
            made = await self.crm.log_note(contact.id, note)
            result.written["note"] += 1
            await self._record("note", key, made, lead_id)
