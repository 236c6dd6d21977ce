"""Read a lead file's text into numbered records: CSV (any dialect, oversized cells) or JSONL."""

from __future__ import annotations

import csv
import io
import json
import re
import threading
from collections.abc import Iterator

from agent.leads.read_errors import LeadFileError

FIELD_LIMIT = 131_072
"""Characters one CSV cell may hold (the csv module's default, the limit lead files have had).
Each field then has its own, smaller limit (graphs.lead.FIELD_LIMITS)."""
_PARSE_LIMIT = 16 * FIELD_LIMIT
"""How much of one cell the parser holds, so a row with a cell over FIELD_LIMIT is still read
whole: its column is named and its other cells kept. A cell past this is skipped unread."""
_CSV_LIMIT = threading.Lock()  # csv.field_size_limit is process-wide: one reader sets it at a time


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


def rows_from_csv(text: str) -> list[tuple[int, dict[str, str]]]:
    """Numbered records of CSV text, its header row being row 1; a bad row holds __error__."""
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


def rows_from_jsonl(text: str) -> Iterator[tuple[int, dict[str, str]]]:
    """Records of JSONL text numbered by line; a bad line holds __error__."""
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
