"""`outreach learning show|reset|undo-reset` and GET/DELETE /campaigns/{id}/learning: what a
campaign learned (examples, phrasings, odds with their prior), reset, and brought back."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable

from typer.testing import CliRunner

from agent.cli.app import app
from agent.settings import Settings
from storage.database import Database
from tests.agent.learning.learning_seed import DELETED, KEPT, seed_learning_campaign
from tests.server.api_helpers import api_client, live_api
from tests.server.conftest import issue_test_key


async def _seed(url: str) -> int:
    async with await Database.connect(url, migrate=True) as db:
        return await seed_learning_campaign(db)


def test_the_command_shows_resets_and_brings_back_a_campaigns_learning(database_url: str) -> None:
    campaign_id = asyncio.run(_seed(database_url))
    runner = CliRunner(env={"OUTREACH_DATABASE_URL": database_url, "COLUMNS": "200"})
    shown = runner.invoke(app, ["learning", "show", "--campaign", "Learning"])
    assert shown.exit_code == 0, shown.output
    assert f"Learning (#{campaign_id}): learned" in shown.output
    assert f"  - {DELETED}" in shown.output and f"  - {KEPT}" in shown.output
    assert "Prior over a positive-reply rate: Beta(1,9)" in shown.output
    rows = [line.split("│")[1:-1] for line in shown.output.splitlines() if line.count("│") > 3]
    assert [c.strip() for c in rows[0]] == ["platform", "news", "direct", "40", "12", "0.260"]

    reset = runner.invoke(app, ["learning", "reset", "--campaign", str(campaign_id), "--json"])
    assert reset.exit_code == 0, reset.output
    after = json.loads(reset.output)
    assert after["since"] and after["examples"] == [] and after["avoid"] == []
    assert after["segments"] == {}

    back = runner.invoke(app, ["learning", "undo-reset", "--campaign", "Learning", "--json"])
    view = json.loads(back.output)
    assert view["since"] is None and view["avoid"] == [DELETED] and len(view["examples"]) == 2
    assert view["segments"]["retail"]["posterior"] == "1/40 positive, prior Beta(1,9)"

    again = runner.invoke(app, ["learning", "undo-reset", "--campaign", "Learning"])
    assert again.exit_code == 1 and "has no reset to undo" in again.output
    unknown = runner.invoke(app, ["learning", "show", "--campaign", "Nope"])
    assert unknown.exit_code == 1 and "there is no campaign 'Nope'" in unknown.output


def test_the_api_shows_and_resets_a_campaigns_learning(
    database_url: str, offline_settings: Callable[..., Settings]
) -> None:
    campaign_id = asyncio.run(_seed(database_url))
    key = asyncio.run(issue_test_key(database_url))
    with live_api(offline_settings()) as base, api_client(base, key, timeout=30) as http:
        learned = http.get(f"/api/v1/campaigns/{campaign_id}/learning")
        assert learned.status_code == 200, learned.text
        assert learned.json()["avoid"] == [DELETED]
        platform = learned.json()["segments"]["platform"]
        assert platform["posterior"] == "12/40 positive, prior Beta(1,9)"
        reset = http.delete(f"/api/v1/campaigns/{campaign_id}/learning")
        assert reset.status_code == 200 and reset.json()["segments"] == {}
        assert http.get(f"/api/v1/campaigns/{campaign_id}/learning").json()["avoid"] == []
        undone = http.post(f"/api/v1/campaigns/{campaign_id}/learning/undo-reset")
        assert undone.status_code == 200 and undone.json()["avoid"] == [DELETED]
        assert http.post(f"/api/v1/campaigns/{campaign_id}/learning/undo-reset").status_code == 409
        assert http.get("/api/v1/campaigns/999999/learning").status_code == 404
