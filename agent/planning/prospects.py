"""A lead as planning reads it: its fields and researched facts, read once into plain data.

Segment rules and the priority score run over `Prospect`s, never over the lead model, so that
100,000 leads cost one pass of reading (`prospect_of`) and then only string and set checks.
Company size, country, seniority and email status come from the lead's columns (the names
Apollo, HubSpot and hand-made exports use), else from what research found.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from agent.planning.seniority import seniority_of
from agent.planning.signals import FactRecord, Signal, signals_of

SIZE_COLUMNS = (
    "company_size", "employees", "employee_count", "num_employees", "number_of_employees",
    "company_employees", "headcount", "company_headcount", "size", "estimated_num_employees",
)  # fmt: skip
COUNTRY_COLUMNS = ("country", "country_code", "company_country", "person_country", "location")
SENIORITY_COLUMNS = ("seniority", "seniority_level", "level", "management_level")
EMAIL_STATUS_COLUMNS = ("email_status", "email_verification", "email_verified", "email_valid")
OUR_RECORDS = "earlier_outreach"
"""The fact kind runs add from our own sent messages (graphs/earlier_outreach.py)."""
_VERIFIED = {"verified", "valid", "deliverable", "true", "yes", "1", "ok"}
_INVALID = {"invalid", "bounced", "undeliverable", "false", "no", "0", "bad"}
_SIZE = re.compile(r"^\s*[<>≤≥~]?\s*(\d[\d,.\s]*)(k)?\s*(?:(-|–|to)\s*(\d[\d,.\s]*)(k)?|(\+))?")


class LeadFields(Protocol):
    """What planning reads of a lead: a lead file's Lead and a stored LeadRow both have it."""

    @property
    def name(self) -> str: ...
    @property
    def company(self) -> str: ...
    @property
    def email(self) -> str | None: ...
    @property
    def title(self) -> str | None: ...
    @property
    def phone(self) -> str | None: ...
    @property
    def linkedin_url(self) -> str | None: ...
    @property
    def industry(self) -> str | None: ...
    @property
    def language(self) -> str | None: ...
    @property
    def extra(self) -> Mapping[str, Any]: ...


@dataclass(frozen=True, slots=True)
class CompanySize:
    """Employees as given: one number or a range ("51-200", "10,001+")."""

    low: int
    high: int | None
    label: str

    @property
    def estimate(self) -> int:
        """Return one number for the range: its middle, or its floor when open-ended."""
        return self.low if self.high is None else (self.low + self.high) // 2


@dataclass(frozen=True, slots=True)
class Prospect:
    """One lead's fields and facts, lower-cased where rules compare them."""

    name: str
    company: str
    email: str | None
    row: int | None
    lead_id: int | None
    title: str
    title_words: str
    """The title, lower-cased, for rules and the target."""
    seniority: str | None
    industry: str
    company_size: CompanySize | None
    country: str
    language: str | None
    email_status: str | None
    """verified, unverified or invalid (from an email-status column); None: not said."""
    channels: frozenset[str]
    """Where the lead can be reached: email, phone, linkedin."""
    fact_text: str
    """Every fact's title and text, lower-cased, for keyword rules."""
    fact_count: int
    signals: tuple[Signal, ...]
    columns: Mapping[str, str]
    """The lead's other columns, lower-cased values."""
    suppressed: str | None = None
    """Why the address is on the suppression list (unsubscribed, bounced, ...), if it is."""

    @property
    def label(self) -> str:
        """Return how a report names the lead: its email, else name and row."""
        if self.email:
            return self.email
        return f"{self.name} (row {self.row})" if self.row is not None else self.name


def parse_company_size(value: object) -> CompanySize | None:
    """Read "51-200", "1,001-5,000", "10001+", "5k" or a number; None when it is none of them."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return CompanySize(int(value), int(value), str(int(value))) if value >= 0 else None
    if not isinstance(value, str):
        return None
    match = _SIZE.match(value)
    if match is None:
        return None

    def number(digits: str, thousands: str | None) -> int | None:
        cleaned = re.sub(r"[,.\s]", "", digits)
        if not cleaned.isdigit() or len(cleaned) > 9:
            return None
        return int(cleaned) * (1000 if thousands else 1)

    low = number(match.group(1), match.group(2))
    if low is None:
        return None
    if match.group(6):
        return CompanySize(low, None, value.strip())
    high = number(match.group(4), match.group(5)) if match.group(4) else low
    if high is None or high < low:
        return None
    return CompanySize(low, high, value.strip())


def _first(columns: Mapping[str, Any], names: Sequence[str]) -> str | None:
    for name in names:
        value = columns.get(name)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def email_status_of(value: str | None) -> str | None:
    """Return verified, invalid or unverified for an export's email status; None if unsaid."""
    if not value:
        return None
    key = re.sub(r"[^a-z0-9]+", "_", value.lower()).strip("_")
    if key in _VERIFIED:
        return "verified"
    if key in _INVALID:
        return "invalid"
    return "unverified"


def _size_from_facts(facts: Sequence[FactRecord]) -> CompanySize | None:
    for fact in facts:
        for key in ("employees", "size"):
            if key in fact.attributes:
                size = parse_company_size(fact.attributes[key])
                if size is not None:
                    return size
    return None


def _attribute(facts: Sequence[FactRecord], *names: str) -> str:
    """Return the first text a fact records under one of these attribute names, or ''."""
    for fact in facts:
        for name in names:
            value = fact.attributes.get(name)
            if isinstance(value, str) and value:
                return value
    return ""


def prospect_of(
    lead: LeadFields,
    facts: Sequence[FactRecord] = (),
    *,
    today: date,
    row: int | None = None,
    lead_id: int | None = None,
    suppressed: str | None = None,
) -> Prospect:
    """Read a lead and its facts into a Prospect (trigger ages counted from `today`)."""
    if any(f.kind == OUR_RECORDS for f in facts):
        # "We emailed Maya Okafor (VP Engineering)…" is about a colleague, not this lead: no
        # keyword, trigger or size of it may place or score the lead.
        facts = [f for f in facts if f.kind != OUR_RECORDS]
    columns = {str(k): str(v) for k, v in (lead.extra or {}).items() if v is not None}
    size_text = _first(columns, SIZE_COLUMNS)
    size = parse_company_size(size_text) if size_text else None
    channels = {
        channel
        for channel, address in (
            ("email", lead.email),
            ("phone", lead.phone),
            ("linkedin", lead.linkedin_url),
        )
        if address
    }
    return Prospect(
        name=lead.name,
        company=lead.company,
        email=lead.email,
        row=row,
        lead_id=lead_id,
        title=lead.title or "",
        title_words=(lead.title or "").lower(),
        seniority=seniority_of(lead.title, _first(columns, SENIORITY_COLUMNS)),
        industry=(lead.industry or _attribute(facts, "industry")).lower(),
        company_size=size or _size_from_facts(facts),
        country=(
            _first(columns, COUNTRY_COLUMNS) or _attribute(facts, "country", "location")
        ).lower(),
        language=lead.language,
        email_status=email_status_of(_first(columns, EMAIL_STATUS_COLUMNS)),
        channels=frozenset(channels),
        fact_text=" ".join(f"{f.title or ''} {f.text}" for f in facts).lower(),
        fact_count=len(facts),
        signals=signals_of(facts, today),
        columns={k: v.lower() for k, v in columns.items()},
        suppressed=suppressed,
    )


def prospects_of(
    leads: Iterable[tuple[int | None, LeadFields]],
    facts: Mapping[str, Sequence[FactRecord]],
    *,
    today: date,
    suppressed: Mapping[str, str] | None = None,
) -> list[Prospect]:
    """Read numbered leads into Prospects, each with the facts stored for its email (and the
    reason its address is suppressed, if it is)."""
    reasons = suppressed or {}
    prospects = []
    for row, lead in leads:
        email = (lead.email or "").strip().lower()
        prospects.append(
            prospect_of(
                lead, facts.get(email, ()), today=today, row=row, suppressed=reasons.get(email)
            )
        )
    return prospects
