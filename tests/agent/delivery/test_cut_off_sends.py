"""A send cut off while the provider was being called, settled from the provider's own log.

Over a real ledger on SQLite and PostgreSQL: found in the log, it is recorded as sent and never
sent again; absent once the log has had time to show it, it is sent once, whoever asks; while
the log cannot tell, nothing is sent; a provider that keeps no log holds it for a person.
"""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from agent.delivery.ledgered_send import LookUp, Receipt, SendOutcome, SendUnsettled, send_once
from storage.deliveries import DeliveryLedger
from storage.models import DeliveryRow
from tools.delivery.providers import DeliveryUnavailable, SentRecord

SEND = {"run_id": "r1", "channel": "email", "approved": True, "tone": "direct"}
TO = "a@x.example"


class LoggingProvider:
    """A provider with a searchable log of what it took; it can die mid-call or never answer."""

    name = "fake"
    can_look_up = True

    def __init__(self) -> None:
        self.log: dict[str, str] = {}
        self.calls = 0
        self.cut_off_after_taking = False
        self.hang_up_before_taking = False
        self.readable = True

    async def send(self, key: str) -> Receipt:
        self.calls += 1
        if self.hang_up_before_taking:
            raise asyncio.CancelledError()  # the process died before the request left
        self.log[key] = f"id-{self.calls}"
        if self.cut_off_after_taking:
            raise asyncio.CancelledError()  # it took the message; the answer never came back
        return Receipt(self.name, self.log[key], "direct")

    async def find_sent(self, key: str, *, to: str, body: str, since: dt.datetime) -> SentRecord:
        if not self.readable:
            return SentRecord("unknown")
        found = self.log.get(key)
        return SentRecord("found", found) if found else SentRecord("absent")


def look_up(provider: LoggingProvider, lag_s: float = 0.0) -> LookUp:
    made = LookUp.of(provider, to=TO, body="hello", lag_s=lag_s)
    assert made is not None
    return made


async def attempt(
    ledger: DeliveryLedger, provider: LoggingProvider, lag_s: float = 0.0, **options: object
) -> str:
    return (await attempt_outcome(ledger, provider, lag_s, **options)).state


async def attempt_outcome(
    ledger: DeliveryLedger, provider: LoggingProvider, lag_s: float = 0.0, **options: object
) -> SendOutcome:
    return await send_once(
        ledger, "k1", recipient=TO, owner="message:1", **{**SEND, **options},  # type: ignore[arg-type]
        send=lambda: provider.send("k1"), look_up=look_up(provider, lag_s),
    )  # fmt: skip


async def age_the_attempt(ledger: DeliveryLedger, by: dt.timedelta) -> None:
    async with ledger.sessions.begin() as session:
        row = await session.get(DeliveryRow, "k1")
        assert row is not None and row.attempted_at is not None
        row.attempted_at = row.attempted_at - by


async def cut_off(ledger: DeliveryLedger, provider: LoggingProvider) -> None:
    with pytest.raises(asyncio.CancelledError):
        await attempt(ledger, provider)
    provider.cut_off_after_taking = provider.hang_up_before_taking = False


async def test_a_cut_off_send_the_provider_took_is_recorded_and_never_sent_again(
    ledger: DeliveryLedger,
) -> None:
    provider = LoggingProvider()
    provider.cut_off_after_taking = True
    await cut_off(ledger, provider)
    assert await attempt(ledger, provider) == "sent_before"
    assert await attempt(ledger, provider) == "sent_before"
    assert provider.calls == 1
    row = await ledger.get("k1")
    assert row is not None and (row.status, row.provider_message_id) == ("sent", "id-1")


async def test_a_cut_off_send_the_provider_never_got_is_sent_once_the_log_has_caught_up(
    ledger: DeliveryLedger,
) -> None:
    provider = LoggingProvider()
    provider.hang_up_before_taking = True
    await cut_off(ledger, provider)
    # Too soon: the log may not show it yet, so nothing is sent.
    assert await attempt(ledger, provider, lag_s=3600) == "checking"
    assert provider.calls == 1 and not provider.log
    assert await attempt(ledger, provider, lag_s=0) == "sent"
    assert await attempt(ledger, provider, lag_s=0) == "sent_before"
    assert list(provider.log) == ["k1"] and provider.calls == 2


async def test_two_senders_settling_one_cut_off_send_send_it_once(
    ledger: DeliveryLedger,
) -> None:
    provider = LoggingProvider()
    provider.hang_up_before_taking = True
    await cut_off(ledger, provider)
    states = await asyncio.gather(*(attempt(ledger, provider) for _ in range(4)))
    assert provider.calls == 2 and list(provider.log) == ["k1"]
    assert states.count("sent") == 1, states


async def test_nothing_is_sent_while_the_log_cannot_be_read(ledger: DeliveryLedger) -> None:
    provider = LoggingProvider()
    provider.hang_up_before_taking = True
    await cut_off(ledger, provider)
    provider.readable = False
    assert await attempt(ledger, provider) == "checking"
    assert await attempt(ledger, provider) == "checking"
    assert provider.calls == 1
    provider.readable = True
    assert await attempt(ledger, provider) == "sent"


async def test_a_log_unreadable_for_a_day_hands_the_send_to_a_person(
    ledger: DeliveryLedger,
) -> None:
    provider = LoggingProvider()
    provider.hang_up_before_taking = True
    await cut_off(ledger, provider)
    provider.readable = False  # e.g. a key without access to SendGrid's activity log
    assert await attempt(ledger, provider) == "checking"
    await age_the_attempt(ledger, dt.timedelta(days=1, minutes=1))
    held = await attempt_outcome(ledger, provider)
    assert held.state == "interrupted"  # the message is held for a person, not left waiting
    assert "check the provider's log" in str(SendUnsettled.of(held, "fake", None))
    row = await ledger.get("k1")
    assert row is not None and row.status == "held" and "could not tell" in (row.error or "")
    # Nothing goes until a reviewer approves it again; then it goes once.
    assert await attempt(ledger, provider, approved=False) == "interrupted"
    assert provider.calls == 1
    assert await attempt(ledger, provider, approved=True) == "sent"
    assert provider.calls == 2 and list(provider.log) == ["k1"]


async def test_a_cut_off_send_found_in_the_log_keeps_the_draft_it_sent(
    ledger: DeliveryLedger,
) -> None:
    provider = LoggingProvider()
    provider.cut_off_after_taking = True
    await cut_off(ledger, provider)  # sent the "direct" draft, then died
    found = await attempt_outcome(ledger, provider, tone="friendly")  # a new pick this time
    assert found.state == "sent_before"
    assert found.receipt is not None and found.receipt.tone == "direct"


async def test_a_provider_without_a_log_holds_the_cut_off_send_for_a_person(
    ledger: DeliveryLedger,
) -> None:
    provider = LoggingProvider()
    provider.cut_off_after_taking = True
    await cut_off(ledger, provider)
    provider.can_look_up = False  # e.g. SMTP, or SendGrid without the Email Activity add-on
    assert LookUp.of(provider, to=TO, body="", lag_s=0) is None
    held = await send_once(
        ledger, "k1", recipient=TO, owner="message:1", **{**SEND, "approved": False},
        send=lambda: provider.send("k1"),
    )  # fmt: skip
    assert held.state == "interrupted" and provider.calls == 1
    unsettled = SendUnsettled.of(held, "fake", None)
    assert unsettled.retry_after is None and "check the provider's log" in str(unsettled)


async def test_a_send_the_provider_never_answered_is_looked_up_not_blindly_retried(
    ledger: DeliveryLedger,
) -> None:
    provider = LoggingProvider()

    async def timed_out() -> Receipt:
        provider.log["k1"] = "id-1"  # it took the message; the answer timed out
        raise DeliveryUnavailable("fake", "no answer within 10 s", unanswered=True)

    with pytest.raises(DeliveryUnavailable):
        await send_once(
            ledger, "k1", recipient=TO, owner="message:1", **SEND, send=timed_out,
            look_up=look_up(provider),
        )  # fmt: skip
    assert await attempt(ledger, provider) == "sent_before"
    assert provider.calls == 0


async def test_a_refused_send_is_still_retried_as_before(ledger: DeliveryLedger) -> None:
    provider = LoggingProvider()

    async def refused() -> Receipt:
        raise DeliveryUnavailable("fake", "429 too many requests", status=429)

    with pytest.raises(DeliveryUnavailable):
        await send_once(
            ledger, "k1", recipient=TO, owner="message:1", **SEND, send=refused,
            look_up=look_up(provider),
        )  # fmt: skip
    assert await attempt(ledger, provider) == "sent" and provider.calls == 1
