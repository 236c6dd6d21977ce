"""`outreach replies`: classify replies from a file, and score the classifier on the labelled set.

`classify` reads JSON lines `{"id", "subject", "text", "headers"?, "received"?}` and writes one
JSON line per reply with its intent, reason, confidence, the words that decided it, a return
date and a referral: the same classifier the inbound webhooks use. A line that cannot be read
is reported on stderr with its number and reason; the others go on.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Annotated, Any, TextIO

import typer
from rich.console import Console

from agent.cli.errors import fail
from agent.leads.decoding import decode_lead_bytes
from agent.leads.read_errors import LeadFileError
from tools.replies.classify import classify_by_rules
from tools.replies.inbound_text import ReplyText
from tools.replies.verdict import ReplyVerdict

replies_app = typer.Typer(
    help="Read replies: what each one wants (intent, reason, return date, referral).",
    no_args_is_help=True,
)
MAX_LINE_CHARS = 2_000_000
"""A longer line is reported and skipped (a 20 MB attachment pasted in is not a reply)."""


def verdict_line(reply_id: object, verdict: ReplyVerdict) -> dict[str, Any]:
    """The JSON line written for one classified reply."""
    referral = verdict.referral
    return {
        "id": reply_id,
        "intent": str(verdict.intent),
        "reason": verdict.reason,
        "confidence": round(verdict.confidence, 3),
        "evidence": verdict.evidence,
        "return_date": verdict.return_date.isoformat() if verdict.return_date else None,
        "referral": {"name": referral.name, "email": referral.email} if referral else None,
        "needs_person": verdict.needs_person,
        "layer": verdict.layer,
        "language": verdict.language,
    }


def _read_line(raw: str) -> tuple[object, ReplyText, dt.datetime | None]:
    """Read one input line; raise ValueError naming the field that is wrong."""
    if len(raw) > MAX_LINE_CHARS:
        raise ValueError(f"the line is over {MAX_LINE_CHARS:,} characters")
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ValueError(f"not JSON ({exc.msg})") from None
    if not isinstance(data, dict):
        raise ValueError("not a JSON object")
    subject, text, headers = data.get("subject") or "", data.get("text"), data.get("headers")
    if text is not None and not isinstance(text, str):
        raise ValueError("field text: not a string")
    if not isinstance(subject, str):
        raise ValueError("field subject: not a string")
    if headers is not None and not (
        isinstance(headers, Mapping) and all(isinstance(v, str) for v in headers.values())
    ):
        raise ValueError("field headers: not an object of strings")
    received = None
    if data.get("received") is not None:
        try:
            received = dt.datetime.fromisoformat(str(data["received"]).replace("Z", "+00:00"))
        except ValueError:
            raise ValueError("field received: not an ISO-8601 time") from None
        if received.tzinfo is None:
            received = received.replace(tzinfo=dt.UTC)
    reply = ReplyText(subject=subject, text=text or "", headers=dict(headers or {}))
    return data.get("id"), reply, received


def _lines(source: TextIO) -> Iterator[tuple[int, str]]:
    for number, raw in enumerate(source, start=1):
        if raw.strip():
            yield number, raw


@replies_app.command("classify")
def classify(
    file: Annotated[
        Path,
        typer.Argument(help="JSON lines of replies ({id, subject, text, headers?}); - for stdin."),
    ],
    out: Annotated[
        Path | None, typer.Option(help="Write the results here instead of standard output.")
    ] = None,
) -> None:
    """Classify each reply; one JSON line out per reply, in order; unreadable lines are named
    on stderr and skipped. Exit 1 when any line was skipped."""
    errors = Console(stderr=True)
    source = (
        _decoded(sys.stdin.buffer.read(), "standard input") if str(file) == "-" else _open(file)
    )
    try:
        target = out.open("w", encoding="utf-8") if out else sys.stdout
    except OSError as exc:
        raise fail(f"cannot write {out}: {exc.strerror or exc}") from exc
    skipped = 0
    try:
        for number, raw in _lines(source):
            try:
                reply_id, reply, received = _read_line(raw)
            except ValueError as exc:
                skipped += 1
                errors.print(f"[yellow]line {number}:[/] {exc}; skipped", highlight=False)
                continue
            verdict = classify_by_rules(reply, received=received)
            target.write(json.dumps(verdict_line(reply_id, verdict), ensure_ascii=False) + "\n")
    finally:
        if out:
            target.close()
    if skipped:
        raise typer.Exit(1)


def _open(path: Path) -> TextIO:
    """The file as text, in whatever encoding it came (a BOM's, UTF-8, else detected, as lead
    files are read: Excel exports are often cp1252)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise fail(f"cannot read {path}: {exc.strerror or exc}") from exc
    return _decoded(data, str(path))


def _decoded(data: bytes, label: str) -> TextIO:
    try:
        text, _ = decode_lead_bytes(data, label)
    except LeadFileError as exc:
        raise fail(str(exc)) from exc
    return io.StringIO(text)


@replies_app.command("eval")
def evaluate(
    replies: Annotated[
        Path | None,
        typer.Option("--set", help="A labelled set (default: evals/replies/labelled.jsonl)."),
    ] = None,
    report: Annotated[
        Path | None, typer.Option(help="Also write the report here (.md, or .json).")
    ] = None,
) -> None:
    """Score the reply rules on a labelled set: precision and recall per intent, reasons,
    return dates, referrals. Exit 1 when unsubscribe or out-of-office recall is below 1.0 or
    a return date is wrong."""
    from evals.reply_scoring import LABELLED, load_replies, score

    path = replies or LABELLED
    try:
        loaded = load_replies(path)
    except (OSError, UnicodeDecodeError) as exc:
        raise fail(f"cannot read {path}: {exc}") from exc
    if not loaded.cases:
        raise fail(f"{path} holds no labelled reply")
    console = Console()
    for problem in loaded.errors:
        Console(stderr=True).print(f"[yellow]{problem}[/]; skipped", highlight=False)

    def by_rules(
        subject: str, text: str, headers: dict[str, str], received: dt.datetime | None
    ) -> ReplyVerdict:
        return classify_by_rules(
            ReplyText(subject=subject, text=text, headers=headers), received=received
        )

    result = score(loaded.cases, by_rules)
    console.print(result.to_markdown(), markup=False, highlight=False)
    if report is not None:
        text = (
            json.dumps(result.to_dict(), indent=2, default=str)
            if report.suffix == ".json"
            else result.to_markdown()
        )
        try:
            report.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise fail(f"cannot write {report}: {exc.strerror or exc}") from exc
    if not all(result.gates().values()) or loaded.errors:
        raise typer.Exit(1)
