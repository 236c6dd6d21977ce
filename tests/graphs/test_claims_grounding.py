"""Claim-level grounding in English: each kind of claim, backed and changed, with its span,
its reason and the fact nearest to it."""

from __future__ import annotations

from datetime import date

import pytest

from graphs.critic.grounding import Evidence
from graphs.critic.grounding_check import check_grounding, checked_text
from graphs.drafts import CheckResult, ClaimFinding
from graphs.lead import Campaign, Lead
from tests.factories import fact, variant
from tools.facts import FactKind

TODAY = date(2026, 11, 20)  # a Friday: the send date
FUNDING = fact(
    "Northwind Robotics raises $32M Series B to expand into Europe.", published=date(2026, 9, 17)
)  # a Thursday
OFFICE = fact(
    "Northwind Robotics opens its second office, in Kraków.", published=date(2026, 11, 12)
)  # a Thursday
TALK = fact(
    "Maya Okafor gave the talk “Keeping CI under ten minutes at 200 engineers” at ShipConf.",
    kind=FactKind.POST,
    published=date(2026, 11, 5),
)
ROLES = fact("Northwind Robotics lists 14 open roles.", kind=FactKind.HIRING)
RANK = fact(
    "Northwind Robotics is the largest maker of warehouse robots in Poland.",
    kind=FactKind.COMPANY,
    published=date(2026, 10, 1),
)
POST = fact(
    "Maya Okafor wrote “Flaky tests are a team problem” on 2026-11-06.", kind=FactKind.POST
)  # dated only in its text
AWARD = fact("Northwind Robotics won the Logistics Innovation Award.", published=date(2024, 5, 14))
FACTS = [FUNDING, OFFICE, TALK, ROLES, RANK, POST, AWARD]
LEAD = Lead(name="Maya Okafor", company="Northwind Robotics", title="VP Engineering")
CAMPAIGN = Campaign(
    value_proposition="Brightpath finds slow and flaky CI builds; teams cut pipeline time by 30%.",
    call_to_action="Worth a 15-minute call next week?",
)


def check(body: str, *, today: date | None = TODAY, subject: str | None = None) -> CheckResult:
    evidence = Evidence.for_message(LEAD, CAMPAIGN, FACTS)
    return check_grounding(
        variant(body, subject=subject),
        LEAD,
        {f.id: f for f in FACTS},
        evidence,
        campaign=CAMPAIGN,
        today=today,
    )


def only_finding(body: str, **kwargs: object) -> ClaimFinding:
    result = check(body, **kwargs)  # type: ignore[arg-type]
    assert not result.passed
    assert len(result.findings) == 1, result.detail
    finding = result.findings[0]
    text = checked_text(variant(body, subject=kwargs.get("subject")))  # type: ignore[arg-type]
    assert text[finding.start : finding.end] == finding.text
    return finding


@pytest.mark.parametrize(
    "body",
    [
        "Congrats on the 14 open roles.",  # number
        "Your fourteen open roles caught my eye.",  # number in words
        "Congrats on the $32M Series B.",  # quantity
        "Congrats on raising 32 million dollars.",  # the same quantity, written out
        "Loved your talk on keeping CI under 10 minutes at 200 engineers.",  # words vs digits
        "Teams cut pipeline time by 30% with Brightpath.",  # the campaign's own figure
        "Congrats on your second office in Kraków.",  # ordinal
        "I saw the Series B news from September 17.",  # date
        "I read your post from November 6.",  # a date only the fact's text gives
        "I saw the news from November 12: “Northwind Robotics opens its second office”.",
        "Loved your September news about the Series B.",  # month
        "Saw Thursday's office news.",  # weekday
        "Saw last week's office news from Kraków.",  # relative time
        "Congrats on the Series B two months ago.",
        "Congrats on the recent Series B.",
        "As the largest maker of warehouse robots in Poland, you know scale.",  # superlative
        "Loved your talk at ShipConf.",  # name
    ],
)
def test_backed_claims_pass(body: str) -> None:
    result = check(body)
    assert result.passed, result.detail
    assert result.findings == []


def test_a_faithful_paraphrase_passes() -> None:
    body = (
        "Hi Maya, congratulations on the $32M Series B in September and on opening a second "
        "office in Kraków last week. Your ShipConf talk about keeping CI under ten minutes with "
        "200 engineers was great. Worth a 15-minute call next week?"
    )
    assert check(body).passed


@pytest.mark.parametrize(
    ("body", "kind", "text", "reason", "nearest"),
    [
        ("Congrats on the 16 open roles.", "number", "16", "no fact says '16 open'", ROLES),
        ("Your twelve open roles caught my eye.", "number", "twelve",
         "no fact says 'twelve open'", ROLES),
        ("Congrats on the $40M Series B.", "quantity", "$40M", "the facts say $32M", FUNDING),
        ("Loved your talk on keeping CI under 12 minutes.", "quantity", "12 minutes",
         "the facts say 10 minutes", TALK),
        ("Congrats on your third office in Kraków.", "ordinal", "third",
         "the facts say 'second'", OFFICE),
        ("I saw the Series B news from September 18.", "date", "September 18",
         "the facts date it September 17, 2026", FUNDING),
        ("Loved your March news about the Series B.", "month", "March", "the facts say September", FUNDING),
        ("Saw Tuesday's office news.", "weekday", "Tuesday",
         "the facts date it Thursday 2026-11-12", OFFICE),
        ("Saw yesterday's office news from Kraków.", "relative_time", "yesterday's",
         "the fact is dated 2026-11-12", OFFICE),
        ("Congrats on the Series B last month.", "relative_time", "last month",
         "the fact is dated 2026-09-17", FUNDING),
        ("Congrats on the recent Logistics Innovation Award.", "relative_time", "recent",
         "the fact is dated 2024-05-14", AWARD),
        ("As the fastest-growing maker of warehouse robots, you know scale.", "superlative",
         "fastest-growing", "no fact says 'fastest-growing'", RANK),
        ("Loved your talk at KubeCon.", "name", "KubeCon", "no fact names 'KubeCon'", TALK),
    ],
)  # fmt: skip
def test_a_changed_detail_fails_with_its_span_reason_and_nearest_fact(
    body: str, kind: str, text: str, reason: str, nearest: object
) -> None:
    finding = only_finding(body)
    assert (finding.kind, finding.text) == (kind, text)
    assert reason in finding.reason
    assert finding.fact_id == nearest.id  # type: ignore[attr-defined]
    assert finding.fact_excerpt and finding.fact_excerpt[:20] in nearest.text  # type: ignore[attr-defined]


def test_the_detail_and_fix_quote_the_claim_and_the_nearest_fact() -> None:
    result = check("Congrats on the $40M Series B.")
    assert result.name == "grounding" and result.hard
    assert "'$40M'" in result.detail and "the facts say $32M" in result.detail
    assert FUNDING.id in result.detail and "raises $32M Series B" in result.detail
    assert result.fix is not None and "'$40M'" in result.fix and FUNDING.id in result.fix


def test_an_invented_name_at_a_sentence_start_still_fails() -> None:
    finding = only_finding("Amazon runs your fleet software now.")
    assert (finding.kind, finding.text, finding.start) == ("name", "Amazon", 1)


def test_without_a_send_date_relative_times_count_from_the_newest_retrieval() -> None:
    # Retrieved 2026-11-22: the office news of 2026-11-12 was last week, not yesterday.
    assert check("Saw last week's office news from Kraków.", today=None).passed
    assert only_finding("Saw yesterday's office news from Kraków.", today=None).kind == (
        "relative_time"
    )


def test_each_unsupported_claim_is_reported_once_in_reading_order() -> None:
    result = check("Congrats on the $40M round, the $40M Series B and your third office.")
    assert [(f.kind, f.text) for f in result.findings] == [
        ("quantity", "$40M"),
        ("ordinal", "third"),
    ]


def test_hook_problems_are_still_reported() -> None:
    from graphs.analysis import Hook

    draft = variant(
        "Congrats on the $32M Series B.", hooks=[Hook(text="KubeCon talk", fact_ids=[TALK.id])]
    )
    result = check_grounding(
        draft, LEAD, {f.id: f for f in FACTS}, Evidence.for_message(LEAD, CAMPAIGN, FACTS),
        campaign=CAMPAIGN, today=TODAY,
    )  # fmt: skip
    assert not result.passed
    assert "hook 'KubeCon talk': 'KubeCon' is not in its cited facts" in result.detail
    assert result.findings == []


def test_a_fraction_must_be_the_campaign_s_or_a_fact_s() -> None:
    pitch = CAMPAIGN.model_copy(
        update={"value_proposition": "Teams using Brightpath cut pipeline time by a third."}
    )
    evidence = Evidence.for_message(LEAD, pitch, FACTS)

    def said(body: str) -> list[str]:
        result = check_grounding(
            variant(body), LEAD, {f.id: f for f in FACTS}, evidence, campaign=pitch, today=TODAY
        )
        return [f.reason for f in result.findings]

    # "a third" is a fraction here, not a rank.
    assert said("Teams usually cut pipeline time by a third within a month.") == []
    assert said("Teams usually cut pipeline time in half within a month.") == [
        "no fact says 'in half'"
    ]
