"""Prompt pins are checked against the prompts on disk, and a run that fails says why.

A campaign's `prompt_versions` used to be stored as sent: an unknown prompt or version (even
`../../../../etc/passwd`) was accepted, its runs failed with `success: false` and no reason,
and reviewing its messages answered 500 (issue 17, item 4).
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

import agent.runs.background
import prompts.loader
from agent.settings import Settings
from graphs.lead import Campaign
from storage.database import Database
from storage.models import CampaignRow
from storage.runs import start_run
from tests.server.api_helpers import create_campaign, import_demo_leads, serve

TRAVERSAL = "../../../../etc/passwd"


class RemovedPromptFile:
    """Make one prompt version look deleted from prompts/ (the loader no longer finds it)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, prompt: str, version: str) -> None:
        real = prompts.loader.available_versions
        self.removed = False

        def versions(prompt_id: str, root: Path = prompts.loader.PROMPTS_DIR) -> list[str]:
            found = real(prompt_id, root)
            if self.removed and prompt_id == prompt:
                return [v for v in found if v != version]
            return found

        monkeypatch.setattr(prompts.loader, "available_versions", versions)

    def remove(self) -> None:
        self.removed = True


def wait_for_run(client: httpx.Client, run_id: str, timeout_s: float = 120) -> dict[str, Any]:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        run = client.get(f"/api/v1/runs/{run_id}").json()
        if run["status"] in ("completed", "failed"):
            return dict(run)
        time.sleep(0.1)
    raise AssertionError(f"run {run_id} did not finish")


async def record_accepted_run(url: str, *, run_id: str, campaign_id: int, leads: list[int]) -> None:
    """Write a run row as the API does on accepting a run, without running it."""
    async with await Database.connect(url) as db, db.sessions.begin() as session:
        options = {"api": True, "lead_ids": leads}
        await start_run(
            session, run_id=run_id, campaign_id=campaign_id, total=len(leads), options=options
        )


def _problem(response: httpx.Response, status: int) -> dict[str, object]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    return dict(response.json())


def test_unknown_prompts_and_versions_are_refused_naming_what_exists(
    client: httpx.Client,
) -> None:
    base = {"name": "pins", "channel": "email", "value_proposition": "We make CI fast."}
    version = _problem(
        client.post("/api/v1/campaigns", json={**base, "prompt_versions": {"generate": "v9"}}),
        422,
    )
    assert "generate" in str(version["detail"]) and "'v9'" in str(version["detail"])
    assert "available versions: v1, v2, v3, v4, v5, v6" in str(version["detail"])
    assert version["errors"] == [
        {
            "field": "prompt_versions.generate",
            "message": "prompt 'generate' has no version 'v9'; available versions: v1, v2, v3, v4, v5, v6",
            "available_versions": ["v1", "v2", "v3", "v4", "v5", "v6"],
        }
    ]
    for pins in ({TRAVERSAL: "v1"}, {"generat": "v1"}):
        name = next(iter(pins))
        unknown = _problem(
            client.post("/api/v1/campaigns", json={**base, "prompt_versions": pins}), 422
        )
        assert f"there is no prompt {name!r}" in str(unknown["detail"])
        assert "available prompts: analyze, generate" in str(unknown["detail"])
    traversal = _problem(
        client.post("/api/v1/campaigns", json={**base, "prompt_versions": {"analyze": TRAVERSAL}}),
        422,
    )
    assert "available versions: v1" in str(traversal["detail"])
    assert client.get("/api/v1/campaigns").json()["items"] == [], "nothing was stored"

    created = client.post("/api/v1/campaigns", json={**base, "prompt_versions": {"generate": "v1"}})
    assert created.status_code == 201, created.text
    url = f"/api/v1/campaigns/{created.json()['id']}"
    for method in ("PATCH", "PUT"):
        refused = _problem(
            client.request(method, url, json={"prompt_versions": {"generate": TRAVERSAL}}), 422
        )
        assert "prompt 'generate' has no version" in str(refused["detail"])
    assert client.get(url).json()["prompt_versions"] == {"generate": "v1"}, "left as it was"
    patched = client.patch(url, json={"prompt_versions": {"generate": "v2", "analyze": "v1"}})
    assert patched.status_code == 200, patched.text
    assert patched.json()["prompt_versions"] == {"generate": "v2", "analyze": "v1"}


async def _pin_in_database(url: str, campaign_id: int, pins: dict[str, str]) -> None:
    """Write pins straight into the campaign row, as an older version of the API let through."""
    async with await Database.connect(url) as db, db.sessions.begin() as session:
        row = await session.get(CampaignRow, campaign_id)
        assert row is not None
        row.settings = {**row.settings, "prompts": pins}


def test_a_run_that_fails_says_why_and_bad_stored_pins_are_refused_up_front(
    server_settings: Settings,
    api_key: str,
    campaign: Campaign,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert server_settings.database_url is not None
    removed = RemovedPromptFile(monkeypatch, "generate", "v2")
    with serve(server_settings, campaign, api_key, timeout=120) as client:
        ids = import_demo_leads(client)
        created = create_campaign(client, auto_send=False, prompt_versions={"generate": "v2"})
        maya = [ids["Maya Okafor"]]
        ok = client.post(
            f"/api/v1/campaigns/{created['id']}/generate-messages?wait=true",
            json={"lead_ids": maya},
        ).json()
        assert ok["success"] is True and ok["error"] is None

        # The prompt file goes away after a run was accepted: the run fails and says why.
        real_start_run = agent.runs.background.start_run

        async def start_then_remove(*args: object, **kwargs: object) -> object:
            row = await real_start_run(*args, **kwargs)  # type: ignore[arg-type]
            removed.remove()
            return row

        monkeypatch.setattr(agent.runs.background, "start_run", start_then_remove)
        failed = client.post(
            f"/api/v1/campaigns/{created['id']}/generate-messages?wait=true",
            json={"lead_ids": [ids["Jonas Weber"]]},
        )
        assert failed.status_code == 200, failed.text
        result = failed.json()
        assert result["success"] is False and result["status"] == "failed"
        assert "prompt 'generate' has no version 'v2'" in result["error"]
        assert "available versions: v1" in result["error"]
        run = client.get(f"/api/v1/runs/{result['run_id']}").json()
        assert run["status"] == "failed" and run["error"] == result["error"]
        monkeypatch.setattr(agent.runs.background, "start_run", real_start_run)

        # Now the campaign's stored pin names a missing file: a new run is refused at once.
        refused = _problem(
            client.post(
                f"/api/v1/campaigns/{created['id']}/generate-messages?wait=true",
                json={"lead_ids": [ids["Jonas Weber"]]},
            ),
            422,
        )
        assert "prompt 'generate' has no version 'v2'" in str(refused["detail"])
        assert refused["errors"][0]["field"] == "prompt_versions"  # type: ignore[index]
        # ... and its queued message cannot be reviewed: a clear conflict, not a 500.
        (message,) = ok["messages"]
        review = _problem(
            client.post(f"/api/v1/messages/{message['id']}/review", json={"action": "approve"}),
            409,
        )
        assert "prompt 'generate' has no version 'v2'" in str(review["detail"])
        assert "prompt_versions" in str(review["detail"])
        assert client.get(f"/api/v1/messages/{message['id']}").json()["status"] == "queued"

    # A run accepted before a restart, resumed with pins that no longer load, fails with why.
    asyncio.run(_pin_in_database(server_settings.database_url, created["id"], {"analyze": "v7"}))
    asyncio.run(
        record_accepted_run(
            server_settings.database_url,
            run_id="badpins12345",
            campaign_id=created["id"],
            leads=[ids["Priya Natarajan"]],
        )
    )
    with serve(server_settings, campaign, api_key) as client:
        run = wait_for_run(client, "badpins12345")
        assert run["status"] == "failed"
        assert "prompt 'analyze' has no version 'v7'; available versions: v1" in run["error"]
        result = client.get("/api/v1/runs/badpins12345/result").json()
        assert result["success"] is False and result["error"] == run["error"]
