"""How the offline writer phrases a first touch (issue 21, item 4): reproducible, varied from
lead to lead, hooks bridged to the problem, lists joined with "and", subjects from the hook,
the campaign's claims and ask kept, short channels within their limits."""

from __future__ import annotations

import re
from datetime import date
from string import Formatter

import pytest

from agent.offline.analyst import analyze_offline
from agent.offline.asks import email_asks, read_ask, text_asks
from agent.offline.bridges import Topic, bridge_sentence
from agent.offline.hooks import phrases_for
from agent.offline.phrasebooks import phrasebook
from agent.offline.pitch import pitch_text
from agent.offline.subjects import subject_line
from agent.offline.writer import OfflineWriter
from graphs.critic.checks import sms_segments
from graphs.drafts import Tone
from graphs.lead import Campaign, Channel, Lead
from graphs.task_inputs import AnalyzeInput, DraftOut, FactBrief, GenerateInput
from tests.factories import fact
from tools.facts import FactKind

TODAY = date(2026, 11, 20)
BOOK = phrasebook("en")


def facts_for(company: str, domain: str, roles: int, title: str, stack: str) -> list[FactBrief]:
    """A hiring surge, a post and the stack: what research finds about a growing company."""
    url = f"http://{domain}.example/"
    return [
        FactBrief.of(fact(f"{company} lists {roles} open roles ({roles - 2} Engineering, "
                          "2 Sales).", kind=FactKind.HIRING, url=f"{url}careers")),
        FactBrief.of(fact(f"Dana wrote “{title}” on 2026-11-10.", kind=FactKind.POST,
                          title=title, published=date(2026, 11, 10), url=f"{url}blog")),
        FactBrief.of(fact(f"{company} mentions {stack} on its website.",
                          kind=FactKind.TECHNOLOGY, url=url)),
    ]  # fmt: skip


def payload_for(
    lead: Lead, campaign: Campaign, facts: list[FactBrief], channel: Channel = Channel.EMAIL
) -> GenerateInput:
    analysis = analyze_offline(AnalyzeInput(today=TODAY, lead=lead, campaign=campaign, facts=facts))
    return GenerateInput(
        today=TODAY, channel=channel, tones=list(Tone), attempt=1, lead=lead,
        campaign=campaign.model_copy(update={"channel": channel}), analysis=analysis, facts=facts,
    )  # fmt: skip


def lead(name: str, company: str) -> Lead:
    return Lead(name=name, company=company, title="VP Engineering", email="x@example.com")


COPPERLEAF = facts_for(
    "Copperleaf Health", "copperleaf", 6, "Why our CI queue doubled", "Kubernetes, GitLab CI, Java"
)


def write(payload: GenerateInput) -> list[DraftOut]:
    return OfflineWriter().write(payload).variants


def test_the_same_lead_and_facts_always_read_the_same(campaign: Campaign) -> None:
    payload = payload_for(lead("Dana Whitfield", "Copperleaf Health"), campaign, COPPERLEAF)
    first, again = write(payload), OfflineWriter().write(payload.model_copy()).variants
    assert [(d.subject, d.body) for d in first] == [(d.subject, d.body) for d in again]


def _pitch_and_ask(draft: DraftOut) -> tuple[str, str]:
    paragraphs = draft.body.split("\n\n")
    return paragraphs[-3], paragraphs[-2]


def test_leads_with_different_facts_get_different_framings_and_asks(campaign: Campaign) -> None:
    companies = ["Copperleaf Health", "Tallyfold", "Quillstack", "Corvid Ledger", "Gridmint",
                 "Strata Relay", "Mintbridge", "Lanternway"]  # fmt: skip
    pitches, asks = set(), set()
    for index, company in enumerate(companies):
        domain = company.split()[0].lower()
        facts = facts_for(
            company, domain, 5 + index, f"Notes on our CI, part {index + 2}", "Go, Rust, Kubernetes"
        )
        drafts = write(payload_for(lead(f"Sam {company}", company), campaign, facts))
        pitch, ask = _pitch_and_ask(drafts[0])
        pitches.add(pitch.replace(company, "<company>"))
        asks.add(ask)
    assert len(pitches) >= 4, pitches
    assert len(asks) >= 3, asks


def _lead_in(draft: DraftOut) -> str:
    return draft.body.split("\n\n")[1]


def test_a_bridge_ties_the_hook_to_the_problem_and_states_no_fact(campaign: Campaign) -> None:
    drafts = write(payload_for(lead("Dana Whitfield", "Copperleaf Health"), campaign, COPPERLEAF))
    for draft in drafts:
        bridge = re.split(r"(?<=[.!?])\s+", _lead_in(draft))[-1]
        known = {s.format(topic=t) for s in _all_bridges() for t in ("CI", "flaky tests")}
        assert bridge in known, (draft.tone, bridge)
        assert not re.search(r"\d", bridge) and "Copperleaf" not in bridge, bridge


def _all_bridges() -> list[str]:
    return [s for group in (BOOK.bridges, BOOK.plain_bridges) for v in group.values() for s in v]


@pytest.mark.parametrize(
    ("kind", "text", "title", "expected"),
    [
        (FactKind.HIRING, "Acme lists 7 open roles (5 Engineering, 2 Sales).", None, "hiring_surge"),
        (FactKind.NEWS, "Acme published “Acme raises $20M Series A”.", "Acme raises $20M Series A", "funding"),
        (FactKind.POST, "Dana wrote “Flaky tests, again”.", "Flaky tests, again", "public_content"),
        (FactKind.TECHNOLOGY, "Acme mentions Go, Rust on its website.", None, "technology"),
    ],
)  # fmt: skip
def test_each_kind_of_hook_gets_its_own_bridge(
    kind: FactKind, text: str, title: str | None, expected: str
) -> None:
    brief = FactBrief.of(fact(text, kind=kind, title=title))
    topic = Topic("flaky tests", (brief.id,))
    said = {bridge_sentence(brief, topic, tone, ("k",), BOOK) for tone in Tone}
    assert said <= {s.format(topic="flaky tests") for s in BOOK.bridges[expected]}
    assert len(said) == 3  # one lead's three tones read differently


def test_a_stack_is_listed_with_and_and_a_second_post_is_a_sentence(campaign: Campaign) -> None:
    drafts = write(payload_for(lead("Dana Whitfield", "Copperleaf Health"), campaign, COPPERLEAF))
    bodies = "\n".join(d.body for d in drafts)
    assert "Kubernetes, GitLab CI and Java" in bodies
    assert "GitLab CI, Java" not in bodies
    post = FactBrief.of(
        fact("Dana wrote “Bazel at scale”.", kind=FactKind.POST, title="Bazel at scale")
    )
    phrases = phrases_for(post, "Copperleaf Health", TODAY)
    assert phrases is not None
    for second in (phrases.professional_next, phrases.friendly_next, phrases.direct_next):
        assert second.startswith("I "), (
            second
        )  # "I enjoyed your post … too.", not "And your post … too."


@pytest.mark.parametrize(
    ("brief", "options"),
    [
        (FactBrief.of(fact("Copperleaf Health lists 6 open roles (4 Engineering, 2 Sales).",
                           kind=FactKind.HIRING)),
         {"6 open roles at Copperleaf Health", "Engineering hiring at Copperleaf Health",
          "Copperleaf Health and CI", "An idea on CI", "CI at Copperleaf Health"}),
        (FactBrief.of(fact("Dana wrote “Our CI queue hit 48 minutes. Here is how we got it back”.",
                           kind=FactKind.POST,
                           title="Our CI queue hit 48 minutes. Here is how we got it back")),
         {"Your post on CI", "Our CI queue hit 48 minutes", "A thought on your post",
          "CI at Copperleaf Health"}),
    ],
)  # fmt: skip
def test_subjects_come_from_the_hook(brief: FactBrief, options: set[str]) -> None:
    phrases = phrases_for(brief, "Copperleaf Health", TODAY)
    assert phrases is not None
    topic = Topic("CI", (brief.id,))
    subjects = {
        subject_line(phrases, brief, "Copperleaf Health", topic, tone, (name,), BOOK)
        for tone in Tone
        for name in ("Dana", "Sam", "Lee")
    }
    assert subjects <= options, subjects - options
    assert all(len(s) <= 45 and "!" not in s for s in subjects)


def test_every_ask_keeps_the_campaigns_meeting_time_and_purpose(campaign: Campaign) -> None:
    parts = read_ask(campaign.call_to_action)
    assert parts is not None and parts.minutes == "15" and parts.when == "next week"
    for tone in Tone:
        for ask in email_asks(campaign, tone, ("k",), BOOK):
            assert ask.count("?") == 1 and ask.endswith("?"), ask
            assert "15" in ask and "next week" in ask and "to see it on your pipeline" in ask, ask
        for ask in text_asks(campaign, tone, ("k",), BOOK):
            assert ask.endswith("?") and "next week" in ask, ask
    custom = campaign.model_copy(update={"call_to_action": "Can I send you our one-page summary?"})
    assert email_asks(custom, Tone.DIRECT, ("k",), BOOK) == ["Can I send you our one-page summary?"]


def test_every_framing_of_the_pitch_keeps_its_claims(campaign: Campaign) -> None:
    words = re.findall(r"[\w-]+", campaign.value_proposition.casefold())
    claim_words = {w for w in words if len(w) > 2} - {"also"}
    framings = set()
    for name in ("Dana", "Sam", "Lee", "Ines", "Oren", "Leila", "Tomasz", "Hannah"):
        for tone in Tone:
            for after in (None, "It sounds like you have spent real time on CI."):
                said = pitch_text(campaign, tone, (name,), BOOK, after=after)
                framings.add(said)
                assert claim_words <= set(re.findall(r"[\w-]+", said.casefold())), said
                assert "a third within a month" in said, said
    assert len(framings) >= 10


def test_a_text_to_a_ucs2_name_fits_one_segment(campaign: Campaign) -> None:
    facts = facts_for(
        "Pagaluna", "pagaluna", 7, "Cómo redujimos a la mitad el tiempo de nuestro CI", "Go"
    )
    payload = payload_for(lead("Lucía Romero", "Pagaluna"), campaign, facts, Channel.SMS)
    for draft in write(payload):
        assert sms_segments(draft.body)[0] == 1 and "Lucía" in draft.body, draft.body
        assert draft.body.endswith("?")


def test_a_connection_note_stays_within_300_characters(campaign: Campaign) -> None:
    facts = facts_for("Copperleaf Health", "copperleaf", 6, "A very long title " * 6, "Go")
    payload = payload_for(
        lead("Dana Whitfield", "Copperleaf Health"), campaign, facts, Channel.LINKEDIN
    )
    for draft in write(payload):
        assert len(draft.body) <= 300 and draft.body.endswith(" Alex"), draft.body


def test_the_phrasebook_states_no_fact_of_its_own() -> None:
    texts = list(BOOK.texts())
    assert len(texts) > 100
    for text in texts:
        words = re.sub(r"\{\w+\}", "", text)
        assert not re.search(r"\d", words), text
        # Capitals only where a sentence starts (or after a colon), and "I".
        for match in re.finditer(r"(?<![.:!?]\s)(?<!^)(?<!“)\b[A-Z][a-z]+", words):
            assert match.group(0) in ("I",), text
        assert all(name.isidentifier() for _, name, _, _ in Formatter().parse(text) if name)
