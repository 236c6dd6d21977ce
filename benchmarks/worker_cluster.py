"""What the distributed benchmarks share: a scratch PostgreSQL database, the fixture web, and
`outreach worker` processes measured through /proc (CPU seconds, peak resident memory)."""

from __future__ import annotations

import asyncio
import os
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from agent.demo.web import DemoWeb
from tests.agent.workers.cluster import cluster_env
from tests.services import AMQP_URL, REDIS_URL

PG_ADMIN = os.environ.get("OUTREACH_TEST_PG_DSN", "postgresql://127.0.0.1/test")
TICKS = os.sysconf("SC_CLK_TCK")


@contextmanager
def scratch_database() -> Iterator[str]:
    """Create a throwaway PostgreSQL database; yield its SQLAlchemy URL; drop it after."""
    import asyncpg

    name = f"outreach_bench_{uuid.uuid4().hex[:8]}"

    async def admin(sql: str) -> None:
        conn = await asyncpg.connect(PG_ADMIN, timeout=5)
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    asyncio.run(admin(f'CREATE DATABASE "{name}"'))
    host = PG_ADMIN.split("//", 1)[1].rsplit("/", 1)[0]
    try:
        yield f"postgresql+asyncpg://{host}/{name}"
    finally:
        asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def bench_env(url: str, web: DemoWeb, tmp: Path, broker: str, **more: str) -> dict[str, str]:
    """The workers' environment: the scratch database, the machine's broker and Redis, the
    fixture web, no sequence ticks; `more` adds or overrides OUTREACH_ settings."""
    return cluster_env(
        database_url=url,
        broker_url=REDIS_URL if broker == "redis" else AMQP_URL,
        redis_url=REDIS_URL,
        data_dir=tmp / "data",
        resolve=web.resolve_map(["brokenlink-labs.example"]),
        fake=None,
        **{"OUTREACH_SEQUENCE_TICK_S": "0", **more},
    )


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds a live process has used."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def machine_cpu_seconds() -> float:
    """CPU seconds every process on the machine has used (user, nice, system; /proc/stat):
    the workers, the model stub, PostgreSQL, Redis and whatever else runs."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    return sum(int(f) for f in fields[:3]) / TICKS


class RunProgress:
    """A run's status read over one connection: polling through `Database.connect` each time
    cost the benchmark's process a tenth of a core, taken from the workers it measures."""

    def __init__(self, url: str, run_id: str) -> None:
        self.url = url.replace("postgresql+asyncpg://", "postgresql://", 1)
        self.run_id = run_id

    def __enter__(self) -> RunProgress:
        import psycopg

        self._conn = psycopg.connect(self.url, autocommit=True)
        return self

    def __exit__(self, *exc: object) -> None:
        self._conn.close()

    def status(self) -> str:
        """The run's status ("running" until every lead is counted)."""
        row = self._conn.execute("SELECT status FROM runs WHERE id = %s", (self.run_id,)).fetchone()
        return str(row[0]) if row else "missing"


def peak_rss_mb(pid: int) -> float:
    """The process's peak resident memory so far (VmHWM), in MB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def wait_ready(logs: list[Path], timeout: float = 60) -> None:
    """Wait until every worker's log says it is consuming (Celery's 'ready.')."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if all(log.exists() and " ready." in log.read_text() for log in logs):
            return
        time.sleep(0.2)
    raise RuntimeError(f"workers did not start; see {', '.join(map(str, logs))}")
