"""Operator chat: how long a turn takes, and what the agent graph adds to the operation itself.

A campaign of 30,000 messages (10,000 of them queued) is stored, then the offline command
console (`outreach chat` without a model) is timed for the commands an operator types most.
Each turn is compared with calling the same operation directly, so the difference is the
chat's own cost: parsing, the LangGraph agent loop, tool dispatch and the conversation's
checkpoint writes. A long conversation shows how that cost grows with history, and a model
turn (one tool call, then a reply) over real HTTP against the loopback OpenAI-compatible stub
shows the cost of the tool-calling round trips without any model time.
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from pydantic import SecretStr
from sqlalchemy import text as sql

from agent.operator.chat_session import ChatSession
from agent.operator.operations import Operations
from agent.settings import Settings
from benchmarks.storage_throughput import fill_campaign, throwaway_postgres
from storage.database import Database, open_engine
from storage.migrations import upgrade
from tests.fakes.openai_stub import Completion, OpenAIStub, ToolCalls

MESSAGES = 30_000
REPEATS = 30
LONG_CONVERSATION = 300


def _ms(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return f"median {statistics.median(ordered) * 1000:6.1f} ms · p95 {p95 * 1000:6.1f} ms"


async def _time(run: Callable[[], Awaitable[Any]], repeats: int = REPEATS) -> list[float]:
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        await run()
        samples.append(time.perf_counter() - started)
    return samples


async def _turn(chat: ChatSession, text: str) -> None:
    async for _ in chat.say(text):
        pass


async def _bench(url: str, label: str, data_dir: Path) -> None:
    engine = open_engine(url)
    try:
        await upgrade(engine)
        await fill_campaign(engine, MESSAGES)
        if engine.dialect.name == "postgresql":
            async with engine.begin() as conn:
                await conn.execute(sql("ANALYZE"))  # autovacuum's job on a live database
    finally:
        await engine.dispose()
    settings = Settings(database_url=url, data_dir=data_dir, llm_provider="offline")
    message, lead = 2, 2  # a queued message (ids ≡ 2 mod 3 are queued) and its lead
    commands: list[tuple[str, Callable[[Operations], Awaitable[Any]]]] = [
        ("campaigns", lambda ops: ops.list_campaigns()),
        ("queue", lambda ops: ops.review_queue()),
        (f"why {message}", lambda ops: ops.explain_decision(message)),
        (f"show {message}", lambda ops: ops.show_message(message)),
        (f"lead {lead}", lambda ops: ops.show_lead(lead)),
        ("analytics bench", lambda ops: ops.campaign_analytics("bench")),
    ]
    print(f"\n{label}: {MESSAGES:,} messages, {MESSAGES // 3:,} queued; {REPEATS} turns each")
    async with await Database.connect(url) as db, ChatSession.open(settings) as chat:
        ops = Operations(settings, db)
        for text, operation in commands:
            await operation(ops)  # warm caches and the query planner
            direct = await _time(lambda op=operation: op(ops))  # type: ignore[misc]

            async def fresh_turn(text: str = text) -> None:
                chat.start_new()
                await _turn(chat, text)

            turns = await _time(fresh_turn)
            overhead = statistics.median(turns) - statistics.median(direct)
            print(
                f"  {text:<16} turn {_ms(turns)} · operation alone "
                f"{statistics.median(direct) * 1000:6.1f} ms · chat adds {overhead * 1000:5.1f} ms"
            )

        chat.start_new()
        samples = await _time(lambda: _turn(chat, f"why {message}"), LONG_CONVERSATION)
        first, last = samples[:10], samples[-10:]
        print(
            f"  one conversation of {LONG_CONVERSATION} turns: first 10 median "
            f"{statistics.median(first) * 1000:.1f} ms, last 10 median "
            f"{statistics.median(last) * 1000:.1f} ms"
        )


async def _model_turns(url: str, data_dir: Path) -> None:
    with OpenAIStub() as stub:
        settings = Settings(
            database_url=url,
            data_dir=data_dir,
            llm_provider="openai",
            llm_base_url=stub.base_url,
            llm_api_key=SecretStr("bench"),
            llm_max_retries=0,
            llm_requests_per_second=1000,
        )
        async with ChatSession.open(settings) as chat:

            async def model_turn() -> None:
                stub.enqueue(
                    ToolCalls([("review_queue", {})]),
                    Completion("Ten thousand messages wait; the oldest is message 2."),
                )
                chat.start_new()
                await _turn(chat, "what is waiting for review?")

            await model_turn()
            samples = await _time(model_turn)
    print(
        f"  model turn over HTTP (tool call + reply, stub answers at once): {_ms(samples)} "
        "(two model round trips; add the model's own time)"
    )


async def _run() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'chat.db'}"
        await _bench(url, "SQLite", Path(tmp) / "data")
        await _model_turns(url, Path(tmp) / "data")
        async with throwaway_postgres() as pg_url:
            if pg_url is None:
                print("\nPostgreSQL: not reachable at 127.0.0.1:5432, skipped")
            else:
                await _bench(pg_url, "PostgreSQL", Path(tmp) / "data")


def main() -> None:
    """Run the chat benchmark and print its figures."""
    print("Operator chat (offline command console; figures are per turn)")
    asyncio.run(_run())


if __name__ == "__main__":
    main()
