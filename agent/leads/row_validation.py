"""Turn one record into a Lead or a RowError: CRM header aliases, field limits, URL checks."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlparse

from pydantic import ValidationError

from agent.leads.language_column import read_language
from agent.leads.read_errors import RowError, RowNote
from agent.leads.row_readers import FIELD_LIMIT
from graphs.contact import check_email, check_phone
from graphs.lead import CUSTOM_FIELDS_LIMIT, FIELD_LIMITS, Channel, Lead

# Header spellings seen in Apollo, HubSpot, Salesforce and hand-made exports.
ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("name", "full_name", "contact_name", "contact", "person_name", "lead_name"),
    "first_name": ("first_name", "firstname", "first", "given_name"),
    "last_name": ("last_name", "lastname", "last", "surname", "family_name"),
    "email": ("email", "email_address", "work_email", "e_mail", "business_email", "emails"),
    "company": (
        "company", "company_name", "organization", "organization_name", "account_name", "account",
    ),
    "title": ("title", "job_title", "jobtitle", "position", "role"),
    "profile_url": ("profile_url", "profile", "personal_website", "person_url", "bio_url"),
    "linkedin_url": (
        "linkedin_url", "linkedin", "person_linkedin_url", "linkedin_profile",
        "linkedin_profile_url",
    ),
    "company_url": (
        "company_url", "website", "company_website", "website_url", "company_domain", "domain",
    ),
    "phone": (
        "phone", "phone_number", "mobile", "mobile_phone", "mobile_phone_number", "direct_phone",
        "work_direct_phone",
    ),
    "industry": ("industry",),
    "language": (
        "language", "lang", "locale", "preferred_language", "language_code", "contact_language",
    ),
}  # fmt: skip
HEADER_FIELDS = {alias: canonical for canonical, aliases in ALIASES.items() for alias in aliases}
"""The field each normalized header spelling names: 'job_title' -> 'title'."""
URL_FIELDS = ("profile_url", "linkedin_url", "company_url")


def normalize_header(header: str) -> str:
    """Turn 'Job Title' or 'job-title' into 'job_title'."""
    return re.sub(r"[^a-z0-9]+", "_", header.strip().lower()).strip("_")


def _canonical(record: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    known: dict[str, str] = {}
    extra: dict[str, str] = {}
    for key, value in record.items():
        canonical = HEADER_FIELDS.get(normalize_header(key))
        value = value.strip()
        if canonical and value and canonical not in known:
            known[canonical] = value
        elif value and not canonical:
            extra[normalize_header(key)] = value
    if not known.get("name") and (known.get("first_name") or known.get("last_name")):
        known["name"] = f"{known.get('first_name', '')} {known.get('last_name', '')}".strip()
    return known, extra


def _too_long(known: dict[str, str], extra: dict[str, str]) -> tuple[str, str] | None:
    """The first field over its length limit, and what to tell the user, if any."""

    def over(value: str, limit: int) -> str | None:
        if len(value) <= limit:
            return None
        return f"is {len(value)} characters long, the limit is {limit}"

    for name, value in known.items():
        if name == "language":
            continue  # an unusable language is noted and the row runs (language_column)
        if problem := over(value, FIELD_LIMITS.get(name, FIELD_LIMITS["custom field"])):
            return name, problem
    if len(extra) > CUSTOM_FIELDS_LIMIT:
        return "custom fields", f"{len(extra)} have a value, the limit is {CUSTOM_FIELDS_LIMIT}"
    for key, value in extra.items():
        if problem := over(key, FIELD_LIMITS["custom field name"]):
            return "custom field name", f"{key[:40] + '...'!r} {problem}"
        if problem := over(value, FIELD_LIMITS["custom field"]):
            return key, problem
    return None


def kept_cells(record: dict[str, str]) -> dict[str, str]:
    """A refused row's cells as the results file records them: an oversized one left empty."""
    return {
        key: "" if len(value) > FIELD_LIMIT else value
        for key, value in record.items()
        if len(key) <= FIELD_LIMIT
    }


def _source(source: str, row: int) -> str:
    """Where a lead came from, as file:row, shortened to fit (an upload names its own file)."""
    suffix = f":{row}"
    room = FIELD_LIMITS["source"] - len(suffix)
    name = source if len(source) <= room else source[: room - 3] + "..."
    return name + suffix


def _check_url(value: str, field_name: str) -> tuple[str | None, str | None]:
    if not value:
        return None, None
    if "://" not in value and re.match(r"^[\w.-]+\.[a-z]{2,}(/.*)?$", value, re.IGNORECASE):
        value = f"https://{value}"  # CRM exports often hold a bare domain
    parsed = urlparse(value)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        return None, f"{value!r} is not a valid http(s) URL"
    return value, None


def to_lead(
    row: int,
    record: dict[str, str],
    channel: Channel,
    source: str,
    notes: list[RowNote] | None = None,
) -> Lead | RowError:
    """The lead in one numbered record, or the first field that stops it running.

    A cell that is ignored without stopping the row (a language we do not write in) is added
    to notes, when given."""
    if "__error__" in record:
        raw = {k: v for k, v in record.items() if k not in ("__error__", "__field__")}
        return RowError(row, record.get("__field__", "line"), record["__error__"], raw)
    known, extra = _canonical(record)
    raw = kept_cells(record)
    if too_long := _too_long(known, extra):
        return RowError(row, *too_long, raw)
    for required in ("name", "company"):
        if not known.get(required):
            return RowError(row, required, "is missing", raw)
    values: dict[str, Any] = {
        k: known.get(k) or None for k in ALIASES if k not in ("first_name", "last_name")
    }
    for url_field in URL_FIELDS:
        url, problem = _check_url(known.get(url_field, ""), url_field)
        if problem:
            return RowError(row, url_field, problem, raw)
        values[url_field] = url
    email = known.get("email")
    if email or channel is Channel.EMAIL:
        checked = check_email(email)
        if checked.address is None and channel is Channel.EMAIL:
            return RowError(row, "email", checked.problem or "is invalid", raw)
        # On other channels a broken email is not needed, so it is dropped, not fatal.
        values["email"] = checked.address
    # An unreadable language does not stop the row: without one, the language is inferred.
    values["language"], language_problem = read_language(known.get("language", ""))
    if channel is Channel.SMS:
        phone = check_phone(known.get("phone"))
        if phone.address is None:
            return RowError(row, "phone", phone.problem or "is invalid", raw)
        values["phone"] = phone.address
    try:
        lead = Lead(**values, extra=extra, source=_source(source, row))
    except ValidationError as exc:  # the model's own limits; the checks above come first
        error = exc.errors()[0]
        field = str(error["loc"][-1]) if error["loc"] else "line"
        message = error["msg"]
        if error["type"] == "string_too_long":
            size, limit = len(str(error["input"])), error.get("ctx", {}).get("max_length")
            message = f"is {size} characters long, the limit is {limit}"
        return RowError(row, field, message, raw)
    if language_problem is not None and notes is not None:
        notes.append(RowNote(row, "language", language_problem))
    return lead
