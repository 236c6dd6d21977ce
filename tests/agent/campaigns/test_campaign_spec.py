"""One campaign type from file, API and database alike (issue 18): what goes in comes out.

A campaign file and a stored row become the same CampaignSpec and the same pipeline Campaign; a
value proposition is None until it is set (never ""), and is required in one place, to run.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from agent.campaigns.files import CampaignFileError, load_campaign, load_campaign_spec
from agent.campaigns.spec import CampaignNeedsPitch, CampaignSpec
from agent.campaigns.stored import pipeline_campaign, spec_of, store_campaign, write_spec
from graphs.lead import Campaign, Channel
from storage.database import open_engine, session_maker
from storage.migrations import upgrade
from storage.models import CampaignRow
from tests.conftest import EXAMPLES


def test_a_campaign_file_round_trips_through_the_database_unchanged(campaign: Campaign) -> None:
    loaded = load_campaign(EXAMPLES / "campaign.yaml")
    assert loaded == campaign
    row = CampaignRow(name=loaded.name)
    write_spec(row, CampaignSpec.of_campaign(loaded))
    assert pipeline_campaign(row) == loaded
    assert spec_of(row) == CampaignSpec.of_campaign(loaded)


def test_a_file_without_a_pitch_says_how_to_give_one(tmp_path: Path) -> None:
    path = tmp_path / "no-pitch.yaml"
    path.write_text("name: Q2\nchannel: email\nvalue_proposition: '   '\n")
    with pytest.raises(
        CampaignFileError, match=r"needs a value proposition.*no-pitch\.yaml.*--value-prop"
    ):
        load_campaign(path)
    assert load_campaign_spec(path).pitch is None  # read as "not set", not as blank text
    given = load_campaign(path, value_proposition="We make CI fast.")
    assert given.value_proposition == "We make CI fast." and given.name == "Q2"


def test_a_file_names_its_wrong_field(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("name: Q2\nchannel: carrier-pigeon\nvalue_proposition: CI\n")
    with pytest.raises(CampaignFileError, match=r"campaign field channel in .*bad\.yaml"):
        load_campaign(path)
    path.write_text("name: Q2\nvalue_proposition: CI\ntarget:\n  titles: 7\n")
    with pytest.raises(CampaignFileError, match=r"target.*titles"):
        load_campaign(path)


def test_the_pitch_is_required_to_run_and_nowhere_else() -> None:
    spec = CampaignSpec(name="Draft", channel=Channel.SMS)
    assert spec.pitch is None
    assert spec.shown().call_to_action  # readable before it can run
    with pytest.raises(CampaignNeedsPitch, match="Draft"):
        spec.pipeline_campaign()
    ready = spec.with_changes({"value_proposition": "We make CI fast.", "auto_send": True})
    assert ready.pipeline_campaign().value_proposition == "We make CI fast."
    assert ready.policy.auto_send is True
    # A None pitch in a change leaves the pitch as it was; None in a policy field clears it.
    kept = ready.with_changes({"value_proposition": None, "auto_send": None})
    assert kept.pitch == "We make CI fast." and kept.policy.auto_send is None


async def test_a_stored_campaign_without_a_pitch_reads_as_unset(database_url: str) -> None:
    engine = open_engine(database_url)
    try:
        await upgrade(engine)
        async with session_maker(engine).begin() as session:
            draft = CampaignRow(name="Draft", channel="sms", status="draft")
            write_spec(draft, CampaignSpec(name="Draft", channel=Channel.SMS))
            session.add(draft)
            stored = await store_campaign(session, load_campaign(EXAMPLES / "campaign.yaml"))
        async with session_maker(engine)() as session:
            draft_back = await session.scalar(
                select(CampaignRow).where(CampaignRow.name == "Draft")
            )
            assert draft_back is not None and spec_of(draft_back).pitch is None
            with pytest.raises(CampaignNeedsPitch):
                pipeline_campaign(draft_back)
            stored_back = await session.get(CampaignRow, stored.id)
            assert stored_back is not None
            assert pipeline_campaign(stored_back) == load_campaign(EXAMPLES / "campaign.yaml")
    finally:
        await engine.dispose()
