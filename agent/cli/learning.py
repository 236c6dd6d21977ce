"""`outreach learning show|reset|undo-reset --campaign ID`: what a campaign has learned from
its reviewers' edits and its replies, and starting it afresh.

`show` lists the edits the writer takes as examples, the phrasings it avoids and prefers, and
each segment's positive-reply odds per hook kind and tone with the prior; `reset` makes all of
that stop shaping drafts and priorities (nothing is deleted); `undo-reset` brings it back.
"""

from __future__ import annotations

import asyncio
import json
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from agent.cli.errors import USER_ERRORS, fail
from agent.learning.overview import reset_campaign_learning, show_learning, undo_campaign_reset
from agent.sequences.operations import campaign_ref, campaign_row
from agent.settings import Settings
from storage.database import Database

learning_app = typer.Typer(
    help="What a campaign learned from reviewers' edits and replies: show it, or reset it.",
    no_args_is_help=True,
)
CampaignOption = Annotated[
    str, typer.Option("--campaign", help="The campaign's name (or a unique prefix) or id.")
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print one JSON object.")]


async def _act(ref: str, what: str) -> dict[str, Any]:
    async with await Database.connect(Settings().database) as db:
        campaign_id = await campaign_ref(db, ref)
        async with db.sessions.begin() as session:
            row = await campaign_row(session, campaign_id)
            if what == "reset":
                await reset_campaign_learning(session, row)
            elif what == "undo" and not await undo_campaign_reset(session, row):
                raise LookupError(f"campaign {row.name!r} has no reset to undo")
            return await show_learning(session, row)


def _run(ref: str, what: str) -> dict[str, Any]:
    try:
        return asyncio.run(_act(ref, what))
    except (LookupError, *USER_ERRORS) as exc:
        raise fail(str(exc)) from None


def _print(view: dict[str, Any]) -> None:
    console = Console(highlight=False)
    since = f" since the reset of {view['since']}" if view["since"] else ""
    console.print(f"[bold]{escape(view['campaign'])}[/] (#{view['campaign_id']}): learned{since}")
    examples = ", ".join(f"#{e['message_id']} ({e['tone']})" for e in view["examples"])
    console.print(f"Examples (edited messages, most recent first): {examples or 'none yet'}")
    for label, key in (("Avoided", "avoid"), ("Preferred", "prefer")):
        phrasings = view[key]
        console.print(f"{label} phrasings: {'none' if not phrasings else ''}")
        for phrase in phrasings:
            console.print(f"  - {escape(phrase)}")
    prior = view["prior"]
    console.print(f"Prior over a positive-reply rate: Beta({prior['alpha']:g},{prior['beta']:g})")
    if not view["segments"]:
        console.print("No sent messages since then: the priority score has no reply chance.")
        return
    table = Table(title="Positive replies by segment, hook kind and tone", title_justify="left")
    for name in ("segment", "hook", "tone", "sent", "positive", "mean"):
        table.add_column(name, justify="right" if name in ("sent", "positive", "mean") else "left")
    for segment, found in view["segments"].items():
        for angle in found["angles"]:
            table.add_row(
                escape(segment),
                escape(angle["hook_kind"]),
                escape(angle["tone"]),
                str(angle["sent"]),
                str(angle["positive"]),
                f"{angle['mean']:.3f}",
            )
    console.print(table)


@learning_app.command("show")
def show(campaign: CampaignOption, as_json: JsonOption = False) -> None:
    """Show what the campaign learned since its last reset."""
    view = _run(campaign, "show")
    if as_json:
        typer.echo(json.dumps(view))
    else:
        _print(view)


@learning_app.command("reset")
def reset(campaign: CampaignOption, as_json: JsonOption = False) -> None:
    """Reset the campaign's learning: earlier edits and replies stop shaping it."""
    view = _run(campaign, "reset")
    if as_json:
        typer.echo(json.dumps(view))
    else:
        Console(highlight=False).print(
            f"Learning of {escape(view['campaign'])} reset at {view['since']}: later drafts "
            "and priorities start afresh (`outreach learning undo-reset` brings it back)."
        )


@learning_app.command("undo-reset")
def undo_reset(campaign: CampaignOption, as_json: JsonOption = False) -> None:
    """Undo the campaign's last reset: everything learned before it counts again."""
    view = _run(campaign, "undo")
    if as_json:
        typer.echo(json.dumps(view))
    else:
        _print(view)
