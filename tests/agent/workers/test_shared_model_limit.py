"""Three processes call one model endpoint through the models the product builds
(agent.providers.build_models, with OUTREACH_REDIS_URL set) at a limit of R requests a second:
the endpoint never sees more than R calls in any second between them, though each process
alone would allow itself R. Two processes call asynchronously (ainvoke), one synchronously
(invoke), so both halves of the shared limiter are counted against the same budget."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections import defaultdict

from agent.providers import build_models
from agent.settings import Settings
from tests.conftest import ROOT
from tests.fakes.openai_stub import Completion, OpenAIStub
from tests.services import redis_url, unique
from tests.started_together import run_together

RATE = 4  # requests per second: Rate.per_second(4) is at most 4 in any sliding 1 s window
CALLS = 6  # per process
MODES = ("async", "async", "sync")
# The limiter grants slots on Redis' clock; the stub times arrivals after the client has
# built and sent the request. A grant's request can reach the stub late by however long the
# process was kept off the CPU in between (two cores, three callers, the stub's threads), so
# the fifth arrival may follow the first by a little less than the window.
SCHEDULING_SLACK_S = 0.25


def call_model(base_url: str, redis: str, model: str, label: str, mode: str) -> None:
    """One process: build the models as a run does, wait for "go", then call CALLS times."""
    settings = Settings(
        llm_provider="openai",
        llm_base_url=base_url,
        llm_model=model,
        llm_requests_per_second=RATE,
        llm_max_retries=0,
        llm_fallback="none",
        redis_url=redis,
        _env_file=None,  # type: ignore[call-arg]
    )
    models = build_models(settings)
    print("ready", flush=True)
    sys.stdin.readline()
    prompts = [f"{label} call {i}" for i in range(CALLS)]

    async def run() -> None:
        try:
            if mode == "async":  # every call at once: they contend for the budget together
                await asyncio.gather(*(models.analyst.ainvoke(p) for p in prompts))
            else:
                for prompt in prompts:
                    models.analyst.invoke(prompt)
        finally:
            await models.aclose()

    asyncio.run(run())


def test_processes_share_one_model_request_rate() -> None:
    redis, model = redis_url(), unique("gpt-shared")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "OUTREACH_"))}
    env["PYTHONPATH"] = str(ROOT)
    with OpenAIStub() as stub:
        stub.enqueue(*[Completion("ok") for _ in range(CALLS * len(MODES))])
        callers = [
            subprocess.Popen(
                [sys.executable, "-m", __name__, stub.base_url, redis, model, f"p{i}", mode],
                env=env,
                cwd=ROOT,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
            for i, mode in enumerate(MODES)
        ]
        run_together(callers)  # every process has its limiter before any calls
        calls = [r for r in stub.requests if r.path.endswith("/chat/completions")]
    assert len(calls) == CALLS * len(MODES)
    arrivals: dict[str, list[float]] = defaultdict(list)
    for call in calls:
        assert call.json is not None
        label = call.json["messages"][0]["content"].split()[0]
        arrivals[label].append(call.received_at)
    # The calls came from every process, and the processes called at the same time: each
    # one's first call reached the endpoint before any one's last.
    assert sorted(arrivals) == [f"p{i}" for i in range(len(MODES))]
    assert max(min(times) for times in arrivals.values()) < min(
        max(times) for times in arrivals.values()
    )
    # No RATE + 1 calls inside one window anywhere, counted at the endpoint.
    times = sorted(call.received_at for call in calls)
    tightest = min(times[i + RATE] - times[i] for i in range(len(times) - RATE))
    assert tightest >= 1.0 - SCHEDULING_SLACK_S, f"{RATE + 1} calls within {tightest:.3f} s"


if __name__ == "__main__":
    call_model(*sys.argv[1:6])
