"""`outreach chat`: the operator chat in this terminal."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer
from rich.console import Console

from agent.cli.errors import USER_ERRORS, fail
from agent.settings import Settings


def chat(
    session: Annotated[
        str | None, typer.Option(help="Resume an earlier conversation by its session id.")
    ] = None,
    reviewer: Annotated[
        str | None, typer.Option(help="Your name, stored with review actions.")
    ] = None,
) -> None:
    """Work conversationally: ask about campaigns, leads and the review queue, run leads,
    approve, edit, reject or regenerate drafts, see analytics, explain decisions.

    With a model endpoint (OUTREACH_LLM_PROVIDER=openai) you ask in plain words; without one
    it is a command console ("queue", "approve 12 variant 2", "analytics Q1", "explain 7";
    type help). Sending, approving for send and deleting data ask you to confirm first. The
    conversation is stored in the database: resume it with --session.
    """
    import getpass

    from agent.operator.chat_terminal import chat_loop

    name = reviewer or getpass.getuser()
    try:
        asyncio.run(chat_loop(Settings(), Console(), session_id=session, reviewer=name))
    except USER_ERRORS as exc:
        raise fail(str(exc)) from None
    except KeyboardInterrupt:
        raise typer.Exit(130) from None
