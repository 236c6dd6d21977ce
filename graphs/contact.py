"""Whether a lead can be reached on a channel, and at which address."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlparse

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from graphs.lead import Channel, Lead


@dataclass(frozen=True)
class ContactCheck:
    """The address to use, or why there is none."""

    address: str | None
    problem: str | None = None


def check_email(value: str | None) -> ContactCheck:
    """Validate an email address's syntax (no network lookups)."""
    if not value:
        return ContactCheck(None, "no email address")
    try:
        return ContactCheck(validate_email(value, check_deliverability=False).normalized)
    except EmailNotValidError as exc:
        return ContactCheck(None, f"{value!r} is not a valid email address: {exc}")


def check_phone(value: str | None) -> ContactCheck:
    """Validate a phone number given in international form (+CC...)."""
    if not value:
        return ContactCheck(None, "no phone number")
    try:
        number = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException:
        return ContactCheck(None, f"phone {value!r} is not in international form (+CC...)")
    if not phonenumbers.is_possible_number(number):
        return ContactCheck(None, f"phone {value!r} is not a possible number")
    return ContactCheck(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def check_linkedin(lead: Lead) -> ContactCheck:
    """Find a LinkedIn profile URL for the lead."""
    for url in (lead.linkedin_url, lead.profile_url):
        if url and urlparse(url).netloc.lower().endswith("linkedin.com"):
            return ContactCheck(url)
    return ContactCheck(None, "no LinkedIn profile URL")


def contact_for(lead: Lead, channel: Channel) -> ContactCheck:
    """Return the lead's address on the channel."""
    if channel is Channel.EMAIL:
        return check_email(lead.email)
    if channel is Channel.SMS:
        return check_phone(lead.phone)
    return check_linkedin(lead)
