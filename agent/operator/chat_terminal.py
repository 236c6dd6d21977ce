"""`outreach chat` in a terminal: read the operator's messages, render the agent's turns.

Input: one line per message; end a line with a backslash to continue on the next, or wrap a
block in lines of three double quotes. Slash commands: /help, /new, /session, /quit. The agent's
reply streams as it is written, tool calls show as one dim line, results as Rich tables, and
actions with outside effects ask for a yes before they run. Every piece of data is printed as
plain text (never as Rich markup), so scraped text cannot restyle the screen.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table
from rich.text import Text

from agent.operator.chat_session import (
    AnswerRefused,
    ChatSession,
    ConfirmRequest,
    Event,
    Token,
    ToolCall,
    ToolProgress,
    ToolResult,
)
from agent.operator.commands import COMMAND_HELP
from agent.operator.views import View
from agent.settings import Settings

BLOCK = '"""'
SLASH_HELP = """Slash commands:
  /help      this help
  /new       start a new conversation
  /session   show this conversation's id (resume it with `outreach chat --session ID`)
  /quit      leave (Ctrl-D works too)
Multi-line input: end a line with \\ to continue it, or put the text between two lines of \"\"\"."""
MODEL_HELP = """Ask in plain words, for example:
  research leads 4 and 5 for the Q1 campaign
  why was message 7 queued?
  make variant 2 of message 12 friendlier and approve it
  how is the Q1 campaign doing?
Sending, approving for send and deleting data always ask you to confirm first."""

Reader = Callable[[str], str]


def read_message(read: Reader) -> str | None:
    """Read one message (possibly several lines); None at end of input."""
    try:
        first = read("you> ")
    except EOFError:
        return None
    if first.strip() == BLOCK:
        lines: list[str] = []
        while True:
            try:
                line = read("...> ")
            except EOFError:
                break
            if line.strip() == BLOCK:
                break
            lines.append(line)
        return "\n".join(lines)
    lines = [first]
    while lines[-1].endswith("\\"):
        lines[-1] = lines[-1][:-1]
        try:
            lines.append(read("...> "))
        except EOFError:
            break
    return "\n".join(lines)


def render_view(console: Console, view: View, *, style: str = "bold") -> None:
    """Print a tool's view: its title, its lines, and its table if it has one."""
    console.print(Text(view.title, style=style))
    for line in view.lines:
        console.print(Text(line))
    if view.columns and view.rows:
        table = Table(show_header=True, header_style="bold", show_lines=False)
        for column in view.columns:
            table.add_column(column, overflow="fold")
        for row in view.rows:
            table.add_row(*(Text(cell) for cell in row))
        console.print(table)


def _args(args: dict[str, object]) -> str:
    shown = ", ".join(f"{key}={value!r}" for key, value in args.items())
    return shown if len(shown) <= 100 else shown[:99] + "…"


class ToolProgressBar:
    """A progress bar for a long tool, with a line per finished item printed above it."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.bar: Progress | None = None
        self.task = TaskID(0)

    def show(self, event: ToolProgress) -> None:
        """Advance the bar and print the item that just finished."""
        update = event.update
        if self.bar is None:
            self.bar = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=self.console,
                transient=True,
            )
            self.bar.start()
            self.task = self.bar.add_task(event.name, total=update.total)
        line = f"  {update.done}/{update.total} {update.item}"
        self.bar.console.print(Text(f"{line} — {update.outcome}" if update.outcome else line))
        self.bar.update(self.task, completed=update.done, total=update.total)

    def stop(self) -> None:
        """Remove the bar (the printed lines stay)."""
        if self.bar is not None:
            self.bar.stop()
            self.bar = None


async def render_turn(console: Console, events: AsyncIterator[Event]) -> ConfirmRequest | None:
    """Render one turn; return the confirmation it ended waiting for, if any."""
    bar = ToolProgressBar(console)
    try:
        return await _render_events(console, events, bar)
    finally:
        bar.stop()


async def _render_events(
    console: Console, events: AsyncIterator[Event], bar: ToolProgressBar
) -> ConfirmRequest | None:
    writing = False
    waiting: ConfirmRequest | None = None
    async for event in events:
        if isinstance(event, Token):
            if not writing:
                console.print(Text("agent> ", style="bold cyan"), end="")
                writing = True
            console.print(Text(event.text), end="")
            console.file.flush()
            continue
        if writing:
            console.print()
            writing = False
        if isinstance(event, ToolCall):
            console.print(Text(f"→ {event.name}({_args(event.args)})", style="dim"))
        elif isinstance(event, ToolProgress):
            bar.show(event)
        elif isinstance(event, ToolResult):
            bar.stop()
            if event.declined:
                continue  # the confirmation prompt already said "nothing was done"
            render_view(console, event.view, style="bold red" if event.error else "bold")
        elif isinstance(event, ConfirmRequest):
            waiting = event
    if writing:
        console.print()
    return waiting


def ask_confirmation(console: Console, read: Reader, request: ConfirmRequest) -> bool:
    """Show what would happen and return the operator's yes (anything else is no)."""
    console.print(Text("Confirm — this has effects outside the chat:", style="bold yellow"))
    for action in request.actions:
        console.print(Text(f"  • {action['description']}"))
    try:
        answer = read("Go ahead? [y/N] ")
    except (EOFError, KeyboardInterrupt):
        return False
    return answer.strip().lower() in ("y", "yes")


async def converse(
    chat: ChatSession, console: Console, read: Reader, events: AsyncIterator[Event]
) -> None:
    """Render a turn and every confirmation it leads to."""
    waiting = await _render_answerable(console, events)
    while waiting is not None:
        yes = await asyncio.to_thread(ask_confirmation, console, read, waiting)
        if not yes:
            console.print(Text("Not confirmed: nothing was done.", style="yellow"))
        waiting = await _render_answerable(console, chat.answer(yes, waiting.question_id))


async def _render_answerable(
    console: Console, events: AsyncIterator[Event]
) -> ConfirmRequest | None:
    """Render a turn; an answer refused (another window answered first) is said, not raised."""
    try:
        return await render_turn(console, events)
    except AnswerRefused as refused:  # the browser console answered this question
        console.print(Text(f"Not done: {refused}.", style="yellow"))
        return None


async def chat_loop(
    settings: Settings,
    console: Console,
    *,
    session_id: str | None = None,
    reviewer: str = "operator",
    read: Reader = input,
) -> None:
    """Run the conversation until /quit or end of input."""
    async with ChatSession.open(settings, session_id=session_id, reviewer=reviewer) as chat:
        console.print(Text("Outreach Architect operator chat", style="bold"))
        if chat.offline:
            console.print(
                Text(
                    "Offline command console: no model endpoint is configured, so type commands "
                    "(`help` lists them). Natural-language chat needs a model endpoint: set "
                    "OUTREACH_LLM_PROVIDER=openai with OUTREACH_LLM_BASE_URL / "
                    "OUTREACH_LLM_API_KEY."
                )
            )
        console.print(Text(f"Session {chat.session_id} · /help for help · /quit to leave"))
        if session_id and (earlier := await chat.history()):
            console.print(Text(f"Resumed: {len(earlier)} earlier message(s).", style="dim"))
        pending = await chat.pending_confirmation()
        if pending is not None:
            yes = await asyncio.to_thread(ask_confirmation, console, read, pending)
            await converse(chat, console, read, chat.answer(yes, pending.question_id))
        while True:
            text = await asyncio.to_thread(read_message, read)
            if text is None or text.strip() in ("/quit", "/exit"):
                if text is None:
                    console.print()  # end the prompt line Ctrl-D left open
                console.print(Text(f"Bye. Resume with: outreach chat --session {chat.session_id}"))
                return
            command = text.strip()
            if not command:
                continue
            if command in ("/help", "/?") or (chat.offline and command in ("help", "?")):
                console.print(Text(COMMAND_HELP if chat.offline else MODEL_HELP))
                console.print(Text(SLASH_HELP, style="dim"))
                continue
            if command == "/new":
                console.print(Text(f"New conversation: session {chat.start_new()}"))
                continue
            if command == "/session":
                console.print(Text(f"Session {chat.session_id}"))
                continue
            try:
                await converse(chat, console, read, chat.say(text))
            except KeyboardInterrupt:
                console.print(Text("Interrupted.", style="yellow"))
            except Exception as exc:  # the model endpoint failed (down, 429, bad reply)
                console.print(
                    Text(
                        f"Error: the turn failed ({type(exc).__name__}: {exc}). Nothing more "
                        "was done; try again, or check OUTREACH_LLM_BASE_URL.",
                        style="red",
                    )
                )
