"""Who a campaign's emails come from, and how it picks each send's draft."""

from __future__ import annotations

from agent.campaigns.stored import spec_of
from agent.settings import Settings
from storage.models import CampaignRow
from tools.delivery.email_message import Sender


class CampaignNotSendable(ValueError):
    """The campaign lacks what every email must carry; the message says what."""

    def __init__(self, message: str, *, field: str = "sender") -> None:
        super().__init__(message)
        self.field = field
        """The campaign field at fault."""


def sender_of(campaign: CampaignRow, settings: Settings) -> Sender:
    """Return who the campaign's emails come from; raise CampaignNotSendable if incomplete."""
    profile = spec_of(campaign).sender
    email = (profile.email if profile else None) or settings.sender_email
    postal = ((profile.postal_address if profile else None) or "").strip()
    missing = [
        name
        for name, value in (("sender.email", email), ("sender.postal_address", postal))
        if not value
    ]
    if missing:
        raise CampaignNotSendable(
            f"campaign {campaign.id} cannot send email without {' and '.join(missing)} (every "
            "cold email must name its mailbox and carry the sender's postal address); set it "
            "on the campaign, or OUTREACH_SENDER_EMAIL for the mailbox"
        )
    assert email is not None
    return Sender(
        email=email, name=(profile.name if profile else None) or email, postal_address=postal
    )


def campaign_allocation(campaign: CampaignRow) -> str:
    """Return how the campaign picks each send's draft: best, fixed (default) or bandit."""
    return spec_of(campaign).policy.allocation
