"""The send ledger: each message's idempotency key is recorded before a provider sees it.

A key moves pending → sent (or failed). On a re-run, a sent key returns the recorded receipt
instead of sending again. A key found still pending means the process died while the provider
was being called: nobody knows yet whether the message left, so it is marked uncertain. A
provider whose own log can be searched settles it (`found`, or `retry_uncertain` once the log
has had time to show it); otherwise it is never retried automatically, and a reviewer who
checked the provider may approve it again (or reject it).
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from functools import cache
from typing import Literal, cast

from sqlalchemy import Insert, Select, Table, bindparam, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.models import DeliveryRow, RunRow
from storage.utc import as_utc

ClaimState = Literal["new", "retry", "sent", "interrupted", "taken"]
REACHED = ("pending", "sent", "uncertain", "held")
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
    attempted_at: dt.datetime | None = None
    """interrupted: when the cut-off attempt began (look for it in the provider's log since)."""
    attempts: int = 0
    """interrupted: which attempt was cut off (`retry_uncertain` takes the key only from it)."""


def _reached_query() -> Select[DeliveryRow]:
    """Sends of another key (`:key`) that reached the recipient (`:recipient`, lower case) on
    the channel (`:channel`) at the step (`:step`) of the run's (`:run_id`) campaign, oldest
    first.

    A lead has one message per campaign and sequence step: a second run (or a duplicate
    message) of the campaign must not write to the same person again; the next step of its
    sequence may. Runs the database does not know have no campaign.
    """
    # One statement: the run's campaign is a subquery (NULL for an unknown run, matching none).
    run = select(RunRow.campaign_id).where(RunRow.id == bindparam("run_id")).scalar_subquery()
    return (
        select(DeliveryRow)
        .join(RunRow, RunRow.id == DeliveryRow.run_id)
        .where(
            RunRow.campaign_id == run,
            DeliveryRow.channel == bindparam("channel"),
            DeliveryRow.step == bindparam("step"),
            func.lower(DeliveryRow.recipient) == bindparam("recipient"),
            DeliveryRow.status.in_(REACHED),
            DeliveryRow.idempotency_key != bindparam("key"),
        )
        .order_by(DeliveryRow.created_at)
    )


_TABLE = cast(Table, DeliveryRow.__table__)
_REACHED = _reached_query()
_FIRST_REACHED = _REACHED.limit(1)
"""Built once: a claim only binds its values (building the statement cost more CPU than
running it)."""
_PENDING = (
    "idempotency_key", "run_id", "channel", "step", "recipient", "owner", "status",
    "attempted_at", "tone",
)  # fmt: skip
"""The columns a claim writes (the rest take their defaults)."""


@cache
def _claim_first(dialect: str) -> Insert:
    """INSERT the pending row (`:pending_*`) unless its key exists or `_REACHED` finds a send:
    built once per dialect."""
    columns = DeliveryRow.__table__.c
    row = select(*(bindparam(f"pending_{name}", type_=columns[name].type) for name in _PENDING))
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    return (
        insert(_TABLE)
        .from_select(list(_PENDING), row.where(~_REACHED.order_by(None).exists()))
        .on_conflict_do_nothing(index_elements=[DeliveryRow.idempotency_key])
        .returning(DeliveryRow.idempotency_key)
    )


_CONFIRM = (
    update(_TABLE)
    .where(DeliveryRow.idempotency_key == bindparam("key"))
    .values(
        status="sent",
        provider=bindparam("provider"),
        provider_message_id=bindparam("message_id"),
        tone=bindparam("tone"),
    )
    .returning(DeliveryRow.idempotency_key)
)


async def _insert_if_first(
    session: AsyncSession, pending: dict[str, object], where: dict[str, object]
) -> bool:
    """Write a pending row in one statement if its key is new and no other key reached its
    recipient (`where`: the values `_REACHED` binds); return whether it was written.

    The common case of a claim (a first send to a person) is then one round trip instead of
    three. When it is not written, the caller reads the key's row and the earlier send as
    before, and decides as before.
    """
    statement = _claim_first(session.get_bind().dialect.name)
    values = {f"pending_{name}": pending[name] for name in _PENDING}
    written = await session.execute(statement, {**values, **where})
    return written.first() is not None


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
        checkable: bool = False,
        tone: str | None = None,
    ) -> Claim:
        """Record the intent to send (pending) unless the key is already known.

        `owner` names the lead sending it; `approved` says a human approved this send, which
        is the way an uncertain key is tried again unless `checkable` (the provider's log can
        say whether the cut-off attempt went out: it decides, not a person); `step` is the
        message's place in its campaign's sequence (0: the first message); `tone` the draft
        this attempt sends (a cut-off attempt found in the provider's log is recorded with it).
        A key held for a person (`hold_uncertain`) goes again only when `approved`.
        """
        pending: dict[str, object] = {
            "idempotency_key": key,
            "run_id": run_id,
            "channel": channel,
            "step": step,
            "recipient": recipient,
            "owner": owner,
            "status": "pending",
            "attempted_at": _wall_clock(),
            "tone": tone,
        }
        async with self.lock:
            try:
                async with self.sessions.begin() as session:
                    where = {
                        "key": key,
                        "run_id": run_id,
                        "channel": channel,
                        "step": step,
                        "recipient": recipient.lower(),
                    }
                    if await _insert_if_first(session, pending, where):
                        return Claim("new")
                    # FOR UPDATE: two processes retrying one key cannot both win (PostgreSQL).
                    row = await session.get(DeliveryRow, key, with_for_update=True)
                    if row is None:
                        earlier = await session.scalar(_FIRST_REACHED, where)
                        if earlier is not None:
                            return Claim("taken", owner=f"{earlier.owner}, run {earlier.run_id}")
                        # Neither written above nor found: a key claimed and gone again
                        # between the two (a rolled-back claim), or an erased earlier send.
                        session.add(DeliveryRow(**pending))
                        return Claim("new")
                    if row.owner != owner:
                        return Claim("taken", owner=row.owner)
                    if row.status == "sent":
                        return Claim("sent", row.provider, row.provider_message_id, row.tone)
                    if row.status == "pending":
                        row.status = "uncertain"
                        row.error = "interrupted while the provider was being called"
                        return _interrupted(row)
                    if row.status == "uncertain" and (checkable or not approved):
                        return _interrupted(row)
                    if row.status == "held" and not approved:
                        return _interrupted(row)
                    # failed, or uncertain or held and now approved again by a reviewer
                    row.status, row.error, row.tone = "pending", None, tone
                    row.attempts += 1
                    row.attempted_at = _wall_clock()
                    return Claim("retry")
            except IntegrityError:  # another worker claimed it between our read and insert
                return Claim("interrupted")

    async def confirm(self, key: str, *, provider: str, message_id: str, tone: str) -> None:
        """Record the provider's acceptance."""
        async with self.lock, self.sessions.begin() as session:
            values = {"key": key, "provider": provider, "message_id": message_id, "tone": tone}
            confirmed = await session.execute(_CONFIRM, values)
            assert confirmed.first() is not None, f"confirming an unclaimed delivery {key}"

    async def found_uncertain(self, key: str, *, provider: str, message_id: str, tone: str) -> None:
        """Record that the provider's log has the send an interrupted attempt made."""
        async with self.lock, self.sessions.begin() as session:
            await session.execute(
                update(DeliveryRow)
                .where(DeliveryRow.idempotency_key == key, DeliveryRow.status == "uncertain")
                .values(
                    status="sent", provider=provider, provider_message_id=message_id, tone=tone,
                    error=None,
                )
            )  # fmt: skip

    async def hold_uncertain(self, key: str, *, why: str) -> None:
        """Give an interrupted key to a person: its provider's log could not settle it in
        time. It goes again only when a reviewer approves the message again."""
        async with self.lock, self.sessions.begin() as session:
            await session.execute(
                update(DeliveryRow)
                .where(DeliveryRow.idempotency_key == key, DeliveryRow.status == "uncertain")
                .values(status="held", error=why[:2000])
            )

    async def retry_uncertain(self, key: str, *, attempts: int, tone: str | None = None) -> bool:
        """Take an interrupted key for another attempt, since the provider's log has no trace of
        the cut-off one; False when another process took it first (it sends, not us)."""
        async with self.lock, self.sessions.begin() as session:
            taken = await session.scalars(
                update(DeliveryRow)
                .where(
                    DeliveryRow.idempotency_key == key,
                    DeliveryRow.status == "uncertain",
                    DeliveryRow.attempts == attempts,
                )
                .values(
                    status="pending", error=None, attempts=attempts + 1,
                    attempted_at=_wall_clock(), tone=tone,
                )
                .returning(DeliveryRow.idempotency_key)
            )  # fmt: skip
            return taken.first() is not None

    @asynccontextmanager
    async def sending(self, key: str) -> AsyncIterator[None]:
        """Guard the provider call of a claimed key: an error marks the key failed (so a later
        attempt may try again), or uncertain when the provider never answered, before it
        propagates; success is the caller's to confirm. A cancellation is not an error: the key
        stays pending and reads as interrupted, since the provider may have accepted it."""
        try:
            yield
        except Exception as exc:
            why = f"{type(exc).__name__}: {exc}"
            if getattr(exc, "unanswered", False):  # the provider may have taken it
                await self.fail(key, error=why, status="uncertain")
            else:
                await self.fail(key, error=why)
            raise

    async def fail(self, key: str, *, error: str, status: str = "failed") -> None:
        """Record that the provider refused, so a later approval may try again; or, with status
        `uncertain`, that it never answered (it may have taken the message)."""
        async with self.lock, self.sessions.begin() as session:
            row = await session.get(DeliveryRow, key)
            if row is not None:
                row.status, row.error = status, error[:2000]

    async def get(self, key: str) -> DeliveryRow | None:
        """Return the ledger row of a key."""
        async with self.sessions() as session:
            return await session.get(DeliveryRow, key)


def _wall_clock() -> dt.datetime:
    """Provider calls happen in real time, whatever clock the scheduler runs on."""
    return dt.datetime.now(dt.UTC)


def _interrupted(row: DeliveryRow) -> Claim:
    return Claim(
        "interrupted",
        tone=row.tone,
        attempted_at=as_utc(row.attempted_at or row.updated_at),
        attempts=row.attempts,
    )
