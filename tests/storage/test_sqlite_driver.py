"""The SQLite engine's one-hop cursor and its pool reset: what SQLAlchemy reads back is what
the stock adapter would give, and a connection handed back mid-transaction is still rolled
back (its write lock released)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import insert, select, text, update
from sqlalchemy.exc import IntegrityError

from storage.database import Database
from storage.models import CampaignRow, LeadRow
from storage.sqlite_driver import OneHopCursor


async def _open(tmp_path: Path) -> Database:
    db = Database.open(f"sqlite+aiosqlite:///{tmp_path / 'outreach.db'}")
    await db.prepare(migrate=True)
    return db


async def _insert_campaigns(db: Database, rows: list[dict[str, str]]) -> None:
    async with db.sessions.begin() as session:
        await session.execute(insert(CampaignRow), rows)


async def test_rows_ids_counts_and_errors_come_back_as_from_the_stock_adapter(
    tmp_path: Path,
) -> None:
    db = await _open(tmp_path)
    try:
        async with db.engine.connect() as conn:
            raw = await conn.get_raw_connection()
            assert isinstance(raw.dbapi_connection.cursor(), OneHopCursor)  # type: ignore[union-attr]
        async with db.sessions.begin() as session:
            lead = LeadRow(name="Maya Okafor", company="Northwind", email="maya@example.com")
            session.add(lead)
            await session.flush()
            assert lead.id is not None
            ids = (
                await session.scalars(
                    insert(LeadRow).returning(LeadRow.id),
                    [
                        {"name": f"Lead {i}", "company": "Acme", "email": f"l{i}@example.com"}
                        for i in range(3)
                    ],
                )
            ).all()
            assert len(set(ids)) == 3 and lead.id not in ids
            changed = await session.execute(
                update(LeadRow).where(LeadRow.id.in_(ids)).values(title="CTO")
            )
            assert changed.rowcount == 3  # type: ignore[attr-defined]
        async with db.sessions() as session:
            names = (await session.scalars(select(LeadRow.name).order_by(LeadRow.id))).all()
            assert names == ["Maya Okafor", "Lead 0", "Lead 1", "Lead 2"]
            first_two = (await session.execute(select(LeadRow.id).limit(2))).fetchmany(1)
            assert len(first_two) == 1
        twice = [{"name": "dup", "channel": "email", "value_proposition": "v"}] * 2
        with pytest.raises(IntegrityError):
            await _insert_campaigns(db, twice)
        async with db.sessions() as session:  # the failed transaction left nothing behind
            assert (await session.scalars(select(CampaignRow.name))).all() == []
    finally:
        await db.close()


async def test_a_connection_given_back_mid_transaction_is_rolled_back(tmp_path: Path) -> None:
    db = await _open(tmp_path)
    other = Database.open(f"sqlite+aiosqlite:///{tmp_path / 'outreach.db'}")
    try:
        async with db.engine.begin() as conn:
            await conn.execute(text("CREATE TABLE notes (body TEXT)"))
        # Written on the driver connection behind SQLAlchemy's back: only the pool's reset
        # can undo it when the connection goes back.
        async with db.engine.connect() as conn:
            raw = await conn.get_raw_connection()
            driver = raw.driver_connection
            await driver.execute("INSERT INTO notes VALUES ('never committed')")  # type: ignore[union-attr]
            assert driver.in_transaction  # type: ignore[union-attr]
        async with db.engine.connect() as conn:
            count = await conn.scalar(text("SELECT count(*) FROM notes"))
            assert count == 0
        # And the write lock went with it: another engine on the file writes at once.
        async with other.sessions.begin() as session:
            session.add(LeadRow(name="Written by the other engine", company="Acme"))
        async with db.sessions() as session:
            assert (await session.scalars(select(LeadRow.name))).all() == [
                "Written by the other engine"
            ]
    finally:
        await other.close()
        await db.close()
