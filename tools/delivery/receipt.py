"""What a delivery provider returns for a message it accepted."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel


class Delivery(BaseModel):
    """Where a sent message went."""

    provider: str
    message_id: str
    tone: str
    recipient: str
    location: str | None = None
    idempotency_key: str | None = None
    """The key the message was sent under (one per lead per run)."""
    duplicate: bool = False
    state: Literal["sent", "approved"] = "sent"
    """sent: the provider took it; approved: handed to a send queue that delivers it later,
    within the campaign's sending limits."""
