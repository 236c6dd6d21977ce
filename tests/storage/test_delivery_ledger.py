"""The delivery ledger around a provider call: an error frees the key, a cut-off does not."""

from __future__ import annotations

import asyncio

import pytest

from storage.deliveries import DeliveryLedger

CLAIM = {"run_id": "r1", "channel": "email", "recipient": "a@x.example", "owner": "message:1"}


async def test_a_provider_error_marks_the_key_failed_so_the_next_pass_retries(
    ledger: DeliveryLedger,
) -> None:
    assert (await ledger.claim("k1", **CLAIM)).state == "new"
    with pytest.raises(ValueError, match="bad header"):
        async with ledger.sending("k1"):
            raise ValueError("bad header")
    row = await ledger.get("k1")
    assert row is not None and (row.status, row.error) == ("failed", "ValueError: bad header")
    assert (await ledger.claim("k1", **CLAIM)).state == "retry"


async def test_a_cancelled_call_stays_uncertain_because_the_provider_may_have_sent(
    ledger: DeliveryLedger,
) -> None:
    assert (await ledger.claim("k2", **CLAIM)).state == "new"
    with pytest.raises(asyncio.CancelledError):
        async with ledger.sending("k2"):
            raise asyncio.CancelledError
    assert (await ledger.claim("k2", **CLAIM)).state == "interrupted"
