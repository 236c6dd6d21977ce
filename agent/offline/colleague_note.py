"""The offline writer's one sentence about an earlier outreach to a colleague of the lead,
said only from a fact of kind earlier_outreach (our own records) and only what it says."""

from __future__ import annotations

from graphs.lead import Channel
from graphs.task_inputs import GenerateInput
from tools.facts import FactKind


def colleague_sentence(payload: GenerateInput) -> str | None:
    """Return "I also wrote to Maya Okafor (VP Engineering) on 1 December." for an English
    email when the facts hold an earlier outreach; None otherwise."""
    if payload.language != "en" or payload.channel is not Channel.EMAIL:
        return None
    fact = next((f for f in payload.facts if f.kind is FactKind.EARLIER_OUTREACH and f.title), None)
    if fact is None:
        return None
    when = f" on {fact.published.day} {fact.published:%B}" if fact.published else ""
    return f"I also wrote to {fact.title}{when}."


def with_colleague_note(pitch: str, payload: GenerateInput) -> str:
    """Return the pitch followed by the sentence about the earlier outreach, if there is one."""
    sentence = colleague_sentence(payload)
    return f"{pitch} {sentence}" if sentence else pitch
