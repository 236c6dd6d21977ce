"""Lead fields are untrusted like researched pages: what of a lead may reach a message.

A lead file, a CRM export or an API client can put anything in a field. A field that reads as
instructions to an AI, carries a link or carries markup is withheld: no writer (the offline one
or a model) is shown it, no template variable pastes it, and the finding goes on the lead's
record so a person checks the lead before anything is sent. The detection itself is the one
researched pages go through (tools/untrusted_text.py).

What stands in for a withheld field:

- company: "your company". The email or website domain would be a guess (free-mail
  addresses, holding companies, casing: is initech.example "Initech" or "InitTech"?), and a
  guessed name is a claim nobody checked. "your company" is always true and reads naturally
  ("as CTO at your company"); the person reviewing the lead can write the real name in.
- name: "there", so the greeting reads "Hi there".
- title, industry and custom columns: nothing; a template sentence that uses them is dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from graphs.lead import Lead
from tools.untrusted_text import (
    instruction_start,
    link_hosts,
    links_in,
    markup_in,
    reads_as_instructions,
)
from tools.word_frequency import zipf_frequency

WITHHELD_COMPANY = "your company"
"""What names the company when the company field is withheld."""
WITHHELD_NAME = "there"
"""What the greeting names when the name field is withheld ("Hi there")."""

LEAD_STAGE = "lead"
"""The stage of the pipeline errors that name a withheld lead field."""
INSTRUCTIONS = "reads as instructions to an AI"
LINK = "carries a link"
MARKUP = "carries markup"

_SENTENCE_START = re.compile(r"[.!?;:\n]\s*")
_TOKEN = re.compile(r"[^\W_](?:[\w.+/-]*[^\W_])?")
_RARE_ZIPF = 3.0
"""A word of a hostile field rarer than this (wordfreq Zipf) is a telltale if a draft repeats
it: "QX-PWNED-9", "onerror", "evil.example"; "ignore" and "link" are ordinary words."""

MAX_TELLTALES = 40
"""Pieces kept per field: enough for any real injection, bounded for a 100 kB one."""


@dataclass(frozen=True)
class FieldFinding:
    """A lead field withheld from the messages, and why."""

    field: str
    """The field or custom column ("company", "notes")."""
    problems: tuple[str, ...]
    telltales: tuple[str, ...] = ()
    """Pieces of the field no message may repeat: its links, their hosts, its markup and the
    rare words of its hostile part."""

    @property
    def message(self) -> str:
        """Say which field was left out and why, without quoting it back."""
        return (
            f"{self.field}: {', '.join(self.problems)}; left out of the drafts "
            "(possible prompt injection)"
        )


@dataclass(frozen=True)
class LeadScreen:
    """A lead as it may be shown to a writer, and the fields that were withheld."""

    lead: Lead
    """The lead with every hostile field replaced by its stand-in or removed."""
    findings: tuple[FieldFinding, ...] = ()
    withheld_variables: frozenset[str] = field(default_factory=frozenset)
    """Template variables left without a value: a template sentence using one is dropped."""

    @property
    def company_withheld(self) -> bool:
        """Whether the company is named by the stand-in."""
        return any(f.field == "company" for f in self.findings)

    @property
    def name_withheld(self) -> bool:
        """Whether the greeting names the stand-in."""
        return any(f.field == "name" for f in self.findings)


def _hostile_part(text: str) -> str:
    """The text from the sentence where instructions begin (all of it when there are none)."""
    start = instruction_start(text)
    if start is None:
        return text
    boundaries = [m.end() for m in _SENTENCE_START.finditer(text, 0, start)]
    return text[boundaries[-1] if boundaries else 0 :]


def _rare_words(text: str) -> list[str]:
    words = []
    for token in _TOKEN.findall(text):
        plain = token.lower()
        if len(plain) < 4 or plain.replace(".", "").isdigit():
            continue  # "x", "1", "2026": too common in any message to tell a copy
        if any(c.isdigit() for c in plain) or zipf_frequency(plain, "en") < _RARE_ZIPF:
            words.append(token)
    return words


def problems_of(text: str) -> tuple[str, ...]:
    """Return what makes a field's text unfit for a message (nothing for plain information)."""
    found = []
    if reads_as_instructions(text):
        found.append(INSTRUCTIONS)
    if links_in(text):
        found.append(LINK)
    if markup_in(text):
        found.append(MARKUP)
    return tuple(found)


def _finding(name: str, text: str, problems: tuple[str, ...]) -> FieldFinding:
    links = links_in(text)
    pieces = [*links, *link_hosts(links), *markup_in(text)]
    if INSTRUCTIONS in problems or MARKUP in problems:
        pieces += _rare_words(_hostile_part(text))
    telltales = tuple(dict.fromkeys(p for p in pieces if p))[:MAX_TELLTALES]
    return FieldFinding(name, problems, telltales)


def _only_a_link(text: str) -> bool:
    """Whether a custom column holds one web address and nothing else (a "twitter" column)."""
    return links_in(text) == [text.strip()] and not markup_in(text)


def screen_lead(lead: Lead) -> LeadScreen:
    """Withhold every lead field that reads as instructions, carries a link or carries markup.

    A bare domain is a name ("Booking.com", "Monday.com"); a web address with a scheme, www. or
    a path is a link. A custom column holding nothing but a link is kept out of the messages
    too, without a finding: it is data, not an attempt to instruct anyone.
    """
    findings: list[FieldFinding] = []
    update: dict[str, object] = {}
    withheld: set[str] = set()
    for name, fallback in (("name", WITHHELD_NAME), ("company", WITHHELD_COMPANY)):
        text: str = getattr(lead, name)
        problems = problems_of(text)
        if problems:
            findings.append(_finding(name, text, problems))
            update[name] = fallback
    if "name" in update:
        withheld.add("contact_name")
    for name in ("title", "industry"):
        value: str | None = getattr(lead, name)
        problems = problems_of(value) if value else ()
        if problems:
            findings.append(_finding(name, value or "", problems))
            update[name] = None
            withheld.add(name)
    extra: dict[str, str] = {}
    for column, value in lead.extra.items():
        problems = problems_of(value)
        if not problems:
            extra[column] = value
            continue
        withheld.add(column)
        if problems != (LINK,) or not _only_a_link(value):
            findings.append(_finding(column, value, problems))
    if len(extra) != len(lead.extra):
        update["extra"] = extra
    if not update:
        return LeadScreen(lead=lead)
    return LeadScreen(
        lead=lead.model_copy(update=update),
        findings=tuple(findings),
        withheld_variables=frozenset(withheld),
    )
