"""`outreach export`: a campaign's stored messages to a JSONL or CSV file."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from agent.cli.errors import fail
from agent.providers import ProviderConfigError
from agent.settings import Settings
from storage.database import Database
from storage.migrations import DatabaseNotMigrated


def export(
    campaign: Annotated[str, typer.Option(help="Campaign name.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="File to write.")],
    format: Annotated[str, typer.Option(help="jsonl or csv.")] = "jsonl",
) -> None:
    """Write a campaign's stored messages (selected draft, status, reason, cost) to a file.

    CSV cells that a spreadsheet would run as a formula (starting with =, +, -, @, ...) get a
    leading single quote; JSONL keeps every value as stored."""
    import json

    from storage.csv_export import write_csv
    from storage.export import EXPORT_COLUMNS, campaign_rows

    if format not in ("jsonl", "csv"):
        raise fail(f"--format must be jsonl or csv, not {format!r}")

    async def load() -> list[dict[str, object]]:
        async with await Database.connect(Settings().database) as db, db.sessions() as s:
            return await campaign_rows(s, campaign=campaign)

    try:
        rows = asyncio.run(load())
    except (DatabaseNotMigrated, ProviderConfigError) as exc:  # settings refused, e.g. mail
        raise fail(str(exc)) from None
    if not rows:
        raise fail(f"no stored messages for campaign {campaign!r}")
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="") as handle:
        if format == "csv":
            write_csv(handle, EXPORT_COLUMNS, rows)
        else:
            handle.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    Console().print(f"Wrote {len(rows)} messages of {campaign} to {out}", highlight=False)
