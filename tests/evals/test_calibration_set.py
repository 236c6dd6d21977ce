"""The calibration set's follow-ups: loaded with their thread, and scored as labelled."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from evals.calibration_run import CHECKS_FOR, calibrate
from evals.calibration_set import (
    FOLLOW_UP_DEFECTS,
    CalibrationCase,
    CalibrationSetError,
    load_calibration,
)
from evals.golden_set import load_golden
from graphs.lead import Channel
from graphs.sequence_turn import SequenceTurn, StepChannel, StepKind
from graphs.sms_suffix import thread_sms_suffix
from tools.delivery.sms import OPT_OUT_LINE

FIRST_TOUCH = (
    "Hi Ines,\n\nI read your write-up on getting the Tallyfold CI queue from 48 minutes back to "
    "19 minutes.\n\nWorth a 15-minute call next week to see it on your pipeline?\n\nAlex Rivera"
)
NUDGE = (
    "Hi Ines,\n\nBringing my note back to the top of your inbox.\n\n"
    "Would a short call next week be useful?\n\nAlex Rivera"
)


def follow_ups() -> list[CalibrationCase]:
    return [case for case in load_calibration() if case.turn is not None]


def test_the_follow_up_cases_load_with_their_thread() -> None:
    cases = follow_ups()
    counts = Counter(case.defect for case in cases)
    assert counts["none"] >= 6, counts
    assert all(counts[defect] >= 6 for defect in FOLLOW_UP_DEFECTS), counts
    # Every follow-up defect is labelled on a follow-up only; first touches carry no thread.
    assert all(
        case.turn is not None for case in load_calibration() if case.defect in FOLLOW_UP_DEFECTS
    )
    kinds = {case.turn.kind for case in cases if case.turn is not None}
    assert {StepKind.SOFT_NUDGE, StepKind.NEW_ANGLE, StepKind.DIRECT_CTA, StepKind.BREAKUP} <= kinds
    assert {case.message_channel for case in cases} == {
        Channel.EMAIL,
        Channel.SMS,
        Channel.LINKEDIN,
    }

    good = next(case for case in cases if case.id == "fu-good-g01-email-new-angle")
    turn = good.sequence_turn
    assert isinstance(turn, SequenceTurn)
    assert (turn.step, turn.kind, turn.channel) == (2, StepKind.NEW_ANGLE, StepChannel.EMAIL)
    (first,) = turn.earlier
    assert first.kind is StepKind.FIRST_TOUCH and first.subject == "Your CI queue write-up"
    assert first.fact_ids == ["f_df9ad7ab99", "f_dbcb13d344"]  # from the earlier hooks
    assert first.hooks[0].startswith("your post on getting the CI queue")
    assert turn.used_fact_ids == {"f_df9ad7ab99", "f_dbcb13d344"}
    # A good email follow-up answers the thread.
    assert good.subject == f"Re: {turn.thread_subject}"

    breakup = next(case for case in cases if case.id == "fu-good-g32-email-breakup")
    assert breakup.turn is not None and breakup.turn.is_last
    assert [m.step for m in breakup.turn.earlier] == [1, 2]


def test_the_follow_up_cases_are_scored_as_labelled() -> None:
    goldens, campaigns = load_golden()
    cases = follow_ups()
    report = calibrate(cases, {g.id: g for g in goldens}, campaigns)
    for case, result in zip(cases, report.cases, strict=True):
        assert case.turn is not None
        assert result["turn"] == {"step": case.turn.step, "kind": case.turn.kind.value}
        if case.should_pass:
            assert result["critic_passed"], (case.id, result["issues"])
        else:
            # Caught, and by the check meant for it alone: no other check fires.
            assert not result["critic_passed"], case.id
            assert set(result["failed_checks"]) == CHECKS_FOR[case.defect], (case.id, result)
    for defect in FOLLOW_UP_DEFECTS:
        score = report.scores[defect]
        assert score.recall == 1.0 and score.precision == 1.0, defect
    assert report.false_alarms == []


def case_with_turn(turn: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return {
        "id": "fu-test", "golden": "g01-strong-email-rich", "tone": "professional",
        "subject": "Re: Your CI queue write-up", "body": NUDGE, "defect": "none",
        "turn": turn, **fields,
    }  # fmt: skip


def thread(**changes: Any) -> dict[str, Any]:
    earlier = {"step": 1, "kind": "first_touch", "channel": "email", "body": FIRST_TOUCH,
               "subject": "Your CI queue write-up",
               "hooks": [{"text": "your CI queue write-up", "fact_ids": ["f_df9ad7ab99"]}]}  # fmt: skip
    turn: dict[str, Any] = {"step": 2, "kind": "soft_nudge", "channel": "email"}
    turn["earlier"] = [{**earlier, **changes.pop("message", {})}]
    return {**turn, **changes}


@pytest.mark.parametrize(
    ("case", "message"),
    [
        (case_with_turn({"step": 2, "kind": "soft_nudge", "channel": "email"}),
         "case 2: turn.earlier: Field required"),
        (case_with_turn(thread(kind="nudge")), "case 2: turn.kind: Input should be"),
        (case_with_turn(thread(message={"hook": "x"})),
         "case 2: turn.earlier.0.hook: Extra inputs are not permitted"),
        (case_with_turn(thread(message={"hooks": [{"text": "a hook"}]})),
         "case 2: turn.earlier.0.hooks.0.fact_ids: Field required"),
        (case_with_turn(thread(message={"step": 2})),
         "case 2: turn.earlier.0.step: 2 is not before the turn's step 2"),
        (case_with_turn(thread(kind="first_touch")),
         "case 2: turn.kind: a first touch has no thread"),
        (case_with_turn(thread(channel="call")),
         "case 2: turn.channel: a call step is a task, not a message"),
        (case_with_turn(thread(), channel="sms"),
         "case 2: turn.channel: email does not write for the case's channel sms"),
        ({**case_with_turn(thread()), "defect": "two_ctas", "turn": None},
         "case 2: turn: a two_ctas case is a follow-up; give its turn and thread"),
    ],
)  # fmt: skip
def test_a_malformed_turn_names_the_file_case_and_field(
    tmp_path: Path, case: dict[str, Any], message: str
) -> None:
    good = case_with_turn(thread(), id="fu-fine")
    (tmp_path / "follow_ups.yaml").write_text(yaml.safe_dump([good, case], allow_unicode=True))
    with pytest.raises(CalibrationSetError) as raised:
        load_calibration(tmp_path)
    assert str(raised.value).startswith(f"follow_ups.yaml: {message}"), str(raised.value)


def test_a_first_text_after_emails_counts_the_opt_out_line() -> None:
    # As in the critic node: the opt-out line ends a sequence's first SMS only.
    (case,) = [c for c in follow_ups() if c.id == "fu-good-g01-sms-after-emails"]
    assert thread_sms_suffix(case.sequence_turn, Channel.SMS, "en") == OPT_OUT_LINE
    after_text = next(c for c in follow_ups() if c.id == "fu-good-g04-sms-new-angle")
    assert thread_sms_suffix(after_text.sequence_turn, Channel.SMS, "en") == ""
    assert thread_sms_suffix(None, Channel.SMS, "en") == ""  # a single message, as before

    # 150 characters alone fit one segment; with the opt-out line they do not.
    body = "Ines, Alex from Brightpath here, following up on my emails about CI at Tallyfold. "
    body += "Worth a quick call next week to look at your slowest builds together?"
    assert len(body) <= 160 < len(f"{body}\n{OPT_OUT_LINE}")
    long_text = case.model_copy(update={"id": "fu-long-text", "body": body})
    goldens, campaigns = load_golden()
    report = calibrate([long_text], {g.id: g for g in goldens}, campaigns)
    assert report.cases[0]["failed_checks"] == ["channel_limit"]
