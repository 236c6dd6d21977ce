"""The bridge: one sentence from the hook to the problem the product solves.

"Tallyfold lists 9 open roles, 6 of them in Engineering." says what research found; "Adding
that many people usually means more work on CI." says why that matters for the pitch that
follows. The bridge is chosen by what kind of event the hook is (funding, a hiring surge, a
post …, agent/offline/triggers.py) and names a topic: a campaign keyword the lead's facts raise
(as the analyst's pain points do) or, failing that, one the pitch itself names. A bridge states no
fact: its only specific word is that keyword, which the campaign already says.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from agent.offline.matching import mentions
from agent.offline.phrasebooks import Phrasebook
from agent.offline.stable_choice import rotated
from agent.offline.triggers import classify
from graphs.drafts import TONE_ORDER, Tone
from graphs.lead import Campaign
from graphs.task_inputs import FactBrief
from tools.facts import FactKind

_NUMBER = re.compile(r"\d")


def _form_in(keyword: str, text: str) -> str | None:
    """How text says a keyword, singular or plural ("security questionnaires"), or None."""
    for form in (keyword, f"{keyword}s"):
        if mentions(text, form):
            return form
    return None


def _plain_word(keyword: str) -> bool:
    """Whether a keyword reads as a topic, not a product name: "data pipeline", "SOC 2"."""
    first = keyword.split()[0]
    return keyword.islower() or first.isupper()


@dataclass(frozen=True)
class Topic:
    """What a bridge and a subject name: a campaign keyword as said, and the facts raising it."""

    keyword: str
    fact_ids: tuple[str, ...] = ()

    def raised_by(self, fact: FactBrief | None) -> bool:
        """Whether fact raises this topic (a post about it, news naming it)."""
        return fact is not None and fact.id in self.fact_ids


def topic_for(
    campaign: Campaign, facts: Sequence[FactBrief], hook_fact_ids: Sequence[str]
) -> Topic | None:
    """Return the topic a bridge names: a campaign keyword the facts raise, best one the
    message's hooks raise and the pitch names too; else a plain one the pitch names.

    A tool only named on their site ("Kubernetes") says less about their problem than a post
    does, and a lone singular word ("monorepo") reads badly in a bridge: both rank lower. A
    keyword with a number ("ISO 27001") is left out: said without the word it counts in the
    pitch ("ISO 27001 audits"), the critic would read the number as a claim of its own.
    """
    pitch = f"{campaign.value_proposition} {campaign.short_pitch or ''}"
    cited = set(hook_fact_ids)
    best: tuple[int, Topic] | None = None
    for keyword in campaign.target.keywords:
        if _NUMBER.search(keyword):
            continue
        raising = [f for f in facts if _form_in(keyword, f"{f.title or ''} {f.text}")]
        said = _form_in(keyword, pitch)
        if not raising and not (said and _plain_word(keyword)):
            continue
        form = said or _form_in(keyword, " ".join(f"{f.title or ''} {f.text}" for f in raising))
        stack_only = bool(raising) and all(f.kind is FactKind.TECHNOLOGY for f in raising)
        lone = " " not in keyword and keyword.islower() and form == keyword and not said
        weight = (
            2 * any(f.id in cited for f in raising) + bool(said) + bool(raising) - stack_only - lone
        )
        if best is None or weight > best[0]:  # the first of equals: the campaign's order
            best = (weight, Topic(form or keyword, tuple(f.id for f in raising)))
    return best[1] if best else None


def bridge_kind(fact: FactBrief | None) -> str:
    """What kind of hook a bridge follows: its trigger type, else its fact's kind."""
    if fact is None:
        return "company"
    trigger = classify(fact)
    if trigger is not None and trigger.value != "other":
        return trigger.value
    return fact.kind.value


def names_problem(fact: FactBrief | None, topic: Topic | None) -> bool:
    """Whether the bridge after a hook built on fact names the problem (its topic), so the
    pitch may refer back to it ("That is the problem … was built for"); a plain bridge ("It
    made me want to write to you.") names none."""
    kind = bridge_kind(fact)
    return topic is not None and (kind != "public_content" or topic.raised_by(fact))


def bridge_sentence(
    fact: FactBrief | None,
    topic: Topic | None,
    tone: Tone,
    key: Sequence[str],
    book: Phrasebook,
) -> str | None:
    """Return the sentence that follows the hook built on fact, or None if the book has none.

    A post's bridge names the topic only if the post itself raised it: "It sounds like you
    have spent real time on CI" after a post about roadmaps would be a non sequitur. The three
    tones of one lead get different bridges.
    """
    kind = bridge_kind(fact)
    named = names_problem(fact, topic)
    options = (book.bridges if named else book.plain_bridges).get(kind, ())
    if not options:
        return None
    ranked = rotated(options, "bridge", *key)
    sentence = ranked[TONE_ORDER[tone] % len(ranked)]
    return sentence.format(topic=topic.keyword) if named and topic else sentence
