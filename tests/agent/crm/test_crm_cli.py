"""`outreach crm sync` and `outreach crm check`, as a sales-ops engineer runs them: off without a
token (and saying how to turn it on), a summary a person can read, the failed lead named and
the exit code set, and a customer reported as held."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator

import pytest
from typer.testing import CliRunner

from agent.cli.app import app
from storage.database import Database
from tests.agent.crm.crm_seeds import ANA, JONAS, MAYA, Seeded, seed
from tests.fakes.hubspot_fake import DEFAULT_TOKEN, HubSpotFake


async def _seed(url: str) -> Seeded:
    async with await Database.connect(url, migrate=True) as db:
        return await seed(db)


@pytest.fixture
def hubspot() -> Iterator[HubSpotFake]:
    with HubSpotFake() as fake:
        yield fake


@pytest.fixture
def runner(database_url: str, hubspot: HubSpotFake) -> CliRunner:
    return CliRunner(
        env={
            "OUTREACH_DATABASE_URL": database_url,
            "OUTREACH_HUBSPOT_ACCESS_TOKEN": DEFAULT_TOKEN,
            "OUTREACH_HUBSPOT_BASE_URL": hubspot.base_url,
            "COLUMNS": "200",
        }
    )


def test_without_a_token_the_sync_says_it_is_off_and_how_to_turn_it_on(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("OUTREACH_HUBSPOT_ACCESS_TOKEN", raising=False)
    result = CliRunner(env={"OUTREACH_DATABASE_URL": database_url, "COLUMNS": "200"}).invoke(
        app, ["crm", "sync"]
    )
    assert result.exit_code == 1
    assert "HubSpot sync is off" in result.stderr
    assert "OUTREACH_HUBSPOT_ACCESS_TOKEN" in result.stderr


def test_a_sync_reports_what_it_wrote_and_who_is_held(
    database_url: str, hubspot: HubSpotFake, runner: CliRunner
) -> None:
    asyncio.run(_seed(database_url))
    hubspot.add_contact(ANA, lifecyclestage="customer")
    first = runner.invoke(app, ["crm", "sync"])
    assert first.exit_code == 0, first.output
    assert "3 lead(s) synced, 0 failed" in first.stdout
    assert "2 contacts created" in first.stdout and "2 emails logged" in first.stdout
    assert f"held: {ANA} is at customer in HubSpot; it will not be contacted" in first.stdout
    second = runner.invoke(app, ["crm", "sync"])
    assert second.exit_code == 0, second.output
    assert "nothing new to write" in second.stdout
    check = runner.invoke(app, ["crm", "check", ANA])
    assert check.exit_code == 0
    assert "held (crm_customer)" in check.stdout
    assert "not held" in runner.invoke(app, ["crm", "check", MAYA]).stdout


def test_a_lead_hubspot_refuses_is_named_and_the_exit_code_says_so(
    database_url: str, hubspot: HubSpotFake, runner: CliRunner
) -> None:
    seeded = asyncio.run(_seed(database_url))
    hubspot.break_contact(JONAS, 400)
    result = runner.invoke(app, ["crm", "sync", "--json"])
    assert result.exit_code == 1
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert {line["email"]: line.get("contact") for line in lines} == {
        MAYA: "created", ANA: "created", JONAS: None,
    }  # fmt: skip
    assert f"lead {seeded.jonas} ({JONAS}):" in result.stderr
    assert "HTTP 400" in result.stderr


def test_a_lead_or_a_campaign_narrows_the_sync_and_an_unknown_campaign_is_an_error(
    database_url: str, hubspot: HubSpotFake, runner: CliRunner
) -> None:
    seeded = asyncio.run(_seed(database_url))
    unknown = runner.invoke(app, ["crm", "sync", "--campaign", "Spring launch"])
    assert unknown.exit_code == 1
    assert "there is no campaign 'Spring launch'" in unknown.stderr
    assert hubspot.writes == []
    one = runner.invoke(app, ["crm", "sync", "--lead", str(seeded.maya)])
    assert one.exit_code == 0, one.output
    assert [c["email"] for c in hubspot.contacts()] == [MAYA]
    campaign = runner.invoke(app, ["crm", "sync", "--campaign", "Fleet uptime"])
    assert campaign.exit_code == 0, campaign.output
    assert "2 lead(s)" not in campaign.stdout and "3 lead(s) synced" in campaign.stdout
    assert len(hubspot.contacts()) == 3
