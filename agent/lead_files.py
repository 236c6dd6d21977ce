"""Read leads from CSV or JSONL, accepting common CRM header spellings, row by row."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from graphs.contact import check_email, check_phone, contact_for
from graphs.lead import Channel, Lead

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
}  # fmt: skip
_LOOKUP = {alias: canonical for canonical, aliases in ALIASES.items() for alias in aliases}
URL_FIELDS = ("profile_url", "linkedin_url", "company_url")


class LeadFileError(Exception):
    """The whole file cannot be read; the message says why."""


@dataclass(frozen=True)
class RowError:
    """One row that cannot run, with the field at fault."""

    row: int
    field: str
    message: str
    raw: dict[str, str] = dataclasses.field(default_factory=dict)

    def __str__(self) -> str:
        return f"row {self.row}: {self.field}: {self.message}"


@dataclass
class LeadFile:
    """The valid leads of a file, with their row numbers, and the rows that failed."""

    leads: list[tuple[int, Lead]] = dataclasses.field(default_factory=list)
    errors: list[RowError] = dataclasses.field(default_factory=list)


def normalize_header(header: str) -> str:
    """Turn 'Job Title' or 'job-title' into 'job_title'."""
    return re.sub(r"[^a-z0-9]+", "_", header.strip().lower()).strip("_")


def _rows_from_csv(text: str) -> Iterator[tuple[int, dict[str, str]]]:
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(
            text[:4096], delimiters=",;\t"
        )
    except csv.Error:
        dialect = csv.excel
    # newline="": the csv module reads \r, \n and \r\n line ends itself (old Mac exports).
    reader = csv.DictReader(io.StringIO(text, newline=""), dialect=dialect)
    try:
        if not reader.fieldnames:
            raise LeadFileError("the CSV file has no header row")
        # Spreadsheet row numbers: the header is row 1; a cell spanning lines is still one row.
        for row, record in enumerate(reader, start=2):
            yield row, {k: (v or "") for k, v in record.items() if k is not None}
    except csv.Error as exc:
        raise LeadFileError(
            f"the CSV file cannot be read at line {reader.line_num}: {exc}"
        ) from None


def _rows_from_jsonl(text: str) -> Iterator[tuple[int, dict[str, str]]]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield number, {"__error__": f"not valid JSON ({exc.msg})"}
            continue
        if not isinstance(record, dict):
            yield number, {"__error__": "each line must be a JSON object"}
            continue
        yield number, {str(k): "" if v is None else str(v) for k, v in record.items()}


def _canonical(record: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    known: dict[str, str] = {}
    extra: dict[str, str] = {}
    for key, value in record.items():
        canonical = _LOOKUP.get(normalize_header(key))
        value = value.strip()
        if canonical and value and canonical not in known:
            known[canonical] = value
        elif value and not canonical:
            extra[normalize_header(key)] = value
    if not known.get("name") and (known.get("first_name") or known.get("last_name")):
        known["name"] = f"{known.get('first_name', '')} {known.get('last_name', '')}".strip()
    return known, extra


def _check_url(value: str, field_name: str) -> tuple[str | None, str | None]:
    if not value:
        return None, None
    if "://" not in value and re.match(r"^[\w.-]+\.[a-z]{2,}(/.*)?$", value, re.IGNORECASE):
        value = f"https://{value}"  # CRM exports often hold a bare domain
    parsed = urlparse(value)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        return None, f"{value!r} is not a valid http(s) URL"
    return value, None


def _to_lead(row: int, record: dict[str, str], channel: Channel, source: str) -> Lead | RowError:
    if "__error__" in record:
        return RowError(row, "line", record["__error__"])
    known, extra = _canonical(record)
    for required in ("name", "company"):
        if not known.get(required):
            return RowError(row, required, "is missing", record)
    values: dict[str, Any] = {
        k: known.get(k) or None for k in ALIASES if k not in ("first_name", "last_name")
    }
    for url_field in URL_FIELDS:
        url, problem = _check_url(known.get(url_field, ""), url_field)
        if problem:
            return RowError(row, url_field, problem, record)
        values[url_field] = url
    email = known.get("email")
    if email or channel is Channel.EMAIL:
        checked = check_email(email)
        if checked.address is None and channel is Channel.EMAIL:
            return RowError(row, "email", checked.problem or "is invalid", record)
        # On other channels a broken email is not needed, so it is dropped, not fatal.
        values["email"] = checked.address
    if channel is Channel.SMS:
        phone = check_phone(known.get("phone"))
        if phone.address is None:
            return RowError(row, "phone", phone.problem or "is invalid", record)
        values["phone"] = phone.address
    return Lead(**values, extra=extra, source=f"{source}:{row}")


CONTACT_FIELD = {Channel.SMS: "phone", Channel.LINKEDIN: "linkedin_url"}


def read_leads(path: Path, channel: Channel = Channel.EMAIL) -> LeadFile:
    """Read a CSV or JSONL lead file; bad rows are reported and the rest kept."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise LeadFileError(f"lead file {path} does not exist") from None
    except UnicodeDecodeError:
        raise LeadFileError(f"lead file {path} is not UTF-8 text") from None
    except OSError as exc:
        raise LeadFileError(f"cannot read lead file {path}: {exc.strerror}") from None
    if not text.strip():
        raise LeadFileError(f"lead file {path} is empty")
    is_jsonl = path.suffix.lower() in (".jsonl", ".ndjson") or text.lstrip().startswith("{")
    return parse_leads(text, source=path.name, channel=channel, jsonl=is_jsonl, label=str(path))


def parse_leads(
    text: str, *, source: str, channel: Channel, jsonl: bool, label: str | None = None
) -> LeadFile:
    """Parse CSV or JSONL lead text (an uploaded file, say) with the same rules as a file."""
    rows = list(_rows_from_jsonl(text) if jsonl else _rows_from_csv(text))
    headers = {normalize_header(k) for _, record in rows for k in record}
    if not jsonl and not ({"name", "first_name", "last_name"} & {_LOOKUP.get(h) for h in headers}):
        found = ", ".join(sorted(headers)) or "none"
        raise LeadFileError(
            f"{label or source}: unknown column set ({found}); expected at least name (or "
            "first_name and last_name), email, company, and optionally title, profile_url, "
            "company_url"
        )
    return leads_from_rows(rows, source=source, channel=channel)


def leads_from_rows(
    rows: list[tuple[int, dict[str, str]]], *, source: str, channel: Channel
) -> LeadFile:
    """Validate numbered records into leads; bad and duplicate rows become RowErrors."""
    result = LeadFile()
    seen: dict[tuple[str, str], int] = {}
    for row, record in rows:
        outcome = _to_lead(row, record, channel, source)
        if isinstance(outcome, RowError):
            result.errors.append(outcome)
            continue
        # One person, one message: the same email, or the same address on the campaign's
        # channel (a phone for SMS, a profile for LinkedIn), is a duplicate row.
        address = contact_for(outcome, channel).address
        keys = [("email", outcome.email.lower())] if outcome.email else []
        if address and channel is not Channel.EMAIL:
            keys.append((CONTACT_FIELD[channel], address.lower()))
        clash = next((key for key in keys if key in seen), None)
        if clash is not None:
            result.errors.append(
                RowError(row, clash[0], f"duplicate of row {seen[clash]} ({clash[1]})", record)
            )
            continue
        seen.update(dict.fromkeys(keys, row))
        result.leads.append((row, outcome))
    return result
