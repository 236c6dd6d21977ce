"""Each metric on messages whose right answer is known by hand."""

from __future__ import annotations

import datetime as dt

import pytest

from evals import metrics
from graphs.analysis import Hook
from graphs.context import CriticSettings
from graphs.drafts import Tone, Variant
from graphs.lead import Campaign, Channel, Lead
from tools.facts import Fact, FactKind

LEAD = Lead(name="Maya Okafor", company="Northwind Robotics", email="maya@northwind.example")
CAMPAIGN = Campaign(
    value_proposition="Brightpath cuts CI time by a third.", sender={"name": "Alex Rivera"}
)
POST = Fact(
    id="f_post",
    kind=FactKind.POST,
    text="Maya wrote about moving 40 services into one monorepo.",
    title="What we learned moving 40 services into one monorepo",
    source_url="http://northwind.example/blog/monorepo",
    tool="recorded",
    published=dt.date(2026, 11, 5),
    retrieved_at=dt.datetime(2026, 11, 20, tzinfo=dt.UTC),
)
GOOD = (
    "Hi Maya,\n\nI read your post about moving 40 services into one monorepo. Brightpath cuts "
    "CI time by a third. Worth a 15-minute call next week?\n\nAlex Rivera"
)


def variant(body: str = GOOD, subject: str | None = "Your monorepo post", **kw: object) -> Variant:
    hooks = kw.pop("hooks", [Hook(text="your post about the monorepo", fact_ids=["f_post"])])
    return Variant(tone=Tone.PROFESSIONAL, subject=subject, body=body, hooks=hooks)  # type: ignore[arg-type]


def test_text_counts() -> None:
    assert metrics.body_words("Hi Maya, worth a call?") == 5
    assert metrics.subject_chars("Your monorepo post") == 18
    assert metrics.subject_words(None) == 0
    assert metrics.question_count(GOOD) == 1
    assert metrics.longest_sentence("One two. One two three four five six? Yes.") == 6
    assert metrics.link_count("see https://x.example and www.y.example") == 2


def test_readability_prefers_short_plain_sentences() -> None:
    plain = "We fix slow builds. It takes a day. Want to see it?"
    dense = (
        "Our comprehensive infrastructural optimization methodology systematically "
        "accelerates organizational continuous-integration throughput considerably."
    )
    assert metrics.reading_grade(plain) < 5 < metrics.reading_grade(dense)
    assert metrics.reading_ease(plain) > 70 > metrics.reading_ease(dense)


def test_you_i_ratio_counts_reader_focus() -> None:
    assert metrics.you_i_ratio("You asked; your team agreed; I replied.") == 2.0
    assert metrics.you_i_ratio("Your build, your call.") == 2.0  # no self-focused words


def test_spam_placeholders_and_cta() -> None:
    assert metrics.spam_hits("Act now: this is 100% free and guaranteed!") == 3
    assert metrics.spam_hits("We act on data.") == 0
    assert metrics.placeholder_leaks("Hi {{first_name}}, [Your Name] from <COMPANY>") == 3
    assert metrics.cta_present(GOOD)
    assert not metrics.cta_present("Hi Maya, we make CI faster.\n\nAlex")


@pytest.mark.parametrize(
    ("channel", "body", "fits"),
    [
        (Channel.SMS, "Hi Maya, saw your monorepo post. Worth a call? -Alex", True),
        (Channel.SMS, "x" * 161, False),
        (Channel.SMS, "Hi Maya 🚀 " + "y" * 62, False),  # one emoji: UCS-2, 70 per segment
        (Channel.LINKEDIN, "z" * 300, True),
        (Channel.LINKEDIN, "z" * 301, False),
    ],
)
def test_channel_limits(channel: Channel, body: str, fits: bool) -> None:
    campaign = CAMPAIGN.model_copy(update={"channel": channel})
    result = metrics.within_channel_limit(variant(body, None), channel, campaign, CriticSettings())
    assert result is fits


def test_grounding_counts_supported_and_unsupported_claims() -> None:
    grounded = metrics.grounding(variant(), LEAD, CAMPAIGN, [POST])
    assert grounded.unsupported == [] and grounded.grounded_claim_rate == 1.0
    made_up = GOOD.replace("Worth", "Congrats on the Series C in Berlin. Worth")
    ungrounded = metrics.grounding(variant(made_up), LEAD, CAMPAIGN, [POST])
    assert any("Series C" in u for u in ungrounded.unsupported)
    assert any("Berlin" in u for u in ungrounded.unsupported)
    assert ungrounded.grounded_claim_rate < 1.0


def test_a_hook_must_be_backed_by_the_fact_it_cites() -> None:
    wrong = [Hook(text="your talk at KubeCon", fact_ids=["f_post"])]
    result = metrics.grounding(variant(hooks=wrong), LEAD, CAMPAIGN, [POST])
    assert any(u.startswith("hook 'your talk at KubeCon'") for u in result.unsupported)
    missing = [Hook(text="your post", fact_ids=["f_gone"])]
    result = metrics.grounding(variant(hooks=missing), LEAD, CAMPAIGN, [POST])
    assert result.unsupported == ["hook 'your post' cites no known fact"]


def test_expectation_checks() -> None:
    assert metrics.must_not_claim_hits(variant(), ["Series C", "monorepo"]) == ["monorepo"]
    assert metrics.must_use_covered(variant(), ["f_post", "f_other"])
    assert not metrics.must_use_covered(variant(hooks=[]), ["f_post"])
    assert metrics.must_use_covered(variant(hooks=[]), [])


def test_message_metrics_lists_what_is_wrong() -> None:
    bad = variant("Hi {{first_name}}, congrats on the Series C.\n\nAlex", subject=None)
    values, problems = metrics.message_metrics(
        bad, lead=LEAD, campaign=CAMPAIGN, facts=[POST], settings=CriticSettings(),
        must_use=["f_post"], must_not_claim=["Series C"], max_chars=None,
    )  # fmt: skip
    assert values["placeholder_leaks"] == 1 and values["must_not_claim_hits"] == 1
    assert values["within_channel_limit"] == 0.0  # an email needs a subject
    assert values["cta_present"] == 0.0
    assert "forbidden claim: 'Series C'" in problems
    assert "no call to action" in problems
