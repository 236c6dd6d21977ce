"""The send ledger: each message's idempotency key is recorded before a provider sees it.

A key moves pending → sent (or failed). On a re-run, a sent key returns the recorded receipt
instead of sending again. A key found still pending means the process died while the provider
was being called: nobody knows whether the message left, so it is marked uncertain and never
retried automatically; a reviewer who checked the provider may approve it again (or reject it).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Literal

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import DeliveryRow, RunRow

ClaimState = Literal["new", "retry", "sent", "interrupted", "taken"]
REACHED = ("pending", "sent", "uncertain")
"""Ledger states in which the recipient got (or may have got) the message."""


@dataclass(frozen=True)
class Claim:
    """The ledger's answer to "may I send this key now?"."""

    state: ClaimState
    """new/retry: go ahead; sent: already delivered; interrupted: an earlier attempt died and
    no human has approved a resend; taken: another lead of this run has this address, or
    another run of the same campaign reached (or may have reached) it on this channel."""
    provider: str | None = None
    provider_message_id: str | None = None
    tone: str | None = None
    owner: str | None = None


async def _reached_in_campaign(
    session: AsyncSession, *, key: str, run_id: str, channel: str, recipient: str, step: int
) -> DeliveryRow | None:
    """Return a send of another key that reached this recipient at this step of the run's
    campaign.

    A lead has one message per campaign and sequence step: a second run (or a duplicate
    message) of the campaign must not write to the same person again; the next step of its
    sequence may. Runs the database does not know have no campaign.
    """
    campaign_id = await session.scalar(select(RunRow.campaign_id).where(RunRow.id == run_id))
    if campaign_id is None:
        return None
    return await session.scalar(
        select(DeliveryRow)
        .join(RunRow, RunRow.id == DeliveryRow.run_id)
        .where(
            RunRow.campaign_id == campaign_id,
            DeliveryRow.channel == channel,
            DeliveryRow.step == step,
            func.lower(DeliveryRow.recipient) == recipient.lower(),
            DeliveryRow.status.in_(REACHED),
            DeliveryRow.idempotency_key != key,
        )
        .order_by(DeliveryRow.created_at)
        .limit(1)
    )


@dataclass
class DeliveryLedger:
    """Ledger operations, each in its own short transaction."""

    sessions: async_sessionmaker[AsyncSession]
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    """Shared with the run's other writers (SQLite has a single writer)."""

    async def claim(
        self,
        key: str,
        *,
        run_id: str,
        channel: str,
        recipient: str,
        owner: str,
        approved: bool = False,
        step: int = 0,
    ) -> Claim:
        """Record the intent to send (pending) unless the key is already known.

        `owner` names the lead sending it; `approved` says a human approved this send, which
        is the only way an uncertain key is tried again; `step` is the message's place in its
        campaign's sequence (0: the first message).
        """
        async with self.lock:
            try:
                async with self.sessions.begin() as session:
                    # FOR UPDATE: two processes retrying one key cannot both win (PostgreSQL).
                    row = await session.get(DeliveryRow, key, with_for_update=True)
                    if row is None:
                        earlier = await _reached_in_campaign(
                            session,
                            key=key,
                            run_id=run_id,
                            channel=channel,
                            recipient=recipient,
                            step=step,
                        )
                        if earlier is not None:
                            return Claim("taken", owner=f"{earlier.owner}, run {earlier.run_id}")
                        session.add(
                            DeliveryRow(
                                idempotency_key=key,
                                run_id=run_id,
                                channel=channel,
                                step=step,
                                recipient=recipient,
                                owner=owner,
                                status="pending",
                            )
                        )
                        return Claim("new")
                    if row.owner != owner:
                        return Claim("taken", owner=row.owner)
                    if row.status == "sent":
                        return Claim("sent", row.provider, row.provider_message_id, row.tone)
                    if row.status == "pending":
                        row.status = "uncertain"
                        row.error = "interrupted while the provider was being called"
                        return Claim("interrupted")
                    if row.status == "uncertain" and not approved:
                        return Claim("interrupted")
                    # failed, or uncertain and now approved again by a reviewer
                    row.status, row.error = "pending", None
                    row.attempts += 1
                    return Claim("retry")
            except IntegrityError:  # another worker claimed it between our read and insert
                return Claim("interrupted")

    async def confirm(self, key: str, *, provider: str, message_id: str, tone: str) -> None:
        """Record the provider's acceptance."""
        async with self.lock, self.sessions.begin() as session:
            row = await session.get(DeliveryRow, key)
            assert row is not None, f"confirming an unclaimed delivery {key}"
            row.status, row.provider, row.provider_message_id, row.tone = (
                "sent",
                provider,
                message_id,
                tone,
            )

    @asynccontextmanager
    async def sending(self, key: str) -> AsyncIterator[None]:
        """Guard the provider call of a claimed key: an error marks the key failed (so a later
        attempt may try again) before it propagates; success is the caller's to confirm. A
        cancellation is not an error: the key stays pending and reads as interrupted, since
        the provider may have accepted the message."""
        try:
            yield
        except Exception as exc:
            await self.fail(key, error=f"{type(exc).__name__}: {exc}")
            raise

    async def fail(self, key: str, *, error: str) -> None:
        """Record that the provider refused, so a later approval may try again."""
        async with self.lock, self.sessions.begin() as session:
            row = await session.get(DeliveryRow, key)
            if row is not None:
                row.status, row.error = "failed", error[:2000]

    async def get(self, key: str) -> DeliveryRow | None:
        """Return the ledger row of a key."""
        async with self.sessions() as session:
            return await session.get(DeliveryRow, key)
