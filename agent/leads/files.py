"""Read leads from CSV or JSONL, accepting common CRM header spellings, row by row."""

from __future__ import annotations

import codecs
import csv
import dataclasses
import io
import json
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import charset_normalizer
from pydantic import ValidationError

from graphs.contact import check_email, check_phone, contact_for
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
}  # fmt: skip
_LOOKUP = {alias: canonical for canonical, aliases in ALIASES.items() for alias in aliases}
URL_FIELDS = ("profile_url", "linkedin_url", "company_url")

FIELD_LIMIT = 131_072
"""Characters one CSV cell may hold (the csv module's default, the limit lead files have had).
Each field then has its own, smaller limit (graphs.lead.FIELD_LIMITS)."""
_PARSE_LIMIT = 16 * FIELD_LIMIT
"""How much of one cell the parser holds, so a row with a cell over FIELD_LIMIT is still read
whole: its column is named and its other cells kept. A cell past this is skipped unread."""
_CSV_LIMIT = threading.Lock()  # csv.field_size_limit is process-wide: one reader sets it at a time

# Byte-order marks, tried before anything else. UTF-32 LE first: its mark starts like UTF-16 LE's.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)
# The preferred reading of a file that is not UTF-8: what Excel writes on Western-European
# Windows. Detectors cannot tell it from its neighbours (cp1250, cp437) in a few names.
_EXCEL_ANSI = "cp1252"
_UNICODE = ("utf-8", "utf-8-sig", "utf-16", "utf-32")  # read as such, not guessed


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
    source: str = ""
    """The file's name, as in each lead's source."""
    encoding: str | None = None
    """The codec the file was decoded with (utf-8, utf-8-sig, utf-16, cp1252, ...); None for
    text handed over already decoded."""

    def describe(self) -> str:
        """One line for the user: how many leads and bad rows, and how the bytes were read."""
        leads, errors = len(self.leads), len(self.errors)
        line = f"{self.source or 'the lead file'}: {leads} lead{'' if leads == 1 else 's'}"
        if errors:
            line += f", {errors} row{' that cannot' if errors == 1 else 's that cannot'} run"
        if self.encoding is not None:
            line += f"; read as {encoding_label(self.encoding)}"
            if codecs.lookup(self.encoding).name not in _UNICODE:
                line += " (detected: the file is not UTF-8)"
        return line


def encoding_label(encoding: str) -> str:
    """The name people know an encoding by: 'Windows-1252' for cp1252, 'UTF-8', ..."""
    name = codecs.lookup(encoding).name
    if name in ("utf-8-sig", "utf-16", "utf-32"):
        return f"{'UTF-8' if name == 'utf-8-sig' else name.upper()} (byte-order mark)"
    if match := re.fullmatch(r"cp(125\d)", name):
        return f"Windows-{match[1]}"
    if match := re.fullmatch(r"iso8859-(\d+)", name):
        return f"ISO-8859-{match[1]}"
    return name.upper()


def _undecodable(exc: UnicodeDecodeError, data: bytes) -> str:
    offset = exc.start + len(data) - len(exc.object)  # utf-8-sig reports past its mark
    if exc.reason in ("unexpected end of data", "truncated data"):
        return f"it ends part-way through a character (offset {offset})"
    return f"byte 0x{exc.object[exc.start]:02x} at offset {offset} cannot be decoded"


def _detected(data: bytes) -> tuple[str, str] | None:
    """Decode with charset-normalizer's reading, preferring Windows-1252 when it is one."""
    matches = list(charset_normalizer.from_bytes(data))  # best first; none for binary data
    plausible = [m.encoding for m in matches]
    if any(m.encoding == _EXCEL_ANSI or _EXCEL_ANSI in m.could_be_from_charset for m in matches):
        plausible.insert(0, _EXCEL_ANSI)
    for encoding in plausible:
        try:
            return data.decode(encoding), encoding  # the whole file, not just the sampled parts
        except (UnicodeDecodeError, LookupError):
            continue
    return None


def decode_lead_bytes(data: bytes, label: str) -> tuple[str, str]:
    """Decode a lead file's bytes: a byte-order mark's encoding, else UTF-8, else the
    encoding charset-normalizer detects. Returns the text and the codec used."""
    for bom, encoding, name in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as exc:
                raise LeadFileError(
                    f"{label} starts with a {name} byte-order mark but is not {name}: "
                    f"{_undecodable(exc, data)}"
                ) from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        detected = _detected(data)
        if detected is None:
            raise LeadFileError(
                f"{label} is not text: it is not UTF-8 ({_undecodable(exc, data)}) and no "
                "other text encoding reads it; if it is a spreadsheet, save it as CSV and try again"
            ) from None
        return detected
    # Valid UTF-8 but a quarter or more NUL bytes: UTF-16 (or 32) without its mark, where every
    # ASCII character brings one or more NULs. A stray NUL stays UTF-8 (and is refused later).
    if data.count(0) * 4 >= len(data) > 0:
        detected = _detected(data)
        if detected is not None and detected[1].startswith(("utf_16", "utf_32")):
            return detected
    return text, "utf-8"


def normalize_header(header: str) -> str:
    """Turn 'Job Title' or 'job-title' into 'job_title'."""
    return re.sub(r"[^a-z0-9]+", "_", header.strip().lower()).strip("_")


class _Lines:
    """A file's physical lines, handed to csv.reader one at a time from a movable position."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.pos = 0  # lines read so far; the next one is line pos + 1

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        if self.pos >= len(self.lines):
            raise StopIteration
        self.pos += 1
        return self.lines[self.pos - 1]


def _row_end(lines: list[str], start: int, dialect: type[csv.Dialect] | csv.Dialect) -> int:
    """Index of the line after the row starting at lines[start], without holding its cells.

    csv itself finds the end, on a copy of the lines in which each run of ordinary characters
    is cut to its first one: a run moves csv's state machine exactly as its first character
    does, so quotes, delimiters and line ends parse the same while the cells stay small."""
    special = {str(dialect.delimiter), "\r", "\n"}
    if dialect.quoting != csv.QUOTE_NONE and dialect.quotechar:
        special.add(dialect.quotechar)
    if dialect.escapechar:
        special.add(dialect.escapechar)
    if dialect.skipinitialspace:
        special.add(" ")  # skipped at a cell's start, so not ordinary; a run of them still is one
    ordinary = "[^" + re.escape("".join(sorted(special))) + "]"
    squeeze = re.compile(f"({ordinary}){ordinary}+|( ) +")
    read = 0

    def squeezed() -> Iterator[str]:
        nonlocal read
        for index in range(start, len(lines)):
            read += 1
            yield squeeze.sub(lambda m: m.group(1) or m.group(2), lines[index])

    try:
        next(csv.reader(squeezed(), dialect))
    except (csv.Error, StopIteration) as exc:
        raise LeadFileError(
            f"the CSV file cannot be read at line {start + read}: {exc or 'no row'}"
        ) from None
    return start + read


_HEADER_TOO_LARGE = (
    f"the CSV file's header row has a column name larger than {FIELD_LIMIT} characters"
)


def _column(header: list[str], index: int) -> str:
    return header[index] if index < len(header) and header[index].strip() else f"column {index + 1}"


def _sniff(text: str, header: str) -> type[csv.Dialect] | csv.Dialect:
    # The header line alone when the start of the file will not do (a huge cell in it, say).
    for sample in (text[:4096], header):
        try:
            dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
        except csv.Error:
            continue
        # "" inside a quoted cell is a quote (RFC 4180, and every spreadsheet writes it so);
        # the sniffer only says doublequote=False because its sample showed no example.
        dialect.doublequote = True
        return dialect
    return csv.excel


def _rows_from_csv(text: str) -> list[tuple[int, dict[str, str]]]:
    # newline="": lines end at \r, \n or \r\n, as csv expects (old Mac exports use \r alone).
    lines = io.StringIO(text, newline="").readlines()
    dialect = _sniff(text, lines[0] if lines else "")
    with _CSV_LIMIT:
        previous = csv.field_size_limit(max(_PARSE_LIMIT, csv.field_size_limit()))
        try:
            return list(_csv_records(lines, dialect))
        finally:
            csv.field_size_limit(previous)


def _csv_records(
    lines: list[str], dialect: type[csv.Dialect] | csv.Dialect
) -> Iterator[tuple[int, dict[str, str]]]:
    feed = _Lines(lines)
    reader = csv.reader(feed, dialect)
    header: list[str] | None = None
    row = 1  # spreadsheet row numbers: the header is row 1; a cell spanning lines is one row
    while True:
        start = feed.pos  # csv reads no further than the row it returns
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if "field limit" not in str(exc):
                raise LeadFileError(
                    f"the CSV file cannot be read at line {feed.pos}: {exc}"
                ) from None
            if header is None:
                raise LeadFileError(_HEADER_TOO_LARGE) from None
            # A cell past what the parser holds: skip to the end of its row and read on.
            feed.pos = _row_end(lines, start, dialect)
            reader = csv.reader(feed, dialect)
            row += 1
            yield (
                row,
                {
                    "__error__": f"a field is larger than {FIELD_LIMIT} characters, the limit "
                    f"for one field (line {start + 1} of the file)"
                },
            )
            continue
        if header is None:
            if not cells:
                raise LeadFileError("the CSV file has no header row")
            if any(len(cell) > FIELD_LIMIT for cell in cells):
                raise LeadFileError(_HEADER_TOO_LARGE)
            header = cells
            continue
        if not cells:
            continue  # a blank line is not a row
        row += 1
        record = {name: cells[i] if i < len(cells) else "" for i, name in enumerate(header)}
        too_long = [i for i, cell in enumerate(cells) if len(cell) > FIELD_LIMIT]
        if too_long:
            record = {k: "" if len(v) > FIELD_LIMIT else v for k, v in record.items()}
            record["__field__"] = _column(header, too_long[0])
            record["__error__"] = (
                f"is larger than {FIELD_LIMIT} characters, the limit for one field "
                f"(line {start + 1} of the file)"
            )
        yield row, record


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


def _too_long(known: dict[str, str], extra: dict[str, str]) -> tuple[str, str] | None:
    """The first field over its length limit, and what to tell the user, if any."""

    def over(value: str, limit: int) -> str | None:
        if len(value) <= limit:
            return None
        return f"is {len(value)} characters long, the limit is {limit}"

    for name, value in known.items():
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


def _kept(record: dict[str, str]) -> dict[str, str]:
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


def _to_lead(row: int, record: dict[str, str], channel: Channel, source: str) -> Lead | RowError:
    if "__error__" in record:
        raw = {k: v for k, v in record.items() if k not in ("__error__", "__field__")}
        return RowError(row, record.get("__field__", "line"), record["__error__"], raw)
    known, extra = _canonical(record)
    raw = _kept(record)
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
    if channel is Channel.SMS:
        phone = check_phone(known.get("phone"))
        if phone.address is None:
            return RowError(row, "phone", phone.problem or "is invalid", raw)
        values["phone"] = phone.address
    try:
        return Lead(**values, extra=extra, source=_source(source, row))
    except ValidationError as exc:  # the model's own limits; the checks above come first
        error = exc.errors()[0]
        field = str(error["loc"][-1]) if error["loc"] else "line"
        message = error["msg"]
        if error["type"] == "string_too_long":
            size, limit = len(str(error["input"])), error.get("ctx", {}).get("max_length")
            message = f"is {size} characters long, the limit is {limit}"
        return RowError(row, field, message, raw)


CONTACT_FIELD = {Channel.SMS: "phone", Channel.LINKEDIN: "linkedin_url"}


def read_leads(path: Path, channel: Channel = Channel.EMAIL) -> LeadFile:
    """Read a CSV or JSONL lead file; bad rows are reported and the rest kept."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise LeadFileError(f"lead file {path} does not exist") from None
    except OSError as exc:
        raise LeadFileError(f"cannot read lead file {path}: {exc.strerror}") from None
    text, encoding = decode_lead_bytes(data, f"lead file {path}")
    if not text.strip():
        raise LeadFileError(f"lead file {path} is empty")
    is_jsonl = path.suffix.lower() in (".jsonl", ".ndjson") or text.lstrip().startswith("{")
    result = parse_leads(text, source=path.name, channel=channel, jsonl=is_jsonl, label=str(path))
    result.encoding = encoding
    return result


def parse_leads(
    text: str, *, source: str, channel: Channel, jsonl: bool, label: str | None = None
) -> LeadFile:
    """Parse CSV or JSONL lead text (an uploaded file, say) with the same rules as a file."""
    rows = list(_rows_from_jsonl(text) if jsonl else _rows_from_csv(text))
    headers = {
        normalize_header(k)
        for _, record in rows
        for k in record
        if k not in ("__error__", "__field__")
    }
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
    result = LeadFile(source=source)
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
                RowError(
                    row, clash[0], f"duplicate of row {seen[clash]} ({clash[1]})", _kept(record)
                )
            )
            continue
        seen.update(dict.fromkeys(keys, row))
        result.leads.append((row, outcome))
    return result
