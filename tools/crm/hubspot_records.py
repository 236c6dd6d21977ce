"""What we write to HubSpot, as its property names want it: contacts, companies, emails, notes.

Values are strings (HubSpot's API takes every property as one); times are ISO 8601 in UTC.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from dataclasses import dataclass, field
from urllib.parse import urlsplit

CONTACT_PROPERTIES = (
    "email", "firstname", "lastname", "company", "website", "jobtitle", "phone", "lifecyclestage",
)  # fmt: skip
"""The contact properties the sync reads (and writes, when HubSpot has none yet)."""
FREE_MAIL = frozenset(
    "gmail.com googlemail.com yahoo.com ymail.com outlook.com hotmail.com live.com msn.com "
    "icloud.com me.com mac.com aol.com proton.me protonmail.com gmx.de gmx.net web.de "
    "t-online.de yandex.ru mail.ru qq.com 163.com".split()
)
"""Mail domains that name a mailbox provider, not the person's company."""
SNIPPET_CHARS = 1000


def hubspot_time(moment: dt.datetime) -> str:
    """Return a time as HubSpot's hs_timestamp takes it (UTC, milliseconds, Z)."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    return aware.astimezone(dt.UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


SHARED_HOSTS = (
    "linkedin.com", "facebook.com", "twitter.com", "x.com", "instagram.com", "github.com",
    "github.io", "crunchbase.com", "medium.com", "google.com", "sites.google.com",
    "wordpress.com", "wixsite.com", "notion.site", "angel.co", "wellfound.com",
)  # fmt: skip
"""Hosts of many companies' pages: never one company's domain."""


def _shared_host(host: str) -> bool:
    return any(host == shared or host.endswith(f".{shared}") for shared in SHARED_HOSTS)


def company_domain(company_url: str | None, email: str | None) -> str | None:
    """Return the company's domain: its website's host, else the email's (not a free-mail one)."""
    if company_url:
        url = company_url if "://" in company_url else f"https://{company_url}"
        try:
            host = (urlsplit(url.strip()).hostname or "").lower().rstrip(".")
        except ValueError:
            host = ""
        host = host.removeprefix("www.")
        if "." in host and not _shared_host(host):
            return host
    if email and "@" in email:
        domain = email.rsplit("@", 1)[1].strip().lower().rstrip(".")
        if "." in domain and domain not in FREE_MAIL:
            return domain
    return None


@dataclass(frozen=True)
class ContactFields:
    """A lead as a HubSpot contact."""

    email: str
    name: str
    company: str | None = None
    website: str | None = None
    job_title: str | None = None
    phone: str | None = None

    def properties(self) -> dict[str, str]:
        """Return the contact properties we know (empty ones left out)."""
        first, _, last = " ".join(self.name.split()).partition(" ")
        values = {
            "email": self.email.strip(),
            "firstname": first,
            "lastname": last,
            "company": self.company,
            "website": self.website,
            "jobtitle": self.job_title,
            "phone": self.phone,
        }
        return {key: value.strip() for key, value in values.items() if value and value.strip()}


@dataclass(frozen=True)
class CrmContact:
    """A contact as HubSpot has it."""

    id: str
    properties: dict[str, str | None] = field(default_factory=dict)

    @property
    def lifecycle_stage(self) -> str | None:
        """Return the contact's lifecycle stage ('' and None both mean none)."""
        return self.properties.get("lifecyclestage") or None

    def missing(self, wanted: dict[str, str]) -> dict[str, str]:
        """Return the wanted properties HubSpot has no value for (we never overwrite one)."""
        return {key: value for key, value in wanted.items() if not self.properties.get(key)}


@dataclass(frozen=True)
class SentEmail:
    """A message we sent, logged on the contact as an email."""

    sent_at: dt.datetime
    to_address: str
    body: str
    subject: str | None = None
    from_address: str | None = None

    def properties(self) -> dict[str, str]:
        """Return the email object's properties."""
        headers = {
            "from": {"email": self.from_address or ""},
            "to": [{"email": self.to_address}],
            "cc": [],
            "bcc": [],
        }
        values = {
            "hs_timestamp": hubspot_time(self.sent_at),
            "hs_email_direction": "EMAIL",
            "hs_email_status": "SENT",
            "hs_email_subject": self.subject or "",
            "hs_email_text": self.body,
            "hs_email_headers": json.dumps(headers),
        }
        return {key: value for key, value in values.items() if value}


@dataclass(frozen=True)
class ActivityNote:
    """Something that happened with the contact, logged as a note: a reply, a text we sent."""

    occurred_at: dt.datetime
    headline: str
    """One line: what happened ("Replied: interested, asked for a call")."""
    quote: str | None = None
    """Their (or our) words, shown below the headline."""

    def properties(self) -> dict[str, str]:
        """Return the note object's properties (its body is HTML, so text is escaped)."""
        body = f"<p>{html.escape(self.headline)}</p>"
        if self.quote and self.quote.strip():
            body += f"<blockquote>{html.escape(self.quote.strip()[:SNIPPET_CHARS])}</blockquote>"
        return {"hs_timestamp": hubspot_time(self.occurred_at), "hs_note_body": body}
