"""`outreach serve` and `outreach api-key`: run the REST API and manage its keys."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from agent.campaigns.files import CampaignFileError, load_campaign
from agent.cli.errors import fail
from agent.settings import Settings
from storage.api_keys import issue_key, list_keys, revoke_key
from storage.database import Database
from storage.migrations import DatabaseNotMigrated

T = TypeVar("T")
SERVER_APP = "server.app:app_from_settings"
"""The REST API's app factory, by import string: the command line does not import the server."""
CAMPAIGN_DEFAULTS_ENV = "OUTREACH_CAMPAIGN_DEFAULTS"
keys_app = typer.Typer(
    help="API keys for the REST API: create one per client; only a hash is stored.",
    no_args_is_help=True,
)


def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8001,
    campaign_defaults: Annotated[
        Path | None,
        typer.Option(
            "--campaign-defaults",
            help="A campaign YAML whose sender, value proposition and call to action new "
            "API campaigns start from.",
        ),
    ] = None,
) -> None:
    """Serve the REST API (OpenAPI docs at /docs). Every /api/v1 call needs an API key."""
    import uvicorn

    if campaign_defaults is not None:
        # The app builds itself from the settings (uvicorn's factory), so the option goes into
        # the environment this process serves from, as an absolute path.
        os.environ[CAMPAIGN_DEFAULTS_ENV] = str(campaign_defaults.resolve())
    settings = Settings()
    if settings.campaign_defaults is not None:  # from the option, the environment or the file
        try:  # read here too, so that a bad file is one line rather than a startup traceback
            load_campaign(settings.campaign_defaults)
        except CampaignFileError as exc:
            raise fail(str(exc)) from None

    async def prepare() -> None:
        async with await Database.connect(settings.database):
            pass

    # Checked before uvicorn starts: a refused schema is then one line, not a startup traceback.
    _run(prepare)
    Console().print(f"Outreach Architect API on http://{host}:{port} (docs: /docs)")
    uvicorn.run(SERVER_APP, factory=True, host=host, port=port, log_level="info")


def _run(coro_factory: Callable[[], Coroutine[Any, Any, T]]) -> T:
    try:
        return asyncio.run(coro_factory())
    except DatabaseNotMigrated as exc:
        raise fail(str(exc)) from None


@keys_app.command("create")
def create_key(
    name: Annotated[str, typer.Argument(help="Who the key is for, e.g. 'crm-sync'.")],
) -> None:
    """Create a key and print it once; store it in your client's secrets."""

    async def go() -> tuple[int, str]:
        async with (
            await Database.connect(Settings().database) as db,
            db.sessions.begin() as session,
        ):
            row, key = await issue_key(session, name=name)
            return row.id, key

    key_id, key = _run(go)
    Console().print(f"API key {key_id} for {name} (shown once, keep it secret):")
    print(key)


@keys_app.command("list")
def list_api_keys() -> None:
    """List keys by id, name and prefix (the keys themselves are not stored)."""

    async def go() -> list[tuple[int, str, str, str, str]]:
        async with (
            await Database.connect(Settings().database) as db,
            db.sessions() as session,
        ):
            return [
                    (
                        r.id, r.name, r.prefix + "…", f"{r.created_at:%Y-%m-%d %H:%M}",
                        f"{r.revoked_at:%Y-%m-%d %H:%M}" if r.revoked_at else "",
                    )
                    for r in await list_keys(session)
                ]  # fmt: skip

    table = Table("id", "name", "prefix", "created", "revoked")
    for row in _run(go):
        table.add_row(*(str(v) for v in row))
    Console().print(table)


@keys_app.command("revoke")
def revoke(key_id: Annotated[int, typer.Argument(help="The key's id (see `list`).")]) -> None:
    """Revoke a key: requests with it get 401 from now on."""

    async def go() -> bool:
        async with (
            await Database.connect(Settings().database) as db,
            db.sessions.begin() as session,
        ):
            return await revoke_key(session, key_id=key_id)

    if not _run(go):
        raise fail(f"there is no live API key {key_id}")
    Console().print(f"API key {key_id} revoked.")
