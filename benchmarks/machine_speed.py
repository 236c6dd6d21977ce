"""How fast this machine runs Python right now, to read CPU figures taken at different hours.

The two cores of a shared machine run the same code at speeds up to twice apart from one hour
to the next (the host's other tenants share caches and, on hyperthreads, execution units), so
a CPU-per-lead figure alone cannot tell a slower program from a slower hour. This times a fixed
pure-Python workload (arithmetic, dictionary and string work, no I/O, no allocation growth):
print it beside a benchmark's figures, and compare figures only at similar reference times.

    python -m benchmarks.machine_speed
"""

from __future__ import annotations

import statistics
import time

ROUNDS = 5


def _workload() -> int:
    table: dict[str, int] = {}
    total = 0
    for i in range(200_000):
        key = f"k{i % 997}"
        table[key] = table.get(key, 0) + i
        total += (i * i) % 7 + len(key)
    return total + sum(table.values())


def reference_ms(rounds: int = ROUNDS) -> float:
    """Median CPU milliseconds of the fixed workload over a few rounds (about 0.1 s each)."""
    times = []
    for _ in range(rounds):
        started = time.process_time()
        _workload()
        times.append((time.process_time() - started) * 1000)
    return statistics.median(times)


def describe(ms: float) -> str:
    """The reference time as printed beside a benchmark's figures."""
    return f"machine speed: reference workload {ms:.0f} ms CPU (lower is faster)"


if __name__ == "__main__":
    print(describe(reference_ms()))
