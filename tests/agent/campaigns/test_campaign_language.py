"""A campaign's language and translations from a campaign file and through storage: the
pipeline's Campaign carries them, so a run can write in them."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent.campaigns.files import CampaignFileError, load_campaign, load_campaign_spec
from agent.campaigns.stored import pipeline_campaign, spec_of, write_spec
from storage.models import CampaignRow

FILE = """
name: dach
value_proposition: We make CI fast.
call_to_action: Worth a 15-minute call?
language: de
translations:
  de:
    value_proposition: Wir machen CI schnell.
    call_to_action: Passt ein kurzes Gespräch?
  es:
    value_proposition: Hacemos CI rápida.
"""


def test_a_campaign_file_names_its_language_and_its_translated_pitch(tmp_path: Path) -> None:
    path = tmp_path / "campaign.yaml"
    path.write_text(FILE, encoding="utf-8")
    campaign = load_campaign(path)
    assert campaign.language == "de"
    german = campaign.in_language("de")
    assert (german.value_proposition, german.call_to_action) == (
        "Wir machen CI schnell.",
        "Passt ein kurzes Gespräch?",
    )
    spanish = campaign.in_language("es")
    assert spanish.call_to_action == "Worth a 15-minute call?", "no translation: its own words"


def test_a_stored_campaign_runs_with_its_language_and_translations(tmp_path: Path) -> None:
    path = tmp_path / "campaign.yaml"
    path.write_text(FILE, encoding="utf-8")
    row = CampaignRow(name="dach")
    write_spec(row, load_campaign_spec(path))
    campaign = pipeline_campaign(row)
    assert campaign.language == "de"
    assert sorted(campaign.translations) == ["de", "es"]
    assert spec_of(row).translations["es"].value_proposition == "Hacemos CI rápida."


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("name: x\nvalue_proposition: CI\nlanguage: Italian\n", "campaign field language"),
        (
            "name: x\nvalue_proposition: CI\ntranslations:\n  it:\n    value_proposition: CI\n",
            "campaign field translations.it",
        ),
    ],
)
def test_a_language_we_do_not_write_in_is_named_in_the_file(
    tmp_path: Path, text: str, field: str
) -> None:
    path = tmp_path / "campaign.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(CampaignFileError, match=field):
        load_campaign(path)


def test_an_update_to_one_translation_keeps_the_others(tmp_path: Path) -> None:
    path = tmp_path / "campaign.yaml"
    path.write_text(FILE, encoding="utf-8")
    spec = load_campaign_spec(path)
    changed = spec.with_changes(
        {"translations": {"fr": {"value_proposition": "Nous accélérons la CI."}}}
    )
    assert sorted(changed.translations) == ["de", "es", "fr"]
    assert changed.translations["de"].value_proposition == "Wir machen CI schnell."
    assert not spec.with_changes({"translations": None}).translations


def test_a_blank_translated_pitch_is_refused_by_field(tmp_path: Path) -> None:
    path = tmp_path / "campaign.yaml"
    path.write_text(FILE.replace("Wir machen CI schnell.", "'   '"), encoding="utf-8")
    with pytest.raises(CampaignFileError, match=r"translations\.de\.value_proposition"):
        load_campaign(path)
