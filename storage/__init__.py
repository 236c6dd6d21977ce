"""Persistence: SQLAlchemy async models, Alembic migrations and repositories.

It knows nothing of graphs or the web: callers hand it plain values (the JSON result
record, names, counts).
"""
