"""Alembic environment: migrations run on a connection our code hands over (async-safe)."""

from __future__ import annotations

from alembic import context

import storage.chat_answers  # (its tables are part of the schema)
import storage.crm_models
import storage.sequence_models  # noqa: F401  (its tables are part of the schema)
from storage.models import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through storage.migrations.upgrade (outreach db upgrade)")
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters tables by copying
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
