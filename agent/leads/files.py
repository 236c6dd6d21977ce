"""Read a lead file (CSV or JSONL) into a LeadFile: its valid leads and the rows that cannot run."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from agent.leads.decoding import decode_lead_bytes, encoding_label, was_detected
from agent.leads.read_errors import LeadFileError, RowError, RowNote
from agent.leads.row_readers import rows_from_csv, rows_from_jsonl
from agent.leads.row_validation import HEADER_FIELDS, kept_cells, normalize_header, to_lead
from graphs.contact import contact_for
from graphs.lead import Channel, Lead


@dataclass
class LeadFile:
    """The valid leads of a file, with their row numbers, and the rows that failed."""

    leads: list[tuple[int, Lead]] = dataclasses.field(default_factory=list)
    errors: list[RowError] = dataclasses.field(default_factory=list)
    notes: list[RowNote] = dataclasses.field(default_factory=list)
    """Cells ignored in rows that still run (a language that is none we write in)."""
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
        if self.notes:
            rows = [note.row for note in self.notes]
            shown = ", ".join(map(str, rows[:SHOWN_NOTE_ROWS])) + (
                f" and {len(rows) - SHOWN_NOTE_ROWS} more" if len(rows) > SHOWN_NOTE_ROWS else ""
            )
            line += f"; a cell was ignored in row{'' if len(rows) == 1 else 's'} {shown}"
        if self.encoding is not None:
            line += f"; read as {encoding_label(self.encoding)}"
            if was_detected(self.encoding):
                line += " (detected: the file is not UTF-8)"
        return line


CONTACT_FIELD = {Channel.SMS: "phone", Channel.LINKEDIN: "linkedin_url"}
SHOWN_NOTE_ROWS = 10
"""How many rows with an ignored cell the one-line description names."""


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
    rows = list(rows_from_jsonl(text) if jsonl else rows_from_csv(text))
    headers = {
        normalize_header(k)
        for _, record in rows
        for k in record
        if k not in ("__error__", "__field__")
    }
    if not jsonl and not (
        {"name", "first_name", "last_name"} & {HEADER_FIELDS.get(h) for h in headers}
    ):
        found = ", ".join(sorted(headers)) or "none"
        raise LeadFileError(
            f"{label or source}: unknown column set ({found}); expected at least name (or "
            "first_name and last_name), email, company, and optionally title, profile_url, "
            "company_url, language"
        )
    return leads_from_rows(rows, source=source, channel=channel)


def leads_from_rows(
    rows: list[tuple[int, dict[str, str]]], *, source: str, channel: Channel
) -> LeadFile:
    """Validate numbered records into leads; bad and duplicate rows become RowErrors, and
    cells ignored in the rows kept become RowNotes."""
    result = LeadFile(source=source)
    seen: dict[tuple[str, str], int] = {}
    for row, record in rows:
        notes: list[RowNote] = []
        outcome = to_lead(row, record, channel, source, notes)
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
                    row,
                    clash[0],
                    f"duplicate of row {seen[clash]} ({clash[1]})",
                    kept_cells(record),
                )
            )
            continue
        seen.update(dict.fromkeys(keys, row))
        result.leads.append((row, outcome))
        result.notes.extend(notes)
    return result
