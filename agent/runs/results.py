"""Shape one lead's outcome as the JSON record users read and export."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from agent.leads.read_errors import RowError
from graphs.drafts import Critique
from graphs.outcome import Action

STATUS = {Action.SEND: "sent", Action.QUEUE: "queued", Action.REJECT: "rejected"}


def _quality(critique: Critique | None) -> dict[str, Any] | None:
    if critique is None:
        return None
    return {
        "score": critique.score,
        "passed": critique.passed,
        "checks": [c.model_dump(exclude_none=True) for c in critique.checks],
        "issues": critique.issues,
    }


def lead_record(
    row: int, output: Mapping[str, Any], *, provider: str, latency_ms: float
) -> dict[str, Any]:
    """Return the record written for one processed lead."""
    decision = output["decision"]
    critiques = {c.tone: c for c in output.get("critiques") or []}
    # The send node turns a failed delivery into QUEUE, so SEND here means delivered, or
    # approved when the outbox was a send queue (the API's campaigns send later, throttled).
    status = STATUS[decision.action]
    analysis = output.get("analysis")
    selected = critiques.get(decision.selected_tone) if decision.selected_tone else None
    delivery = output.get("delivery")
    if status == "sent" and delivery is not None and delivery.state == "approved":
        status = "approved"
    return {
        "row": row,
        "lead": output["lead"].model_dump(exclude_none=True),
        "decision": status,
        "reason": decision.reason,
        "selected_variant": decision.selected_tone,
        "relevance": decision.relevance,
        "quality": _quality(selected),
        "variants": [
            {
                "tone": v.tone.value,
                "subject": v.subject,
                "body": v.body,
                "hooks": [h.model_dump() for h in v.hooks],
                "attempt": v.attempt,
                "quality": _quality(critiques.get(v.tone)),
            }
            for v in output.get("variants", [])
        ],
        "attempts": output.get("attempts", 0),
        "analysis": analysis.model_dump(mode="json") if analysis else None,
        "facts": [f.model_dump(mode="json", exclude_none=True) for f in output.get("facts", [])],
        "language": output.get("language"),
        "language_reason": output.get("language_reason"),
        "delivery": delivery.model_dump() if delivery else None,
        "prompts": {k: v.model_dump() for k, v in (output.get("prompts") or {}).items()},
        "provider": provider,
        "fallback_used": output.get("fallback_used", []),
        "usage": output["usage"].model_dump() if "usage" in output else None,
        "latency_ms": round(latency_ms, 1),
        "errors": [e.model_dump() for e in output.get("errors", [])],
    }


def input_error_record(error: RowError, *, provider: str) -> dict[str, Any]:
    """Return the record for a row that could not run, so no input goes unaccounted."""
    return {
        "row": error.row,
        "lead": {k: v for k, v in error.raw.items() if v},
        "decision": "rejected",
        "reason": f"invalid input: {error}",
        "selected_variant": None,
        "relevance": None,
        "quality": None,
        "variants": [],
        "attempts": 0,
        "analysis": None,
        "facts": [],
        "delivery": None,
        "prompts": {},
        "provider": provider,
        "fallback_used": [],
        "usage": None,
        "latency_ms": 0.0,
        "errors": [{"stage": "input", "message": str(error)}],
    }


def held_reason(error: str) -> str:
    """Return the reason a lead whose pipeline failed shows in the queue, and what to do."""
    return (
        f"held for a person: the pipeline could not finish this lead ({error}); "
        "regenerate it to run it again, or reject it"
    )


def internal_error_record(
    row: int, lead: dict[str, Any], message: str, *, provider: str
) -> dict[str, Any]:
    """Return the record for a lead whose run crashed: queued for a human, error kept."""
    record = input_error_record(RowError(row, "pipeline", message), provider=provider)
    record.update(
        lead=lead,
        decision="queued",
        reason=held_reason(message),
        errors=[{"stage": "pipeline", "message": message}],
    )
    return record
