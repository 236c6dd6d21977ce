"""The labelled and holdout reply sets load, and cover what issue 20 asks of them."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from evals.reply_scoring import (
    HOLDOUT,
    INTENTS,
    LABELLED,
    OBJECTION_REASONS,
    ReplyCase,
    load_replies,
    load_reply_set,
)

NON_ENGLISH = ("es", "fr", "de", "pt")


def opening(text: str) -> str:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if lines and lines[0].endswith(",") and len(lines[0]) < 30:
        lines = lines[1:]  # "Hi Jordan,", "Bonjour,"
    return lines[0] if lines else ""


@pytest.fixture(scope="module")
def labelled() -> list[ReplyCase]:
    return load_reply_set(LABELLED)


@pytest.fixture(scope="module")
def holdout() -> list[ReplyCase]:
    return load_reply_set(HOLDOUT)


def test_the_labelled_set_meets_its_minimums(labelled: list[ReplyCase]) -> None:
    assert len(labelled) >= 220
    intents = Counter(case.intent for case in labelled)
    assert set(intents) == set(INTENTS)
    assert all(intents[name] >= 12 for name in INTENTS), intents
    assert intents["out_of_office"] >= 25 and intents["unsubscribe"] >= 25, intents
    languages = Counter(str(case.language) for case in labelled)
    assert all(languages[language] >= 20 for language in NON_ENGLISH), languages
    reasons = Counter(case.reason for case in labelled if case.intent == "objection")
    assert all(reasons[reason] >= 3 for reason in OBJECTION_REASONS), reasons
    assert sum(1 for c in labelled if c.intent == "not_interested" and c.reason) >= 8


def test_the_holdout_set_has_the_same_spread_and_no_shared_cases(
    labelled: list[ReplyCase], holdout: list[ReplyCase]
) -> None:
    assert len(holdout) == 60
    intents = Counter(case.intent for case in holdout)
    assert set(intents) == set(INTENTS) and min(intents.values()) >= 4, intents
    languages = Counter(str(case.language) for case in holdout)
    assert all(languages[language] >= 5 for language in NON_ENGLISH), languages
    assert not {c.id for c in labelled} & {c.id for c in holdout}
    # Written separately: no reply opens (after its greeting) as one in the other set does.
    openings = {opening(c.text) for c in labelled} - {""}
    assert not [c.id for c in holdout if opening(c.text) in openings]


@pytest.mark.parametrize("path", [LABELLED, HOLDOUT], ids=["labelled", "holdout"])
def test_every_line_is_well_formed_and_every_return_date_follows_its_arrival(path: Path) -> None:
    loaded = load_replies(path)
    assert loaded.errors == []
    ids = [case.id for case in loaded.cases]
    assert len(ids) == len(set(ids))
    for case in loaded.cases:
        if case.return_date is not None:
            assert case.intent == "out_of_office"
            assert case.return_date >= case.received.date(), case.id
        assert case.received.utcoffset() is not None and not case.received.utcoffset()
        if case.intent == "referral":
            assert case.referral is not None and (case.referral.name or case.referral.email)
        if case.channel == "sms":
            assert case.subject == "" and set(case.headers) == {"From"}, case.id


def test_the_labelled_set_has_the_hard_cases(labelled: list[ReplyCase]) -> None:
    by_intent: dict[str, list[ReplyCase]] = {}
    for case in labelled:
        by_intent.setdefault(case.intent, []).append(case)
    ooo = by_intent["out_of_office"]
    assert sum(1 for c in ooo if c.referral and c.referral.email) >= 6  # OOO naming a colleague
    assert sum(1 for c in ooo if c.return_date is None) >= 5  # OOO with no return date
    assert sum(1 for c in ooo if not c.headers.keys() - {"From"}) >= 2  # text alone says OOO
    # Quoted threads carry our call line and our unsubscribe footer; they decide nothing.
    quoted = [c for c in labelled if "Not interested? Unsubscribe here: https://" in c.text]
    assert len(quoted) >= 150
    assert {c.intent for c in quoted} >= set(INTENTS) - {"out_of_office", "auto_reply", "bounce"}
    assert sum(1 for c in labelled if "Worth a 15-minute call next week" in c.text) >= 40
    assert any("a écrit :" in c.text for c in labelled)
    assert any("\nFrom: " in c.text and "\nSent: " in c.text for c in labelled)
    assert any("Von: " in c.text and "Gesendet: " in c.text for c in labelled)
    # An unsubscribe buried in the middle of a long, friendly message.
    assert any(max(map(len, c.text.split("\n\n"))) > 400 for c in by_intent["unsubscribe"])
    # Automatic replies that are not out-of-office, marked by RFC 3834 or older headers.
    marked = [
        c
        for c in by_intent["auto_reply"]
        if {"Auto-Submitted", "X-Autoreply", "Precedence"} & c.headers.keys()
    ]
    assert len(marked) >= 10
    bounces = by_intent["bounce"]
    assert (
        sum(
            1 for c in bounces if "report-type=delivery-status" in c.headers.get("Content-Type", "")
        )
        >= 10
    )
    assert any("mailer-daemon" in c.headers.get("From", "").lower() for c in bounces)
    # A read receipt is a multipart/report that is not a bounce.
    assert any(
        "disposition-notification" in c.headers.get("Content-Type", "")
        for c in by_intent["auto_reply"]
    )
    assert any(c.text == "" for c in by_intent["other"])
    assert any("Hard pass" in c.text for c in by_intent["not_interested"])
    assert sum(1 for c in labelled if c.channel == "sms") >= 10
    assert any(ord(ch) > 0x1F000 for c in labelled for ch in c.text)  # emoji
    assert any("<div" in c.text for c in labelled)  # HTML leftovers
