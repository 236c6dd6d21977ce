"""`outreach graph`, `outreach prompts` and `outreach config`: look at what would run."""

from __future__ import annotations

from rich.console import Console

from agent.settings import Settings
from prompts.loader import available_versions, load_prompt


def graph() -> None:
    """Print the lead pipeline as a Mermaid diagram."""
    from graphs.lead_pipeline import build_graph

    Console().print(build_graph().get_graph().draw_mermaid(), markup=False, highlight=False)


def prompts() -> None:
    """List prompt files, their versions and the hash of the newest."""
    from rich.table import Table

    table = Table(title="Prompts")
    for column in ("id", "versions", "newest", "sha256", "description"):
        table.add_column(column)
    for prompt_id in ("analyze", "generate"):
        newest = load_prompt(prompt_id)
        table.add_row(
            prompt_id,
            ", ".join(available_versions(prompt_id)),
            newest.version,
            newest.sha256[:12],
            newest.meta.description,
        )
    Console().print(table)


def config() -> None:
    """Show the effective settings (secrets masked) and which provider would run."""
    settings = Settings()
    console = Console()
    for key, value in settings.model_dump().items():
        shown = "********" if "key" in key and value else value
        console.print(f"{key} = {shown}", highlight=False, markup=False)
    console.print(f"[bold]provider that runs:[/] {settings.provider}")
