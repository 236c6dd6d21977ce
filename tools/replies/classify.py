"""Classify a reply by its headers, as a bounce, and by phrase rules, cheapest layer first.

1. delivery status notifications make a bounce (a delivery report, or a mailer's notice:
   sender or subject, and its lines);
2. headers: RFC 3834's Auto-Submitted, vendors' X-headers and automatic-reply subjects (the
   marker first) make an out_of_office (when the text says the sender is away: with the return
   date and the colleague who covers, if named) or an auto_reply, unless the mail's own words
   ask to be removed and it is not an absence notice quoting nothing. `Precedence:
   bulk|junk|list` is weaker: a person's intent in their own words outranks it;
3. phrase rules over the sender's own words (quotes and signature removed) in English,
   Spanish, French, German and Portuguese decide the rest. An opt-out request always wins.
   Without an automatic header, a person's intent (interest, a time, a question, a colleague,
   an objection, a refusal) outranks a mention of being away or a machine-sounding line; the
   text is an absence notice only when nothing else is asked, or when it opens with the
   absence and words it as a notice ("…with limited access to email").
When nothing decides, the verdict is `other` with needs_person set and evidence saying why.
Bad input (no text, undecodable text, a huge body, HTML only, an unknown language, a broken
Date header) never raises.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Mapping
from email.utils import parsedate_to_datetime

from tools.replies.automatic_mail import (
    HEADER_CHARS,
    LEFT_COMPANY,
    automatic_signal,
    automatic_text,
)
from tools.replies.away_phrases import AWAY_NOTICE
from tools.replies.delivery_status import find_bounce
from tools.replies.inbound_text import ReplyText, ReplyWords, header_map, read_reply
from tools.replies.language_guess import RULE_LANGUAGES, decisive_language, guess_language
from tools.replies.opt_out_phrases import KEYWORD_ONLY, KEYWORD_SENTENCE, find_opt_outs
from tools.replies.out_of_office import AwayHit, find_out_of_office
from tools.replies.phrase_rules import RuleHit
from tools.replies.phrase_search import PhraseHit, fold, rx
from tools.replies.referral_names import find_referral, from_copies
from tools.replies.return_date import find_return_date
from tools.replies.rule_layer import RuleDecision, decide_by_rules
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
RULES_FAILED = "the rules could not read this reply"
"""The evidence of the catch-all verdict: the rules raised (tests assert it is not there)."""
OPENING_SENTENCES = 2
"""An absence notice says so in its first sentences (after a greeting and a thank-you)."""
EARLIEST_DATE_YEAR = 1970

_SENTENCE_END = re.compile(r"[.!?\n]+")
_NOT_A_SENTENCE = re.compile(
    r"(?:hi|hello|hey|dear|hola|buenos dias|buenas|bonjour|salut|hallo|guten tag|"
    r"sehr geehrte\w*|liebe\w*|ola|oi|bom dia|boa tarde|prezad\w*|estimad\w*)\b[^.!?\n]{0,40}$"
    r"|(?:thank you|thanks|many thanks|gracias|merci|vielen dank|danke|obrigad[oa])\b"
    r"[^.!?\n]{0,40}$"
)
"""A greeting or a thank-you line: not where an absence notice's news starts."""
_QUOTED = re.compile(
    r"^[ \t]*>|(?:wrote|escribio|a ecrit|schrieb|escreveu)[^\n]{0,40}:[ \t]*$|original message|"
    r"^(?:from|von|de) ?:[^\n]*\n(?:sent|gesendet|envoye|enviado|date|datum) ?:",
    re.MULTILINE,
)
"""Signs that a mail quotes the message it answers (a person's reply, not a bare notice)."""
_FIRST_PERSON = rx(
    r"me|us|my|our|i|we|mich|uns|mein\w*|ich|moi|nous|mon|mes|je|m'|nos|mi|mis|yo|eu|meu|"
    r"minha|meus|minhas"
)


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
    """Return the day the reply arrived: given, else its Date header if sane, else today."""
    if received is not None:
        return received.date()
    today = dt.datetime.now(dt.UTC).date()
    stamp = headers.get("date", "")[:HEADER_CHARS].strip()
    if stamp:
        try:
            day = parsedate_to_datetime(stamp).date()
        except (TypeError, ValueError, IndexError, OverflowError, AttributeError):
            return today  # "Mon, 99 Dec 99999999 99:99:99 +9999" and other broken clocks
        if EARLIEST_DATE_YEAR <= day.year <= today.year + 1:
            return day
    return today


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


def _quotes_a_message(words: ReplyWords) -> bool:
    return _QUOTED.search(fold(words.opening)) is not None


def _own(hit: RuleHit) -> bool:
    """Whether opt-out words in automatic mail are the sender's own request: a reply that is
    the keyword, or a sentence in the first person ("please remove me"), not a machine's."""
    if hit.rule is KEYWORD_ONLY:
        return True
    if hit.rule is KEYWORD_SENTENCE:
        return False  # "Unsubscribe" on a line of its own is a link's text in a machine's mail
    sentence = fold(hit.hit.sentence)
    return _FIRST_PERSON.search(sentence) is not None and automatic_text(sentence, sentence) is None


def _marked(
    mark: str,
    subject: str,
    words: ReplyWords,
    language: str | None,
    received: dt.date,
    headers: Mapping[str, str],
) -> ReplyVerdict:
    """Mail marked automatic: an out_of_office, auto_reply or referral, or an opt-out.

    Its own words opting out ("please remove me") win over the mark, unless the mail is an
    absence notice that quotes nothing (the opt-out words are then the notice's own)."""
    requests = [hit for hit in find_opt_outs(words.text, words.folded).requests if _own(hit)]
    if requests:
        notice = find_out_of_office(words.signed, words.signed_folded) is not None
        if not notice or _quotes_a_message(words):
            first = requests[0]
            language = guess_language(words.folded, words.text, hint=first.rule.language or None)
            evidence = f"{first.hit.sentence} (despite {mark})"
            return _verdict(Intent.UNSUBSCRIBE, first.rule.confidence, evidence, "rules", language)
    return _automatic(mark, subject, words, language, received, headers)


def _opening_end(folded: str) -> int:
    """Return where the first OPENING_SENTENCES sentences end (greetings, thanks not counted)."""
    counted, last = 0, 0
    for match in _SENTENCE_END.finditer(folded):
        piece = folded[last : match.start()].strip()
        last = match.end()
        if not piece or _NOT_A_SENTENCE.match(piece):
            continue
        counted += 1
        if counted == OPENING_SENTENCES:
            return match.end()
    return len(folded)


_PERSON_ASKS = frozenset({Intent.INTERESTED, Intent.MEETING_REQUEST, Intent.QUESTION})
"""A person's ask: without an automatic header it outranks any mention of being away."""


def _away_is_the_message(words: ReplyWords, away: AwayHit, decision: RuleDecision) -> bool:
    """Whether an absence outranks what the rules decided from a text without headers.

    A person's interest, time or question always wins over it ("Interested! I'm travelling
    until Friday, can we do Monday?"), also when put off ("happy to talk after that"). An
    objection read from the absence sentence itself ("On vacation until after New Year's")
    is the absence. Otherwise the absence wins only when the text opens with it and is worded
    as a notice ("…with limited access to email", "for urgent matters, contact Ana")."""
    if decision.intent in _PERSON_ASKS and not decision.weak:
        return False
    if decision.positive:
        return False  # "…but happy to talk after that: does Tuesday the 5th work?"
    if decision.intent in (Intent.OBJECTION, Intent.NOT_INTERESTED) and (
        away.hit.sentence in decision.evidence or decision.evidence in away.hit.sentence
    ):
        return True
    return (
        away.hit.start < _opening_end(words.folded) and AWAY_NOTICE.search(words.folded) is not None
    )


def _machine_is_the_message(words: ReplyWords, machine: PhraseHit, decision: RuleDecision) -> bool:
    """Whether a machine's line ("We have received your request") outranks the rules' decision:
    only when it opens the text and what decided is no ask of a person's or a named colleague."""
    if decision.intent is Intent.REFERRAL or (
        decision.intent in _PERSON_ASKS and not decision.weak
    ):
        return False
    return machine.start < _opening_end(words.folded)


def _text_automatic(
    words: ReplyWords,
    decision: RuleDecision | None,
    language: str | None,
    received: dt.date,
    headers: Mapping[str, str],
) -> ReplyVerdict | None:
    """An absence or automatic notice known by its text alone, unless a person's intent wins."""
    away = find_out_of_office(words.text, words.folded)
    if away is not None and (decision is None or _away_is_the_message(words, away, decision)):
        language = guess_language(words.folded, words.text, hint=away.language)
        details = _out_of_office_details(words, language, received, headers)
        return _verdict(
            Intent.OUT_OF_OFFICE, TEXT_OOO_CONFIDENCE, away.hit.sentence, "rules", language,
            **details,
        )  # fmt: skip
    machine = automatic_text(words.text, words.folded)
    if machine is None:
        return None
    if decision is not None and not _machine_is_the_message(words, machine, decision):
        return None
    return _verdict(
        Intent.AUTO_REPLY, TEXT_AUTOMATIC_CONFIDENCE, machine.sentence, "rules", language
    )


def _no_words(words: ReplyWords, language: str | None) -> ReplyVerdict | None:
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
    return None


def _classify(reply: ReplyText, received: dt.datetime | None) -> ReplyVerdict:
    headers = header_map(reply.headers)
    subject = str(reply.subject or "")[:HEADER_CHARS]
    words = read_reply(reply)
    language = guess_language(words.folded, words.text)
    bounce = find_bounce(headers, subject, words.opening)
    if bounce is not None:
        confidence = (
            PERMANENT_BOUNCE_CONFIDENCE if bounce.permanent else TRANSIENT_BOUNCE_CONFIDENCE
        )
        return _verdict(Intent.BOUNCE, confidence, bounce.evidence, "dsn", language)
    day = _received_day(received, headers)
    mark = automatic_signal(headers, subject)
    if mark is not None and mark.strong:
        return _marked(mark.evidence, subject, words, language, day, headers)
    unreadable = _no_words(words, language)
    if unreadable is not None:
        if mark is not None:
            return _automatic(mark.evidence, subject, words, language, day, headers)
        return unreadable
    decision = decide_by_rules(words.text, words.folded, language=decisive_language(words.folded))
    if decision is not None:
        language = guess_language(words.folded, words.text, hint=decision.language)
        if decision.intent is Intent.UNSUBSCRIBE:
            return _verdict(
                decision.intent, decision.confidence, decision.evidence, "rules", language
            )
    if mark is not None and decision is None:  # a list's mail that asks nothing of us
        return _automatic(mark.evidence, subject, words, language, day, headers)
    automatic = _text_automatic(words, decision, language, day, headers)
    if automatic is not None:
        return automatic
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
        why = f"{RULES_FAILED} ({type(error).__name__}); a person should"
        return ReplyVerdict(
            intent=Intent.OTHER,
            confidence=0.0,
            evidence=why,
            layer="rules",
            needs_person=True,
        )
