"""Persistence: SQLAlchemy async models, repositories, migrations, checkpointer wiring.

Issue 4 builds this package. Until then the pipeline writes results and the dry-run outbox
as JSONL files (see agent/batch.py and tools/delivery/dry_run_outbox.py).
"""
