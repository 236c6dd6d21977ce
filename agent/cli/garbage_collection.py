"""The collector's pace for long batches: fewer, larger young-generation collections.

Python collects its youngest generation every 700 net allocations of container objects. A lead
allocates hundreds of thousands (graph steps, checkpoints, parsed replies, ORM rows), so the
collector ran about five times a lead and took about 3.4 ms of a lead's CPU on the openai path
(benchmarks/cpu_per_lead.py, measured with gc.callbacks). Collecting every 10,000 allocations
cut that to about 0.7 ms; garbage in reference cycles lives a little longer, nothing else changes.
"""

from __future__ import annotations

import gc

YOUNG_COLLECTION_EVERY = 10_000
"""Net container allocations between young-generation collections (Python's default: 700)."""


def pace_garbage_collection() -> None:
    """Collect the young generation every YOUNG_COLLECTION_EVERY allocations (idempotent)."""
    _, middle, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_COLLECTION_EVERY, middle, oldest)
