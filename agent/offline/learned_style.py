"""The offline writer follows a campaign's reviewers: it leaves out the sentences they kept
deleting, and where it has a choice of wording (the ask), takes the one they kept."""

from __future__ import annotations

from collections.abc import Sequence

from agent.offline.drafting import tidy
from graphs.learned import LearnedStyle, line_sentences, phrase_key
from graphs.task_inputs import DraftOut


def without_avoided(body: str, style: LearnedStyle) -> str:
    """Return the body without the sentences reviewers kept deleting (a line left empty goes)."""
    avoid = {phrase_key(p) for p in style.avoid}
    if not avoid:
        return body
    lines = []
    for line in body.splitlines():
        kept = [s for s in line_sentences(line) if phrase_key(s) not in avoid]
        if kept or not line.strip():
            lines.append(" ".join(kept))
    return tidy("\n".join(lines))


def preferred(options: Sequence[str], style: LearnedStyle | None) -> str:
    """Return the option reviewers kept, else the first they did not delete, else the first."""
    if style is None:
        return options[0]
    prefer = {phrase_key(p) for p in style.prefer}
    avoid = {phrase_key(p) for p in style.avoid}
    liked = [o for o in options if phrase_key(o) in prefer]
    allowed = [o for o in options if phrase_key(o) not in avoid]
    return (liked or allowed or list(options))[0]


def styled(draft: DraftOut, style: LearnedStyle | None) -> DraftOut:
    """Return the draft as the campaign's reviewers would have it."""
    if style is None or not style.avoid:
        return draft
    body = without_avoided(draft.body, style)
    return draft if body == draft.body else draft.model_copy(update={"body": body})
