"""How the command line reports a problem the user can fix."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.markup import escape

from agent.campaigns.files import CampaignFileError
from agent.leads.read_errors import LeadFileError
from agent.providers import ProviderConfigError
from agent.runs.store import RunNotResumable
from agent.shared_limits import SharedLimitsUnavailable
from agent.workers.distributed_settings import DistributedNotConfigured
from prompts.loader import PromptError
from storage.migrations import DatabaseNotMigrated

USER_ERRORS = (
    CampaignFileError, LeadFileError, PromptError, ProviderConfigError, DatabaseNotMigrated,
    RunNotResumable, DistributedNotConfigured, SharedLimitsUnavailable,
)  # fmt: skip
"""Errors whose message tells the user what to fix: printed as one line, never a traceback."""


def fail(message: str) -> typer.Exit:
    """Print a readable error on stderr and return the exit to raise (code 1)."""
    Console(stderr=True).print(f"[bold red]Error:[/] {escape(message)}")
    return typer.Exit(code=1)
