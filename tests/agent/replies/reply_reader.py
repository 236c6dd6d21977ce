"""A scripted reader of replies for the OpenAI stub: answers the classify_reply prompt sensibly.

It reads the reply's own words out of the request's <task_input> block and answers from a
small table of phrases, quoting the sentence that holds the phrase, the way a model that
follows the prompt would; anything it does not recognise is `other`, unsure.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from typing import Any

from tests.fakes.openai_stub import OpenAIStub, Respond

_BLOCK = re.compile(r"<task_input>\s*(.*?)\s*</task_input>", re.DOTALL)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_NAME = re.compile(r"[A-Z][a-zà-ÿ]+ [A-Z][a-zà-ÿ]+")
_DAY_OF_MONTH = re.compile(r"back on the (\d{1,2})(?:st|nd|rd|th)", re.IGNORECASE)


@dataclass(frozen=True)
class Reading:
    """What the reader answers when a phrase is in the reply."""

    phrase: str
    intent: str
    reason: str | None = None
    confidence: float = 0.85


READINGS = (
    Reading("back on the", "out_of_office", confidence=0.9),
    Reading("não sou eu que decido", "objection", "no_authority"),
    Reading("covering most of this", "objection", "has_solution"),
    Reading("wouldn't land with us", "objection", "not_relevant"),
    Reading("keen", "interested"),
    Reading("does it work", "question"),
    Reading("plutôt pour", "referral"),
)


def task_input(request: dict[str, Any]) -> dict[str, Any]:
    """The payload the prompt put in its <task_input> block."""
    user = request["messages"][-1]["content"]
    found = _BLOCK.search(user)
    assert found is not None, "the prompt has no <task_input> block"
    payload: dict[str, Any] = json.loads(found.group(1))
    return payload


def _next_day_of_month(day: int, after: dt.date) -> dt.date:
    if day > after.day:
        try:
            return after.replace(day=day)
        except ValueError:
            pass
    month, year = after.month, after.year
    while True:
        month, year = (1, year + 1) if month == 12 else (month + 1, year)
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue


def _sentence(text: str, phrase: str) -> str:
    for sentence in _SENTENCE_END.split(text):
        if phrase.lower() in sentence.lower():
            return sentence.strip()
    return text.strip().splitlines()[0]


def answer(request: dict[str, Any]) -> str:
    """Answer one classify_reply request as a careful model would."""
    payload = task_input(request)
    text, received = payload["text"], dt.date.fromisoformat(payload["received"])
    reading = next((r for r in READINGS if r.phrase.lower() in text.lower()), None)
    if reading is None:
        first = text.strip().splitlines()[0]
        return json.dumps({"intent": "other", "confidence": 0.3, "evidence": first})
    evidence = _sentence(text, reading.phrase)
    result: dict[str, Any] = {
        "intent": reading.intent,
        "reason": reading.reason,
        "confidence": reading.confidence,
        "evidence": evidence,
    }
    back = _DAY_OF_MONTH.search(text)
    if reading.intent == "out_of_office" and back is not None:
        day = int(back.group(1))
        result["return_date"] = _next_day_of_month(day, received).isoformat()
    email = _EMAIL.search(text)
    if reading.intent == "referral" and email is not None:
        names = _NAME.findall(text[: email.start()])
        result["referral"] = {"name": names[-1] if names else None, "email": email.group(0)}
    return json.dumps(result, ensure_ascii=False)


def script_reader(stub: OpenAIStub, calls: int = 200) -> None:
    """Let the stub answer up to `calls` classify_reply requests with the reader."""
    stub.enqueue(*(Respond(answer) for _ in range(calls)))
