"""The operator's sending operation: activate a campaign and send its approved messages."""

from __future__ import annotations

from agent.delivery.campaign_sender import CampaignNotSendable
from agent.delivery.dispatcher import Dispatcher
from agent.delivery.email_providers import build_email_provider
from agent.operator.operations_base import OperationsBase
from agent.operator.views import OperatorError, Outcome, View
from storage.campaigns import CampaignConflict


class SendingOperations(OperationsBase):
    """Send a campaign's approved messages through the configured email provider."""

    async def send_campaign(self, campaign: str) -> Outcome:
        """Activate a campaign and send its approved messages, as the sending limits allow."""
        row = await self._campaign(campaign)
        dispatcher = Dispatcher(
            self.db, self.settings, build_email_provider(self.settings), clock=self.clock
        )
        try:
            report = await dispatcher.send_campaign(row.id)
        except (LookupError, CampaignNotSendable, CampaignConflict) as exc:
            raise OperatorError(str(exc)) from None
        data = {
            "campaign": row.name,
            "provider": dispatcher.provider.name,
            "sent": report.sent,
            "scheduled": {k: v.isoformat() for k, v in report.scheduled.items()},
            "suppressed": report.suppressed,
            "stopped": report.stopped,
            "failed": report.failed,
        }
        lines = [
            f"sent {len(report.sent)} · scheduled {len(report.scheduled)} · suppressed "
            f"{len(report.suppressed)} · stopped {len(report.stopped)} · failed "
            f"{len(report.failed)} (provider: {dispatcher.provider.name})"
        ]
        if report.next_send_at:
            lines.append(f"next send due at {report.next_send_at:%Y-%m-%d %H:%M} UTC")
        lines += [f"message {k} failed: {v}" for k, v in report.failed.items()]
        view = View(title=f"Sent campaign {row.name}", lines=lines)
        return Outcome(f"Campaign {row.name}: {len(report.sent)} sent.", data, view)
