"""Helpers every offline draft uses, first touch or follow-up: tidy text, fit a channel, key
the choice of wording, and make a withheld lead field's stand-in read well."""

from __future__ import annotations

import re

from agent.offline.hooks import SENTENCE_BREAK
from graphs.critic.checks import sms_segments
from graphs.lead import Channel
from graphs.lead_screening import WITHHELD_COMPANY, WITHHELD_NAME
from graphs.task_inputs import DraftOut, GenerateInput

LINKEDIN_NOTE_LIMIT = 300


def first_sentence(text: str) -> str:
    """Return the first sentence of text."""
    return SENTENCE_BREAK.split(text.strip())[0]


def tidy(text: str) -> str:
    """Collapse spaces within lines and runs of blank lines."""
    lines = [" ".join(line.split()) for line in text.strip().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def fits(channel: Channel, linkedin_format: str, body: str, sms_suffix: str = "") -> bool:
    """Whether body fits the channel's hard limit: one SMS segment (with the line the sender
    adds after it, if any), a connection note's 300 characters."""
    if channel is Channel.SMS:
        segments, _ = sms_segments(f"{body}\n{sms_suffix}" if sms_suffix else body)
        return segments == 1
    if channel is Channel.LINKEDIN and linkedin_format == "connection_note":
        return len(body) <= LINKEDIN_NOTE_LIMIT
    return True


def lead_key(payload: GenerateInput) -> tuple[str, ...]:
    """What the writer's choices of wording hash: the lead's name and the facts it has.

    The same lead with the same facts always reads the same; another lead, or the same one
    after research found something new, may read differently.
    """
    return (payload.lead.name, *sorted(fact.id for fact in payload.facts))


_STAND_IN_COMPANY_OPENING = re.compile(
    rf"(^|[.!?:]\s+|\n\s*)({re.escape(WITHHELD_COMPANY)})", re.MULTILINE
)


def with_stand_ins(draft: DraftOut, payload: GenerateInput) -> DraftOut:
    """Make a draft read well where a withheld lead field has its stand-in.

    A sentence or subject that opens with the company's stand-in ("your company") gets its
    capital, and a greeting that names the name's stand-in alone ("there,") reads "Hi there,".
    """
    lead = payload.lead
    subject, body = draft.subject, draft.body
    if lead.company == WITHHELD_COMPANY:

        def capital(text: str) -> str:
            return _STAND_IN_COMPANY_OPENING.sub(
                lambda m: m.group(1) + m.group(2)[0].upper() + m.group(2)[1:], text
            )

        subject = capital(subject) if subject else subject
        body = capital(body)
    if lead.name == WITHHELD_NAME and re.match(rf"{WITHHELD_NAME}\b", body):
        body = f"Hi {body}"
    if (subject, body) == (draft.subject, draft.body):
        return draft
    return draft.model_copy(update={"subject": subject, "body": body})
