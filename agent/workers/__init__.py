"""Workers (next: issue 22): runs spread over a task queue, many workers sharing PostgreSQL.

May import runs/, delivery/ and settings.
"""
