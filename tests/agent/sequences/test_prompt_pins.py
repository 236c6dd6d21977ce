"""A campaign's prompt pins hold for every step of its sequence, and bad pins are refused when
the campaign is defined (a campaign file, `outreach simulate`), not weeks later at a step."""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import select
from typer.testing import CliRunner

import prompts.loader
from agent.campaigns.files import CampaignFileError, load_campaign_spec
from agent.campaigns.spec import CampaignSpec
from agent.cli.app import app
from agent.sequences.simulation import simulate
from agent.settings import Settings
from storage.database import Database
from storage.models import MessageRow
from storage.sequence_models import SequenceStepRow
from tests.conftest import EXAMPLES
from tests.demo_people import person
from tests.server.api_helpers import serve
from tests.server.conftest import issue_test_key

START = dt.datetime(2027, 1, 11, 8, 0, tzinfo=dt.UTC)  # a Monday
V2_LINE = "Version two: open with the lead's first name and nothing else on that line."


@pytest.fixture
def prompts_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of prompts/ with a v4 of the soft nudge, which every prompt load reads."""
    root = tmp_path / "prompts"
    shutil.copytree(
        prompts.loader.PROMPTS_DIR, root, ignore=shutil.ignore_patterns("*.py", "__pycache__")
    )
    folder = root / "follow_up_soft_nudge"
    v3 = (folder / "v3.md").read_text(encoding="utf-8")
    v4 = v3.replace("version: v3", "version: v4", 1).replace("# System\n", f"# System\n{V2_LINE}\n")
    (folder / "v4.md").write_text(v4, encoding="utf-8")
    monkeypatch.setattr(prompts.loader, "PROMPTS_DIR", root)
    return root


def spec(pins: dict[str, str]) -> CampaignSpec:
    data: dict[str, Any] = yaml.safe_load((EXAMPLES / "campaign.yaml").read_text())
    data["target_audience"] = data.pop("target")
    data.update(name="pinned", sequence="3-step", policy={"auto_send": True}, prompt_versions=pins)
    return CampaignSpec.model_validate(data)


async def written(url: str) -> list[MessageRow]:
    async with await Database.connect(url) as db, db.sessions() as session:
        query = select(MessageRow).order_by(MessageRow.sequence_step)
        return list(await session.scalars(query))


def test_every_step_is_written_with_the_prompt_versions_the_campaign_pins(
    prompts_dir: Path, database_url: str, offline_settings: Callable[..., Settings]
) -> None:
    settings = offline_settings()
    pins = {"generate": "v1", "follow_up_soft_nudge": "v4"}
    run = simulate(
        settings,
        spec(pins),
        [person("maya", 0)],
        [],
        start=START,
        days=14,
        resolve=settings.resolve,
    )
    timeline = asyncio.run(run).timeline
    assert [e.step for e in timeline if e.event == "sent"] == [1, 2, 3], timeline

    first, nudge, breakup = asyncio.run(written(database_url))
    used = [m.generation["prompts"] for m in (first, nudge, breakup)]
    # Unpinned, a first touch is written with generate v2 (the newest): the pin holds here ...
    assert used[0]["generate"]["version"] == "v1"
    # ... and at the follow-up, with the exact file pinned, recorded as first touches record it.
    v4 = (prompts_dir / "follow_up_soft_nudge" / "v4.md").read_bytes()
    assert used[1]["follow_up_soft_nudge"] == {
        "id": "follow_up_soft_nudge",
        "version": "v4",
        "sha256": hashlib.sha256(v4).hexdigest(),
    }
    assert used[2]["follow_up_breakup"]["version"] == "v3"  # not pinned: the newest
    assert all(m.status == "sent" for m in (first, nudge, breakup))


@pytest.mark.parametrize(
    ("pins", "message"),
    [
        (
            {"follow_up_breakup": "v9"},
            "prompt 'follow_up_breakup' has no version 'v9'; available versions: v1, v2, v3",
        ),
        ({"follow_up_nudge": "v1"}, "there is no prompt 'follow_up_nudge'"),
        (
            {"call_script": "../generate/v2"},
            "prompt 'call_script' has no version '../generate/v2'; available versions: v1",
        ),
    ],
)
def test_a_campaign_file_pinning_a_follow_up_prompt_that_does_not_exist_is_refused(
    pins: dict[str, str], message: str, tmp_path: Path
) -> None:
    path = tmp_path / "campaign.yaml"
    path.write_text(
        yaml.safe_dump(
            {"name": "q1", "value_proposition": "CI insight", "sequence": "5-step",
             "prompt_versions": pins}
        )
    )  # fmt: skip
    with pytest.raises(CampaignFileError) as refused:
        load_campaign_spec(path)
    assert f"campaign field prompt_versions in {path}" in str(refused.value)
    assert message in str(refused.value)

    leads = tmp_path / "leads.csv"
    leads.write_text("name,email,company\nA B,a@b.example,B\n")
    result = CliRunner().invoke(app, ["simulate", str(leads), "--campaign-file", str(path)])
    assert result.exit_code == 1
    assert message in " ".join(result.stderr.split())


def test_a_campaign_file_pinning_follow_up_prompts_that_exist_is_accepted(
    prompts_dir: Path, tmp_path: Path
) -> None:
    path = tmp_path / "campaign.yaml"
    pins = {"follow_up_soft_nudge": "v4", "follow_up_breakup": "v1", "call_script": "v1"}
    path.write_text(
        yaml.safe_dump({"name": "q1", "value_proposition": "x", "prompt_versions": pins})
    )
    assert load_campaign_spec(path).prompt_versions == pins


def test_the_api_refuses_a_campaign_pinning_a_follow_up_prompt_version_that_does_not_exist(
    prompts_dir: Path, offline_settings: Callable[..., Settings], database_url: str
) -> None:
    key = asyncio.run(issue_test_key(database_url))
    base = {"name": "pins", "channel": "email", "value_proposition": "CI", "sequence": "5-step"}
    with serve(offline_settings(sequence_tick_s=0), None, key, timeout=30) as client:
        refused = client.post(
            "/api/v1/campaigns", json={**base, "prompt_versions": {"follow_up_new_angle": "v4"}}
        )
        assert refused.status_code == 422, refused.text
        assert refused.json()["errors"] == [
            {
                "field": "prompt_versions.follow_up_new_angle",
                "message": "prompt 'follow_up_new_angle' has no version 'v4'; available "
                "versions: v1, v2, v3",
                "available_versions": ["v1", "v2", "v3"],
            }
        ]
        assert client.get("/api/v1/campaigns").json()["items"] == []  # nothing was stored

        pins = {"follow_up_soft_nudge": "v4", "call_script": "v1"}
        created = client.post("/api/v1/campaigns", json={**base, "prompt_versions": pins})
        assert created.status_code == 201, created.text
        url = f"/api/v1/campaigns/{created.json()['id']}"
        patched = client.patch(url, json={"prompt_versions": {"follow_up_breakup": "v4"}})
        assert patched.status_code == 422, patched.text
        assert "prompt 'follow_up_breakup' has no version 'v4'" in patched.json()["detail"]
        assert client.get(url).json()["prompt_versions"] == pins  # left as it was


def test_a_step_whose_pinned_prompt_file_was_removed_since_waits_saying_why(
    prompts_dir: Path, database_url: str, offline_settings: Callable[..., Settings]
) -> None:
    settings = offline_settings()
    campaign = spec({"generate": "v1"})  # valid when the campaign was defined ...
    (prompts_dir / "generate" / "v1.md").unlink()  # ... and its file deleted before step 1
    run = simulate(settings, campaign, [person("maya", 0)], [], start=START, days=10)
    events = [e.event for e in asyncio.run(run).timeline if e.event != "scheduled"]
    assert events == []  # ten days on: nothing skipped, nothing sent, no later step begun
    assert asyncio.run(written(database_url)) == []  # nothing written with another version

    async def steps() -> list[SequenceStepRow]:
        async with await Database.connect(database_url) as db, db.sessions() as session:
            return list(await session.scalars(select(SequenceStepRow)))

    [step] = asyncio.run(steps())  # step 1 waits for the file (or a new pin), as it was
    assert (step.step, step.status) == (1, "scheduled")
    assert "the campaign's prompt_versions cannot be loaded" in step.detail
    assert "prompt 'generate' has no version 'v1'" in step.detail
