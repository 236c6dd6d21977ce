"""A known name written with a capital added inside it ("BrightMoor" for "Brightmoor") fails the
wording check like one with a capital made small; names from a CRM in capitals, names in
capitals, and a capital opening a word are left alone."""

from __future__ import annotations

import pytest

from graphs.critic.copy_checks import check_wording
from graphs.drafts import Tone, Variant
from graphs.lead import Campaign, Lead, SenderProfile
from tests.factories import fact
from tools.facts import FactKind

LEAD = Lead(name="Petra Lindqvist", company="Brightmoor")
CAMPAIGN = Campaign(
    value_proposition="Ledgerly reconciles payouts for marketplaces.",
    sender=SenderProfile(name="Omar Haddad", company="Ledgerly"),
)
STACK = fact(
    "Brightmoor mentions ClickHouse, Kafka and Go on its website.", kind=FactKind.TECHNOLOGY
)
FACTS = {STACK.id: STACK}


def wording(sentence: str, lead: Lead = LEAD) -> tuple[bool, str]:
    body = f"Hi Petra,\n\n{sentence}\n\nOpen to a short call next week?\n\nBest,\nOmar Haddad"
    result = check_wording(Variant(tone=Tone.DIRECT, body=body), lead, CAMPAIGN, FACTS)
    return result.passed, result.detail


@pytest.mark.parametrize(
    ("sentence", "named"),
    [
        ("BrightMoor runs its payouts on ClickHouse.", "'BrightMoor' (should be 'Brightmoor')"),
        ("I read BrightMoor's post on payouts.", "'BrightMoor' (should be 'Brightmoor')"),
        ("Your ClickHOUSE cluster must be busy.", "'ClickHOUSE' (should be 'ClickHouse')"),
        ("Petra LindQvist wrote about Kafka.", "'Petra LindQvist' (should be 'Petra Lindqvist')"),
        ("LedgerLy reconciles payouts.", "'LedgerLy' (should be 'Ledgerly')"),
    ],
)
def test_a_capital_added_inside_a_name_is_named(sentence: str, named: str) -> None:
    passed, detail = wording(sentence)
    assert not passed and named in detail, detail


@pytest.mark.parametrize(
    "sentence",
    [
        "Brightmoor runs its payouts on ClickHouse.",
        "BRIGHTMOOR runs its payouts on CLICKHOUSE.",  # shouting is the spam check's
        "Brightmoor and Ledgerly could talk about Kafka.",
    ],
)
def test_names_as_spelt_or_in_capitals_pass(sentence: str) -> None:
    passed, detail = wording(sentence)
    assert passed, detail


def test_a_crm_name_in_capitals_may_be_written_in_title_case() -> None:
    shouted = Lead(name="Petra Lindqvist", company="BRIGHTMOOR LOGISTIK")
    passed, detail = wording("Brightmoor Logistik runs its payouts on ClickHouse.", shouted)
    assert passed, detail


def test_a_capital_opening_a_word_of_a_name_is_title_case() -> None:
    lower = Lead(name="Petra Lindqvist", company="Brightmoor logistik")
    passed, detail = wording("Brightmoor Logistik runs its payouts on ClickHouse.", lower)
    assert passed, detail
