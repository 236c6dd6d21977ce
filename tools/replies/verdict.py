"""What a reply means: its intent, the reason behind it, and how sure the classifier is."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

NEEDS_PERSON_BELOW = 0.6
"""Below this confidence a person reads the reply before anything is done with it."""
EVIDENCE_CHARS = 300


class Intent(StrEnum):
    """What the sender wants, in the terms a sales team acts on."""

    INTERESTED = "interested"
    MEETING_REQUEST = "meeting_request"
    QUESTION = "question"
    OBJECTION = "objection"
    REFERRAL = "referral"
    NOT_INTERESTED = "not_interested"
    UNSUBSCRIBE = "unsubscribe"
    OUT_OF_OFFICE = "out_of_office"
    AUTO_REPLY = "auto_reply"
    BOUNCE = "bounce"
    OTHER = "other"


class ObjectionReason(StrEnum):
    """Why a prospect pushes back without closing the door."""

    TIMING = "timing"
    BUDGET = "budget"
    HAS_SOLUTION = "has_solution"
    NOT_RELEVANT = "not_relevant"
    NO_AUTHORITY = "no_authority"


class Referral(BaseModel):
    """The person a reply points us to instead (a colleague, or who covers an absence)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str | None = None
    email: str | None = None


Layer = Literal["headers", "dsn", "rules", "model"]
"""Which layer decided: mail headers, a delivery status notification, phrase rules, or the
model that reads what the rules leave open (agent/replies/model_layer.py)."""

_WITH_REASON = frozenset({Intent.OBJECTION, Intent.NOT_INTERESTED})
_WITH_REFERRAL = frozenset({Intent.REFERRAL, Intent.OUT_OF_OFFICE})


def clip_evidence(text: str) -> str:
    """Return evidence on one line and no longer than the verdict allows."""
    line = " ".join(text.split())
    if len(line) <= EVIDENCE_CHARS:
        return line
    return line[: EVIDENCE_CHARS - 1].rstrip() + "…"


class ReplyVerdict(BaseModel):
    """One reply classified: intent, reason, confidence and the words that decided it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    intent: Intent
    reason: str | None = None
    """An ObjectionReason value for objection; a short stated reason for not_interested."""
    confidence: float = Field(ge=0.0, le=1.0)
    evidence: str = Field(max_length=EVIDENCE_CHARS)
    """The sentence, header or line that decided it, or why nothing could be decided."""
    layer: Layer
    language: str | None = Field(default=None, pattern=r"^[a-z]{2}$")
    """ISO 639-1 guess of the reply's language."""
    return_date: dt.date | None = None
    """The day an out-of-office sender says they are back."""
    referral: Referral | None = None
    needs_person: bool
    """True when the classifier is unsure: intent other, or confidence below the threshold."""

    @model_validator(mode="before")
    @classmethod
    def _derive_needs_person(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("needs_person") is None:
            intent, confidence = data.get("intent"), data.get("confidence")
            unsure = intent == Intent.OTHER or (
                isinstance(confidence, int | float) and confidence < NEEDS_PERSON_BELOW
            )
            data = {**data, "needs_person": unsure}
        return data

    @model_validator(mode="after")
    def _consistent(self) -> ReplyVerdict:
        if self.reason is not None and self.intent not in _WITH_REASON:
            raise ValueError(f"a reason belongs to objection or not_interested, not {self.intent}")
        if self.intent is Intent.OBJECTION and self.reason is not None:
            ObjectionReason(self.reason)  # raises ValueError for anything else
        if self.return_date is not None and self.intent is not Intent.OUT_OF_OFFICE:
            raise ValueError(f"a return date belongs to out_of_office, not {self.intent}")
        if self.referral is not None and self.intent not in _WITH_REFERRAL:
            raise ValueError(f"a referral belongs to referral or out_of_office, not {self.intent}")
        unsure = self.intent is Intent.OTHER or self.confidence < NEEDS_PERSON_BELOW
        if unsure and not self.needs_person:
            raise ValueError("an unsure verdict (other, or low confidence) needs a person")
        return self
