"""Sequence definitions: presets, steps, and refusals that name the step and the field."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from agent.campaigns.files import CampaignFileError, load_campaign_spec
from agent.campaigns.spec import CampaignSpec
from agent.campaigns.stored import spec_of, write_spec
from agent.sequences.business_days import add_business_days, due_after, is_business_day
from agent.sequences.definition import SequenceError, parse_sequence
from graphs.sequence_turn import StepChannel, StepKind
from storage.models import CampaignRow

NINE_TO_FIVE = (dt.time(9), dt.time(17))


@pytest.mark.parametrize("name", ["3-step", "5-step", "7-step", "soft_nudge", "direct_cta"])
def test_every_preset_runs_two_to_four_weeks_and_starts_with_a_first_touch(name: str) -> None:
    sequence = parse_sequence(name)
    assert sequence is not None and sequence.preset == name
    assert sequence.steps[0].kind is StepKind.FIRST_TOUCH
    assert sequence.steps[-1].kind is StepKind.BREAKUP or name == "direct_cta"
    assert 5 <= sequence.total_business_days <= 20
    if name[0].isdigit():
        assert len(sequence.steps) == int(name[0])


@pytest.mark.parametrize(
    ("raw", "step", "field", "words"),
    [
        ([{"channel": "email", "kind": "soft_nudge"}], 1, "kind", "first_touch"),
        (
            [{"channel": "email", "kind": "first_touch"}, {"channel": "fax", "kind": "soft_nudge"}],
            2, "channel", "'email', 'sms'",
        ),
        (
            [{"channel": "email", "kind": "first_touch"},
             {"channel": "email", "kind": "soft_nudge", "delay_business_days": 0}],
            2, "delay_business_days", "at least 1",
        ),
        (
            [{"channel": "email", "kind": "first_touch", "window": "18:00-09:00"}],
            1, "window", "ends before it starts",
        ),
        (
            [{"channel": "email", "kind": "first_touch"},
             {"channel": "email", "kind": "breakup", "delay_business_days": 2},
             {"channel": "email", "kind": "soft_nudge", "delay_business_days": 2}],
            2, "kind", "last step",
        ),
        (
            [{"channel": "email", "kind": "first_touch"},
             {"channel": "linkedin_message", "kind": "new_angle", "delay_business_days": 2}],
            2, "channel", "linkedin_connect",
        ),
        (
            [{"channel": "email", "kind": "first_touch"},
             {"channel": "email", "kind": "soft_nudge", "delay_business_days": -1}],
            2, "delay_business_days", "greater than or equal to 0",
        ),
        (
            [{"channel": "email", "kind": "first_touch", "colour": "red"}],
            1, "colour", "Extra inputs",
        ),
    ],
)  # fmt: skip
def test_a_malformed_sequence_is_refused_naming_its_step_and_field(
    raw: list[dict[str, object]], step: int, field: str, words: str
) -> None:
    with pytest.raises(SequenceError) as refused:
        parse_sequence(raw)
    assert refused.value.step == step and refused.value.field == field
    assert f"sequence step {step}, field {field}" in str(refused.value)
    assert words in str(refused.value)


def test_an_unknown_preset_names_the_ones_that_exist() -> None:
    with pytest.raises(SequenceError, match=r"unknown preset 'twelve-step'.*3-step, 5-step"):
        parse_sequence("twelve-step")


def test_a_campaign_file_with_a_bad_step_is_refused_before_anything_runs(tmp_path: Path) -> None:
    path = tmp_path / "campaign.yaml"
    path.write_text(
        "name: q1\nvalue_proposition: CI insight\nsequence:\n"
        "  - {channel: email, kind: first_touch}\n"
        "  - {channel: email, kind: new_angle, delay_business_days: 3, window: '9-5'}\n"
    )
    with pytest.raises(CampaignFileError) as refused:
        load_campaign_spec(path)
    assert "sequence step 2, field window" in str(refused.value) and str(path) in str(refused.value)


def test_a_sequence_survives_the_database_row_as_a_preset_or_as_steps() -> None:
    steps = [
        {"channel": "email", "kind": "first_touch"},
        {"channel": "sms", "kind": "soft_nudge", "delay_business_days": 2, "window": "10:00-12:00"},
    ]
    for given in ("5-step", steps):
        row = CampaignRow(name="q1", settings={})
        write_spec(row, CampaignSpec(name="q1", value_proposition="x", sequence=given))
        back = spec_of(row).sequence
        assert back is not None and back == parse_sequence(given)
    assert spec_of(row).sequence.step(2).channel is StepChannel.SMS  # type: ignore[union-attr]


def test_business_days_skip_weekends_and_the_countrys_own_holidays() -> None:
    # Thursday 24 December 2026: Christmas is a holiday in both, Boxing Day only in Germany
    # (a Saturday anyway); 1 January 2027 is a holiday in both.
    assert add_business_days(dt.date(2026, 12, 24), 1, "US") == dt.date(2026, 12, 28)
    assert add_business_days(dt.date(2026, 12, 24), 1, "DE") == dt.date(2026, 12, 28)
    assert add_business_days(dt.date(2026, 12, 31), 1, "US") == dt.date(2027, 1, 4)
    # Thanksgiving (26 November 2026) is American, not German.
    assert not is_business_day(dt.date(2026, 11, 26), "US")
    assert is_business_day(dt.date(2026, 11, 26), "DE")
    # German Unity Day (Friday 3 October 2025) is German, not American.
    assert not is_business_day(dt.date(2025, 10, 3), "DE")
    assert is_business_day(dt.date(2025, 10, 3), "US")


def test_a_step_is_due_at_its_window_in_the_recipients_own_timezone() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    friday_evening = dt.datetime(2026, 12, 18, 17, 30, tzinfo=dt.UTC)  # 18:30 in Berlin
    due = due_after(friday_evening, 0, tz=berlin, country="DE", window=NINE_TO_FIVE)
    assert due.astimezone(berlin) == dt.datetime(2026, 12, 21, 9, 0, tzinfo=berlin)  # Monday
    due = due_after(friday_evening, 3, tz=berlin, country="DE", window=NINE_TO_FIVE)
    # Mon 21, Tue 22, Wed 23 December.
    assert due.astimezone(berlin) == dt.datetime(2026, 12, 23, 9, 0, tzinfo=berlin)
    new_york = ZoneInfo("America/New_York")
    due = due_after(friday_evening, 4, tz=new_york, country="US", window=NINE_TO_FIVE)
    # Mon 21 .. Thu 24 December (Christmas Friday is skipped only after the 4th day).
    assert due.astimezone(new_york).date() == dt.date(2026, 12, 24)
    assert due.astimezone(new_york).time() == dt.time(9)
