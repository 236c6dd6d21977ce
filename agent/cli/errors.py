"""How the command line reports a problem the user can fix."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.markup import escape


def fail(message: str) -> typer.Exit:
    """Print a readable error on stderr and return the exit to raise (code 1)."""
    Console(stderr=True).print(f"[bold red]Error:[/] {escape(message)}")
    return typer.Exit(code=1)
