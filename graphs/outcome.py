"""How a lead's run ended, and what it cost."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field, SerializerFunctionWrapHandler, model_serializer


class Action(StrEnum):
    """What decide chose."""

    SEND = "send"
    QUEUE = "queue"
    REJECT = "reject"


class Decision(BaseModel):
    """decide's choice and its reason; status becomes 'sent' once delivered."""

    action: Action
    reason: str
    selected_tone: str | None = None
    quality: float | None = None
    relevance: float | None = None
    approved_by: str | None = None
    """The reviewer who approved this send (None for automatic decisions)."""


class ModelCall(BaseModel):
    """One request to a model: what it cost and how it went."""

    step: str
    model: str
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0
    latency_ms: float = 0.0
    outcome: str = Field(default="ok", description="ok, invalid_output or error: reason")


class Usage(BaseModel):
    """Model usage of one lead (or a batch), summed across calls, with each call listed."""

    llm_calls: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0
    models: list[str] = Field(default_factory=list)
    calls: list[ModelCall] = Field(default_factory=list)

    @classmethod
    def of(cls, call: ModelCall) -> Usage:
        """Return the usage of a single call."""
        return cls(
            llm_calls=1,
            input_tokens=call.input_tokens,
            output_tokens=call.output_tokens,
            cost_usd=call.cost_usd,
            models=[call.model],
            calls=[call],
        )

    def __add__(self, other: Usage) -> Usage:
        return Usage(
            llm_calls=self.llm_calls + other.llm_calls,
            input_tokens=self.input_tokens + other.input_tokens,
            output_tokens=self.output_tokens + other.output_tokens,
            cost_usd=round(self.cost_usd + other.cost_usd, 8),
            models=sorted(set(self.models) | set(other.models)),
            calls=self.calls + other.calls,
        )


class PromptUse(BaseModel):
    """Which exact prompt produced an output."""

    id: str
    version: str
    sha256: str
    learning: dict[str, Any] | None = None
    """What the campaign's learning put into it: the edits shown as examples (message ids),
    the phrasings avoided and preferred, the hook kinds' draws (graphs/learned.py)."""
    segment: dict[str, Any] | None = None
    """The campaign segment the drafts were written for: its name, the rule that placed the
    lead, what matched, and the angle (tone, emphasis, sequence); graphs/segment_angle.py."""

    @model_serializer(mode="wrap")
    def _without_learning_when_none(self, handler: SerializerFunctionWrapHandler) -> Any:
        """Leave `learning` and `segment` out when there are none, so such records read as
        before."""
        data = handler(self)
        if isinstance(data, dict):
            for key in ("learning", "segment"):
                if data.get(key) is None:
                    data.pop(key, None)
        return data


class PipelineError(BaseModel):
    """Something that went wrong for a lead, in words a user can act on."""

    stage: str
    message: str
