"""A grounded answer to an interested reply, a meeting request or a question, for a person to
review (it is never sent automatically).

Written offline and deterministically: it thanks the sender, answers the intent (a booking
link or proposed slots as the next step; for a question, a promise that the sender will answer
it precisely, never an invented answer) and signs with the sender's name. It claims nothing
about the lead beyond one fact a question touches, cited by id. Of the reply itself it quotes
at most the evidence sentence, without markup or links, and not at all when that sentence reads
as instructions to an AI.
"""

from __future__ import annotations

import re
import unicodedata

from pydantic import BaseModel, ConfigDict, Field

from graphs.lead import SenderProfile
from tools.calendar import Slot
from tools.facts import Fact
from tools.replies import Intent, ReplyVerdict
from tools.untrusted_text import links_in, markup_in, reads_as_instructions

ANSWERED = frozenset({Intent.INTERESTED, Intent.MEETING_REQUEST, Intent.QUESTION})
"""The intents a person answers with a draft from here."""
QUOTE_LIMIT = 160
"""Characters of the reply's evidence sentence quoted back at most."""
FACT_LIMIT = 160
"""A fact longer than this is not cited in a short answer."""
NEED_SCHEDULING = "add a booking link or an availability file"
NEED_FREE_TIME = "no free slot in the availability file soon: propose times by hand"
NEED_ANSWER = "write the precise answer to their question (the draft only acknowledges it)"
_NAME = re.compile(r"^[^\W\d_]+(?:['. -][^\W\d_]+){0,3}\.?$")
"""A first name as people write it: letters, joined by an apostrophe, dot, hyphen or space."""
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9+#]*")
_COMMON = frozenset(
    "about after again also and any are been before being but can could did does doing done "
    "for from get had has have how into its just like make more most much need not now our "
    "out over please really should some such than that the their them then there these they "
    "this those too use used using very want was way well were what when where which while who "
    "why will with work works would yes you your team company thanks thank question questions "
    "know tell help time great good sure hi hello".split()
)


class AnswerDraft(BaseModel):
    """An answer to a reply, written for a person to review, edit and send."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    subject: str | None = None
    """None: the answer goes in the reply's thread, under its subject."""
    body: str
    fact_ids: list[str] = Field(default_factory=list)
    """The facts the body cites (at most one)."""
    needs: list[str] = Field(default_factory=list)
    """What a person must add or do before it can go, one sentence each."""


def draft_answer(
    verdict: ReplyVerdict,
    *,
    lead_name: str,
    lead_first_name: str,
    sender: SenderProfile,
    reply_evidence: str,
    facts: list[Fact],
    slots: list[Slot] | None,
    booking_url: str | None,
    recipient_tz: str,
) -> AnswerDraft:
    """Write a short answer to an interested, meeting-request or question reply.

    `slots` is None without an availability file and empty when it had no free time;
    `booking_url` wins over slots when both are there. Labels are in `recipient_tz`.
    """
    if verdict.intent not in ANSWERED:
        raise ValueError(
            f"an answer is drafted for interested, meeting_request or question, "
            f"not {verdict.intent}"
        )
    needs: list[str] = []
    link = _web_address(booking_url)
    if booking_url and link is None:
        needs.append(f"the booking link {booking_url[:80]!r} is not a web address: fix it")
    paragraphs = [f"Hi {_greeting_name(lead_first_name, lead_name)},"]
    fact_ids: list[str] = []
    if verdict.intent is Intent.QUESTION:
        paragraphs.append("Thanks for your question.")
        fact = _relevant_fact(reply_evidence or verdict.evidence, facts)
        paragraphs.append(_acknowledgement(reply_evidence or verdict.evidence, fact))
        if fact is not None:
            fact_ids.append(fact.id)
        if link:
            paragraphs.append(f"If it is easier to talk it through, pick a time here: {link}")
        needs.append(NEED_ANSWER)
    else:
        if verdict.intent is Intent.MEETING_REQUEST:
            paragraphs.append("Thanks for getting back to me, happy to set up a call.")
        else:
            paragraphs.append(
                "Thanks for getting back to me, glad it caught your interest. "
                "A short call is probably the easiest next step."
            )
        paragraphs.append(_next_step(link, slots, recipient_tz, needs))
    if verdict.language and verdict.language != "en":
        needs.append(f"the reply reads as language {verdict.language!r}: answer in it")
    paragraphs.append(_sign_off(sender))
    return AnswerDraft(body="\n\n".join(paragraphs), fact_ids=fact_ids, needs=needs)


def _next_step(
    link: str | None, slots: list[Slot] | None, recipient_tz: str, needs: list[str]
) -> str:
    if link:
        return f"You can pick a time that suits you here: {link}"
    if slots:
        times = "\n".join(f"- {slot.label(recipient_tz)}" for slot in slots)
        return (
            f"Would one of these times work for you?\n{times}\nIf none suits, just suggest another."
        )
    needs.append(NEED_SCHEDULING if slots is None else NEED_FREE_TIME)
    return "I'll suggest a couple of times shortly, or tell me what suits you best."


def _acknowledgement(evidence: str, fact: Fact | None) -> str:
    quote = _quotable(evidence)
    asked = f'You asked: "{quote}" ' if quote else ""
    promise = "I want to give you a precise answer, so I'll come back to you on it shortly."
    context = f" I'll answer with this in mind: {_sentence(fact.text)}" if fact else ""
    return f"{asked}{promise}{context}"


def _quotable(text: str) -> str | None:
    """Return the evidence sentence fit to quote back, or None when it should not be."""
    line = " ".join(text.split())
    if not line or reads_as_instructions(line) or markup_in(line) or _addresses_a_machine(line):
        return None
    for link in links_in(line):
        line = line.replace(link, "[link]")
    line = " ".join(line.replace('"', "'").replace("<", " ").replace(">", " ").split())
    if len(line.split()) < 2:
        return None
    if len(line) > QUOTE_LIMIT:
        line = line[: QUOTE_LIMIT - 1].rsplit(" ", 1)[0] + "…"
    return line


_MACHINE_TALK = re.compile(
    r"\b(disregard|ignore|override|pretend|jailbreak|system prompt)\b|\b(ai|llm|gpt|"
    r"assistant|chatbot|bot|model)\b\s*[:,]|\bto the (ai|assistant|bot|model)\b|\]\(",
    re.IGNORECASE,
)
"""Words that speak to whatever writes our answers, or a markdown link: never quoted back."""


def _addresses_a_machine(line: str) -> bool:
    """Whether the sentence speaks to a machine, or hides text (format characters such as
    right-to-left overrides): when in doubt, it is not quoted."""
    return bool(_MACHINE_TALK.search(line)) or any(
        unicodedata.category(char) == "Cf" for char in line
    )


def _relevant_fact(question: str, facts: list[Fact]) -> Fact | None:
    """Return the safe fact sharing the most distinctive words with the question, if any."""
    asked = _distinct_words(question)
    best: tuple[int, Fact] | None = None
    for fact in facts:
        text = " ".join(fact.text.split())
        if len(text) > FACT_LIMIT or reads_as_instructions(text):
            continue
        if links_in(text) or markup_in(text):
            continue
        shared = len(asked & _distinct_words(text))
        if shared and (best is None or shared > best[0]):
            best = (shared, fact)
    return best[1] if best else None


def _distinct_words(text: str) -> set[str]:
    words = set()
    for word in _WORD.findall(text):
        lower = word.lower()
        if (len(word) >= 3 and lower not in _COMMON) or (len(word) >= 2 and word.isupper()):
            words.add(lower)
    return words


def _sentence(text: str) -> str:
    line = " ".join(text.split()).replace('"', "'")
    return line if line.endswith((".", "!", "?")) else f"{line}."


def _greeting_name(first_name: str, full_name: str) -> str:
    """Return the name to greet, or "there" when the lead file's name is not a plain name."""
    name = " ".join(first_name.split()) or (full_name.split() or [""])[0]
    if len(name) > 40 or not _NAME.match(name) or reads_as_instructions(name):
        return "there"
    return name


def _web_address(url: str | None) -> str | None:
    if not url:
        return None
    cleaned = url.strip()
    if not re.match(r"^https?://[^\s/]+\.[^\s]+$", cleaned, re.IGNORECASE):
        return None
    return cleaned


def _sign_off(sender: SenderProfile) -> str:
    if sender.title:
        return f"Best regards,\n{sender.name}\n{sender.title}, {sender.company}"
    return f"Best regards,\n{sender.name}, {sender.company}"
