"""The reply scorer: malformed lines are named and skipped; the arithmetic is checked by hand."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

import pytest

from evals.reply_scoring import (
    ReplyCase,
    ReplySetError,
    load_replies,
    load_reply_set,
    score,
    score_async,
)


def line(**overrides: Any) -> str:
    case: dict[str, Any] = {
        "id": "r001",
        "subject": "Re: Flaky tests at Tallyfold",
        "text": "Sure",
        "headers": {},
        "received": "2026-12-16T14:03:00Z",
        "language": "en",
        "intent": "interested",
        "reason": None,
        "return_date": None,
        "referral": None,
    }
    case.update(overrides)
    return json.dumps(case)


def test_each_malformed_line_is_named_and_the_rest_still_load(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(
        "\n".join(
            [
                line(id="r001"),
                '{"id": "r002", "subject": "Re: x", "text": "No"',  # 2: cut off
                line(id="r003", intent="intrigued"),  # 3: unknown intent
                line(id="r004", intent="question", reason="pricing"),  # 4: reason without one
                line(id="r005", intent="out_of_office", return_date="2027-02-30"),  # 5: no such day
                line(id="r006", intent="out_of_office", return_date="2026-12-01"),  # 6: before
                line(id="r007", received="2026-12-16T14:03:00"),  # 7: no time zone
                line(id="r001"),  # 8: duplicate id
                "",  # blank lines are skipped
                "[1, 2]",  # 10: not an object
                line(id="r011", intent="objection"),  # 11: objection without its reason
                line(id="r012", intent="referral"),  # 12: referral without the person
                line(id="r013", intent="out_of_office", return_date="2026-12-21"),
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    loaded = load_replies(path)
    assert [case.id for case in loaded.cases] == ["r001", "r013"]
    where = [(error.file, error.line, error.field) for error in loaded.errors]
    assert where == [
        ("bad.jsonl", 2, "json"),
        ("bad.jsonl", 3, "intent"),
        ("bad.jsonl", 4, "reason"),
        ("bad.jsonl", 5, "return_date"),
        ("bad.jsonl", 6, "return_date"),
        ("bad.jsonl", 7, "received"),
        ("bad.jsonl", 8, "id"),
        ("bad.jsonl", 10, "json"),
        ("bad.jsonl", 11, "reason"),
        ("bad.jsonl", 12, "referral"),
    ]
    messages = {error.line: error.message for error in loaded.errors}
    assert "unknown intent 'intrigued'" in messages[3]
    assert "question has no reason" in messages[4]
    assert "2027-02-30" in messages[5]
    assert "before received" in messages[6]
    assert "already used on line 1" in messages[8]
    assert str(loaded.errors[1]).startswith("bad.jsonl:3: intent: unknown intent")
    with pytest.raises(ReplySetError, match=r"bad\.jsonl:5: return_date: "):
        load_reply_set(path)


class Intent(StrEnum):
    INTERESTED = "interested"
    OUT_OF_OFFICE = "out_of_office"


@dataclass
class Person:
    name: str | None
    email: str | None


@dataclass
class Verdict:
    intent: Any
    reason: str | None = None
    return_date: dt.date | None = None
    referral: Person | None = None
    confidence: float = 0.9
    evidence: str = ""


def case(id: str, intent: str, **labels: Any) -> ReplyCase:
    return ReplyCase.model_validate(
        {
            "id": id,
            "subject": id,
            "text": "…",
            "received": "2026-12-28T09:00:00Z",
            "language": "en",
            "intent": intent,
            **labels,
        }
    )


CASES = [
    case("c1", "interested"),
    case("c2", "interested"),
    case("c3", "question"),
    case(
        "c4",
        "out_of_office",
        return_date="2027-01-04",
        referral={"name": "Priya Shah", "email": "priya.shah@northwind.example"},
    ),
    case("c5", "out_of_office", return_date="2027-01-11"),
    case("c6", "objection", reason="timing"),
    case("c7", "unsubscribe"),
    case("c8", "other"),
]
ANSWERS: dict[str, Any] = {
    "c1": Verdict(Intent.INTERESTED),
    "c2": {"intent": "question", "confidence": 0.4, "evidence": "Does it | work?"},
    "c3": {"intent": "Question"},
    "c4": Verdict(
        Intent.OUT_OF_OFFICE,
        return_date=dt.date(2027, 1, 4),
        referral=Person("Priya  Shah", "Priya.Shah@northwind.example"),
    ),
    "c5": {"intent": "out_of_office", "return_date": "2027-01-12"},
    "c6": {"intent": "objection", "reason": "budget"},
    "c8": Verdict(Intent.INTERESTED, referral=Person("Bob", "bob@x.example")),
}


def fake_classify(subject: str, text: str, headers: dict[str, str], received: dt.datetime) -> Any:
    assert isinstance(received, dt.datetime) and received.tzinfo is not None
    if subject == "c7":
        raise RuntimeError("boom")
    return ANSWERS[subject]


def test_the_scorer_arithmetic_matches_a_hand_count() -> None:
    report = score(CASES, fake_classify)
    scores = report.per_intent
    # interested: predicted for c1 (right) and c8 (wrong); expected for c1, c2.
    assert (scores["interested"].support, scores["interested"].predicted) == (2, 2)
    assert (scores["interested"].precision, scores["interested"].recall) == (0.5, 0.5)
    # question: predicted for c2 (wrong) and c3 (right); expected for c3 only.
    assert (scores["question"].precision, scores["question"].recall) == (0.5, 1.0)
    assert (scores["out_of_office"].precision, scores["out_of_office"].recall) == (1.0, 1.0)
    assert (scores["objection"].precision, scores["objection"].recall) == (1.0, 1.0)
    # Never predicted: no precision; missed: recall 0.
    assert (scores["unsubscribe"].precision, scores["unsubscribe"].recall) == (None, 0.0)
    assert (scores["other"].predicted, scores["other"].recall) == (0, 0.0)
    assert (scores["bounce"].support, scores["bounce"].recall) == (0, None)
    assert (report.accuracy.hits, report.accuracy.trials) == (5, 8)
    assert report.confusion["unsubscribe"] == {"error": 1} and report.errors == 1
    assert report.confusion["interested"] == {"interested": 1, "question": 1}
    assert (report.reasons["objection"].hits, report.reasons["objection"].trials) == (0, 1)
    assert report.reasons["not_interested"].trials == 0
    assert (report.return_dates.hits, report.return_dates.trials) == (1, 2)
    assert (report.referral_emails.hits, report.referral_emails.trials) == (1, 1)
    assert (report.referral_names.hits, report.referral_names.trials) == (1, 1)
    assert report.spurious_referrals == 1
    assert [(m.id, m.field, m.expected, m.got) for m in report.misses] == [
        ("c2", "intent", "interested", "question"),
        ("c5", "return_date", "2027-01-11", "2027-01-12"),
        ("c6", "reason", "timing", "budget"),
        ("c7", "intent", "unsubscribe", "error"),
        ("c8", "intent", "other", "interested"),
        ("c8", "referral", None, "bob@x.example"),
    ]
    assert report.misses[0].evidence == "Does it | work?" and report.misses[0].confidence == 0.4
    assert report.misses[3].evidence == "RuntimeError: boom"
    assert report.gates() == {
        "unsubscribe recall 1.0": False,
        "out_of_office recall 1.0": True,
        "return dates exact": False,
    }


def test_the_report_renders_as_markdown_and_json() -> None:
    report = score(CASES, fake_classify)
    data = json.loads(json.dumps(report.to_dict()))
    assert data["per_intent"]["question"] == {
        "support": 1,
        "predicted": 2,
        "true_positives": 1,
        "precision": 0.5,
        "recall": 1.0,
    }
    assert data["accuracy"]["rate"] == 5 / 8
    low, high = data["accuracy"]["ci95"]
    assert 0 < low < 5 / 8 < high < 1  # a Wilson interval around the rate
    assert len(data["misses"]) == 6
    markdown = report.to_markdown()
    assert "| question | 1 | 2 | 0.50 | 1.00 |" in markdown
    assert "| unsubscribe | 1 | 0 | – | 0.00 |" in markdown
    assert "Intent accuracy: 5/8 = 62.5%" in markdown
    assert "unsubscribe → error ×1" in markdown
    assert "| c2 | intent | interested | question | Does it \\| work? |" in markdown
    assert "unsubscribe recall 1.0 ✗" in markdown


async def test_an_async_classifier_scores_the_same_in_the_sets_order() -> None:
    finished: list[str] = []

    async def slow_classify(
        subject: str, text: str, headers: dict[str, str], received: dt.datetime
    ) -> Any:
        # Later cases finish first: the report must still list misses in the set's order.
        for _ in range(len(CASES) - int(subject[1:])):
            await asyncio.sleep(0)
        finished.append(subject)
        return fake_classify(subject, text, headers, received)

    report = await score_async(CASES, slow_classify, concurrency=len(CASES))
    expected = score(CASES, fake_classify)
    assert finished != sorted(finished)  # they really ran at once, out of order
    assert report.to_dict() == expected.to_dict()
    assert [m.id for m in report.misses] == ["c2", "c5", "c6", "c7", "c8", "c8"]
    assert report.misses[3].evidence == "RuntimeError: boom"  # raised inside the coroutine


async def test_score_async_also_takes_a_plain_classifier() -> None:
    report = await score_async(CASES, fake_classify, concurrency=1)
    assert report.to_dict() == score(CASES, fake_classify).to_dict()
