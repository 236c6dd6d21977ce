"""The one delivery path (agent/delivery/ledgered_send.py): a key reaches the provider once.

Over a real ledger on SQLite and PostgreSQL, as the pipeline's outbox and the dispatcher use it.
"""

from __future__ import annotations

import asyncio

import pytest

from agent.delivery.ledgered_send import Receipt, send_once
from storage.deliveries import DeliveryLedger

SEND = {"run_id": "r1", "channel": "email", "approved": True, "tone": "direct"}


class Provider:
    """Counts what it was asked to send; fails or hangs when told to."""

    def __init__(self) -> None:
        self.sent: list[str] = []
        self.fail: Exception | None = None

    async def send(self, recipient: str) -> Receipt:
        if self.fail is not None:
            raise self.fail
        self.sent.append(recipient)
        return Receipt("fake", f"id-{len(self.sent)}", "direct")


async def test_a_key_is_sent_once_and_a_second_attempt_gets_the_first_receipt(
    ledger: DeliveryLedger,
) -> None:
    provider = Provider()
    first = await send_once(
        ledger, "k1", recipient="a@x.example", owner="message:1", **SEND,
        send=lambda: provider.send("a@x.example"),
    )  # fmt: skip
    again = await send_once(
        ledger, "k1", recipient="a@x.example", owner="message:1", **SEND,
        send=lambda: provider.send("a@x.example"),
    )  # fmt: skip
    assert provider.sent == ["a@x.example"]
    assert (first.state, again.state) == ("sent", "sent_before")
    assert first.receipt == again.receipt == Receipt("fake", "id-1", "direct")


async def test_a_key_another_lead_owns_is_not_sent_again(
    ledger: DeliveryLedger,
) -> None:
    provider = Provider()
    await send_once(
        ledger, "k1", recipient="a@x.example", owner="message:1", **SEND,
        send=lambda: provider.send("a@x.example"),
    )  # fmt: skip
    other = await send_once(  # two leads of one run share an address, and so the key
        ledger, "k1", recipient="a@x.example", owner="message:2", **SEND,
        send=lambda: provider.send("a@x.example"),
    )  # fmt: skip
    assert other.state == "taken" and other.owner == "message:1"
    assert provider.sent == ["a@x.example"]


async def test_a_provider_error_lets_a_later_attempt_send(ledger: DeliveryLedger) -> None:
    provider = Provider()
    provider.fail = ConnectionError("provider down")
    with pytest.raises(ConnectionError):
        await send_once(
            ledger, "k1", recipient="a@x.example", owner="message:1", **SEND,
            send=lambda: provider.send("a@x.example"),
        )  # fmt: skip
    provider.fail = None
    retried = await send_once(
        ledger, "k1", recipient="a@x.example", owner="message:1", **SEND,
        send=lambda: provider.send("a@x.example"),
    )  # fmt: skip
    assert retried.state == "sent" and provider.sent == ["a@x.example"]


async def test_the_attempt_after_a_cut_off_is_held_not_resent(ledger: DeliveryLedger) -> None:
    provider = Provider()
    provider.fail = asyncio.CancelledError()
    with pytest.raises(asyncio.CancelledError):
        await send_once(
            ledger, "k1", recipient="a@x.example", owner="message:1", **SEND,
            send=lambda: provider.send("a@x.example"),
        )  # fmt: skip
    provider.fail = None
    after = await send_once(
        ledger, "k1", recipient="a@x.example", owner="message:1", **SEND,
        send=lambda: provider.send("a@x.example"),
    )  # fmt: skip
    assert after.state == "interrupted" and provider.sent == []
