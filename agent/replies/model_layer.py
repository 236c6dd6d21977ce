"""Read the replies the phrase rules leave open with a chat model; the rules decide the rest.

Rules first (headers, bounces, phrase rules: tools/replies): a decisive verdict is final and
costs nothing. An open one (nothing matched, or too unsure) goes to the model when one is
configured, with only the sender's own words, inside a data block the prompt treats as
untrusted. The answer is checked against the reply before it is used: the evidence must be
words the sender wrote (else a person reads the reply), a referral's name or address must be in
the mail, a return date must come after the reply. Any fault (a 429 after the client's own
retries, a 5xx, a timeout, JSON unreadable twice) leaves the rules' verdict, sent to a person,
with evidence saying the model could not be asked. Without a model (the offline provider) the
rules' verdict stands as it is: an unsure one already says so and waits for a person.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from agent.pricing import PriceTable
from agent.providers import Models, build_models
from agent.settings import Settings
from graphs.context import ChatModel, StructuredMode, zero_cost
from graphs.structured_output import ModelCallError, call_structured
from graphs.task_inputs import data_block
from prompts.loader import Prompt, load_prompt
from tools.replies import (
    Intent,
    ObjectionReason,
    Referral,
    ReplyText,
    ReplyVerdict,
    classify_by_rules,
    read_reply,
)
from tools.replies.inbound_text import header_map
from tools.replies.phrase_search import fold
from tools.replies.verdict import clip_evidence

log = logging.getLogger("outreach.replies")

PROMPT_ID = "classify_reply"
MODEL_CHARS = 4_000
"""The model reads at most this much of the sender's own words (what decides is at the top)."""
SUBJECT_CHARS = 300
LATEST_RETURN_DAYS = 366
"""A return date further than this after the reply is not believed."""
MODEL_FAILED = "the model could not be asked"
"""Evidence prefix when the call failed (429 after retries, 5xx, timeout, a broken body)."""
MODEL_UNREADABLE = "the model's answer could not be used"
"""Evidence prefix when the model answered, twice, with something that is not a verdict."""
NOT_QUOTED = "the model's quote is not in the reply"
"""Evidence prefix of a model verdict whose evidence the sender never wrote (a person checks)."""

ReasonLabel = Literal[
    "timing", "budget", "has_solution", "not_relevant", "no_authority",
    "no_need", "no_cold_outreach", "bad_experience",
]  # fmt: skip
"""Objection reasons (the first five) and the other reasons a refusal may state."""
_OBJECTION_REASONS = frozenset(reason.value for reason in ObjectionReason)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_QUOTES = "\"'`«»‹› "


class ReferralReading(BaseModel):
    """The person the reply names to contact instead, as the model read it."""

    model_config = ConfigDict(extra="ignore")

    name: str | None = Field(default=None, max_length=200)
    email: str | None = Field(default=None, max_length=320)


class ReplyReading(BaseModel):
    """The model's answer about one reply; any answer that validates becomes a verdict."""

    model_config = ConfigDict(extra="ignore")

    intent: Intent = Field(description="What the sender wants.")
    reason: ReasonLabel | None = Field(
        default=None, description="For objection or not_interested only; null otherwise."
    )
    confidence: float = Field(ge=0.0, le=1.0, description="How sure, 0 to 1.")
    evidence: str = Field(
        min_length=1, max_length=2_000, description="One sentence copied from the reply's text."
    )
    return_date: dt.date | None = Field(
        default=None, description="out_of_office only: the day the sender is back."
    )
    referral: ReferralReading | None = Field(
        default=None, description="referral or out_of_office only: the person named."
    )

    @field_validator("intent", "reason", mode="before")
    @classmethod
    def _snake_case(cls, value: Any) -> Any:
        """Accept "Not interested" or "NO-AUTHORITY" for the labels they obviously mean."""
        if isinstance(value, str):
            return re.sub(r"[\s-]+", "_", value.strip().lower()) or None
        return value


class _ReplyInput(BaseModel):
    """What the model sees of a reply: the day it arrived, its subject, the sender's words."""

    task: Literal["classify_reply"] = "classify_reply"
    received: dt.date
    subject: str
    text: str


@dataclass(frozen=True)
class ReplyModel:
    """The chat model that reads the replies the rules leave open, and how to ask it."""

    chat: ChatModel
    prompt: Prompt
    structured_mode: StructuredMode = "json_schema"
    cost_of: Callable[[str, int, int], float] = zero_cost


def reply_model(
    settings: Settings, *, models: Models | None = None, prompt_version: str | None = None
) -> ReplyModel | None:
    """Return the model for open replies from settings, or None with the offline provider.

    Build it once (at start-up) and pass it to every `classify_reply`; `models` reuses the
    ones a run already built. Raises ProviderConfigError when the openai provider lacks a key
    or base URL, and PromptError when the prompt version does not exist.
    """
    if settings.provider == "offline":
        return None
    built = models or build_models(settings)
    if built.provider == "offline":
        return None
    return ReplyModel(
        chat=built.analyst,
        prompt=load_prompt(PROMPT_ID, prompt_version),
        structured_mode=built.structured_mode,
        cost_of=PriceTable(settings.llm_prices).cost_of,
    )


def decisive(verdict: ReplyVerdict) -> bool:
    """Whether the rules' verdict is final: a header's or a bounce's, or a sure rule's."""
    return verdict.layer in ("headers", "dsn") or not verdict.needs_person


def _open_words(reply: ReplyText, received: dt.datetime | None) -> tuple[ReplyVerdict, str]:
    """The rules' verdict and, when it is open, the sender's own words for the model."""
    verdict = classify_by_rules(reply, received=received)
    if decisive(verdict):
        return verdict, ""
    try:
        words = read_reply(reply).signed.strip()
    except Exception:  # the rules already failed on this reply and said so; a person reads it
        return verdict, ""
    return verdict, words[:MODEL_CHARS]


def replies_model_or_rules(settings: Settings) -> ReplyModel | None:
    """reply_model for a server that must start whatever: a provider or prompt that cannot be
    used is logged and replies are read by the rules alone (webhooks and the unsubscribe page
    stay up)."""
    try:
        return reply_model(settings)
    except Exception as exc:  # ProviderConfigError, PromptError: said once, at start-up
        log.warning("replies are read by the rules alone: %s", exc)
        return None


async def classify_reply(
    reply: ReplyText, *, received: dt.datetime | None = None, model: ReplyModel | None
) -> ReplyVerdict:
    """Classify a reply: the rules, then the model for what they leave open (never raises)."""
    if model is None:
        return await asyncio.to_thread(classify_by_rules, reply, received=received)
    rules, words = await asyncio.to_thread(_open_words, reply, received)
    if not words:  # decided, or nothing the sender wrote for a model to read or quote
        return rules
    day = received.date() if received is not None else dt.datetime.now(dt.UTC).date()
    try:
        reading = await _ask(model, reply, words, day)
    except ModelCallError as exc:
        log.warning("reply model: %s", exc)
        return _unasked(rules, str(exc))
    except Exception as exc:  # anything else from the stack: the rules' verdict, for a person
        log.exception("reply model call raised")
        return _unasked(rules, f"model call failed: {type(exc).__name__}")
    try:
        cc = header_map(reply.headers).get("cc", "")
        return verdict_from_reading(reading, rules, words, cc=cc, day=day)
    except Exception as exc:  # an answer that makes no verdict is as good as none
        return _unasked(rules, f"model returned unusable output: {type(exc).__name__}: {exc}")


async def _ask(model: ReplyModel, reply: ReplyText, words: str, day: dt.date) -> ReplyReading:
    subject = reply.subject if isinstance(reply.subject, str) else ""
    payload = _ReplyInput(received=day, subject=subject[:SUBJECT_CHARS], text=words)
    answer = await call_structured(
        model.chat,
        model.prompt.render(payload=data_block(payload)),
        ReplyReading,
        mode=model.structured_mode,
        params=model.prompt.meta.parameters,
        cost_of=model.cost_of,
        step=PROMPT_ID,
    )
    usage = answer.usage
    log.info(
        "reply model %s: %d call(s), %d+%d tokens, $%.6f",
        answer.model, usage.llm_calls, usage.input_tokens, usage.output_tokens, usage.cost_usd,
    )  # fmt: skip
    return answer.value


def _unasked(rules: ReplyVerdict, error: str) -> ReplyVerdict:
    """The rules' verdict for a person, saying why the model's reading is missing."""
    kind, _, detail = error.partition(": ")
    why = MODEL_UNREADABLE if "unusable" in kind else MODEL_FAILED
    detail = " ".join((detail or error).split())[:120]
    evidence = clip_evidence(f"{why} ({detail}); the rules: {rules.evidence}")
    return ReplyVerdict.model_validate(
        {**rules.model_dump(), "needs_person": True, "evidence": evidence}
    )


def _plain(text: str) -> str:
    return " ".join(fold(text).split())


def quoted_from(evidence: str, words: str) -> bool:
    """Whether evidence is the sender's own words (case, accents, spacing and quotes aside)."""
    quote = _plain(evidence).strip(_QUOTES).removesuffix("…").removesuffix("...").strip()
    return bool(quote) and quote in _plain(words)


def _referral(reading: ReplyReading, words: str, cc: str) -> Referral | None:
    """The named person, keeping only a name or address that is in the mail itself."""
    named = reading.referral
    if named is None:
        return None
    name = " ".join((named.name or "").split()) or None
    if name is not None and _plain(name) not in _plain(words):
        name = None
    email = (named.email or "").strip().strip("<>") or None
    if email is not None and not (
        _EMAIL.match(email) and email.casefold() in f"{words}\n{cc}".casefold()
    ):
        email = None
    return Referral(name=name, email=email) if name or email else None


def _reason(reading: ReplyReading) -> str | None:
    if reading.intent is Intent.OBJECTION:
        return reading.reason if reading.reason in _OBJECTION_REASONS else None
    return reading.reason if reading.intent is Intent.NOT_INTERESTED else None


def _return_date(reading: ReplyReading, day: dt.date) -> dt.date | None:
    back = reading.return_date
    if reading.intent is not Intent.OUT_OF_OFFICE or back is None:
        return None
    return back if day <= back <= day + dt.timedelta(days=LATEST_RETURN_DAYS) else None


MACHINE_ONLY = (Intent.BOUNCE, Intent.AUTO_REPLY)
"""Intents the model may not decide (they suppress or silence a person)."""


def verdict_from_reading(
    reading: ReplyReading, rules: ReplyVerdict, words: str, *, cc: str, day: dt.date
) -> ReplyVerdict:
    """Turn the model's reading of `words` (the sender's, received on `day`, `cc` copied) into
    a verdict: fields its intent does not carry are dropped, and so are a referral not in the
    mail and an unbelievable return date; evidence the sender never wrote sends it to a person."""
    if reading.intent in MACHINE_ONLY:  # a bounce or an automatic reply shows in headers and
        # delivery reports, which the rules read: from a person's words it is for a person
        return rules.model_copy(
            update={
                "needs_person": True,
                "evidence": clip_evidence(
                    f"the model read {reading.intent}, which only headers or a delivery report "
                    f"can show; the rules said: {rules.evidence}"
                ),
            }
        )
    quoted = quoted_from(reading.evidence, words)
    evidence = (
        reading.evidence
        if quoted
        else f"{NOT_QUOTED}: “{reading.evidence}” (it read {reading.intent})"
    )
    with_referral = reading.intent in (Intent.REFERRAL, Intent.OUT_OF_OFFICE)
    return ReplyVerdict.model_validate(
        {
            "intent": reading.intent,
            "reason": _reason(reading),
            "confidence": reading.confidence,
            "evidence": clip_evidence(evidence) or "(no words)",
            "layer": "model",
            "language": rules.language,
            "return_date": _return_date(reading, day),
            "referral": _referral(reading, words, cc) if with_referral else None,
            "needs_person": None if quoted else True,
        }
    )
