"""`outreach tasks`: the LinkedIn steps and calls of sequences, for a person to do.

A sequence step that no API can send (a LinkedIn connection request or message, a phone call)
becomes a task: the text to paste, or a call script. List what is due, show one to copy from,
and mark it done or skipped; the sequence moves on to its next step from there.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from agent.cli.errors import fail
from agent.replies.booking import Booked, NotBookable, book_slot
from agent.sequences.tasks import FinishRefused, TaskView, finish_in, open_tasks, show_task
from agent.settings import Settings
from storage.database import Database
from storage.migrations import DatabaseNotMigrated
from storage.stage_changes import StageConflict
from storage.tasks import TaskNotOpen, TaskOutcome
from tools.facts import utc_now

tasks_app = typer.Typer(
    help="Tasks for a person: the LinkedIn steps and calls of campaign sequences, and draft "
    "answers to hot replies (interest, a meeting request, a question). Without a subcommand, "
    "lists the open tasks that are due now or overdue, the oldest first. `tasks show ID` "
    "prints the text to paste, the call script or the draft answer with its slots; `tasks "
    "done ID` and `tasks skip ID` record what happened, and the sequence goes on to its next "
    "step; `tasks book ID N` books the slot a lead accepted and writes the invite.",
    short_help="Tasks for a person (LinkedIn steps, calls, replies): list, show, done, book.",
    invoke_without_command=True,
)
USER_ERRORS = (LookupError, TaskNotOpen, DatabaseNotMigrated, FinishRefused, StageConflict)


class StatusChoice(StrEnum):
    """Which tasks to list by status."""

    OPEN = "open"
    DONE = "done"
    SKIPPED = "skipped"
    ANY = "any"


AllOption = Annotated[
    bool, typer.Option("--all", help="Also tasks due later (and, without --status, finished ones).")
]
StatusOption = Annotated[
    StatusChoice | None, typer.Option(help="Only tasks with this status (default: open).")
]
CampaignOption = Annotated[str | None, typer.Option(help="Only this campaign (name or id).")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON object per line.")]
TaskId = Annotated[int, typer.Argument(help="Task id (from `outreach tasks`).")]
NoteOption = Annotated[
    str | None, typer.Option(help="What happened (e.g. 'left a voicemail'), kept with the task.")
]


def _when(moment: dt.datetime | None) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC") if moment else "-"


def _due(view: TaskView, now: dt.datetime) -> str:
    overdue = view.status == "open" and view.due_at <= now
    return f"[red]{_when(view.due_at)}[/]" if overdue else _when(view.due_at)


def _table(views: list[TaskView], total: int, now: dt.datetime) -> Table:
    shown = f"{len(views)} of {total}" if total > len(views) else str(total)
    table = Table(title=f"Tasks ({shown})", title_justify="left")
    table.add_column("id", justify="right", no_wrap=True)
    table.add_column("due", no_wrap=True)
    table.add_column("kind", no_wrap=True)
    table.add_column("lead")
    table.add_column("company")
    table.add_column("title", ratio=2)
    table.add_column("link", overflow="fold")
    for view in views:
        status = "" if view.status == "open" else f"\n[dim]{view.status}[/]"
        table.add_row(
            str(view.id),
            _due(view, now) + status,
            view.kind,
            escape(view.lead),
            escape(view.company),
            escape(view.title),
            escape(view.link or "-"),
        )
    return table


def _list(
    all_tasks: bool, status: StatusChoice | None, campaign: str | None, as_json: bool
) -> None:
    chosen = status or (StatusChoice.ANY if all_tasks else StatusChoice.OPEN)
    wanted = None if chosen is StatusChoice.ANY else chosen.value
    now = utc_now()
    # "Due now" applies to open tasks: a finished task is listed whenever it was due.
    due_before = None if all_tasks or wanted != "open" else now
    try:
        views, total = asyncio.run(
            open_tasks(Settings(), status=wanted, campaign=campaign, due_before=due_before)
        )
    except USER_ERRORS as exc:
        raise fail(str(exc)) from None
    if as_json:
        for view in views:
            typer.echo(json.dumps(view.as_dict()))
        return
    console = Console()
    if not views:
        what = f"{wanted} tasks" if wanted else "tasks"
        later = " due now (`outreach tasks --all` shows later ones too)" if due_before else ""
        console.print(f"No {what}{later}.", highlight=False)
        return
    console.print(_table(views, total, now))


@tasks_app.callback()
def tasks(
    ctx: typer.Context,
    all_tasks: AllOption = False,
    status: StatusOption = None,
    campaign: CampaignOption = None,
    as_json: JsonOption = False,
) -> None:
    """List the tasks due now (without a subcommand)."""
    if ctx.invoked_subcommand is None:
        _list(all_tasks, status, campaign, as_json)


@tasks_app.command("list")
def list_command(
    all_tasks: AllOption = False,
    status: StatusOption = None,
    campaign: CampaignOption = None,
    as_json: JsonOption = False,
) -> None:
    """List open tasks due now or overdue, the oldest first (--all: also later ones)."""
    _list(all_tasks, status, campaign, as_json)


def _section(console: Console, heading: str, text: str) -> None:
    """Print a heading and text as is (soft-wrapped, so copying it adds no line breaks)."""
    console.print(f"\n[bold]{heading}[/]")
    console.print(escape(text), soft_wrap=True, highlight=False)


def _print_script(console: Console, script: dict[str, Any], view: TaskView) -> None:
    if not script.get("opener"):
        console.print("\nNo script could be written: call from the lead's details.")
        return
    _section(console, "Opener", str(script.get("opener", "")))
    _section(console, "Why we call", str(script.get("reason", "")))
    for fact in view.reason_facts:
        source = escape(fact["source_url"])
        console.print(
            f"[dim]  fact {escape(fact['id'])}: {escape(fact['text'])} ({source})[/]",
            soft_wrap=True,
            highlight=False,
        )
    questions = [str(q) for q in script.get("discovery_questions") or []]
    _section(console, "Questions", "\n".join(f"{i}. {q}" for i, q in enumerate(questions, 1)))
    console.print("\n[bold]If they say[/]")
    for item in script.get("objections") or []:
        if isinstance(item, dict):
            console.print(
                f"• {escape(str(item.get('objection', '')))}\n"
                f"  → {escape(str(item.get('answer', '')))}",
                soft_wrap=True,
                highlight=False,
            )
    _section(console, "Voicemail", view.body)


def _print_answer(console: Console, view: TaskView) -> None:
    """A reply task: what the lead said, the draft to edit and send, the slots to book."""
    _section(console, "They wrote", str(view.script.get("evidence", "")))
    _section(console, "Draft answer (edit, then send it yourself)", view.body)
    slots = view.script.get("slots") or []
    if slots:
        console.print("\n[bold]Slots offered[/] (book one: outreach tasks book ID N)")
        for number, slot in enumerate(slots, 1):
            console.print(f"  {number}. {escape(str(slot.get('label', '')))}", highlight=False)
    for need in view.script.get("needs") or []:
        console.print(f"[yellow]  • {escape(str(need))}[/]", soft_wrap=True, highlight=False)


def render_task(console: Console, view: TaskView, now: dt.datetime) -> None:
    """Print a task to work from: who, when, where, and the text or script to copy."""
    console.print(
        f"[bold]Task {view.id}[/] · {view.kind} · {view.status} · due {_due(view, now)}",
        highlight=False,
    )
    console.print(escape(view.title), soft_wrap=True, highlight=False)
    console.print(
        f"Lead: {escape(view.lead)}, {escape(view.company)} · campaign {escape(view.campaign)}",
        soft_wrap=True,
        highlight=False,
    )
    where = {"call": "Phone", "reply": "Booking link"}.get(view.kind, "Profile")
    console.print(f"{where}: {escape(view.link or 'not on file')}", soft_wrap=True, highlight=False)
    if view.issues:
        console.print("\n[bold yellow]The script failed checks; read it before you call:[/]")
        for issue in view.issues:
            console.print(f"[yellow]  ✗ {escape(issue)}[/]", soft_wrap=True, highlight=False)
    if view.kind == "call":
        _print_script(console, view.script, view)
    elif view.kind == "reply":
        _print_answer(console, view)
    else:
        _section(console, "Text to paste", view.body)
    if view.status != "open":
        finished = f"\n{view.status} at {_when(view.completed_at)}"
        console.print(finished + (f": {escape(view.note)}" if view.note else ""), highlight=False)


@tasks_app.command("show")
def show_command(task_id: TaskId, as_json: JsonOption = False) -> None:
    """Show a task: the text to paste on LinkedIn, or the full call script."""
    try:
        view = asyncio.run(show_task(Settings(), task_id))
    except USER_ERRORS as exc:
        raise fail(str(exc)) from None
    if as_json:
        typer.echo(json.dumps(view.as_dict()))
        return
    render_task(Console(), view, utc_now())


def _finish(
    task_id: int, outcome: TaskOutcome, note: str | None, meeting_booked: bool = False
) -> None:
    try:
        view = asyncio.run(
            finish_in(
                Settings(),
                task_id,
                outcome=outcome,
                note=note,
                meeting_booked=meeting_booked,
                now=utc_now(),
            )
        )
    except USER_ERRORS as exc:
        raise fail(str(exc)) from None
    Console().print(
        f"Task {view.id} marked {outcome}{', meeting booked' if meeting_booked else ''}: "
        f"{escape(view.title)}",
        soft_wrap=True,
        highlight=False,
    )


@tasks_app.command("done")
def done_command(
    task_id: TaskId,
    note: NoteOption = None,
    meeting_booked: Annotated[
        bool,
        typer.Option(
            "--meeting-booked",
            help="A call: the lead agreed to a meeting (marked meeting_booked; sequences stop).",
        ),
    ] = False,
) -> None:
    """Mark a task done (you sent the request or message, or made the call)."""
    _finish(task_id, "done", note, meeting_booked)


@tasks_app.command("skip")
def skip_command(task_id: TaskId, note: NoteOption = None) -> None:
    """Skip a task (not worth doing for this lead); the sequence still goes on."""
    _finish(task_id, "skipped", note)


async def _book(settings: Settings, task_id: int, slot: int) -> Booked:
    async with await Database.connect(settings.database) as db:
        return await book_slot(db, settings, task_id, slot, now=utc_now())


@tasks_app.command("book")
def book_command(
    task_id: TaskId,
    slot: Annotated[int, typer.Argument(min=1, max=10, help="The slot the lead accepted.")],
) -> None:
    """Book a slot a reply task offered (the lead accepted it): writes the ICS invite to send
    them, marks the lead meeting booked and the task done."""
    try:
        booked = asyncio.run(_book(Settings(), task_id, slot))
    except (*USER_ERRORS, NotBookable, StageConflict) as exc:
        raise fail(str(exc)) from None
    Console().print(
        f"Booked: {escape(booked.task.lead)} is now meeting booked. Send them the invite "
        f"{escape(str(booked.invite_file))}.",
        soft_wrap=True,
        highlight=False,
    )
