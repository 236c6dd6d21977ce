"""send: hand the chosen draft to the outbox exactly once."""

from __future__ import annotations

import hashlib
from typing import Any

from langgraph.runtime import Runtime

from graphs.contact import contact_for
from graphs.context import AlreadyContacted, PipelineContext
from graphs.outcome import Action, Decision, PipelineError
from graphs.state import PipelineState
from tools.service_outage import is_service_outage


def idempotency_key(run_id: str, campaign: str, channel: str, address: str) -> str:
    """Return the key that makes a lead's message go out at most once per run."""
    raw = f"{run_id}|{campaign}|{channel}|{address.lower()}"
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


async def send(state: PipelineState, runtime: Runtime[PipelineContext]) -> dict[str, Any]:
    """Deliver the selected variant; a failed delivery sends the lead to review."""
    context = runtime.context
    lead, campaign, decision = state["lead"], state["campaign"], state["decision"]
    variant = next(v for v in state["variants"] if v.tone == decision.selected_tone)
    address = contact_for(lead, campaign.channel).address
    assert address is not None, "decide only sends to reachable leads"
    key = idempotency_key(context.run_id, campaign.name, campaign.channel, address)
    try:
        delivery = await context.outbox.deliver(
            idempotency_key=key,
            recipient=address,
            channel=campaign.channel.value,
            tone=variant.tone.value,
            subject=variant.subject,
            body=variant.body,
            metadata={
                "campaign": campaign.name,
                "lead": lead.name,
                "company": lead.company,
                "run": context.run_id,
                "lead_ref": f"{lead.source or ''}|{lead.name}",
                "approved_by": decision.approved_by,
                "sequence_step": turn.step - 1 if (turn := state.get("turn")) else 0,
            },
        )
    except AlreadyContacted as exc:
        rejected = decision.model_copy(
            update={"action": Action.REJECT, "reason": f"duplicate contact: {exc}"}
        )
        return {"decision": rejected, "errors": [PipelineError(stage="send", message=str(exc))]}
    except Exception as exc:  # any provider failure must leave the lead reviewable, not lost
        if is_service_outage(exc):  # the ledger's database away: tried again, not queued
            raise
        queued = Decision(
            action=Action.QUEUE,
            reason=f"delivery failed: {exc}",
            selected_tone=decision.selected_tone,
            quality=decision.quality,
            relevance=decision.relevance,
        )
        return {"decision": queued, "errors": [PipelineError(stage="send", message=str(exc))]}
    return {"delivery": delivery.model_copy(update={"idempotency_key": key})}
