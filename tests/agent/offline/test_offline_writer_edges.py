"""Pitches and asks the offline writer used to mangle (issue 21, found in review): a subject
longer than the company's name, abbreviations, several sentences with lead-ins, an ask that is
not a meeting, a title in capitals."""

from __future__ import annotations

import re
from datetime import date

from agent.offline.phrasebooks import phrasebook
from agent.offline.writer import OfflineWriter
from graphs.critic.checks import sms_segments
from graphs.drafts import Tone
from graphs.lead import Campaign, Channel
from graphs.task_inputs import FactBrief
from tests.agent.offline.test_offline_writer_phrasing import lead, payload_for
from tests.factories import fact
from tools.facts import FactKind


def campaign(value_proposition: str, ask: str = "Worth a 15-minute call next week?") -> Campaign:
    return Campaign(
        name="edges",
        value_proposition=value_proposition,
        call_to_action=ask,
        sender={"name": "Alex Rivera", "company": "Brightpath", "title": "Head of Partnerships"},
        target={"keywords": ["CI"]},
    )


def post(title: str = "Why our CI queue doubled") -> list[FactBrief]:
    return [
        FactBrief.of(fact(f"Dana wrote “{title}” on 2026-11-10.", kind=FactKind.POST,
                          title=title, published=date(2026, 11, 10), url="http://c.example/b"))
    ]  # fmt: skip


def written(c: Campaign, channel: Channel = Channel.EMAIL, title: str | None = None) -> list:
    facts = post(title) if title else post()
    leads = [lead(name, "Copperleaf Health") for name in ("Dana Smith", "Kim Lee", "Ola Berg")]
    return [
        d for person in leads for d in OfflineWriter().write(
            payload_for(person, c, facts, channel)).variants
    ]  # fmt: skip


def test_a_company_named_with_its_product_keeps_the_whole_subject() -> None:
    c = campaign("Brightpath and its CLI show engineering teams which builds slow CI down. "
                 "Teams using it usually cut pipeline time by a third.")  # fmt: skip
    for draft in written(c):
        assert "it and its CLI" not in draft.body and "It and its CLI" not in draft.body
        assert "Brightpath and its CLI show engineering teams" in draft.body


def test_abbreviations_do_not_split_the_pitch() -> None:
    c = campaign("Brightpath, Inc. shows teams which builds slow CI down, e.g. flaky tests. "
                 "It also flags slow caches.")  # fmt: skip
    for draft in written(c):
        assert "Brightpath, Inc. shows teams which builds slow CI down, e.g. flaky tests" in (
            draft.body
        ), draft.body


def test_a_long_pitch_uses_each_lead_in_once() -> None:
    c = campaign("Brightpath shows teams which builds slow CI down. It also flags slow caches. "
                 "Teams using it cut CI time by a third. It connects to GitHub in minutes. "
                 "It also drafts weekly reports for managers.")  # fmt: skip
    for draft in written(c):
        lead_ins = re.findall(r"(?:^|[.!?]\s)([A-Z][\w ]{1,28}?)[,:]\s", draft.body)
        assert len(lead_ins) == len(set(lead_ins)), (lead_ins, draft.body)


def test_a_question_in_the_pitch_is_never_merged_into_another_sentence() -> None:
    c = campaign("Brightpath shows teams which builds slow CI down. Tired of waiting on CI? "
                 "Teams using it cut CI time by a third.")  # fmt: skip
    for draft in written(c):
        assert "?," not in draft.body and "?;" not in draft.body, draft.body


def test_a_text_keeps_an_ask_that_is_not_a_meeting() -> None:
    c = campaign("Brightpath shows teams which builds slow CI down.",
                 ask="Can I send you our CI benchmark report?")  # fmt: skip
    for draft in written(c, Channel.SMS):
        assert draft.body.endswith("Can I send you our CI benchmark report?"), draft.body
        assert "call" not in draft.body


def test_a_title_in_capitals_is_not_shouted_in_the_subject() -> None:
    c = campaign("Brightpath shows teams which builds slow CI down.")
    for draft in written(c, title="WHY OUR CI QUEUE DOUBLED AGAIN"):
        assert draft.subject is not None and "QUEUE" not in draft.subject, draft.subject


def test_a_note_that_drops_the_bridge_does_not_refer_back_to_it() -> None:
    """ "That is the problem Brightpath was built for" needs the problem named just before it;
    a connection note cut to 300 characters drops both or neither."""
    book = phrasebook("en")
    referring = {
        frame.split("{company}")[0].strip()
        for frames in book.pitch_after_bridge.values()
        for frame in frames
        if not frame.startswith("{company}") and frame not in book.pitch_plain[Tone.PROFESSIONAL]
    }
    bridges = [
        b.split("{topic}")[0] for group in (book.bridges, book.plain_bridges)
        for options in group.values() for b in options
    ]  # fmt: skip
    long_title = (
        "What we learned moving forty services and six teams into one monorepo with a shared CI "
        "setup"
    )
    c = campaign("Brightpath shows engineering teams which builds and tests slow their CI "
                 "pipelines down, and flags flaky tests before they block merges.")  # fmt: skip
    short = (
        "Brightpath finds the slow and flaky builds that hold CI back before they block a merge."
    )
    c = c.model_copy(update={"linkedin_format": "connection_note", "short_pitch": short})
    notes = written(c, Channel.LINKEDIN, title=long_title)
    for draft in notes:
        if any(frame and frame in draft.body for frame in referring):
            assert any(b and b in draft.body for b in bridges), draft.body


def test_a_sequences_first_text_leaves_room_for_the_opt_out_line() -> None:
    """The sender adds "Reply STOP to opt out." to a thread's first text: the writer fits the
    text and that line into one segment together, so the critic (which counts it) passes it."""
    c = campaign("Brightpath shows teams which builds slow CI down.")
    c = c.model_copy(
        update={"channel": Channel.SMS, "short_pitch": "Brightpath finds slow CI builds."}
    )
    suffix = "Reply STOP to opt out."
    for name in ("Dana Smith", "Kim Lee", "Ola Berg"):
        payload = payload_for(lead(name, "Copperleaf Health"), c, post(), Channel.SMS)
        plain = OfflineWriter().write(payload).variants
        room = OfflineWriter().write(payload.model_copy(update={"sms_suffix": suffix})).variants
        assert any(len(p.body) + len(suffix) + 1 > 160 for p in plain)  # it needed the room
        for draft in room:
            assert sms_segments(f"{draft.body}\n{suffix}")[0] == 1, draft.body
