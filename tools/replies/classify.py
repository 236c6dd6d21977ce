"""Classify a reply by its headers, as a bounce, and by phrase rules, cheapest layer first.

1. headers: RFC 3834's Auto-Submitted, Precedence, vendors' X-headers and automatic-reply
   subjects make an out_of_office (when the text says the sender is away: with the return
   date and the colleague who covers, if named) or an auto_reply;
2. delivery status notifications make a bounce;
3. phrase rules over the sender's own words (quotes and signature removed) in English,
   Spanish, French, German and Portuguese decide the rest.
When nothing decides, the verdict is `other` with needs_person set and evidence saying why.
Bad input (no text, undecodable text, a huge body, HTML only, an unknown language) never
raises.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from email.utils import parsedate_to_datetime

from tools.replies.automatic_mail import LEFT_COMPANY, automatic_mark, automatic_text
from tools.replies.delivery_status import find_bounce
from tools.replies.inbound_text import ReplyText, ReplyWords, header_map, read_reply
from tools.replies.language_guess import RULE_LANGUAGES, decisive_language, guess_language
from tools.replies.out_of_office import find_out_of_office
from tools.replies.phrase_search import fold
from tools.replies.referral_names import find_referral, from_copies
from tools.replies.return_date import find_return_date
from tools.replies.rule_layer import decide_by_rules
from tools.replies.verdict import Intent, Layer, ReplyVerdict, clip_evidence

log = logging.getLogger("outreach.replies")

HEADER_CONFIDENCE = 0.97
PERMANENT_BOUNCE_CONFIDENCE = 0.99
TRANSIENT_BOUNCE_CONFIDENCE = 0.95
TEXT_OOO_CONFIDENCE = 0.85
TEXT_AUTOMATIC_CONFIDENCE = 0.85
AUTOMATIC_REFERRAL_CONFIDENCE = 0.85
"""An automatic "I have left, write to Ana" is a referral a machine sent."""
UNSURE_CONFIDENCE = 0.2
"""Confidence of `other`: nothing decided."""


def _verdict(
    intent: Intent,
    confidence: float,
    evidence: str,
    layer: Layer,
    language: str | None,
    **extra: object,
) -> ReplyVerdict:
    return ReplyVerdict.model_validate(
        {
            "intent": intent,
            "confidence": confidence,
            "evidence": clip_evidence(evidence) or "(no words)",
            "layer": layer,
            "language": language,
            **extra,
        }
    )


def _received_day(received: dt.datetime | None, headers: Mapping[str, str]) -> dt.date:
    if received is not None:
        return received.date()
    stamp = headers.get("date", "").strip()
    if stamp:
        try:
            return parsedate_to_datetime(stamp).date()
        except (TypeError, ValueError, IndexError):
            pass
    return dt.datetime.now(dt.UTC).date()


def _out_of_office_details(
    words: ReplyWords, language: str | None, received: dt.date, headers: Mapping[str, str]
) -> dict[str, object]:
    signed, folded = words.signed, words.signed_folded
    back = find_return_date(signed, folded, language=language, received=received)
    covering = find_referral(signed, folded)
    details: dict[str, object] = {}
    if back is not None:
        details["return_date"] = back.day
    if covering is not None and covering.referral is not None:
        details["referral"] = from_copies(covering.referral, headers.get("cc", ""))
    return details


def _automatic(
    mark: str,
    subject: str,
    words: ReplyWords,
    language: str | None,
    received: dt.date,
    headers: Mapping[str, str],
) -> ReplyVerdict:
    signed_folded = words.signed_folded
    away = find_out_of_office(words.signed, signed_folded) or find_out_of_office(
        subject, fold(subject)
    )
    if away is not None:
        language = guess_language(words.folded, words.text, hint=away.language)
        details = _out_of_office_details(words, language, received, headers)
        sentence = away.hit.sentence
        evidence = mark if sentence in mark else f"{mark} · {sentence}"
        return _verdict(
            Intent.OUT_OF_OFFICE, HEADER_CONFIDENCE, evidence, "headers", language, **details
        )
    left = LEFT_COMPANY.search(signed_folded)
    moved = find_referral(words.signed, signed_folded) if left else None
    if moved is not None and moved.referral is not None:
        return _verdict(
            Intent.REFERRAL,
            AUTOMATIC_REFERRAL_CONFIDENCE,
            f"{mark} · {moved.sentence}",
            "headers",
            language,
            referral=from_copies(moved.referral, headers.get("cc", "")),
        )
    return _verdict(Intent.AUTO_REPLY, HEADER_CONFIDENCE, mark, "headers", language)


def _nothing_decided(words: ReplyWords, language: str | None) -> ReplyVerdict:
    if language is not None and language not in RULE_LANGUAGES:
        why = f"the reply seems to be in a language the rules do not read ({language})"
    else:
        first = words.text.strip().split("\n", 1)[0]
        why = f"no rule matched the reply's own words: “{first}”"
    return _verdict(Intent.OTHER, UNSURE_CONFIDENCE, why, "rules", language)


def _classify(reply: ReplyText, received: dt.datetime | None) -> ReplyVerdict:
    headers = header_map(reply.headers)
    subject = str(reply.subject or "")
    words = read_reply(reply)
    language = guess_language(words.folded, words.text)
    bounce = find_bounce(headers, subject, words.opening)
    if bounce is not None:
        confidence = (
            PERMANENT_BOUNCE_CONFIDENCE if bounce.permanent else TRANSIENT_BOUNCE_CONFIDENCE
        )
        return _verdict(Intent.BOUNCE, confidence, bounce.evidence, "dsn", language)
    day = _received_day(received, headers)
    mark = automatic_mark(headers, subject)
    if mark is not None:
        return _automatic(mark, subject, words, language, day, headers)
    if words.undecodable:
        why = "the text is mostly unreadable characters (sent in a charset we could not decode)"
        return _verdict(Intent.OTHER, UNSURE_CONFIDENCE, why, "rules", language)
    if not words.text.strip():
        why = "the reply has no text of its own"
        if words.body_chars:
            why += " (only the quoted earlier message or a signature)"
        if words.from_html:
            why += ", HTML only"
        return _verdict(Intent.OTHER, UNSURE_CONFIDENCE, why, "rules", language)
    decision = decide_by_rules(words.text, words.folded, language=decisive_language(words.folded))
    if decision is not None and decision.intent is Intent.UNSUBSCRIBE:
        language = guess_language(words.folded, words.text, hint=decision.language)
        return _verdict(decision.intent, decision.confidence, decision.evidence, "rules", language)
    if decision is not None:
        language = guess_language(words.folded, words.text, hint=decision.language)
    signed_folded = words.signed_folded
    away = find_out_of_office(words.signed, signed_folded)
    if away is not None:
        language = guess_language(words.folded, words.text, hint=away.language)
        details = _out_of_office_details(words, language, day, headers)
        return _verdict(
            Intent.OUT_OF_OFFICE, TEXT_OOO_CONFIDENCE, away.hit.sentence, "rules", language,
            **details,
        )  # fmt: skip
    machine = automatic_text(words.signed, signed_folded)
    if machine is not None and (decision is None or decision.intent is not Intent.REFERRAL):
        return _verdict(
            Intent.AUTO_REPLY, TEXT_AUTOMATIC_CONFIDENCE, machine.sentence, "rules", language
        )
    if decision is None:
        return _nothing_decided(words, language)
    referral = decision.referral
    if referral is not None:
        referral = from_copies(referral, headers.get("cc", ""))
    return _verdict(
        decision.intent,
        decision.confidence,
        decision.evidence,
        "rules",
        language,
        reason=decision.reason,
        referral=referral,
    )


def classify_by_rules(reply: ReplyText, *, received: dt.datetime | None = None) -> ReplyVerdict:
    """Classify a reply with headers, bounce detection and phrase rules (never raises)."""
    try:
        return _classify(reply, received)
    except Exception as error:  # a reply we cannot read goes to a person, never to a 5xx
        log.exception("the reply rules failed on a reply")
        why = f"the rules could not read this reply ({type(error).__name__}); a person should"
        return ReplyVerdict(
            intent=Intent.OTHER,
            confidence=0.0,
            evidence=why,
            layer="rules",
            needs_person=True,
        )
