"""generate v4 and follow_up_* v3: the same prompts as generate v3 and follow_up_* v2, except
that the reply is one key per tone asked, shown to the model exactly as the schema has it."""

from __future__ import annotations

import pytest

from graphs.draft_reply import drafts_reply
from graphs.drafts import Tone
from prompts.loader import PromptSet, available_versions, load_prompt

BY_TONE = [("generate", "v3", "v4")] + [
    (f"follow_up_{kind}", "v2", "v3")
    for kind in ("soft_nudge", "new_angle", "direct_cta", "breakup")
]


@pytest.mark.parametrize(("name", "before", "version"), BY_TONE)
def test_the_newest_version_asks_for_a_key_per_tone_and_keeps_every_other_line(
    name: str, before: str, version: str
) -> None:
    # generate v5 (test_generate_v5.py) adds the reviewers' edits after v4, v6
    # (test_generate_v6.py) the segment's emphasis and the earlier-outreach rule.
    newest = {"generate": "v6"}.get(name, version)
    assert available_versions(name)[-1] == newest
    prompt, older = load_prompt(name, version), load_prompt(name, before)
    assert PromptSet.load()[name].version == newest, "unpinned runs use the newest"
    assert prompt.meta.variables == [*older.meta.variables, "reply_shape"]
    assert prompt.meta.parameters == older.meta.parameters
    shape = drafts_reply([Tone.FRIENDLY, Tone.DIRECT], plain=True).shape()
    rendered = prompt.render(channel_rules="x", payload="y", reply_shape=shape)
    assert rendered.system.endswith(f"each\nholding that tone's draft:\n{shape}")
    assert '"variants"' not in rendered.system
    old = older.render(channel_rules="x", payload="y")
    assert rendered.user == old.user
    # Everything before the reply's description reads as it did.
    assert rendered.system.startswith(old.system.split("Reply with one JSON object only")[0])
