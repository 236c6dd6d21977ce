"""Helpers for the reply-classification tests: build a reply and classify it on a fixed day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from tools.replies import ReplyText, ReplyVerdict, classify_by_rules
from tools.replies.classify import RULES_FAILED

RECEIVED = dt.datetime(2026, 12, 28, 9, 30, tzinfo=dt.UTC)
"""A Monday between Christmas and New Year, when out-of-office replies pile up."""

OUR_MESSAGE_QUOTED = (
    "> Hi Maya,\n>\n> Brightpath finds slow and flaky CI builds.\n>\n"
    "> Worth a 15-minute call next week? Book a call here: https://cal.example/alex\n>\n"
    "> Alex Rivera\n> Not interested? Unsubscribe here: https://brightpath.example/u/1\n"
)
"""Our first message as a mail client quotes it: it offers a call and an unsubscribe link."""

OUR_MESSAGE_PLAIN = OUR_MESSAGE_QUOTED.replace("> ", "").replace(">", "")


def classify(
    text: str,
    subject: str = "Re: Flaky CI at Northwind",
    headers: Mapping[str, str] | None = None,
    *,
    html: str | None = None,
    received: dt.datetime | None = RECEIVED,
) -> ReplyVerdict:
    """Classify one reply as it would arrive, received on RECEIVED."""
    reply = ReplyText(subject=subject, text=text, headers=headers or {}, html=html)
    return classify_by_rules(reply, received=received)


NO_RULE_MATCHED = "no rule matched the reply's own words"
"""The evidence of `other` when the rules ran and nothing fired (not when they raised)."""


def assert_rules_ran(verdict: ReplyVerdict) -> None:
    """Fail when the verdict is the catch-all's: classify_by_rules turns any exception into
    `other` with confidence 0, so an assertion on `other` alone would pass on a crash."""
    assert RULES_FAILED not in verdict.evidence, verdict.evidence
    assert verdict.confidence > 0.0, verdict
