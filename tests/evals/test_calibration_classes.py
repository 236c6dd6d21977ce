"""The calibration set's classes and languages: what the loader accepts, and what the committed
set covers (issue 21: at least 200 labelled messages, every class with good and bad cases,
every language the product writes in)."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

from evals.calibration_set import (
    CALIBRATION_DIR,
    CLAIM_CLASSES,
    GOOD_CLASSES,
    LANGUAGE_CLASSES,
    CalibrationCase,
    CalibrationSetError,
    load_calibration,
)
from evals.golden_set import campaign_for, load_golden
from graphs.critic.checks import word_count
from graphs.lead import LANGUAGES, Channel
from tools.delivery.sms import segment_count

GOOD = (
    "Hi Ines,\n\nI read your write-up on getting the Tallyfold CI queue from 48 minutes back to "
    "19 minutes.\n\nWorth a 15-minute call next week to see it on your pipeline?\n\nAlex Rivera"
)
NEW_CLASSES = {
    *GOOD_CLASSES[1:], *CLAIM_CLASSES, *LANGUAGE_CLASSES,
}  # fmt: skip


def raw_case(**fields: Any) -> dict[str, Any]:
    return {"id": "case-fine", "golden": "g01-strong-email-rich", "tone": "professional",
            "subject": "Your CI queue write-up", "body": GOOD, "defect": "none", **fields}  # fmt: skip


def test_a_case_without_class_or_language_gets_the_defaults() -> None:
    good = CalibrationCase.model_validate(raw_case())
    assert (good.case_class, good.language, good.today) == ("good", "en", None)
    leak = CalibrationCase.model_validate(raw_case(defect="placeholder_leak"))
    assert leak.case_class == "placeholder_leak"  # a defect names its own class
    dated = CalibrationCase.model_validate(
        raw_case(**{"class": "wrong_month", "language": "de", "today": "2026-11-20"})
    )
    assert (dated.case_class, dated.language, dated.today) == (
        "wrong_month", "de", dt.date(2026, 11, 20),
    )  # fmt: skip


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"language": "it"}, "case 2: language: Input should be 'en', 'es', 'fr' or 'de'"),
        ({"class": "wrong_colour"}, "case 2: class: Value error, unknown class 'wrong_colour'"),
        ({"today": "22/11/2026"}, "case 2: today: Input should be a valid date"),
        ({"class": "compliance_line", "defect": "spammy"},
         "case 2: defect: a compliance_line case is a good message; its defect is none"),
        ({"class": "wrong_month", "defect": "broken_language"},
         "case 2: defect: a wrong_month case is labelled none or hallucinated_claim"),
        ({"class": "verbless_sentence", "defect": "hallucinated_claim"},
         "case 2: defect: a verbless_sentence case is labelled none or broken_language"),
        ({"class": "no_cta", "defect": "spammy"},
         "case 2: defect: a no_cta case is labelled none or no_cta"),
    ],
)  # fmt: skip
def test_a_bad_class_language_or_date_names_the_file_and_case(
    tmp_path: Path, fields: dict[str, Any], message: str
) -> None:
    cases = [raw_case(), raw_case(id="case-broken", **fields)]
    (tmp_path / "classes.yaml").write_text(yaml.safe_dump(cases, allow_unicode=True))
    with pytest.raises(CalibrationSetError) as raised:
        load_calibration(tmp_path)
    assert str(raised.value).startswith(f"classes.yaml: {message}"), str(raised.value)


def test_the_set_has_200_cases_and_every_class_good_and_bad() -> None:
    cases = load_calibration()
    assert len(cases) >= 200
    good = Counter(case.case_class for case in cases if case.should_pass)
    bad = Counter(case.case_class for case in cases if not case.should_pass)
    for case_class in NEW_CLASSES:
        assert good[case_class] >= 1, case_class
    for case_class in (*CLAIM_CLASSES, *LANGUAGE_CLASSES):
        assert bad[case_class] >= 2, case_class  # a defect class has bad cases as well
    assert not {c for c in bad if c in GOOD_CLASSES}  # a good class holds good messages only
    defects = Counter(case.defect for case in cases)
    assert defects["hallucinated_claim"] >= 30 and defects["broken_language"] >= 15, defects


def test_every_language_has_good_and_defective_messages() -> None:
    cases = load_calibration()
    for language in LANGUAGES:
        mine = [case for case in cases if case.language == language]
        assert any(case.should_pass for case in mine), language
        labels = {case.defect for case in mine if not case.should_pass}
        assert {"hallucinated_claim", "broken_language"} <= labels, (language, labels)
    # The non-English messages go to the golden leads whose facts are in that language.
    goldens = {case.golden for case in cases if case.language != "en"}
    assert {"g14-non-english-spanish-sms", "g31-vault-non-english-french-email",
            "g13-non-english-german-email"} <= goldens  # fmt: skip


SETS = pytest.mark.parametrize(
    "root",
    [CALIBRATION_DIR, CALIBRATION_DIR.parent / "calibration_holdout"],
    ids=["tuned", "held-out"],
)
"""The set the critic was tuned on, and the held-out one: both must be well-formed."""


@SETS
def test_cases_cite_facts_of_their_golden_lead(root: Path) -> None:
    leads, _ = load_golden()
    facts = {lead.id: {fact.id for fact in lead.facts} for lead in leads}
    cases = load_calibration(root)
    assert len(cases) >= 60
    for case in cases:
        cited = {fact_id for hook in case.hooks for fact_id in hook.fact_ids}
        assert cited <= facts[case.golden], (case.id, cited - facts[case.golden])


@SETS
def test_good_messages_keep_to_their_channel(root: Path) -> None:
    # A good case would pass a strict editor: an email of 50-200 words (a follow-up 20-120)
    # with a subject of at most 45 characters, an SMS in one segment, a note of 300 characters.
    leads, campaigns = load_golden()
    by_id = {lead.id: lead for lead in leads}
    for case in load_calibration(root):
        if not case.should_pass:
            continue
        channel = case.message_channel or campaign_for(by_id[case.golden], campaigns).channel
        if channel is Channel.EMAIL:
            low, high = (20, 120) if case.turn else (50, 200)
            assert low <= word_count(case.body) <= high, case.id
            assert case.subject and len(case.subject) <= 45, case.id
        elif channel is Channel.SMS:
            assert segment_count(case.body)[0] == 1, case.id
        else:
            assert len(case.body) <= 300, case.id


def test_the_golden_campaigns_translate_their_pitch_keeping_every_number() -> None:
    _, campaigns = load_golden()
    for name, campaign in campaigns.items():
        assert set(campaign.translations) == {"es", "fr", "de"}, name
        english = f"{campaign.value_proposition} {campaign.call_to_action}"
        numbers = set(re.findall(r"\d+", english))
        for language, copy in campaign.translations.items():
            translated = f"{copy.value_proposition} {copy.call_to_action}"
            assert set(re.findall(r"\d+", translated)) == numbers, (name, language)
            assert copy.short_pitch and copy.call_to_action, (name, language)
