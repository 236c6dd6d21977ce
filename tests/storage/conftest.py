"""Every table the code ships is part of `Base.metadata` here, whichever storage tests run.

Tables kept in modules of their own register only when imported; the schema checks
(test_models_and_migrations_agree) compare the migrated database with the metadata, so the
modules are imported up front rather than by whichever test happens to import them first.
"""

from collections.abc import AsyncIterator

import pytest
from alembic import command
from sqlalchemy import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from storage import crm_models, sequence_models
from storage.database import open_engine
from storage.migrations import alembic_config

SCHEMA_MODULES = (crm_models, sequence_models)
"""Model modules beside storage/models.py (the CRM sync ledger; sequences, steps, tasks)."""


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    """An engine on the test's database (SQLite or PostgreSQL), nothing migrated yet."""
    engine = open_engine(database_url)
    yield engine
    await engine.dispose()


def downgrade(connection: Connection, target: str) -> None:
    """Migrate down to `target` (for `connection.run_sync`), as `alembic downgrade` would."""
    config = alembic_config()
    config.attributes["connection"] = connection
    command.downgrade(config, target)
