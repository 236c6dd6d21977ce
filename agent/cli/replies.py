"""`outreach replies`: classify replies from a file, and score the classifier on the labelled set.

`classify` reads JSON lines `{"id", "subject", "text", "headers"?, "received"?}` and writes one
JSON line per reply with its intent, reason, confidence, the words that decided it, a return
date and a referral: the same classifier the inbound webhooks use. A line that cannot be read
is reported on stderr with its number and reason; the others go on. `--with-model` asks the
configured model (OUTREACH_LLM_*) about the replies the rules leave open; `eval --with-model`
reports the rules alone and the rules plus the model side by side.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import json
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TextIO

import typer
from rich.console import Console

from agent.cli.errors import USER_ERRORS, fail
from agent.leads.decoding import decode_lead_bytes
from agent.leads.read_errors import LeadFileError
from agent.replies.model_layer import (
    MODEL_FAILED,
    MODEL_UNREADABLE,
    ReplyModel,
    classify_reply,
    reply_model,
)
from agent.settings import Settings
from tools.replies.classify import classify_by_rules
from tools.replies.inbound_text import ReplyText
from tools.replies.verdict import ReplyVerdict

if TYPE_CHECKING:
    from evals.reply_scoring import ReplyCase, ReplyReport

replies_app = typer.Typer(
    help="Read replies: what each one wants (intent, reason, return date, referral).",
    no_args_is_help=True,
)
MAX_LINE_CHARS = 2_000_000
"""A longer line is reported and skipped (a 20 MB attachment pasted in is not a reply)."""
RULES, WITH_MODEL = "rules", "rules + model"
"""The two columns of `eval --with-model`."""

WithModel = Annotated[
    bool,
    typer.Option(
        "--with-model",
        help="Ask the configured model (OUTREACH_LLM_PROVIDER=openai, OUTREACH_LLM_BASE_URL or "
        "OUTREACH_LLM_API_KEY) about the replies the rules leave open.",
    ),
]


def _reply_model() -> ReplyModel:
    """The model for open replies, from settings; exit with what to set when there is none."""
    try:
        model = reply_model(Settings())
    except USER_ERRORS as exc:
        raise fail(str(exc)) from None
    if model is None:
        raise fail(
            "--with-model needs a model endpoint: set OUTREACH_LLM_PROVIDER=openai and "
            "OUTREACH_LLM_BASE_URL (a local OpenAI-compatible server) or OUTREACH_LLM_API_KEY; "
            "without one the rules classify alone (drop --with-model)"
        )
    return model


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
    with_model: WithModel = False,
) -> None:
    """Classify each reply; one JSON line out per reply, in order; unreadable lines are named
    on stderr and skipped. Exit 1 when any line was skipped."""
    model = _reply_model() if with_model else None
    source = (
        _decoded(sys.stdin.buffer.read(), "standard input") if str(file) == "-" else _open(file)
    )
    try:
        target = out.open("w", encoding="utf-8") if out else sys.stdout
    except OSError as exc:
        raise fail(f"cannot write {out}: {exc.strerror or exc}") from exc
    try:
        skipped = asyncio.run(_classify_lines(source, target, model))
    finally:
        if out:
            target.close()
    if skipped:
        raise typer.Exit(1)


async def _classify_lines(source: TextIO, target: TextIO, model: ReplyModel | None) -> int:
    """Write one verdict line per readable input line, in order; return how many were skipped."""
    errors, skipped = Console(stderr=True), 0
    for number, raw in _lines(source):
        try:
            reply_id, reply, received = _read_line(raw)
        except ValueError as exc:
            skipped += 1
            errors.print(f"[yellow]line {number}:[/] {exc}; skipped", highlight=False)
            continue
        if model is None:
            verdict = classify_by_rules(reply, received=received)
        else:
            verdict = await classify_reply(reply, received=received, model=model)
        target.write(json.dumps(verdict_line(reply_id, verdict), ensure_ascii=False) + "\n")
    return skipped


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
    with_model: WithModel = False,
) -> None:
    """Score the reply rules on a labelled set: precision and recall per intent, reasons,
    return dates, referrals; with --with-model, the rules plus the model too, side by side.
    Exit 1 when unsubscribe or out-of-office recall is below 1.0 or a return date is wrong."""
    from evals.reply_scoring import LABELLED, load_replies, score

    model = _reply_model() if with_model else None
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

    results = {RULES: score(loaded.cases, by_rules)}
    summary = ""
    if model is not None:
        results[WITH_MODEL], summary = asyncio.run(_score_with_model(loaded.cases, model))
    markdown = _markdown(results, summary)
    console.print(markdown, markup=False, highlight=False, soft_wrap=True)
    if report is not None:
        data: dict[str, Any] = {_key(name): r.to_dict() for name, r in results.items()}
        text = (
            json.dumps(data["rules"] if model is None else data, indent=2, default=str)
            if report.suffix == ".json"
            else markdown
        )
        try:
            report.write_text(text, encoding="utf-8")
        except OSError as exc:
            raise fail(f"cannot write {report}: {exc.strerror or exc}") from exc
    if any(not all(r.gates().values()) for r in results.values()) or loaded.errors:
        raise typer.Exit(1)


async def _score_with_model(cases: list[ReplyCase], model: ReplyModel) -> tuple[ReplyReport, str]:
    """Score the rules plus the model; say how many replies the model decided or failed on."""
    from evals.reply_scoring import score_async

    layers: list[ReplyVerdict] = []

    async def with_model(
        subject: str, text: str, headers: dict[str, str], received: dt.datetime | None
    ) -> ReplyVerdict:
        reply = ReplyText(subject=subject, text=text, headers=headers)
        verdict = await classify_reply(reply, received=received, model=model)
        layers.append(verdict)
        return verdict

    result = await score_async(cases, with_model)
    decided = sum(v.layer == "model" for v in layers)
    failed = sum(v.evidence.startswith((MODEL_FAILED, MODEL_UNREADABLE)) for v in layers)
    summary = (
        f"The model decided {decided} of {len(cases)} replies (the rules the rest); "
        f"it could not be asked or read on {failed} (the rules' verdict, for a person)."
    )
    return result, summary


def _key(column: str) -> str:
    """A column's key in the JSON report: rules, rules_and_model."""
    return column.replace(" + ", "_and_")


def _markdown(results: dict[str, ReplyReport], summary: str) -> str:
    """One report, or each report under its heading and then both side by side."""
    if len(results) == 1:
        return results[RULES].to_markdown()
    parts = [f"## {name.capitalize()}\n\n{r.to_markdown()}" for name, r in results.items()]
    return "\n".join([*parts, f"## Side by side\n\n{side_by_side(results)}\n{summary}\n"])


def side_by_side(results: Mapping[str, ReplyReport]) -> str:
    """Per-intent precision and recall of two classifiers on the same cases, in columns, and
    the cases the second got right that the first missed (and the reverse)."""
    from evals.reply_scoring import INTENTS

    scores = [r.per_intent for r in results.values()]
    head = " | ".join(f"precision {name} | recall {name}" for name in results)
    lines = [f"| intent | support | {head} |", "|---|---:|" + "---:|" * 2 * len(scores)]
    for intent in INTENTS:
        cells = [
            "–" if value is None else f"{value:.2f}"
            for s in scores
            for value in (s[intent].precision, s[intent].recall)
        ]
        lines.append(f"| {intent} | {scores[0][intent].support} | {' | '.join(cells)} |")
    lines.append("")
    lines += [f"- Intent accuracy, {name}: {r.accuracy}" for name, r in results.items()]
    first, second = (
        {m.id for m in r.misses if m.field == "intent"} for r in list(results.values())[:2]
    )
    for label, ids in (("Fixed by the model", first - second), ("Broken by it", second - first)):
        lines.append(f"- {label}: {len(ids)}" + (f" ({', '.join(sorted(ids))})" if ids else ""))
    return "\n".join(lines) + "\n"
