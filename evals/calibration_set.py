"""The critic calibration set: labelled messages, good ones and ones with one known defect.

Files under `evals/calibration/` hold lists of cases. Each case borrows the lead, facts and
campaign of a golden lead, so "supported by a fact" means the same thing as in the eval.

A follow-up of a sequence carries a `turn:`: its step, its kind, its channel and the earlier
messages of the thread (each with its step, kind, channel, subject, body and hooks). The
critic then judges it against that thread, as the pipeline does (graphs.sequence_turn):

    turn:
      step: 2
      kind: soft_nudge
      channel: email
      earlier:
        - step: 1
          kind: first_touch
          channel: email
          subject: Your CI queue write-up
          body: ...
          hooks:
            - {text: your post on the CI queue, fact_ids: [f_df9ad7ab99]}
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from graphs.analysis import Hook
from graphs.drafts import Tone
from graphs.lead import Channel, Language
from graphs.sequence_turn import EarlierMessage, SequenceTurn, StepChannel, StepKind

CALIBRATION_DIR = Path(__file__).resolve().parent / "calibration"

Defect = Literal[
    "none",
    "hallucinated_hook",
    "wrong_name",
    "no_cta",
    "spammy",
    "too_long",
    "placeholder_leak",
    "over_channel_limit",
    "tone_mismatch",
    "copied_instructions",
    # A follow-up's defects, judged against the earlier messages of its thread (`turn:`).
    "repeated_hook",
    "repeated_sentence",
    "longer_than_earlier",
    "two_ctas",
    # A detail of the body the facts contradict or do not give: a wrong month, weekday,
    # ordinal, number in words, relative time or quantity, an invented superlative or name.
    "hallucinated_claim",
    # A slip a careful writer would not send: a doubled phrase, a mis-cased name, a sentence
    # without a verb, a list without a conjunction, the same sentence twice.
    "broken_language",
]
DEFECTS: tuple[Defect, ...] = Defect.__args__  # type: ignore[attr-defined]

GOOD_CLASSES = (
    "good", "compliance_line", "sentence_initial", "channel_cta", "one_hook",
    "sender_signature", "paraphrase",
)  # fmt: skip
"""Classes of good messages only: each shows something a strict editor passes (an opt-out
line, a sentence that starts with an ordinary capitalized word, a channel's usual ask...)."""
CLAIM_CLASSES = (
    "wrong_month", "wrong_weekday", "wrong_ordinal", "wrong_number_words",
    "wrong_relative_time", "wrong_quantity", "invented_superlative", "invented_name",
    "everyday_wording",
)  # fmt: skip
"""Classes whose defective cases are hallucinated_claim; their good cases say it right."""
LANGUAGE_CLASSES = (
    "doubled_phrase", "miscased_name", "verbless_sentence", "list_without_conjunction",
    "repeated_sentence_in_message", "wrong_language",
)  # fmt: skip
"""Classes whose defective cases are broken_language; their good cases are fine as written."""
CLASSES: tuple[str, ...] = (
    *GOOD_CLASSES,
    *CLAIM_CLASSES,
    *LANGUAGE_CLASSES,
    *(defect for defect in DEFECTS if defect != "none"),
)
"""Every class a case may name; a defect's own name is the class of the cases labelled with it
that name no other."""


def class_defects(case_class: str) -> tuple[Defect, ...]:
    """Return the labels a case of this class may carry: "none" alone for a good class, "none"
    or the class's defect otherwise."""
    if case_class in GOOD_CLASSES:
        return ("none",)
    if case_class in CLAIM_CLASSES:
        return ("none", "hallucinated_claim")
    if case_class in LANGUAGE_CLASSES:
        return ("none", "broken_language")
    return ("none", case_class)  # type: ignore[return-value]


def default_class(defect: str) -> str:
    """Return the class of a case that names none: its defect, or "good"."""
    return "good" if defect == "none" else defect


FOLLOW_UP_DEFECTS: tuple[Defect, ...] = (
    "repeated_hook",
    "repeated_sentence",
    "longer_than_earlier",
    "two_ctas",
)
"""Defects only a follow-up can have: a case labelled with one needs a `turn:`."""


class CalibrationSetError(Exception):
    """A calibration file is malformed; the message names the file and the case."""


class ThreadMessage(BaseModel):
    """An earlier message of a follow-up's thread, as it went out."""

    model_config = ConfigDict(extra="forbid")

    step: int = Field(ge=1)
    kind: StepKind
    channel: StepChannel
    subject: str | None = None
    body: str = Field(min_length=1)
    hooks: list[Hook] = Field(default_factory=list)
    """The hooks it used; their texts and fact ids are what a follow-up may not repeat."""

    def earlier_message(self) -> EarlierMessage:
        """Return the message as the critic's thread holds it."""
        fact_ids = [fact_id for hook in self.hooks for fact_id in hook.fact_ids]
        return EarlierMessage(
            step=self.step,
            kind=self.kind,
            channel=self.channel,
            subject=self.subject,
            body=self.body,
            hooks=[hook.text for hook in self.hooks],
            fact_ids=list(dict.fromkeys(fact_ids)),
        )


class CaseTurn(BaseModel):
    """Where a labelled follow-up stands in its sequence, and the thread before it."""

    model_config = ConfigDict(extra="forbid")

    step: int = Field(ge=2)
    """1-based; a follow-up is step 2 or later."""
    kind: StepKind
    channel: StepChannel
    """The step's channel; it decides the message's channel (a LinkedIn step writes for
    LinkedIn)."""
    is_last: bool = False
    earlier: list[ThreadMessage] = Field(min_length=1)

    def sequence_turn(self) -> SequenceTurn:
        """Return the turn the critic judges the message against."""
        return SequenceTurn(
            step=self.step,
            kind=self.kind,
            channel=self.channel,
            earlier=[message.earlier_message() for message in self.earlier],
            is_last=self.is_last,
        )


class CalibrationCase(BaseModel):
    """One labelled message."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    golden: str
    """Id of the golden lead whose lead, facts and campaign this message was written for."""
    channel: Channel | None = None
    """Overrides the golden lead's channel."""
    tone: Tone
    subject: str | None = None
    body: str
    hooks: list[Hook] = Field(default_factory=list)
    defect: Defect
    """"none" for a good message that a strict editor should pass."""
    note: str = ""
    """What exactly is wrong (or right), for a human reading the report."""
    turn: CaseTurn | None = None
    """A follow-up's step and thread; None for a first touch (or a single message)."""
    case_class: str = Field(alias="class")
    """What kind of message this is (one of CLASSES); by default its defect, or "good"."""
    language: Language = "en"
    """The language the message is written in."""
    today: dt.date | None = None
    """The day the message goes out (relative times and weekdays are read against it); None:
    the golden lead's `today`."""

    @model_validator(mode="before")
    @classmethod
    def _default_class(cls, data: Any) -> Any:
        if isinstance(data, dict) and "class" not in data and data.get("defect") in DEFECTS:
            return {**data, "class": default_class(data["defect"])}
        return data

    @field_validator("case_class")
    @classmethod
    def _known_class(cls, value: str) -> str:
        if value not in CLASSES:
            raise ValueError(f"unknown class {value!r}; one of {', '.join(CLASSES)}")
        return value

    @property
    def should_pass(self) -> bool:
        """Return the expected verdict."""
        return self.defect == "none"

    @property
    def sequence_turn(self) -> SequenceTurn | None:
        """Return the follow-up's turn for the critic, None for a first touch."""
        return self.turn.sequence_turn() if self.turn is not None else None

    @property
    def message_channel(self) -> Channel | None:
        """Return the channel the message is written for: the case's, else its step's, else
        None (the golden lead's)."""
        if self.channel is not None:
            return self.channel
        return self.turn.channel.message_channel if self.turn is not None else None


def class_problems(case: CalibrationCase) -> list[tuple[str, str]]:
    """Return (field, problem) when a case's label does not fit its class."""
    allowed = class_defects(case.case_class)
    if case.defect in allowed:
        return []
    if allowed == ("none",):
        return [("defect", f"a {case.case_class} case is a good message; its defect is none")]
    return [("defect", f"a {case.case_class} case is labelled {' or '.join(allowed)}")]


def turn_problems(case: CalibrationCase) -> list[tuple[str, str]]:
    """Return (field, problem) for each way a case's turn contradicts itself or its case."""
    turn = case.turn
    if turn is None:
        if case.defect in FOLLOW_UP_DEFECTS:
            return [("turn", f"a {case.defect} case is a follow-up; give its turn and thread")]
        return []
    problems: list[tuple[str, str]] = []
    if turn.kind is StepKind.FIRST_TOUCH:
        problems.append(("turn.kind", "a first touch has no thread; use a follow-up kind"))
    message_channel = turn.channel.message_channel
    if message_channel is None:
        problems.append(("turn.channel", f"a {turn.channel} step is a task, not a message"))
    elif case.channel is not None and case.channel is not message_channel:
        problems.append(
            ("turn.channel", f"{turn.channel} does not write for the case's channel {case.channel}")
        )
    steps = [message.step for message in turn.earlier]
    for index, message in enumerate(turn.earlier):
        where = f"turn.earlier.{index}.step"
        if message.step >= turn.step:
            problems.append((where, f"{message.step} is not before the turn's step {turn.step}"))
        elif steps.count(message.step) > 1:
            problems.append((where, f"step {message.step} appears more than once"))
    return problems


def load_calibration(root: Path = CALIBRATION_DIR) -> list[CalibrationCase]:
    """Load every case; ids must be unique across files."""
    cases: list[CalibrationCase] = []
    for path in sorted(root.glob("*.yaml")):
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        if not isinstance(raw, list):
            raise CalibrationSetError(f"{path.name}: expected a list of cases")
        for index, item in enumerate(raw):
            try:
                case = CalibrationCase.model_validate(item)
            except ValidationError as exc:
                first = exc.errors()[0]
                where = ".".join(str(part) for part in first["loc"])
                raise CalibrationSetError(
                    f"{path.name}: case {index + 1}: {where}: {first['msg']}"
                ) from None
            problems = class_problems(case) + turn_problems(case)
            if problems:
                where, problem = problems[0]
                raise CalibrationSetError(f"{path.name}: case {index + 1}: {where}: {problem}")
            cases.append(case)
    ids = [case.id for case in cases]
    duplicates = sorted({case_id for case_id in ids if ids.count(case_id) > 1})
    if duplicates:
        raise CalibrationSetError(f"duplicate case ids: {', '.join(duplicates)}")
    return cases
