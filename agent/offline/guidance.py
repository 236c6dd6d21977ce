"""What the offline writer takes from a campaign's guidance and template.

"Mention our X" guidance becomes a sentence ("Worth adding: our X."); any other guidance is an
instruction to a writer, never message text. A template sentence still holding a placeholder
is left out when a reviewer asked for that.
"""

from __future__ import annotations

import re

from agent.offline.hook_phrases import SENTENCE_BREAK
from agent.offline.name_case import lower_opening

_INSTRUCTION = re.compile(
    r"^(?:please\s+)?(?:mention|emphasi[sz]e|highlight|note|stress|focus on|point out)\s+"
    r"(?:that\s+)?(.+)$",
    re.IGNORECASE,
)


def extra_sentence(custom_context: str | None, names: tuple[str, ...] = ()) -> str | None:
    """Turn 'Mention our X' guidance into a sentence; other guidance is not message text.

    Guidance such as "Do not mention pricing" is an instruction to a writer, so the offline
    writer never pastes it into a message; a model-backed writer follows it instead.
    """
    if not custom_context:
        return None
    # Guidance is read one sentence at a time, so "Mention X. Do not mention Y." adds only X.
    for sentence in SENTENCE_BREAK.split(custom_context.strip()):
        match = _INSTRUCTION.match(sentence.strip().rstrip("."))
        if match is not None:
            rest = match.group(1)
            # "Mention Pipewell's health check" keeps the name: only ordinary words are lowered.
            return f"Worth adding: {lower_opening(rest, names)}."
    return None


def without_placeholder_sentences(text: str) -> str:
    return " ".join(s for s in SENTENCE_BREAK.split(text) if "{{" not in s and "[" not in s)
