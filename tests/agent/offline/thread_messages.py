"""A written follow-up as the next step of its thread sees it: what was sent, and the hooks
and facts it used (the language tests of the follow-up writer share it)."""

from __future__ import annotations

from graphs.drafts import Variant
from graphs.sequence_turn import EarlierMessage, StepChannel, StepKind
from graphs.task_inputs import DraftOut


def sent_message(
    step: int, kind: StepKind, channel: StepChannel, draft: DraftOut | Variant
) -> EarlierMessage:
    """The message a thread records once a draft of this step was sent."""
    return EarlierMessage(
        step=step,
        kind=kind,
        channel=channel,
        subject=draft.subject,
        body=draft.body,
        hooks=[h.text for h in draft.hooks],
        fact_ids=[i for h in draft.hooks for i in h.fact_ids],
    )
