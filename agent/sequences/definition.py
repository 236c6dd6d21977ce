"""A campaign's sequence: ordered steps, each a channel, a kind, a delay and a send window.

In a campaign file (or the API) `sequence:` is a preset name or a list of steps:

    sequence:
      - {channel: email, kind: first_touch}
      - {channel: email, kind: soft_nudge, delay_business_days: 3}
      - {channel: linkedin_connect, kind: new_angle, delay_business_days: 2, window: "10:00-12:00"}

A definition that cannot run is refused before anything runs, with an error naming the step
and the field (`SequenceError`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from graphs.sequence_turn import StepChannel, StepKind

MAX_STEPS = 10
MAX_DELAY_DAYS = 60
DEFAULT_WINDOW = "09:00-17:00"


class SequenceError(ValueError):
    """A sequence definition that cannot run; the message names the step and the field."""

    def __init__(self, message: str, *, step: int | None = None, field: str | None = None):
        super().__init__(message)
        self.step = step
        self.field = field


def parse_window(text: str) -> tuple[dt.time, dt.time]:
    """Read "09:00-17:00" into its two times; raise ValueError naming what is wrong."""
    start, sep, end = text.partition("-")
    if not sep:
        raise ValueError(f"{text!r} is not a range like 09:00-17:00")
    times = []
    for part in (start, end):
        try:
            hours, minutes = part.strip().split(":")
            times.append(
                dt.time.max
                if (hours, minutes) == ("24", "00")
                else dt.time(int(hours), int(minutes))
            )
        except ValueError:
            raise ValueError(f"{part.strip()!r} in {text!r} is not a time like 09:00") from None
    if times[1] <= times[0]:
        raise ValueError(f"{text!r} ends before it starts")
    return times[0], times[1]


class SequenceStep(BaseModel):
    """One step: where it goes, what it is for, and when."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    channel: StepChannel
    kind: StepKind
    delay_business_days: int = Field(
        default=0,
        ge=0,
        le=MAX_DELAY_DAYS,
        description="Business days after the previous step (after enrolment for the first).",
    )
    window: str = Field(
        default=DEFAULT_WINDOW, description="Local hours in the recipient's timezone, HH:MM-HH:MM."
    )

    @field_validator("window")
    @classmethod
    def _window_reads(cls, value: str) -> str:
        parse_window(value)
        return value

    @property
    def hours(self) -> tuple[dt.time, dt.time]:
        """Return the send window's opening and closing times."""
        return parse_window(self.window)


def _step(channel: str, kind: str, delay: int = 0) -> SequenceStep:
    return SequenceStep(
        channel=StepChannel(channel), kind=StepKind(kind), delay_business_days=delay
    )


PRESETS: dict[str, tuple[SequenceStep, ...]] = {
    "3-step": (
        _step("email", "first_touch"),
        _step("email", "soft_nudge", 3),
        _step("email", "breakup", 5),
    ),
    "5-step": (
        _step("email", "first_touch"),
        _step("linkedin_connect", "soft_nudge", 1),
        _step("email", "new_angle", 3),
        _step("call", "direct_cta", 3),
        _step("email", "breakup", 5),
    ),
    "7-step": (
        _step("email", "first_touch"),
        _step("linkedin_connect", "soft_nudge", 1),
        _step("email", "soft_nudge", 2),
        _step("linkedin_message", "new_angle", 2),
        _step("email", "new_angle", 3),
        _step("call", "direct_cta", 2),
        _step("email", "breakup", 5),
    ),
    "soft_nudge": (
        _step("email", "first_touch"),
        _step("email", "soft_nudge", 3),
        _step("email", "soft_nudge", 4),
        _step("email", "breakup", 6),
    ),
    "direct_cta": (
        _step("email", "first_touch"),
        _step("email", "direct_cta", 2),
        _step("email", "breakup", 4),
    ),
}
"""Built-in sequences, two to four weeks long, named as `sequence:` names them."""


class SequenceDefinition(BaseModel):
    """The ordered steps of a campaign's sequence (and the preset they came from, if any)."""

    model_config = ConfigDict(frozen=True)

    steps: tuple[SequenceStep, ...]
    preset: str | None = None

    def step(self, number: int) -> SequenceStep:
        """Return step `number` (1-based)."""
        return self.steps[number - 1]

    @property
    def total_business_days(self) -> int:
        """Return how long the whole sequence lasts, in business days."""
        return sum(step.delay_business_days for step in self.steps)

    def as_field(self) -> str | list[dict[str, Any]]:
        """Return the sequence as a campaign file or the API writes it."""
        if self.preset is not None:
            return self.preset
        return [step.model_dump(mode="json") for step in self.steps]


def _check_order(steps: list[SequenceStep]) -> None:
    for number, step in enumerate(steps, start=1):
        where = f"sequence step {number}"
        if number == 1 and step.kind is not StepKind.FIRST_TOUCH:
            raise SequenceError(
                f"{where}, field kind: the first step must be first_touch, not {step.kind}",
                step=number,
                field="kind",
            )
        if number > 1 and step.kind is StepKind.FIRST_TOUCH:
            raise SequenceError(
                f"{where}, field kind: only the first step is a first_touch",
                step=number,
                field="kind",
            )
        if number > 1 and step.delay_business_days < 1:
            raise SequenceError(
                f"{where}, field delay_business_days: a follow-up waits at least 1 business day",
                step=number,
                field="delay_business_days",
            )
        if step.kind is StepKind.BREAKUP and number != len(steps):
            raise SequenceError(
                f"{where}, field kind: a breakup is the last step; "
                f"{len(steps) - number} step(s) follow it",
                step=number,
                field="kind",
            )
        if step.channel is StepChannel.LINKEDIN_MESSAGE and not any(
            s.channel is StepChannel.LINKEDIN_CONNECT for s in steps[: number - 1]
        ):
            raise SequenceError(
                f"{where}, field channel: a linkedin_message needs an earlier linkedin_connect "
                "step (LinkedIn lets you message connections only)",
                step=number,
                field="channel",
            )


def parse_sequence(raw: Any) -> SequenceDefinition | None:
    """Read `sequence:` (None, a preset name, or a list of steps); raise SequenceError."""
    if raw is None or raw == [] or raw == "":
        return None
    if isinstance(raw, SequenceDefinition):
        return raw
    if isinstance(raw, str):
        name = raw.strip()
        if name not in PRESETS:
            raise SequenceError(
                f"sequence: unknown preset {name!r}; choose one of {', '.join(PRESETS)} "
                "or list the steps",
                field="sequence",
            )
        return SequenceDefinition(steps=PRESETS[name], preset=name)
    if not isinstance(raw, list):
        raise SequenceError("sequence: expected a preset name or a list of steps", field="sequence")
    if len(raw) > MAX_STEPS:
        raise SequenceError(f"sequence: {len(raw)} steps; at most {MAX_STEPS}", field="sequence")
    steps: list[SequenceStep] = []
    for number, item in enumerate(raw, start=1):
        if not isinstance(item, dict):
            raise SequenceError(
                f"sequence step {number}: expected a mapping of channel, kind, "
                "delay_business_days, window",
                step=number,
            )
        try:
            steps.append(SequenceStep.model_validate(item))
        except ValidationError as exc:
            first = exc.errors()[0]
            field = ".".join(str(p) for p in first["loc"]) or "step"
            raise SequenceError(
                f"sequence step {number}, field {field}: {first['msg']}", step=number, field=field
            ) from None
    _check_order(steps)
    return SequenceDefinition(steps=tuple(steps))
