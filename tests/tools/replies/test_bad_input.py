"""Replies the rules cannot read go to a person with the reason why; nothing raises."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.tools.replies.reply_cases import (
    NO_RULE_MATCHED,
    OUR_MESSAGE_QUOTED,
    assert_rules_ran,
    classify,
)
from tools.replies import Intent, ReplyText, classify_by_rules


def test_an_empty_reply_is_other_and_says_so() -> None:
    verdict = classify("")
    assert verdict.intent is Intent.OTHER
    assert verdict.needs_person
    assert verdict.evidence == "the reply has no text of its own"


def test_a_reply_that_is_only_our_quoted_message_says_so() -> None:
    text = (
        f"On Mon, Dec 21, 2026 at 9:14 AM Alex Rivera <alex@x.example> wrote:\n{OUR_MESSAGE_QUOTED}"
    )
    verdict = classify(text)
    assert verdict.intent is Intent.OTHER
    assert "only the quoted earlier message" in verdict.evidence


def test_text_decoded_with_the_wrong_charset_goes_to_a_person() -> None:
    verdict = classify("\ufffd\ufffd\ufffd \ufffd\ufffd\ufffd\ufffd \ufffd\ufffd\ufffd \ufffdok")
    assert verdict.intent is Intent.OTHER
    assert verdict.needs_person
    assert "charset" in verdict.evidence


def test_a_few_replacement_characters_do_not_hide_the_words() -> None:
    verdict = classify("Please remove me from your list \ufffd thanks")
    assert verdict.intent is Intent.UNSUBSCRIBE


def test_a_huge_body_is_read_quickly_and_an_early_opt_out_still_counts() -> None:
    filler = "Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 400_000  # ~22 MB
    verdict = classify("Please take me off your list.\n\n" + filler)
    assert verdict.intent is Intent.UNSUBSCRIBE
    assert verdict.evidence == "Please take me off your list."


def test_a_huge_body_with_nothing_recognisable_is_other() -> None:
    verdict = classify("x" * 25_000_000)
    assert verdict.intent is Intent.OTHER
    assert verdict.needs_person
    assert_rules_ran(verdict)
    assert verdict.evidence.startswith(f"{NO_RULE_MATCHED}: “xxxx")


def test_html_only_mail_with_no_text_says_so() -> None:
    verdict = classify("", html="<html><body><blockquote>Book a call</blockquote></body></html>")
    assert verdict.intent is Intent.OTHER
    assert "HTML only" in verdict.evidence


def test_broken_html_is_still_read() -> None:
    verdict = classify("", html="<div><p>Not interested, thanks<div><b>unclosed <i>tags")
    assert verdict.intent is Intent.NOT_INTERESTED


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Спасибо, но нам это сейчас не нужно.", "ru"),
        ("ご連絡ありがとうございます。検討します。", "ja"),
        ("Grazie, ma non siamo interessati in questo momento.", "it"),
        ("Bedankt, maar we zijn niet geïnteresseerd.", "nl"),
    ],
)
def test_a_language_the_rules_do_not_read_goes_to_a_person(text: str, language: str) -> None:
    verdict = classify(text)
    assert verdict.intent is Intent.OTHER
    assert verdict.needs_person
    assert verdict.language == language
    assert "language the rules do not read" in verdict.evidence


def test_headers_that_are_not_a_mapping_are_ignored() -> None:
    reply = ReplyText(subject="Re: CI", text="Not interested.", headers=None)  # type: ignore[arg-type]
    assert classify_by_rules(reply).intent is Intent.NOT_INTERESTED


def test_a_missing_subject_and_received_time_are_fine() -> None:
    reply = ReplyText(subject=None, text="I'm out of office until Monday.")  # type: ignore[arg-type]
    verdict = classify_by_rules(reply)
    assert verdict.intent is Intent.OUT_OF_OFFICE
    assert verdict.return_date is not None and verdict.return_date.weekday() == 0


def test_an_impossible_date_is_no_date() -> None:
    verdict = classify("Out of office until 31/02.", headers={"Auto-Submitted": "auto-replied"})
    assert verdict.intent is Intent.OUT_OF_OFFICE
    assert verdict.return_date is None


def test_a_date_years_away_is_not_believed() -> None:
    verdict = classify(
        "Out of office until 4 January 2031.",
        headers={"Auto-Submitted": "auto-replied"},
        received=dt.datetime(2026, 12, 28, tzinfo=dt.UTC),
    )
    assert_rules_ran(verdict)
    assert (verdict.intent, verdict.layer) == (Intent.OUT_OF_OFFICE, "headers")
    assert verdict.evidence.startswith("Auto-Submitted: auto-replied · Out of office until")
    assert verdict.return_date is None


@pytest.mark.parametrize(
    "stamp",
    [
        "Mon, 99 Dec 99999999 99:99:99 +9999",
        "Mon, 1 Dec 99999999999999999999 10:00:00 +0000",  # OverflowError in the parser
        "Fri, 31 Dec 9999 23:59:59 -2359",
        "not a date at all",
        "Thu, 01 Jan 1900 00:00:00 +0000",
    ],
)
def test_a_broken_date_header_falls_back_to_today(stamp: str) -> None:
    verdict = classify(
        "I'm out of office until Monday.",
        subject="Automatic reply: CI",
        headers={"Auto-Submitted": "auto-replied", "Date": stamp},
        received=None,
    )
    assert_rules_ran(verdict)
    assert (verdict.intent, verdict.layer) == (Intent.OUT_OF_OFFICE, "headers")
    today = dt.datetime.now(dt.UTC).date()
    assert verdict.return_date is not None and verdict.return_date.weekday() == 0
    assert today < verdict.return_date <= today + dt.timedelta(days=7)


def test_the_checks_above_catch_a_classifier_that_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    """classify_by_rules never raises: a crash becomes `other`. The assertions used above
    (assert_rules_ran, a specific evidence) are what tell a crash from a real `other`."""

    def broken(reply: ReplyText, received: dt.datetime | None) -> None:
        raise OverflowError("date value out of range")

    monkeypatch.setattr("tools.replies.classify._classify", broken)
    verdict = classify("x" * 1_000)
    assert verdict.intent is Intent.OTHER and verdict.needs_person  # what the old tests checked
    with pytest.raises(AssertionError):
        assert_rules_ran(verdict)
    assert not verdict.evidence.startswith(NO_RULE_MATCHED)
