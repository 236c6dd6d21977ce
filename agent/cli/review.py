"""`outreach review`: work through the review queue, interactively or one command at a time."""

from __future__ import annotations

import asyncio
import getpass
import json
import os
import shlex
import subprocess
import tempfile
from pathlib import Path
from typing import Annotated, Any

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table

from agent.cli.errors import fail
from agent.review.queue import (
    PendingItem,
    ReviewError,
    ReviewResult,
    act,
    list_pending,
    show_item,
)
from agent.settings import Settings
from graphs.drafts import Tone
from graphs.review_log import ReviewAction
from storage.migrations import DatabaseNotMigrated

review_app = typer.Typer(
    help="Review queued messages: approve (choosing a variant), edit then approve, reject, or "
    "regenerate with an instruction. Run without a subcommand for the interactive flow.",
    invoke_without_command=True,
)

Expect = Annotated[
    int | None,
    typer.Option(
        "--expect-version",
        help="Refuse if the message changed since you saw this version (see `review show`).",
    ),
]
Version = Annotated[
    int,
    typer.Option(
        "--expect-version",
        help="The version you reviewed (shown by `review list` and `review show`); the action "
        "is refused if the message changed since, so you never send text you did not see.",
    ),
]
Reviewer = Annotated[str, typer.Option(help="Your name, stored with the action.")]


def _default_reviewer() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "reviewer"


def _pending_table(items: list[PendingItem]) -> Table:
    table = Table(title=f"Review queue ({len(items)} waiting)", title_justify="left")
    table.add_column("id (version)", justify="right", no_wrap=True)
    table.add_column("lead", ratio=2)
    table.add_column("best draft", no_wrap=True)
    table.add_column("why queued (full text: review show ID)", ratio=3)
    for item in items:
        quality = f"{item.quality:.2f}" if item.quality is not None else "-"
        table.add_row(
            f"{item.id} (v{item.version})",
            f"{item.lead}\n[dim]{item.company} · {item.campaign}[/]",
            f"{item.selected_variant or '-'}\nquality {quality}",
            item.reason if len(item.reason) <= 90 else item.reason[:89] + "…",
        )
    return table


def render_item(console: Console, item: dict[str, Any]) -> None:
    """Show a queued item: why it waits, each draft with its score, issues and evidence."""
    lead = item.get("lead") or {}
    console.print(
        f"[bold]Message {item['id']}[/] (version {item['version']}, {item['status']}) · "
        f"{escape(lead.get('name', '?'))} at {escape(lead.get('company', '?'))} · "
        f"{item.get('channel', '')}"
    )
    console.print(f"[bold]Why it is queued:[/] {escape(item.get('reason') or '')}")
    if item.get("feedback"):
        console.print(f"[bold yellow]Last action not applied:[/] {escape(item['feedback'])}")
    for variant in item.get("variants", []):
        score = variant.get("score")
        mark = "" if variant["tone"] != item.get("selected_variant") else " · selected"
        head = f"{variant['tone']}{mark}" + (f" · quality {score:.2f}" if score is not None else "")
        lines = []
        if variant.get("subject"):
            lines.append(f"[bold]Subject:[/] {escape(variant['subject'])}\n")
        lines.append(escape(variant["body"]))
        for issue in variant.get("issues") or []:
            lines.append(f"\n[yellow]✗ {escape(issue)}[/]")
        if variant.get("hooks"):
            lines.append("\n[bold]Evidence behind each hook:[/]")
            for hook in variant["hooks"]:
                lines.append(f"  • {escape(hook['text'])}")
                for fact in hook.get("facts", []):
                    lines.append(
                        f"      {escape(fact['text'])}  [dim]{escape(fact['source_url'])}[/]"
                    )
        console.print(Panel("\n".join(lines), title=head, title_align="left"))


def _report(console: Console, result: ReviewResult) -> None:
    if result.feedback:
        console.print(
            f"[bold yellow]Not applied:[/] {escape(result.feedback)}\n"
            f"Message {result.message_id} stays in the queue (version {result.version})."
        )
        return
    where = ""
    if result.delivery:
        where = f" via {result.delivery['provider']} ({result.delivery['message_id']})"
    console.print(
        f"[bold]Message {result.message_id}:[/] {result.status}{where} — {escape(result.reason)}"
    )


def _act(message_id: int, action: ReviewAction, expect: int | None) -> ReviewResult:
    try:
        return asyncio.run(act(Settings(), message_id, action, expected_version=expect))
    except (ReviewError, DatabaseNotMigrated) as exc:
        raise fail(str(exc)) from None


def _action(**fields: Any) -> ReviewAction:
    try:
        return ReviewAction(**fields)
    except ValidationError as exc:
        raise fail(exc.errors()[0]["msg"].removeprefix("Value error, ")) from None


@review_app.callback()
def review(
    ctx: typer.Context,
    campaign: Annotated[str | None, typer.Option(help="Only this campaign.")] = None,
    reviewer: Reviewer = "",
) -> None:
    """Review queued messages (interactive when no subcommand is given)."""
    if ctx.invoked_subcommand is None:
        interactive(campaign=campaign, reviewer=reviewer or _default_reviewer())


@review_app.command("list")
def list_command(
    campaign: Annotated[str | None, typer.Option(help="Only this campaign.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON lines.")] = False,
) -> None:
    """List the messages waiting for review."""
    try:
        items = asyncio.run(list_pending(Settings(), campaign=campaign))
    except DatabaseNotMigrated as exc:
        raise fail(str(exc)) from None
    console = Console()
    if as_json:
        for item in items:
            console.print_json(json.dumps(item.__dict__))
        return
    if not items:
        console.print("The review queue is empty.")
        return
    console.print(_pending_table(items))


@review_app.command("show")
def show_command(
    message_id: Annotated[int, typer.Argument(help="Message id (from `review list`).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show a queued message: every draft, its score and issues, and the facts behind its hooks."""
    try:
        item = asyncio.run(show_item(Settings(), message_id))
    except (ReviewError, DatabaseNotMigrated) as exc:
        raise fail(str(exc)) from None
    if as_json:
        Console().print_json(json.dumps(item, default=str))
    else:
        render_item(Console(), item)


@review_app.command("approve")
def approve_command(
    message_id: Annotated[int, typer.Argument(help="Message id.")],
    expect_version: Version,
    variant: Annotated[Tone | None, typer.Option(help="Variant to send (default: best).")] = None,
    reviewer: Reviewer = "",
) -> None:
    """Approve a message and send it (optionally choosing the variant)."""
    action = _action(action="approve", tone=variant, reviewer=reviewer or _default_reviewer())
    _report(Console(), _act(message_id, action, expect_version))


@review_app.command("edit")
def edit_command(
    message_id: Annotated[int, typer.Argument(help="Message id.")],
    expect_version: Version,
    body_file: Annotated[
        Path | None, typer.Option(help="File with the new message text ('-' for stdin).")
    ] = None,
    body: Annotated[str | None, typer.Option(help="The new message text.")] = None,
    subject: Annotated[str | None, typer.Option(help="New subject (email).")] = None,
    variant: Annotated[Tone | None, typer.Option(help="Variant to edit (default: best).")] = None,
    reviewer: Reviewer = "",
) -> None:
    """Edit a draft and approve it; the critic re-checks the edit before it is sent."""
    if body_file is not None and str(body_file) == "-":
        body = typer.get_text_stream("stdin").read()
    elif body_file is not None:
        if not body_file.is_file():
            raise fail(f"--body-file: {body_file} does not exist")
        body = body_file.read_text(encoding="utf-8")
    action = _action(
        action="edit",
        tone=variant,
        body=body,
        subject=subject,
        reviewer=reviewer or _default_reviewer(),
    )
    _report(Console(), _act(message_id, action, expect_version))


@review_app.command("reject")
def reject_command(
    message_id: Annotated[int, typer.Argument(help="Message id.")],
    reason: Annotated[str, typer.Option(help="Why (stored with the message).")],
    expect_version: Expect = None,
    reviewer: Reviewer = "",
) -> None:
    """Reject a message: it is never sent."""
    action = _action(action="reject", reason=reason, reviewer=reviewer or _default_reviewer())
    _report(Console(), _act(message_id, action, expect_version))


@review_app.command("regenerate")
def regenerate_command(
    message_id: Annotated[int, typer.Argument(help="Message id.")],
    instruction: Annotated[str, typer.Option(help="What to change, e.g. 'shorter'.")],
    expect_version: Expect = None,
    reviewer: Reviewer = "",
) -> None:
    """Rewrite the drafts following an instruction; they come back to the queue for review."""
    action = _action(
        action="regenerate", instruction=instruction, reviewer=reviewer or _default_reviewer()
    )
    _report(Console(), _act(message_id, action, expect_version))


def _open_in_editor(text: str) -> str:
    """Edit text in $VISUAL/$EDITOR; without one, read the new text from the terminal."""
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if not editor:
        typer.echo("No $EDITOR set: type the new text, then a line with a single '.' to finish.")
        lines: list[str] = []
        while (line := input()) != ".":
            lines.append(line)
        return "\n".join(lines)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "draft.txt"
        path.write_text(text, encoding="utf-8")
        subprocess.run([*shlex.split(editor), str(path)], check=True)
        return path.read_text(encoding="utf-8")


def _edit_text(item: dict[str, Any], tone: str) -> tuple[str | None, str] | None:
    """Open the draft in $EDITOR; return (subject, body), or None when nothing changed."""
    variant = next(v for v in item["variants"] if v["tone"] == tone)
    original = (f"Subject: {variant['subject']}\n\n" if variant.get("subject") else "") + variant[
        "body"
    ]
    edited = _open_in_editor(original)
    if not edited.strip() or edited.strip() == original.strip():
        return None
    subject = None
    text = edited.strip()
    if text.startswith("Subject:"):
        first, _, text = text.partition("\n")
        subject = first.removeprefix("Subject:").strip()
    return subject, text.strip()


def interactive(*, campaign: str | None, reviewer: str) -> None:
    """Loop: list the queue, open an item, act on it, until the queue is empty or you quit."""
    console = Console()
    settings = Settings()
    while True:
        try:
            items = asyncio.run(list_pending(settings, campaign=campaign))
        except DatabaseNotMigrated as exc:
            raise fail(str(exc)) from None
        if not items:
            console.print("The review queue is empty.")
            return
        console.print(_pending_table(items))
        choice = typer.prompt("Open which message? (id, or q to quit)", default=str(items[0].id))
        if choice.strip().lower() in ("q", "quit"):
            return
        if not choice.strip().isdigit():
            console.print(f"[red]{escape(choice)!s} is not a message id[/]")
            continue
        try:
            item = asyncio.run(show_item(settings, int(choice)))
        except ReviewError as exc:
            console.print(f"[red]{escape(str(exc))}[/]")
            continue
        render_item(console, item)
        if not item["paused"]:
            console.print("[yellow]This message is not paused for review.[/]")
            continue
        verb = (
            typer.prompt(
                "[a]pprove, [e]dit, [r]eject, [g]enerate again, [s]kip, [q]uit", default="s"
            )
            .strip()
            .lower()[:1]
        )
        tones = [v["tone"] for v in item["variants"]]
        default_tone = item.get("selected_variant") or (tones[0] if tones else "professional")
        fields: dict[str, Any] = {"reviewer": reviewer}
        if verb == "q":
            return
        if verb == "a":
            fields.update(action="approve", tone=typer.prompt("Variant", default=default_tone))
        elif verb == "e":
            tone = typer.prompt("Variant to edit", default=default_tone)
            if tone not in tones:
                console.print(f"[red]no {escape(tone)} draft[/]")
                continue
            edited = _edit_text(item, tone)
            if edited is None:
                console.print("No changes; nothing done.")
                continue
            fields.update(action="edit", tone=tone, subject=edited[0], body=edited[1])
        elif verb == "r":
            fields.update(action="reject", reason=typer.prompt("Reason"))
        elif verb == "g":
            fields.update(action="regenerate", instruction=typer.prompt("Instruction"))
        else:
            continue
        try:
            action = ReviewAction(**fields)
            result = asyncio.run(
                act(settings, item["id"], action, expected_version=item["version"])
            )
        except (ReviewError, ValidationError) as exc:
            console.print(f"[red]{escape(str(exc))}[/]")
            continue
        _report(console, result)
