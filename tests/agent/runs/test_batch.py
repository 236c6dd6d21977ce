"""Batches: bounded concurrency, every input accounted for, a crash never loses a lead."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from agent.leads.files import LeadFile
from agent.leads.read_errors import RowError
from agent.runs.batch import ResultsWriter, run_batch
from agent.runs.pipeline_factory import Pipeline, open_pipeline
from agent.settings import Settings
from graphs.lead import Campaign, Lead


class CrashingGraph:
    """Wraps the real graph; one lead makes it crash, and it records peak concurrency."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.running = 0
        self.peak = 0
        self.checkpointer = None

    async def ainvoke(self, state: dict[str, Any], context: Any) -> Any:
        self.running += 1
        self.peak = max(self.peak, self.running)
        try:
            await asyncio.sleep(0.01)
            if state["lead"].name == "Crash Test":
                raise RuntimeError("checkpoint store unavailable")
            return await self.inner.ainvoke(state, context=context)
        finally:
            self.running -= 1


async def test_batch_accounts_for_every_row(
    tmp_path: Path, campaign: Campaign, demo_resolve: dict[str, str]
) -> None:
    leads = [
        (row, Lead(name=name, email=f"{name.split()[0].lower()}@fjordline.example", company="Fjordline Logistics",
                   title="Engineering Manager", company_url="http://fjordline.example/"))
        for row, name in enumerate(["Sofia Lindqvist", "Crash Test", "Ola Nordmann", "Kari Hansen"], start=2)
    ]  # fmt: skip
    lead_file = LeadFile(
        leads=leads, errors=[RowError(6, "email", "no email address", {"name": "X"})]
    )
    async with open_pipeline(
        Settings(allow_private_networks=True),
        resolve=demo_resolve,
        outbox_path=tmp_path / "o.jsonl",
    ) as p:
        graph = CrashingGraph(p.graph)
        pipeline = Pipeline(
            graph=graph, context=p.context, models=p.models, outbox_path=p.outbox_path
        )
        writer = ResultsWriter(tmp_path / "results.jsonl")
        summary = await run_batch(pipeline, lead_file, campaign, concurrency=2, writer=writer)
        writer.close()
    assert [r["row"] for r in summary.records] == [2, 3, 4, 5, 6]
    crashed = summary.records[1]
    assert crashed["decision"] == "queued"
    assert crashed["reason"] == (
        "held for a person: the pipeline could not finish this lead (RuntimeError: checkpoint "
        "store unavailable); regenerate it to run it again, or reject it"
    )
    assert summary.records[4]["decision"] == "rejected"
    assert graph.peak == 2
    assert len((tmp_path / "results.jsonl").read_text().splitlines()) == 5


async def test_paid_enrichment_facts_reach_the_pipeline(tmp_path: Path, campaign: Campaign) -> None:
    from tests.fakes.enrichment_api_fake import EnrichmentApiFake

    record = {
        "full_name": "Ana Ruiz",
        "job_title": "VP Engineering",
        "job_company_name": "Acme Cloud",
        "job_company_industry": "computer software",
        "job_company_size": "51-200",
        "job_start_date": "2025-02",
    }
    with EnrichmentApiFake({"ana@acme.example": record}, api_key="pdl-key") as api:
        settings = Settings(
            enrichment_provider="peopledatalabs",
            enrichment_api_key="pdl-key",  # type: ignore[arg-type]
            enrichment_base_url=api.base_url,
        )
        lead = Lead(name="Ana Ruiz", email="ana@acme.example", company="Acme Cloud")
        async with open_pipeline(settings, outbox_path=tmp_path / "o.jsonl") as pipeline:
            out = await pipeline.graph.ainvoke(  # type: ignore[attr-defined]
                {"lead": lead, "campaign": campaign}, context=pipeline.context
            )
        async with open_pipeline(settings, outbox_path=tmp_path / "o.jsonl") as pipeline:
            await pipeline.graph.ainvoke(  # type: ignore[attr-defined]
                {"lead": lead, "campaign": campaign}, context=pipeline.context
            )
        assert len(api.requests) == 1, "a re-run reuses the paid result instead of paying again"
    paid = [f for f in out["facts"] if f.tool == "enrichment:peopledatalabs"]
    assert "Ana Ruiz is VP Engineering at Acme Cloud (People Data Labs)" in [f.text for f in paid]
    assert all("pdl-key" not in f.source_url for f in paid)
    assert [e.message for e in out["errors"]] == ["no profile_url or company_url to research"]
