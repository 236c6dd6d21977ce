"""A lead file uploaded in the console, read with the rules `outreach run` and the API use."""

from __future__ import annotations

from dataclasses import dataclass, field

from agent.leads.decoding import decode_lead_bytes
from agent.leads.files import LeadFile, parse_leads
from agent.leads.read_errors import LeadFileError
from graphs.lead import Channel
from server.body_limits import size_text

MAX_UPLOAD_BYTES = 900_000
"""The file's own limit. The console's bodies stop at 1 MB (server/body_limits.py); an upload
over that is refused unread, and answered with the form's page too (server/console/too_large.py)."""


class UploadRefused(ValueError):
    """The file cannot be read as leads at all (too large, empty, binary, unreadable)."""


class UploadTooLarge(UploadRefused):
    """The file is over MAX_UPLOAD_BYTES."""


def too_large_text(
    size: int | None, *, limit: int = MAX_UPLOAD_BYTES, what: str = "the file"
) -> str:
    """Say how large an upload is, or only that it is over `limit` when its size is unknown (it
    came in chunks), and how large a lead file may be."""
    how_large = f"is {size_text(size)}" if size is not None else f"is over {size_text(limit)}"
    return f"{what} {how_large}; a lead file may be at most {size_text(MAX_UPLOAD_BYTES)}"


@dataclass(frozen=True)
class ReadLeads:
    """The valid leads of an upload, and what was wrong with the rows left out."""

    parsed: LeadFile
    problems: list[str] = field(default_factory=list)


def read_lead_upload(data: bytes, filename: str, channel: Channel) -> ReadLeads:
    """Read an uploaded CSV (or JSONL) lead file; UploadRefused when nothing can be read."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadTooLarge(too_large_text(None))
    try:
        text, encoding = decode_lead_bytes(data, "file")
    except LeadFileError as exc:
        raise UploadRefused(str(exc)) from None
    if not text.strip():
        raise UploadRefused("the file is empty")
    if "\x00" in text:
        raise UploadRefused("the file holds NUL characters: upload a CSV or JSONL text file")
    jsonl = filename.lower().endswith((".jsonl", ".ndjson")) or text.lstrip().startswith("{")
    try:
        parsed = parse_leads(text, source=filename, channel=channel, jsonl=jsonl)
    except LeadFileError as exc:
        raise UploadRefused(str(exc)) from None
    parsed.encoding = encoding
    problems = [f"row {e.row}, {e.field}: {e.message}" for e in parsed.errors]
    return ReadLeads(parsed, problems)
