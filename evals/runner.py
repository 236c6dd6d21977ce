"""Run the lead pipeline over the golden set with recorded research, and score every lead."""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any, Protocol

from langchain_core.tools import BaseTool, StructuredTool
from pydantic import BaseModel, Field

from evals.golden_set import GoldenLead, campaign_for
from evals.judge import Judge, judge_context
from evals.metrics import message_metrics
from graphs.analysis import Analysis
from graphs.context import ChatModel, PipelineContext, StructuredMode
from graphs.drafts import Critique, Variant
from graphs.lead import Campaign
from graphs.lead_pipeline import build_graph
from graphs.nodes.decide import best_critique
from graphs.outcome import Action, Decision, PromptUse, Usage
from tools.delivery.receipt import Delivery
from tools.facts import Fact, ResearchResult

DECISION = {Action.SEND: "send", Action.QUEUE: "queue", Action.REJECT: "reject"}


class EvalOutbox:
    """Accepts every message and keeps nothing: evals never send."""

    async def deliver(self, **message: Any) -> Delivery:
        """Pretend to send."""
        return Delivery(
            provider="eval", message_id="eval", tone=message["tone"], recipient=message["recipient"]
        )


def recorded_research(golden: GoldenLead) -> BaseTool:
    """A research tool that answers with the golden lead's recorded facts."""

    async def research(
        email: str | None = None,
        linkedin_url: str | None = None,
        name: str | None = None,
        company: str | None = None,
    ) -> dict[str, Any]:
        return ResearchResult(facts=golden.facts).model_dump(mode="json")

    # Named like the paid-enrichment tool, which enrich calls for every lead.
    return StructuredTool.from_function(
        coroutine=research,
        name="enrich_person_via_api",
        description="Recorded research for an eval lead.",
    )


class EvalModels(Protocol):
    """What the eval needs to know of the models a pipeline runs with."""

    @property
    def writer(self) -> ChatModel: ...
    @property
    def structured_mode(self) -> StructuredMode: ...
    @property
    def provider(self) -> str: ...
    @property
    def description(self) -> str: ...


class Pipeline(Protocol):
    """A lead pipeline opened by the caller (the `outreach eval` command builds it from settings).

    Its context must send nothing: open it with `EvalOutbox()` and auto-send on, so the eval
    sees every decision a campaign with auto-send would make.
    """

    @property
    def context(self) -> PipelineContext: ...
    @property
    def models(self) -> EvalModels: ...


def generation_key(pipeline: Pipeline, golden: GoldenLead, campaign: Campaign) -> str:
    """Key a lead's run by model, prompt hashes, run parameters and the lead's input."""
    context = pipeline.context
    prompts = {name: context.prompts[name].sha256 for name in context.prompts.versions()}
    payload = {
        "models": pipeline.models.description,
        "prompts": prompts,
        "thresholds": [context.thresholds.__dict__, context.critic.__dict__.copy()],
        "max_attempts": context.max_attempts,
        "input": golden.input_hash(campaign),
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def _message(output: dict[str, Any]) -> Variant | None:
    variants = {v.tone.value: v for v in output.get("variants", [])}
    decision = output["decision"]
    if decision.selected_tone in variants:
        return variants[decision.selected_tone]
    best = best_critique(output.get("critiques") or [])
    return variants.get(best.tone.value) if best else None


def score(
    golden: GoldenLead, campaign: Campaign, output: dict[str, Any], pipeline: Pipeline
) -> dict[str, Any]:
    """Turn one pipeline output into the eval record: decision, message, metrics, problems."""
    decision = DECISION[output["decision"].action]
    expect = golden.expect
    message = _message(output)
    metrics: dict[str, float] = {"decision_match": float(decision == expect.decision)}
    problems: list[str] = []
    if decision != expect.decision:
        problems.append(f"decided {decision}, expected {expect.decision}")
    if message is not None:
        values, found = message_metrics(
            message,
            lead=golden.lead,
            campaign=campaign,
            # The recorded facts plus what the lead file itself says (enrich adds those).
            facts=list(output.get("facts") or golden.facts),
            settings=pipeline.context.critic,
            must_use=expect.must_use_facts if expect.decision != "reject" else [],
            must_not_claim=expect.must_not_claim,
            max_chars=expect.max_chars,
        )
        metrics.update(values)
        problems += found
    elif expect.decision == "send":
        problems.append("no draft to send")
    hard = ("unsupported:", "forbidden claim:", "over the channel", "placeholder", "uses none")
    passed = decision == expect.decision and not any(p.startswith(hard) for p in problems)
    metrics["passed"] = float(passed)
    critiques = {c.tone.value: c for c in output.get("critiques") or []}
    usage = output.get("usage")
    return {
        "id": golden.id,
        "description": golden.description,
        "tags": list(golden.tags),
        "channel": campaign.channel.value,
        "expected": expect.decision,
        "decision": decision,
        "reason": output["decision"].reason,
        "passed": passed,
        "problems": problems,
        "message": message.model_dump(mode="json") if message else None,
        "variants": [
            {
                **v.model_dump(mode="json"),
                "critic_issues": critiques[v.tone.value].issues
                if v.tone.value in critiques
                else [],
            }
            for v in output.get("variants", [])
        ],
        "metrics": metrics,
        "usage": {
            "llm_calls": usage.llm_calls if usage else 0,
            "input_tokens": usage.input_tokens if usage else 0,
            "output_tokens": usage.output_tokens if usage else 0,
            "cost_usd": usage.cost_usd if usage else 0.0,
        },
        "prompts": {k: v.model_dump() for k, v in (output.get("prompts") or {}).items()},
    }


async def _judge(
    judge: Judge,
    golden: GoldenLead,
    campaign: Campaign,
    record: dict[str, Any],
    base: dict[str, Any] | None,
) -> None:
    """Add the rubric grade, and the pairwise verdict against the baseline's draft."""
    context = judge_context(golden, campaign)
    try:
        grade = await judge.grade(context, record["message"])
        record["judge"] = {**grade.model_dump(), "overall": grade.overall}
        record["metrics"]["judge_score"] = grade.overall
        if base and base.get("message") and base["message"]["body"] != record["message"]["body"]:
            record["pairwise"] = await judge.compare(context, base["message"], record["message"])
    except Exception as exc:  # a judge failure is reported, never fatal to the eval
        record["judge_error"] = f"{type(exc).__name__}: {exc}"


class CachedOutput(BaseModel):
    """The parts of a pipeline output the eval scores (what the generation cache keeps)."""

    facts: list[Fact] = Field(default_factory=list)
    analysis: Analysis | None = None
    variants: list[Variant] = Field(default_factory=list)
    critiques: list[Critique] = Field(default_factory=list)
    decision: Decision
    usage: Usage | None = None
    prompts: dict[str, PromptUse] = Field(default_factory=dict)

    def as_output(self) -> dict[str, Any]:
        """Return the output as the graph returns it (a dict of models)."""
        return {name: getattr(self, name) for name in type(self).model_fields}


class GenerationCache:
    """Pipeline outputs by generation key, as JSON files: scoring always reruns, so changing
    a metric re-scores without regenerating, and a re-run with nothing changed is free."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)

    def get(self, key: str) -> tuple[dict[str, Any], float] | None:
        """Return a cached output and the latency it took."""
        if self.folder is None:
            return None
        path = self.folder / f"{key}.json"
        if not path.exists():
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
        return CachedOutput.model_validate(data["output"]).as_output(), data["latency_ms"]

    def put(self, key: str, output: dict[str, Any], latency_ms: float) -> None:
        """Store an output."""
        if self.folder is not None:
            kept = CachedOutput.model_validate(output).model_dump(mode="json")
            data = {"output": kept, "latency_ms": latency_ms}
            (self.folder / f"{key}.json").write_text(json.dumps(data), encoding="utf-8")


async def run_golden(
    pipeline: Pipeline,
    goldens: list[GoldenLead],
    campaigns: dict[str, Campaign],
    *,
    cache: GenerationCache | None = None,
    concurrency: int = 4,
    on_done: Callable[[dict[str, Any]], None] | None = None,
    judge_dir: Path | None = None,
    baseline: dict[str, dict[str, Any]] | None = None,
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Run every golden lead through an opened pipeline; return the records and run facts."""
    if not pipeline.context.auto_send:
        raise ValueError("open the eval's pipeline with auto-send on (and EvalOutbox)")
    cache = cache or GenerationCache(None)
    semaphore = asyncio.Semaphore(concurrency)
    graph = build_graph()
    models = pipeline.models
    # The model judge needs a real model; the offline provider has none to offer.
    judge = (
        Judge(
            models.writer,
            model_name=models.description,
            mode=models.structured_mode,
            cache_dir=judge_dir,
        )
        if models.provider == "openai"
        else None
    )

    async def one(golden: GoldenLead) -> dict[str, Any]:
        campaign = campaign_for(golden, campaigns)
        key = generation_key(pipeline, golden, campaign)
        cached = cache.get(key)
        if cached is not None:
            output, latency = cached
        else:
            today = dt.datetime.combine(golden.today, dt.time(12), tzinfo=dt.UTC)
            context = replace(
                pipeline.context,
                research_tools=[recorded_research(golden)],
                clock=lambda: today,
                run_id=f"eval-{golden.id}",
            )
            async with semaphore:
                started = time.perf_counter()
                output = dict(
                    await graph.ainvoke(
                        {"lead": golden.lead, "campaign": campaign}, context=context
                    )
                )
                latency = round((time.perf_counter() - started) * 1000, 1)
            cache.put(key, output, latency)
        record = score(golden, campaign, output, pipeline)
        record.update(latency_ms=latency, cached=cached is not None)
        if judge is not None and record["message"]:
            await _judge(judge, golden, campaign, record, (baseline or {}).get(golden.id))
        if on_done is not None:
            on_done(record)
        return record

    records = list(await asyncio.gather(*(one(golden) for golden in goldens)))
    meta = {
        "provider": pipeline.models.provider,
        "models": pipeline.models.description,
        "prompts": pipeline.context.prompts.versions(),
    }
    return sorted(records, key=lambda record: record["id"]), meta
