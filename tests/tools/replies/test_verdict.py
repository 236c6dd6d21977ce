"""A verdict cannot say contradictory things: reasons, dates and referrals belong to intents."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from pydantic import ValidationError

from tools.replies import Intent, Referral, ReplyVerdict

BASE: dict[str, Any] = {"confidence": 0.9, "evidence": "Not now.", "layer": "rules"}


def test_an_unsure_verdict_needs_a_person_without_being_told() -> None:
    assert ReplyVerdict(intent=Intent.OTHER, **BASE).needs_person
    assert ReplyVerdict(intent=Intent.INTERESTED, **{**BASE, "confidence": 0.4}).needs_person
    assert not ReplyVerdict(intent=Intent.INTERESTED, **BASE).needs_person


@pytest.mark.parametrize(
    "fields",
    [
        {"intent": Intent.OTHER, "needs_person": False},
        {"intent": Intent.INTERESTED, "reason": "timing"},
        {"intent": Intent.OBJECTION, "reason": "not a priority"},
        {"intent": Intent.MEETING_REQUEST, "return_date": dt.date(2027, 1, 4)},
        {"intent": Intent.UNSUBSCRIBE, "referral": Referral(name="Ana Ruiz")},
        {"intent": Intent.INTERESTED, "confidence": 1.2},
        {"intent": Intent.INTERESTED, "evidence": "x" * 301},
        {"intent": Intent.INTERESTED, "language": "english"},
        {"intent": Intent.INTERESTED, "layer": "guesswork"},
    ],
)
def test_contradictions_are_refused(fields: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        ReplyVerdict(**{**BASE, **fields})


def test_consistent_verdicts_are_accepted() -> None:
    objection = ReplyVerdict(intent=Intent.OBJECTION, reason="timing", **BASE)
    refusal = ReplyVerdict(intent=Intent.NOT_INTERESTED, reason="no_need", **BASE)
    away = ReplyVerdict(
        intent=Intent.OUT_OF_OFFICE,
        return_date=dt.date(2027, 1, 4),
        referral=Referral(name="Ana Ruiz", email="ana@x.example"),
        **BASE,
    )
    assert (objection.reason, refusal.reason, away.return_date) == (
        "timing",
        "no_need",
        dt.date(2027, 1, 4),
    )
    with pytest.raises(ValidationError):
        away.intent = Intent.OTHER
