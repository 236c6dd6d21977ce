"""An email's subject, built from the message's first hook: under 45 characters, calm, and
different per tone ("Your post on CI", "9 open roles at Tallyfold", "Tallyfold raises $32M
Series B")."""

from __future__ import annotations

import re
from collections.abc import Sequence
from string import Formatter

from agent.offline.bridges import Topic
from agent.offline.hooks import HookPhrases
from agent.offline.phrasebooks import Phrasebook
from agent.offline.stable_choice import rotated
from graphs.drafts import Tone
from graphs.task_inputs import FactBrief
from tools.facts import FactKind

SUBJECT_CHARS = 45
TITLE_CHARS = 36
"""A title longer than this is cut to its first clause, or left out of the subject."""
_CUTS = (". ", "? ", ": ", " — ", " – ", ", ", " to ", " with ", " without ", " instead of ")
_HIRING = re.compile(r"lists (\d+) open roles? \((\d+) ([^,)]+)")
_TECH = re.compile(r"mentions (.+?)(?:,| on its website)")
_REFERRAL = re.compile(r"^(.{2,40}?) suggested I reach out")


def short_title(title: str | None, limit: int = TITLE_CHARS) -> str | None:
    """Return a title, or its first clause, if it is at most limit characters (else None):
    "Our CI queue hit 48 minutes. Here is how …" → "Our CI queue hit 48 minutes"."""
    if not title:
        return None
    text = " ".join(title.split()).rstrip(".")
    letters = [ch for ch in text if ch.isalpha()]
    if len(letters) > 4 and all(ch.isupper() for ch in letters):
        return None  # "WHY OUR CI IS SLOW": shouting in a subject reads as spam
    if len(text) <= limit:
        return text
    for cut in _CUTS:
        head = text.split(cut)[0]
        if head != text and len(head) <= limit and len(head.split()) >= 3:
            return head
    return None


def _slots(fact: FactBrief | None, company: str, topic: Topic | None) -> dict[str, str | None]:
    """What a subject may say about the hook's fact (None: the fact does not say it)."""
    keyword = topic.keyword if topic else None
    slots: dict[str, str | None] = {
        "company": company,
        "topic": keyword,
        "Topic": keyword[0].upper() + keyword[1:] if keyword else None,
        "post_topic": keyword if topic is not None and topic.raised_by(fact) else None,
    }
    if fact is None:
        return slots
    title = fact.title if fact.kind in (FactKind.POST, FactKind.NEWS) else None
    full = short_title(title)
    hiring = _HIRING.search(fact.text) if fact.kind is FactKind.HIRING else None
    tech = _TECH.search(fact.text) if fact.kind is FactKind.TECHNOLOGY else None
    referral = _REFERRAL.match(fact.text) if fact.kind is FactKind.REFERRAL else None
    slots.update(
        noun="talk" if "gave the talk" in fact.text else "post",
        title=full,
        full_title=full if full == " ".join((title or "").split()).rstrip(".") else None,
        total=hiring.group(1) if hiring else None,
        department=hiring.group(3).strip() if hiring else None,
        tech=tech.group(1).strip() if tech else None,
        who=referral.group(1) if referral else None,
    )
    return slots


def _filled(template: str, slots: dict[str, str | None]) -> str | None:
    """Fill a subject template, or None if it needs a slot the fact does not give."""
    fields = [name for _, name, _, _ in Formatter().parse(template) if name]
    if any(not slots.get(name) for name in fields):
        return None
    subject = template.format(**slots)
    return subject[0].upper() + subject[1:] if subject[:1].islower() else subject


def subject_line(
    hook: HookPhrases | None,
    fact: FactBrief | None,
    company: str,
    topic: Topic | None,
    tone: Tone,
    key: Sequence[str],
    book: Phrasebook,
) -> str:
    """Write the subject from the first hook, its fact and the topic; a plain one naming the
    company when the hook gives nothing short enough."""
    kind = fact.kind.value if fact is not None and hook is not None else ""
    slots = _slots(fact, company, topic)
    options = rotated(book.subjects.get(kind, {}).get(tone, ()), "subject", tone, *key)
    for template in [*options, *book.fallback_subjects[tone]]:
        subject = _filled(template, slots)
        if subject and len(subject) <= SUBJECT_CHARS and "!" not in subject:
            return subject
    return book.fallback_subjects[tone][-1]
