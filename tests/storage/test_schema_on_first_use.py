"""Who migrates: an embedded SQLite file is brought up to date on open, PostgreSQL only on request."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from storage.database import Database, open_engine
from storage.migrations import DatabaseNotMigrated, current_revision, head_revision, upgrade
from storage.models import Base

ON_REQUEST = r"run `outreach db upgrade` \(migrations on PostgreSQL are applied only on request\)"


async def _tables(url: str) -> set[str]:
    engine = open_engine(url)
    try:
        async with engine.connect() as connection:
            return set(await connection.run_sync(lambda c: inspect(c).get_table_names()))
    finally:
        await engine.dispose()


async def _revision(url: str) -> str | None:
    engine = open_engine(url)
    try:
        return await current_revision(engine)
    finally:
        await engine.dispose()


async def test_a_fresh_database_gets_its_schema_on_sqlite_and_is_refused_on_postgresql(
    database_url: str,
) -> None:
    if database_url.startswith("sqlite"):
        async with await Database.connect(database_url):
            pass
        assert await _revision(database_url) == head_revision()
        assert set(Base.metadata.tables) <= await _tables(database_url)
        return
    with pytest.raises(
        DatabaseNotMigrated, match=f"PostgreSQL database .* has no schema yet: {ON_REQUEST}"
    ):
        await Database.connect(database_url)
    assert await _revision(database_url) is None, "nothing was created without being asked"
    async with await Database.connect(database_url, migrate=True):
        pass
    assert await _revision(database_url) == head_revision()


async def test_an_older_schema_is_upgraded_on_sqlite_and_is_refused_on_postgresql(
    database_url: str,
) -> None:
    engine = open_engine(database_url)
    try:
        await upgrade(engine, "0005")
    finally:
        await engine.dispose()
    if database_url.startswith("sqlite"):
        async with await Database.connect(database_url):
            pass
        assert await _revision(database_url) == head_revision()
        return
    pattern = f"PostgreSQL database .* is at revision 0005, not {head_revision()}: {ON_REQUEST}"
    with pytest.raises(DatabaseNotMigrated, match=pattern):
        await Database.connect(database_url)
    assert await _revision(database_url) == "0005"


async def test_a_schema_from_a_newer_version_is_refused_and_left_alone(database_url: str) -> None:
    engine = open_engine(database_url)
    try:
        await upgrade(engine)
        async with engine.begin() as connection:
            await connection.execute(text("UPDATE alembic_version SET version_num = '0099'"))
    finally:
        await engine.dispose()
    with pytest.raises(
        DatabaseNotMigrated,
        match=r"is at revision 0099, which this version of Outreach Architect does not know .*"
        r"upgrade Outreach Architect",
    ):
        await Database.connect(database_url, migrate=True)
    assert await _revision(database_url) == "0099"


# Each child imports first, then waits for the go file, so their first opens really overlap.
CHILD = """
import asyncio, sys, time
from pathlib import Path
from storage.database import Database
from storage.migrations import current_revision

url, ready, go, migrate = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4] == "1"
ready.touch()
while not go.exists():
    time.sleep(0.005)

async def main() -> None:
    async with await Database.connect(url, migrate=migrate) as db:
        print(await current_revision(db.engine))

asyncio.run(main())
"""


@pytest.mark.parametrize("explicit", [False, True], ids=["on-open", "migrate=True"])
def test_processes_opening_a_fresh_database_at_once_do_not_clash(
    database_url: str, tmp_path: Path, explicit: bool
) -> None:
    go = tmp_path / "go"
    ready = [tmp_path / f"ready-{n}" for n in range(4)]
    children = [
        subprocess.Popen(
            [sys.executable, "-c", CHILD, database_url, str(flag), str(go), str(int(explicit))],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=Path(__file__).resolve().parents[2],
        )
        for flag in ready
    ]
    deadline = time.monotonic() + 60
    while not all(flag.exists() for flag in ready) and time.monotonic() < deadline:
        time.sleep(0.01)
    # Otherwise the opens may not overlap and the test would prove nothing.
    assert all(flag.exists() for flag in ready), "not every process got ready to open at once"
    go.touch()
    outputs = [child.communicate(timeout=120) for child in children]
    errors = [
        err[-2000:] for child, (_, err) in zip(children, outputs, strict=True) if child.returncode
    ]
    if database_url.startswith("postgresql") and not explicit:
        assert len(errors) == len(children) and all("only on request" in e for e in errors)
        assert asyncio.run(_revision(database_url)) is None
        return
    assert not errors, "\n---\n".join(errors)
    assert [out.strip() for out, _ in outputs] == [head_revision()] * len(children)
    assert set(Base.metadata.tables) <= asyncio.run(_tables(database_url))


async def test_an_upgrade_that_fails_part_way_leaves_the_database_as_it_was(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from alembic import command

    real_upgrade = command.upgrade

    def dies_after_the_migrations(config: object, target: str) -> None:
        real_upgrade(config, target)  # type: ignore[arg-type]
        raise RuntimeError("killed mid-upgrade")

    monkeypatch.setattr(command, "upgrade", dies_after_the_migrations)
    with pytest.raises(RuntimeError, match="killed mid-upgrade"):
        await Database.connect(database_url, migrate=True)
    assert await _revision(database_url) is None
    assert await _tables(database_url) == set(), "no half-made schema is left behind"
    monkeypatch.setattr(command, "upgrade", real_upgrade)
    async with await Database.connect(database_url, migrate=True):
        pass
    assert await _revision(database_url) == head_revision()
