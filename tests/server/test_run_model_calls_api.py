"""A run over HTTP says how many model calls its leads made, and how many per lead: the calls
an OpenAI-compatible endpoint (a stub on loopback) was sent, on SQLite and PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import SecretStr

from agent.settings import Settings
from graphs.lead import Campaign
from tests.agent.test_openai_provider import answer_like_a_model
from tests.fakes.openai_stub import OpenAIStub, Respond
from tests.server.api_helpers import create_campaign, import_demo_leads, serve
from tests.server.test_runs_api import wait_for_run


@pytest.fixture
def model_settings(
    database_url: str, tmp_path: Path, demo_resolve: dict[str, str], stub: OpenAIStub
) -> Settings:
    """The server's settings (as offline_settings builds them) with the model behind the stub."""
    return Settings(
        database_url=database_url,
        data_dir=tmp_path / "data",
        resolve=demo_resolve,
        allow_private_networks=True,
        llm_provider="openai",
        llm_base_url=stub.base_url,
        llm_api_key=SecretStr("test-key"),
        llm_max_retries=0,
        llm_requests_per_second=1000,
        llm_fallback="none",
    )


def test_a_run_reports_the_model_calls_it_made_and_per_lead(
    model_settings: Settings, api_key: str, campaign: Campaign, stub: OpenAIStub
) -> None:
    stub.enqueue(*[Respond(answer_like_a_model)] * 20)
    with serve(model_settings, campaign, api_key, timeout=60) as client:
        ids = import_demo_leads(client)
        created = create_campaign(client)
        started = client.post(
            f"/api/v1/campaigns/{created['id']}/generate-messages",
            json={"lead_ids": [ids["Maya Okafor"], ids["Tom Keller"]]},
        )
        assert started.status_code == 202, started.text
        accepted = started.json()
        finished = wait_for_run(client, accepted["id"])
        listed = client.get("/api/v1/runs/" + accepted["id"]).json()
    # Nothing processed yet when the run is accepted: no calls, and no figure per lead.
    assert (accepted["model_calls"], accepted["model_calls_per_lead"]) == (0, None)
    served = len(stub.requests)
    assert finished["status"] == "completed" and finished["processed"] == 2
    assert served > 0 and listed["model_calls"] == served
    assert listed["model_calls_per_lead"] == pytest.approx(served / 2)
