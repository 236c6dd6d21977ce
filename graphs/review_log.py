"""Human review actions: what a reviewer can do to a paused lead, and the record kept of it."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field, model_validator

from graphs.drafts import Tone

ReviewVerb = Literal["approve", "edit", "reject", "regenerate"]


class ReviewAction(BaseModel):
    """A reviewer's decision on a queued lead, handed to the paused graph as its resume value."""

    action: ReviewVerb
    tone: Tone | None = Field(default=None, description="Variant to send; default: the best.")
    subject: str | None = Field(default=None, description="edit: the new subject (email).")
    body: str | None = Field(default=None, description="edit: the new message text.")
    reason: str | None = Field(default=None, description="reject: why.")
    instruction: str | None = Field(default=None, description="regenerate: what to change.")
    reviewer: str = "reviewer"

    @model_validator(mode="after")
    def _complete(self) -> ReviewAction:
        needs = {"edit": ("body", self.body), "reject": ("reason", self.reason)}
        needs["regenerate"] = ("instruction", self.instruction)
        if self.action in needs:
            field, value = needs[self.action]
            if not (value or "").strip():
                raise ValueError(f"{self.action} needs a non-empty {field}")
        return self


class ReviewRecord(BaseModel):
    """One review action as it was applied (kept so evals can learn from human edits)."""

    action: ReviewVerb
    reviewer: str
    outcome: str = Field(description="What happened, in words.")
    tone: str | None = None
    reason: str | None = None
    instruction: str | None = None
    original: dict[str, Any] | None = Field(default=None, description="edit: draft before.")
    edited: dict[str, Any] | None = Field(default=None, description="edit: draft after.")
    issues: list[str] = Field(default_factory=list, description="Critic issues of the edit.")
