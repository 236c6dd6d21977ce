"""Message drafts and the critic's verdict on them."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, Field

from graphs.analysis import Hook


class Tone(StrEnum):
    """The three voices every lead gets a variant in."""

    PROFESSIONAL = "professional"
    FRIENDLY = "friendly"
    DIRECT = "direct"


TONES: tuple[Tone, ...] = (Tone.PROFESSIONAL, Tone.FRIENDLY, Tone.DIRECT)
TONE_ORDER: dict[Tone, int] = {tone: i for i, tone in enumerate(TONES)}


def tone_rank(tone: str | None) -> int:
    """Return where a tone's draft comes (1 professional, 2 friendly, 3 direct); unknown last."""
    return next((rank for rank, known in enumerate(TONES) if tone == known), len(TONES))


class Variant(BaseModel):
    """One draft message in one tone."""

    tone: Tone
    subject: str | None = Field(default=None, description="Email subject; None for other channels.")
    body: str
    hooks: list[Hook] = Field(default_factory=list, description="Hooks used, with fact ids.")
    attempt: int = 1


class ClaimFinding(BaseModel):
    """One claim of a draft that no fact supports, located so a rewrite or a reviewer can fix it."""

    kind: str = Field(
        description="number, quantity, ordinal, date, month, weekday, relative_time, "
        "superlative or name (judged: raised by the claim judge)."
    )
    text: str = Field(description="The claim as written.")
    start: int = Field(default=0, ge=0, description="Where it starts in subject + newline + body.")
    end: int = Field(default=0, ge=0, description="Where it ends (exclusive).")
    reason: str = Field(description="Why it fails, e.g. 'the facts say September'.")
    fact_id: str | None = Field(default=None, description="The nearest fact, if any.")
    fact_excerpt: str | None = Field(default=None, description="A short excerpt of that fact.")


class CheckResult(BaseModel):
    """One named check of a draft."""

    name: str
    passed: bool
    score: float = Field(ge=0, le=1)
    hard: bool = Field(default=False, description="A hard check failing fails the whole draft.")
    detail: str = ""
    fix: str | None = Field(default=None, description="What to change, when it failed.")
    findings: list[ClaimFinding] = Field(
        default_factory=list, description="The claims a grounding check found unsupported."
    )


class Critique(BaseModel):
    """The critic's verdict on one variant."""

    tone: Tone
    score: float = Field(ge=0, le=1)
    passed: bool
    checks: list[CheckResult]

    @property
    def issues(self) -> list[str]:
        """Return the failed checks as readable lines."""
        return [f"{c.name}: {c.detail}" for c in self.checks if not c.passed]

    @property
    def improvement_instructions(self) -> list[str]:
        """Return what the writer should change."""
        return [c.fix for c in self.checks if not c.passed and c.fix]
