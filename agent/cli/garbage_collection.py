"""The collector's pace for long batches: fewer, larger young-generation collections.

Python collects its youngest generation every 700 net allocations of container objects. A lead
allocates hundreds of thousands (graph steps, checkpoints, parsed replies, ORM rows), so the
collector ran several times a lead and took 4-5 ms of a lead's CPU on the openai path
(benchmarks/cpu_per_lead.py prints it, measured with gc.callbacks). Collecting every 10,000
allocations cut that to 0.3-0.6 ms; garbage in reference cycles lives a little longer.
"""

from __future__ import annotations

import gc

YOUNG_COLLECTION_EVERY = 10_000
"""Net container allocations between young-generation collections (Python's default: 700)."""


def pace_garbage_collection() -> None:
    """Collect the young generation every YOUNG_COLLECTION_EVERY allocations (idempotent)."""
    _, middle, oldest = gc.get_threshold()
    gc.set_threshold(YOUNG_COLLECTION_EVERY, middle, oldest)
